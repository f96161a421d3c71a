import { expect } from "chai";
import fc from "fast-check";
import {
  CHUNK_TAG_LENGTH,
  CryptoError,
  DEFAULT_CHUNK_SIZE,
  concatBytes,
  envelopeHeaderLength,
  equalBytes,
  FIXED_HEADER_LENGTH,
  generateEncryptionKeyPair,
  newDataKey,
  newRecordId,
  openRecord,
  openRecordStream,
  readEnvelopeHeader,
  sealRecord,
  sealRecordStream,
  unwrapCategoryKey,
  unwrapOwnerKey,
  WRAPPED_KEY_LENGTH,
  wrapCategoryKey,
  wrapOwnerKey,
  type EnvelopeHeader,
  type EnvelopeHeaderInput,
} from "../../lib/crypto";
import { collect, expectCryptoError, expectCryptoErrorAsync, inPieces, pseudoRandomBytes } from "./helpers";

const PATIENT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const owner = generateEncryptionKeyPair();
// Stands in for the patient's category key of category 3 at version 7 (derivation is tested in categoryKeys.test.ts).
const categoryHolder = generateEncryptionKeyPair();
const KEY_VERSION = 7;

interface Fixture {
  dataKey: Uint8Array;
  header: EnvelopeHeaderInput;
}

function fixture(chunkSize?: number): Fixture {
  const dataKey = newDataKey();
  const recordId = newRecordId();
  const ownerKey = wrapOwnerKey(dataKey, owner.publicKey, recordId, PATIENT);
  const categoryKey = wrapCategoryKey(dataKey, categoryHolder.publicKey, recordId, PATIENT, 3, KEY_VERSION);
  return {
    dataKey,
    header: { recordId, category: 3, patient: PATIENT, categoryKeyVersion: KEY_VERSION, ownerKey, categoryKey, chunkSize },
  };
}

/** Byte ranges of each sealed chunk in an envelope. */
function chunkRanges(envelope: Uint8Array): Array<[number, number]> {
  const { header, bodyOffset } = readEnvelopeHeader(envelope);
  const ranges: Array<[number, number]> = [];
  for (let start = bodyOffset; start < envelope.length; start += header.chunkSize + CHUNK_TAG_LENGTH) {
    ranges.push([start, Math.min(envelope.length, start + header.chunkSize + CHUNK_TAG_LENGTH)]);
  }
  return ranges;
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = bytes.slice();
  copy[bit >> 3] ^= 1 << (bit & 7);
  return copy;
}

async function openStreamed(envelope: Uint8Array, dataKey: Uint8Array, sizes: readonly number[]): Promise<Uint8Array> {
  return collect(openRecordStream(inPieces(envelope, sizes), dataKey));
}

function expectedEnvelopeLength(envelope: Uint8Array, plaintextLength: number, chunkSize: number): number {
  const chunks = Math.max(1, Math.ceil(plaintextLength / chunkSize));
  return readEnvelopeHeader(envelope).bodyOffset + plaintextLength + chunks * CHUNK_TAG_LENGTH;
}

describe("record envelope", function () {
  const cs = DEFAULT_CHUNK_SIZE;
  const sizes = [0, 1, cs - 1, cs, cs + 1, 3 * cs];
  const oddPieces = [7, 1, 65_537, 4_093, 131_071, 13];

  describe("round trip", function () {
    for (const size of sizes) {
      it(`opens what it sealed for a ${size}-byte record, whole and streamed`, async function () {
        const { dataKey, header } = fixture();
        const plaintext = pseudoRandomBytes(size, size + 1);

        const envelope = sealRecord(plaintext, header, dataKey);
        expect(envelope.length).to.equal(expectedEnvelopeLength(envelope, size, cs));
        expect(equalBytes(openRecord(envelope, dataKey).plaintext, plaintext)).to.equal(true);
        expect(equalBytes(await openStreamed(envelope, dataKey, oddPieces), plaintext)).to.equal(true);

        const streamed = await collect(sealRecordStream(inPieces(plaintext, oddPieces), header, dataKey));
        expect(streamed.length).to.equal(envelope.length);
        expect(equalBytes(openRecord(streamed, dataKey).plaintext, plaintext)).to.equal(true);
        expect(equalBytes(await openStreamed(streamed, dataKey, [1, 3, 70_000]), plaintext)).to.equal(true);
      });
    }

    it("seals an empty record as exactly one 16-byte final chunk", function () {
      const { dataKey, header } = fixture();
      const envelope = sealRecord(new Uint8Array(0), header, dataKey);
      expect(envelope.length - readEnvelopeHeader(envelope).bodyOffset).to.equal(16);
      expect(openRecord(envelope, dataKey).plaintext.length).to.equal(0);
    });

    it("seals a record that is an exact multiple of the chunk size without an extra empty chunk", function () {
      const { dataKey, header } = fixture(1024);
      const envelope = sealRecord(new Uint8Array(3 * 1024), header, dataKey);
      expect(chunkRanges(envelope).map(([a, b]) => b - a)).to.deep.equal([1040, 1040, 1040]);
    });

    it("round-trips a 50 MB record whole and streamed, reporting progress", async function () {
      this.timeout(30_000);
      const { dataKey, header } = fixture();
      const size = 50 * 1024 * 1024;
      const plaintext = pseudoRandomBytes(size, 50);

      const progress: number[] = [];
      const envelope = sealRecord(plaintext, header, dataKey, (done, total) => {
        expect(total).to.equal(size);
        progress.push(done);
      });
      expect(progress.length).to.equal(size / cs);
      expect(progress[progress.length - 1]).to.equal(size);

      let opened = 0;
      const whole = openRecord(envelope, dataKey, (done) => (opened = done));
      expect(opened).to.equal(size);
      expect(equalBytes(whole.plaintext, plaintext)).to.equal(true);

      // Stream both ways in odd pieces; only the plaintext length is kept, not a second 50 MB copy.
      const sealedPieces: Uint8Array[] = [];
      for await (const piece of sealRecordStream(inPieces(plaintext, [1_000_003, 17]), header, dataKey)) {
        sealedPieces.push(piece);
      }
      const streamed = concatBytes(...sealedPieces);
      let offset = 0;
      let matches = true;
      for await (const part of openRecordStream(inPieces(streamed, [999_999, 5]), dataKey)) {
        matches &&= equalBytes(part, plaintext.subarray(offset, offset + part.length));
        offset += part.length;
      }
      expect(matches).to.equal(true);
      expect(offset).to.equal(size);
    });

    it("accepts Node Buffers that are offset views into a shared pool, and returns detached copies", async function () {
      const { dataKey, header } = fixture(64);
      const plaintext = pseudoRandomBytes(500, 4);
      const envelope = Buffer.from(sealRecord(Buffer.from(plaintext), header, dataKey));
      const pooled = Buffer.concat([Buffer.alloc(3), envelope]).subarray(3);
      expect(pooled.byteOffset).to.not.equal(0);
      const opened = openRecord(pooled, dataKey);
      expect(equalBytes(opened.plaintext, plaintext)).to.equal(true);
      expect(opened.header.recordId.buffer).to.not.equal(pooled.buffer);
      expect(equalBytes(await openStreamed(pooled, dataKey, [5]), plaintext)).to.equal(true);
    });

    it("lets go of the source when a stream reader stops early", async function () {
      const { dataKey, header } = fixture(64);
      const envelope = sealRecord(pseudoRandomBytes(1000, 5), header, dataKey);
      let closed = false;
      async function* source(): AsyncGenerator<Uint8Array> {
        try {
          yield* inPieces(envelope, [100]);
        } finally {
          closed = true;
        }
      }
      for await (const part of openRecordStream(source(), dataKey)) {
        expect(part.length).to.equal(64);
        break;
      }
      expect(closed).to.equal(true);
    });

    it("reports streamed progress in plaintext bytes", async function () {
      const { dataKey, header } = fixture(100);
      const plaintext = pseudoRandomBytes(1234, 9);
      const sealedProgress: number[] = [];
      const envelope = await collect(sealRecordStream(inPieces(plaintext, [33]), header, dataKey, (done) => sealedProgress.push(done)));
      expect(sealedProgress).to.deep.equal([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200, 1234]);
      const openedProgress: number[] = [];
      await collect(openRecordStream(inPieces(envelope, [50]), dataKey, (done) => openedProgress.push(done)));
      expect(openedProgress).to.deep.equal(sealedProgress);
    });
  });

  describe("header", function () {
    it("reads category, patient, key version and both wrapped keys without the data key, from a prefix only", function () {
      const { dataKey, header } = fixture(4096);
      const envelope = sealRecord(pseudoRandomBytes(10_000, 1), header, dataKey);
      const { header: read, headerLength, bodyOffset } = readEnvelopeHeader(envelope.subarray(0, 300));
      expect(read).to.deep.equal({
        version: 2,
        chunkSize: 4096,
        recordId: header.recordId,
        category: 3,
        patient: PATIENT, // emitted as EIP-55
        categoryKeyVersion: KEY_VERSION,
        ownerKey: header.ownerKey,
        categoryKey: header.categoryKey,
      } satisfies EnvelopeHeader);
      expect(FIXED_HEADER_LENGTH).to.equal(52);
      expect(headerLength).to.equal(52 + 2 * WRAPPED_KEY_LENGTH + 2);
      expect(bodyOffset).to.equal(headerLength + 16);
    });

    it("writes the fields where the format says", function () {
      const { dataKey, header } = fixture(4096);
      const envelope = sealRecord(new Uint8Array(1), header, dataKey);
      const view = new DataView(envelope.buffer, envelope.byteOffset);
      expect(new TextDecoder().decode(envelope.subarray(0, 4))).to.equal("CLE1");
      expect(envelope[4]).to.equal(2);
      expect(view.getUint32(5)).to.equal(4096);
      expect(equalBytes(envelope.subarray(9, 25), header.recordId)).to.equal(true);
      expect(envelope[25]).to.equal(3);
      expect(Buffer.from(envelope.subarray(26, 46)).toString("hex")).to.equal(PATIENT.slice(2).toLowerCase());
      expect(view.getUint32(46)).to.equal(KEY_VERSION);
      expect(view.getUint16(50)).to.equal(WRAPPED_KEY_LENGTH);
      expect(equalBytes(envelope.subarray(52, 52 + WRAPPED_KEY_LENGTH), header.ownerKey)).to.equal(true);
      expect(view.getUint16(52 + WRAPPED_KEY_LENGTH)).to.equal(WRAPPED_KEY_LENGTH);
      expect(equalBytes(envelope.subarray(54 + WRAPPED_KEY_LENGTH, 54 + 2 * WRAPPED_KEY_LENGTH), header.categoryKey)).to.equal(true);
    });

    it("tells a streaming reader the header length once the prefix holds both length fields, and not before", function () {
      const { dataKey, header } = fixture();
      const envelope = sealRecord(new Uint8Array(10), header, dataKey);
      const { headerLength } = readEnvelopeHeader(envelope);
      const secondLengthEnd = 52 + WRAPPED_KEY_LENGTH + 2;
      for (const cut of [0, 3, 4, 5, 51, 52, secondLengthEnd - 1])
        expect(envelopeHeaderLength(envelope.subarray(0, cut)), `${cut}`).to.equal(undefined);
      for (const cut of [secondLengthEnd, headerLength - 1, headerLength, envelope.length]) {
        expect(envelopeHeaderLength(envelope.subarray(0, cut)), `${cut}`).to.equal(headerLength);
      }
    });

    it("refuses a prefix that already shows it is no envelope of this version, before reading more", function () {
      expectCryptoError(() => envelopeHeaderLength(new TextEncoder().encode('{"resourceType"')), "BAD_FORMAT");
      expectCryptoError(() => envelopeHeaderLength(Uint8Array.of(0x43, 0x4c, 0x58)), "BAD_FORMAT");
      expectCryptoError(() => envelopeHeaderLength(Uint8Array.of(0x43, 0x4c, 0x45, 0x31, 1)), "UNSUPPORTED_VERSION");
      expectCryptoError(() => envelopeHeaderLength(Uint8Array.of(0x43, 0x4c, 0x45, 0x31, 3)), "UNSUPPORTED_VERSION");
    });

    it("lets the owner recover the data key from the header", function () {
      const { dataKey, header } = fixture();
      const envelope = sealRecord(new Uint8Array(5), header, dataKey);
      const recovered = unwrapOwnerKey(readEnvelopeHeader(envelope).header, owner.privateKey);
      expect(equalBytes(recovered, dataKey)).to.equal(true);
      expectCryptoError(() => unwrapOwnerKey(readEnvelopeHeader(envelope).header, generateEncryptionKeyPair().privateKey), "WRONG_KEY");
    });

    it("lets the holder of the category key at the header's version recover the data key, and no other key", function () {
      const { dataKey, header } = fixture();
      const read = readEnvelopeHeader(sealRecord(new Uint8Array(5), header, dataKey)).header;
      expect(equalBytes(unwrapCategoryKey(read, categoryHolder.privateKey), dataKey)).to.equal(true);
      expectCryptoError(() => unwrapCategoryKey(read, owner.privateKey), "WRONG_KEY");
      // The context binds category and version: the same key under another claimed version or category fails.
      expectCryptoError(() => unwrapCategoryKey({ ...read, categoryKeyVersion: KEY_VERSION + 1 }, categoryHolder.privateKey), "WRONG_KEY");
      expectCryptoError(() => unwrapCategoryKey({ ...read, category: 4 }, categoryHolder.privateKey), "WRONG_KEY");
      expectCryptoError(() => unwrapCategoryKey({ ...read, recordId: newRecordId() }, categoryHolder.privateKey), "WRONG_KEY");
      expectCryptoError(
        () => unwrapCategoryKey({ ...read, patient: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" }, categoryHolder.privateKey),
        "WRONG_KEY",
      );
    });

    it("hands the header to a stream reader only after the first chunk verified", async function () {
      const { dataKey, header } = fixture(64);
      const envelope = sealRecord(pseudoRandomBytes(300, 2), header, dataKey);
      const seen: EnvelopeHeader[] = [];
      await collect(openRecordStream(inPieces(envelope, [10]), dataKey, undefined, (h) => seen.push(h)));
      expect(seen.map((h) => h.category)).to.deep.equal([3]);

      const wrongKeySeen: EnvelopeHeader[] = [];
      await expectCryptoErrorAsync(
        () => collect(openRecordStream(inPieces(envelope, [10]), newDataKey(), undefined, (h) => wrongKeySeen.push(h))),
        "WRONG_KEY",
      );
      expect(wrongKeySeen).to.deep.equal([]);
    });

    it("refuses to seal with a malformed header", function () {
      const { dataKey, header } = fixture();
      expectCryptoError(() => sealRecord(new Uint8Array(1), { ...header, patient: "0x1234" }, dataKey), "BAD_FORMAT");
      expectCryptoError(() => sealRecord(new Uint8Array(1), { ...header, category: 256 }, dataKey), "BAD_FORMAT");
      expectCryptoError(() => sealRecord(new Uint8Array(1), { ...header, chunkSize: 15 }, dataKey), "BAD_FORMAT");
      expectCryptoError(() => sealRecord(new Uint8Array(1), { ...header, recordId: new Uint8Array(15) }, dataKey), "BAD_FORMAT");
      expectCryptoError(() => sealRecord(new Uint8Array(1), { ...header, ownerKey: Uint8Array.of(1, 2) }, dataKey), "BAD_FORMAT");
      expectCryptoError(() => sealRecord(new Uint8Array(1), { ...header, categoryKey: new Uint8Array(0) }, dataKey), "BAD_FORMAT");
      expectCryptoError(() => sealRecord(new Uint8Array(1), { ...header, categoryKeyVersion: -1 }, dataKey), "BAD_FORMAT");
      expectCryptoError(() => sealRecord(new Uint8Array(1), { ...header, categoryKeyVersion: 2 ** 32 }, dataKey), "BAD_FORMAT");
      expectCryptoError(() => sealRecord(new Uint8Array(1), { ...header, categoryKeyVersion: 1.5 }, dataKey), "BAD_FORMAT");
      expectCryptoError(() => sealRecord(new Uint8Array(1), header, new Uint8Array(31)), "BAD_FORMAT");
    });
  });

  describe("refusals", function () {
    const chunkSize = 1000;
    // Four chunks: three full ones and a 500-byte final one.
    let dataKey: Uint8Array;
    let envelope: Uint8Array;
    let chunks: Array<[number, number]>;
    let bodyOffset: number;

    beforeEach(function () {
      const f = fixture(chunkSize);
      dataKey = f.dataKey;
      envelope = sealRecord(pseudoRandomBytes(3500, 7), f.header, dataKey);
      chunks = chunkRanges(envelope);
      bodyOffset = readEnvelopeHeader(envelope).bodyOffset;
      expect(chunks.length).to.equal(4);
    });

    async function expectRefused(bytes: Uint8Array, code: CryptoError["code"], key = dataKey): Promise<void> {
      expectCryptoError(() => openRecord(bytes, key), code);
      await expectCryptoErrorAsync(() => openStreamed(bytes, key, [333]), code);
    }

    it("refuses the wrong data key with WRONG_KEY, for a large and an empty record", async function () {
      await expectRefused(envelope, "WRONG_KEY", newDataKey());
      const f = fixture();
      await expectRefused(sealRecord(new Uint8Array(0), f.header, f.dataKey), "WRONG_KEY", newDataKey());
    });

    it("refuses a flipped bit in the record id, category, patient or key version (the header is chunk 0's AAD)", async function () {
      for (const byte of [9, 24, 25, 26, 45, 46, 49]) await expectRefused(flipBit(envelope, byte * 8), "WRONG_KEY");
    });

    it("refuses a flipped bit in either wrapped key and the nonce prefix", async function () {
      await expectRefused(flipBit(envelope, 60 * 8), "WRONG_KEY");
      await expectRefused(flipBit(envelope, (54 + WRAPPED_KEY_LENGTH + 40) * 8), "WRONG_KEY");
      await expectRefused(flipBit(envelope, (bodyOffset - 1) * 8 + 3), "WRONG_KEY");
    });

    it("refuses a header whose wrapped key was swapped for another record's, even a valid one", async function () {
      const other = fixture(chunkSize);
      const [mine, theirs] = [readEnvelopeHeader(envelope), readEnvelopeHeader(sealRecord(new Uint8Array(1), other.header, other.dataKey))];
      const swapped = envelope.slice();
      swapped.set(theirs.header.categoryKey, 54 + WRAPPED_KEY_LENGTH);
      expect(readEnvelopeHeader(swapped).headerLength).to.equal(mine.headerLength);
      await expectRefused(swapped, "WRONG_KEY");
    });

    it("refuses a flipped bit in a later chunk's ciphertext or tag with TAMPERED", async function () {
      await expectRefused(flipBit(envelope, (chunks[1][0] + 10) * 8), "TAMPERED");
      await expectRefused(flipBit(envelope, (chunks[2][1] - 1) * 8 + 7), "TAMPERED");
    });

    it("refuses a flipped bit in chunk 0 with WRONG_KEY, since Poly1305 cannot tell the two apart", async function () {
      await expectRefused(flipBit(envelope, (chunks[0][0] + 5) * 8), "WRONG_KEY");
    });

    it("refuses a flipped bit in the short final chunk (reported as TRUNCATED: a cut looks the same)", async function () {
      await expectRefused(flipBit(envelope, (chunks[3][1] - 3) * 8), "TRUNCATED");
    });

    it("refuses an envelope whose final chunk was dropped with TRUNCATED", async function () {
      await expectRefused(envelope.slice(0, chunks[3][0]), "TRUNCATED");
      await expectRefused(envelope.slice(0, chunks[1][0]), "TRUNCATED");
    });

    it("refuses an envelope cut inside a chunk, a tag or right after the header with TRUNCATED", async function () {
      await expectRefused(envelope.slice(0, chunks[2][0] + 500), "TRUNCATED");
      await expectRefused(envelope.slice(0, chunks[2][0] + 7), "TRUNCATED");
      await expectRefused(envelope.slice(0, chunks[3][1] - 1), "TRUNCATED");
      await expectRefused(envelope.slice(0, bodyOffset), "TRUNCATED");
      await expectRefused(envelope.slice(0, bodyOffset - 4), "TRUNCATED");
    });

    it("refuses an envelope cut inside its header with BAD_FORMAT", async function () {
      for (const cut of [0, 3, 30, 51, 52, 60, 52 + WRAPPED_KEY_LENGTH + 1, bodyOffset - 17]) {
        await expectRefused(envelope.slice(0, cut), "BAD_FORMAT");
        const error = expectCryptoError(() => readEnvelopeHeader(envelope.subarray(0, cut)), "BAD_FORMAT");
        expect(error.message).to.match(cut < 5 ? /too short to hold a header/ : /cut short/);
      }
    });

    it("refuses reordered and duplicated chunks with TAMPERED", async function () {
      const [c0, c1, c2, c3] = chunks.map(([a, b]) => envelope.subarray(a, b));
      const head = envelope.subarray(0, bodyOffset);
      await expectRefused(concatBytes(head, c0, c2, c1, c3), "TAMPERED");
      await expectRefused(concatBytes(head, c0, c1, c1, c3), "TAMPERED");
      await expectRefused(concatBytes(head, c0, c1, c2, c2, c3), "TAMPERED");
    });

    it("refuses a chunk spliced in from another record sealed with the same key and header", async function () {
      const header = readEnvelopeHeader(envelope).header;
      const other = sealRecord(pseudoRandomBytes(3500, 8), header, dataKey);
      const [o0, o1] = chunkRanges(other);
      expect(o0[0]).to.equal(bodyOffset);
      const spliced = concatBytes(envelope.subarray(0, o1[0]), other.subarray(o1[0], o1[1]), envelope.subarray(o1[1]));
      await expectRefused(spliced, "TAMPERED");
    });

    it("refuses data appended after the final chunk with TAMPERED", async function () {
      const f = fixture(chunkSize);
      const full = sealRecord(pseudoRandomBytes(2 * chunkSize, 3), f.header, f.dataKey);
      await expectRefused(concatBytes(full, new Uint8Array(40)), "TAMPERED", f.dataKey);
    });

    it("refuses bad magic with BAD_FORMAT and versions 1 and 3 with UNSUPPORTED_VERSION", async function () {
      const badMagic = envelope.slice();
      badMagic[0] = 0x58;
      await expectRefused(badMagic, "BAD_FORMAT");
      for (const version of [1, 3]) {
        const other = envelope.slice();
        other[4] = version;
        await expectRefused(other, "UNSUPPORTED_VERSION");
        expectCryptoError(() => readEnvelopeHeader(other), "UNSUPPORTED_VERSION");
      }
    });

    it("refuses a header whose wrapped-key length fields disagree with the keys with BAD_FORMAT", async function () {
      const longer = envelope.slice();
      new DataView(longer.buffer).setUint16(50, WRAPPED_KEY_LENGTH + 1);
      await expectRefused(longer, "BAD_FORMAT");
      const shorter = envelope.slice();
      new DataView(shorter.buffer).setUint16(52 + WRAPPED_KEY_LENGTH, WRAPPED_KEY_LENGTH - 1);
      await expectRefused(shorter, "BAD_FORMAT");
    });

    it("refuses a header whose chunk size is out of range with BAD_FORMAT", async function () {
      const huge = envelope.slice();
      huge[5] = 0xff;
      await expectRefused(huge, "BAD_FORMAT");
    });
  });

  describe("properties", function () {
    const arbitraryCase = fc.record({
      size: fc.integer({ min: 0, max: 300_000 }),
      chunkSize: fc.integer({ min: 16, max: 70_000 }),
      seed: fc.integer(),
      pieces: fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 6 }),
    });

    it("opens what it sealed, whole or streamed, for any size, chunk size and input split", async function () {
      this.timeout(60_000);
      await fc.assert(
        fc.asyncProperty(arbitraryCase, async ({ size, chunkSize, seed, pieces }) => {
          const { dataKey, header } = fixture(chunkSize);
          const plaintext = pseudoRandomBytes(size, seed);
          const streamed = await collect(sealRecordStream(inPieces(plaintext, pieces), header, dataKey));
          expect(streamed.length).to.equal(expectedEnvelopeLength(streamed, size, chunkSize));
          expect(equalBytes(openRecord(streamed, dataKey).plaintext, plaintext)).to.equal(true);
          const whole = sealRecord(plaintext, header, dataKey);
          expect(equalBytes(await openStreamed(whole, dataKey, pieces), plaintext)).to.equal(true);
        }),
        { numRuns: 25 },
      );
    });

    it("detects a single flipped bit anywhere in the envelope", async function () {
      this.timeout(60_000);
      await fc.assert(
        fc.asyncProperty(arbitraryCase, fc.double({ min: 0, max: 1, maxExcluded: true }), async (c, where) => {
          const { dataKey, header } = fixture(c.chunkSize);
          const envelope = sealRecord(pseudoRandomBytes(c.size, c.seed), header, dataKey);
          const flipped = flipBit(envelope, Math.floor(where * envelope.length * 8));
          expect(() => openRecord(flipped, dataKey)).to.throw(CryptoError);
          let streamError: unknown;
          try {
            await openStreamed(flipped, dataKey, c.pieces);
          } catch (error) {
            streamError = error;
          }
          expect(streamError).to.be.instanceOf(CryptoError);
        }),
        { numRuns: 40 },
      );
    });
  });
});
