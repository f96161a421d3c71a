import { expect } from "chai";
import { bases } from "multiformats/basics";
import { base16 } from "multiformats/bases/base16";
import { base32 } from "multiformats/bases/base32";
import { base36 } from "multiformats/bases/base36";
import { base58btc } from "multiformats/bases/base58";
import { CID } from "multiformats/cid";
import * as Digest from "multiformats/hashes/digest";
import { sha256 } from "@noble/hashes/sha2.js";
import {
  CANONICAL_CID_LENGTH,
  cidDigestHex,
  cidFromBytes,
  cidToBytes,
  DAG_PB_CODEC,
  documentCid,
  isCanonicalCid,
  parseCanonicalCid,
  RAW_CODEC,
  rawCidFromDigest,
} from "../../lib/ids";
import { expectContentIdError } from "./helpers";

const DIGEST = sha256(new TextEncoder().encode("Jane Doe's record"));
const rawCid = CID.createV1(RAW_CODEC, Digest.create(0x12, DIGEST));
const dagPbCid = CID.createV1(DAG_PB_CODEC, Digest.create(0x12, DIGEST));
// Every multibase multiformats knows but the canonical base32. The few nobody prints a CID in are refused as junk;
// every other is refused by name, with the canonical spelling to use.
const UNPRINTED = new Set(["identity", "base2", "base8", "base10", "base256emoji"]);
const OTHER_BASES = Object.values(bases).filter((base) => base.name !== base32.name);
const PRINTED_BASES = OTHER_BASES.filter((base) => !UNPRINTED.has(base.name));

function hex(bytes: Uint8Array): string {
  return "0x" + Buffer.from(bytes).toString("hex");
}

describe("canonical CIDs", function () {
  describe("parseCanonicalCid", function () {
    it("accepts CIDv1 base32 raw and dag-pb with a sha2-256 digest, and nothing is lost", function () {
      for (const cid of [rawCid, dagPbCid]) {
        const text = cid.toString();
        expect(text).to.match(/^b[a-z2-7]{58}$/);
        expect(text.length).to.equal(CANONICAL_CID_LENGTH);
        expect(parseCanonicalCid(text).equals(cid)).to.equal(true);
        expect(isCanonicalCid(text)).to.equal(true);
      }
    });

    for (const [name, cid] of [
      ["raw", rawCid],
      ["dag-pb", dagPbCid],
    ] as const) {
      it(`refuses every other printed multibase spelling of a ${name} CID, naming the canonical one`, function () {
        const canonical = cid.toString();
        for (const base of PRINTED_BASES) {
          const spelling = cid.toString(base);
          expect(spelling).to.not.equal(canonical);
          const error = expectContentIdError(() => parseCanonicalCid(spelling), "BAD_CID");
          expect(error.message, base.name).to.contain(`use ${canonical} instead`);
          expect(error.message).to.contain(base.name);
          expect(error.canonical).to.equal(canonical);
          expect(isCanonicalCid(spelling)).to.equal(false);
        }
      });
    }

    it("refuses a CID in a multibase nobody prints CIDs in, as no CID, with no spelling to suggest", function () {
      for (const base of OTHER_BASES.filter((b) => UNPRINTED.has(b.name))) {
        const spelling = rawCid.toString(base);
        const error = expectContentIdError(() => parseCanonicalCid(spelling), "BAD_CID");
        expect(error.canonical, base.name).to.equal(undefined);
        expect(isCanonicalCid(spelling)).to.equal(false);
      }
    });

    it("refuses the CIDv0 spelling of dag-pb content (bare and in a multibase), naming the CIDv1", function () {
      const canonical = dagPbCid.toString();
      const v0 = dagPbCid.toV0();
      const spellings = [v0.toString(), base32.encode(v0.bytes), base58btc.encode(v0.bytes), base16.encode(v0.bytes)];
      expect(spellings[0]).to.match(/^Qm/);
      for (const spelling of spellings) {
        const error = expectContentIdError(() => parseCanonicalCid(spelling), "BAD_CID");
        expect(error.message).to.contain("CIDv0");
        expect(error.message).to.contain(`use ${canonical} instead`);
      }
    });

    it("refuses CIDs with another hash or codec, and never names a canonical spelling for them", function () {
      const identity = CID.createV1(RAW_CODEC, Digest.create(0x00, new TextEncoder().encode("inline")));
      const sha512 = CID.createV1(RAW_CODEC, Digest.create(0x13, new Uint8Array(64).fill(7)));
      const shortSha256 = CID.createV1(RAW_CODEC, Digest.create(0x12, DIGEST.subarray(0, 20)));
      const dagCbor = CID.createV1(0x71, Digest.create(0x12, DIGEST));
      const dagJson = CID.createV1(0x0129, Digest.create(0x12, DIGEST));
      for (const cid of [identity, sha512, shortSha256, dagCbor, dagJson]) {
        for (const text of [cid.toString(), cid.toString(base58btc)]) {
          const error = expectContentIdError(() => parseCanonicalCid(text), "BAD_CID");
          expect(error.message).to.match(/only (raw|sha2-256)/);
          expect(error.canonical).to.equal(undefined);
        }
      }
    });

    it("refuses truncated, extended, garbage, empty, over-long and non-string input", function () {
      const text = rawCid.toString();
      const bad: unknown[] = [
        text.slice(0, -1),
        text.slice(0, 20),
        text + "a",
        text + "aaaaaaaa",
        ` ${text}`,
        `${text}\n`,
        "b",
        "",
        "hello",
        "Qm",
        "bafy!!!",
        "x" + text.slice(1),
        "b" + "a".repeat(500),
        undefined,
        42,
        { toString: () => text },
      ];
      for (const input of bad) expectContentIdError(() => parseCanonicalCid(input as string), "BAD_CID");
    });
  });

  describe("binary form", function () {
    it("round-trips text, 36 bytes and 0x hex for raw and dag-pb", function () {
      for (const cid of [rawCid, dagPbCid]) {
        const bytes = cidToBytes(cid.toString());
        expect(bytes.length).to.equal(36);
        expect([...bytes.subarray(0, 4)]).to.deep.equal([0x01, cid.code, 0x12, 0x20]);
        expect(Buffer.from(bytes.subarray(4)).equals(Buffer.from(DIGEST))).to.equal(true);
        expect(cidFromBytes(bytes)).to.equal(cid.toString());
        expect(cidFromBytes(hex(bytes))).to.equal(cid.toString());
        expect(cidFromBytes(hex(bytes).toUpperCase().replace("0X", "0x"))).to.equal(cid.toString());
        expect(cidToBytes(cid)).to.deep.equal(bytes);
      }
    });

    it("refuses a CIDv0 object or another spelling on the way to bytes", function () {
      expectContentIdError(() => cidToBytes(dagPbCid.toV0()), "BAD_CID");
      expectContentIdError(() => cidToBytes(rawCid.toString(base36)), "BAD_CID");
    });

    it("refuses binary CIDs of another length, version, codec or hash", function () {
      const good = cidToBytes(rawCid.toString());
      const mutate = (index: number, value: number): Uint8Array => {
        const copy = good.slice();
        copy[index] = value;
        return copy;
      };
      const bad: Array<Uint8Array | string> = [
        good.subarray(0, 35),
        Uint8Array.from([...good, 0]),
        mutate(0, 0x00),
        mutate(1, 0x71),
        mutate(2, 0x13),
        mutate(3, 0x1f),
        dagPbCid.toV0().bytes,
        hex(good).slice(0, -2),
        hex(good).slice(2),
        hex(good) + "00",
        "0x" + "zz".repeat(36),
      ];
      for (const input of bad) expectContentIdError(() => cidFromBytes(input), "BAD_CID");
    });
  });

  describe("documents", function () {
    it("names a document by the raw sha2-256 CID of its bytes, and rebuilds it from the digest on-chain", function () {
      const bytes = new TextEncoder().encode('{"version":2}');
      const cid = documentCid(bytes);
      expect(cid).to.equal(CID.createV1(RAW_CODEC, Digest.create(0x12, sha256(bytes))).toString());
      expect(cidDigestHex(cid)).to.equal(hex(sha256(bytes)));
      expect(rawCidFromDigest(cidDigestHex(cid))).to.equal(cid);
      expect(cidDigestHex(dagPbCid)).to.equal(hex(DIGEST));
    });

    it("refuses a digest that is not 0x and 64 hex digits", function () {
      for (const digest of ["", "0x", hex(DIGEST).slice(2), hex(DIGEST) + "00", hex(DIGEST).slice(0, -1) + "g"]) {
        expectContentIdError(() => rawCidFromDigest(digest), "BAD_CID");
      }
    });
  });
});
