import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { base58btc } from "multiformats/bases/base58";
import { EmbeddedStore } from "../../server/services/store/embeddedStore";
import { cidOfBytes, documentCid, parseCanonicalCid, verifyContent } from "../../lib/ids";
import { expectContentIdErrorAsync, inPieces, pseudoRandomBytes } from "./helpers";

const MiB = 1024 * 1024;
const SIZES = [0, 1, MiB - 1, MiB, MiB + 1, 5 * MiB + 7];

describe("client-side content verification", function () {
  let dir: string;
  let store: EmbeddedStore;

  before(async function () {
    dir = await mkdtemp(path.join(os.tmpdir(), "verify-content-"));
    store = await EmbeddedStore.open(dir);
  });

  after(async function () {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  for (const size of SIZES) {
    it(`computes the CID the embedded store gives a ${size}-byte file, put whole or streamed`, async function () {
      const bytes = pseudoRandomBytes(size, size + 11);
      const stored = await store.put(bytes);
      const streamed = await store.put(inPieces(bytes, [65_552, 7, 300_001]));
      expect(streamed).to.equal(stored);
      const computed = await cidOfBytes(bytes);
      expect(computed).to.equal(stored);
      // Canonical either way: one leaf is a raw block, more is a dag-pb root.
      expect(parseCanonicalCid(computed).code).to.equal(size <= MiB ? 0x55 : 0x70);
      await verifyContent(stored, bytes);
    });
  }

  it("names a file of at most one leaf exactly as a document of the same bytes", async function () {
    const bytes = pseudoRandomBytes(4096, 3);
    expect(await cidOfBytes(bytes)).to.equal(documentCid(bytes));
  });

  it("refuses altered, truncated, extended and substituted bytes with INTEGRITY", async function () {
    const bytes = pseudoRandomBytes(MiB + 1, 5);
    const cid = await store.put(bytes);
    const flipped = bytes.slice();
    flipped[MiB] ^= 1;
    const candidates = [flipped, bytes.subarray(0, MiB), Uint8Array.from([...bytes.subarray(0, 10)]), new Uint8Array(0)];
    for (const wrong of candidates) {
      const error = await expectContentIdErrorAsync(() => verifyContent(cid, wrong), "INTEGRITY");
      expect(error.message).to.contain(cid);
    }
    const extended = new Uint8Array(bytes.length + 1);
    extended.set(bytes);
    await expectContentIdErrorAsync(() => verifyContent(cid, extended), "INTEGRITY");
  });

  it("refuses a CID that is not canonical with BAD_CID, naming the one to use", async function () {
    const bytes = pseudoRandomBytes(100, 8);
    const cid = await store.put(bytes);
    const base58 = parseCanonicalCid(cid).toString(base58btc);
    const error = await expectContentIdErrorAsync(() => verifyContent(base58, bytes), "BAD_CID");
    expect(error.canonical).to.equal(cid);
    await expectContentIdErrorAsync(() => verifyContent(cid.toUpperCase(), bytes), "BAD_CID");
  });
});
