/**
 * The record envelope: a record's bytes encrypted in fixed-size, individually authenticated chunks, so
 * large records (imaging, PDFs) stream through browser, gateway and IPFS in bounded memory.
 *
 * Layout (all integers big-endian):
 *
 * ```
 * header      "CLE1" | version u8 = 2 | chunkSize u32 | recordId 16 | category u8 | patient 20
 *             | categoryKeyVersion u32
 *             | ownerKey length u16 | ownerKey (serialized WrappedKey of the data key for the patient's own key)
 *             | categoryKey length u16 | categoryKey (serialized WrappedKey of the data key for the patient's
 *               public key of this category at categoryKeyVersion, see categoryKeys.ts)
 * noncePrefix 16 random bytes, once per envelope
 * chunks      chunk 0 .. chunk n-1, each XChaCha20-Poly1305(dataKey, nonce_i, aad = header bytes)
 *             every chunk but the last is chunkSize + 16 bytes; the last is 16 .. chunkSize + 16 bytes
 * nonce_i     noncePrefix 16 | 0x000000 | i u32 | final u8 (1 on the last chunk, else 0)
 * ```
 *
 * Binding the header as AAD of every chunk stops anyone from relabelling a record (patient, category,
 * record id, key version) or swapping either wrapped key. The owner key lets the patient always reopen the
 * record; the category key lets every holder of that category's private key at that version (the grantees whose
 * key bundles carry it) open it, including records added after their bundle was issued. Putting the chunk index and the final flag in the nonce makes a
 * reordered, duplicated or dropped chunk fail to verify, and a cut at a chunk boundary detectable (the
 * last chunk present is not marked final). The random per-envelope prefix stops chunks spliced in from
 * another envelope sealed under the same data key. An empty record still has one (empty) final chunk, so
 * "no chunks" always means truncation.
 *
 * Plaintext length is `chunkSize * (n - 1) + length of the last chunk - 16`; a record whose length is a
 * multiple of chunkSize ends with a full final chunk, not an extra empty one.
 */
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { randomBytes } from "@noble/ciphers/utils.js";
import { addressToBytes, checksumAddress } from "./address";
import { assertBytes, bytesToHex, concatBytes, copyBytes, isBytes } from "./bytes";
import { categoryRecordContext, recordKeyContext } from "./contexts";
import { badFormat, CryptoError } from "./errors";
import { assertCategory, assertKeyVersion } from "./fields";
import { parseWrappedKey, serializeWrappedKey, unwrapKey, wrapKey } from "./keywrap";

// "CLE1": Consent Ledger Envelope. Not exported: a shared Uint8Array could be mutated by any importer.
const ENVELOPE_MAGIC = Uint8Array.of(0x43, 0x4c, 0x45, 0x31);
/** The only envelope format version this build reads and writes (version 1 is no longer read). */
export const ENVELOPE_VERSION = 2;
/** Plaintext bytes per chunk unless the caller chooses otherwise: big enough that tag overhead is 0.02%. */
export const DEFAULT_CHUNK_SIZE = 65536;
/** Smallest chunk size accepted; below it the 16-byte tag per chunk would more than double the size. */
export const MIN_CHUNK_SIZE = 16;
/**
 * Largest chunk size accepted, read or written. A stream opener must buffer one whole chunk, so a hostile
 * header must not be able to make it allocate gigabytes.
 */
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
/** Bytes of Poly1305 tag added to each chunk. */
export const CHUNK_TAG_LENGTH = 16;
/** Bytes of the random per-envelope nonce prefix stored right after the header. */
export const NONCE_PREFIX_LENGTH = 16;
/**
 * Bytes of the header before its first variable-length part (the owner key). The header has two variable parts;
 * to learn its whole length from a prefix, use {@link envelopeHeaderLength}.
 */
export const FIXED_HEADER_LENGTH = 4 + 1 + 4 + 16 + 1 + 20 + 4 + 2;
/** Largest header a reader may have to buffer: both wrapped keys at the u16 maximum. */
export const MAX_HEADER_LENGTH = FIXED_HEADER_LENGTH + 0xffff + 2 + 0xffff;

// Offsets of the fixed fields.
const VERSION_AT = 4;
const CHUNK_SIZE_AT = 5;
const RECORD_ID_AT = 9;
const CATEGORY_AT = 25;
const PATIENT_AT = 26;
const KEY_VERSION_AT = 46;
const OWNER_KEY_LENGTH_AT = 50;

const RECORD_ID_LENGTH = 16;
const DATA_KEY_LENGTH = 32;
// The chunk index is a u32 in the nonce; one more chunk would repeat a nonce.
const MAX_CHUNKS = 2 ** 32;

/** What an envelope says about itself; readable without any key. */
export interface EnvelopeHeader {
  version: 2;
  /** Plaintext bytes per chunk (the last chunk may hold fewer). */
  chunkSize: number;
  /** 16 random bytes naming the record; also what the record's key contexts bind to. */
  recordId: Uint8Array;
  /** Record category (0..255), the bit index used by grant scopes. */
  category: number;
  /** The patient the record belongs to (EIP-55 when read; any accepted spelling when sealing). */
  patient: string;
  /** Version of the patient's category key the record's `categoryKey` is wrapped for (u32). */
  categoryKeyVersion: number;
  /** Serialized WrappedKey: the data key wrapped for the owner, so the owner can always reopen the record. */
  ownerKey: Uint8Array;
  /** Serialized WrappedKey: the data key wrapped for the patient's public key of `category` at `categoryKeyVersion`. */
  categoryKey: Uint8Array;
}

/** Header fields a sealer supplies; version is fixed and chunkSize defaults to {@link DEFAULT_CHUNK_SIZE}. */
export type EnvelopeHeaderInput = Omit<EnvelopeHeader, "version" | "chunkSize"> & { chunkSize?: number };

/** Result of {@link readEnvelopeHeader}. */
export interface ParsedEnvelopeHeader {
  header: EnvelopeHeader;
  /** Bytes of the serialized header (what every chunk binds as associated data). */
  headerLength: number;
  /** Offset of the first chunk: header, then the 16-byte nonce prefix. */
  bodyOffset: number;
}

/** Progress of a whole-buffer operation, in plaintext bytes. */
export type BufferProgress = (doneBytes: number, totalBytes: number) => void;
/** Progress of a streaming operation, in plaintext bytes so far (the total is not known up front). */
export type StreamProgress = (doneBytes: number) => void;

/** A fresh random 256-bit data key; use one per record and never reuse it for another record. */
export function newDataKey(): Uint8Array {
  return randomBytes(DATA_KEY_LENGTH);
}

/** A fresh random 16-byte record id. */
export function newRecordId(): Uint8Array {
  return randomBytes(RECORD_ID_LENGTH);
}

/**
 * Wraps a record's data key for its owner, ready for {@link EnvelopeHeader.ownerKey}. The context binds it
 * to this record id and patient, the same context key bundles use.
 */
export function wrapOwnerKey(dataKey: Uint8Array, ownerPublicKey: Uint8Array, recordId: Uint8Array, patient: string): Uint8Array {
  return serializeWrappedKey(wrapKey(dataKey, ownerPublicKey, recordKeyContext(recordId, patient)));
}

/** Recovers the data key from an envelope header with the owner's X25519 private key; `WRONG_KEY` if not theirs. */
export function unwrapOwnerKey(header: EnvelopeHeader, ownerPrivateKey: Uint8Array): Uint8Array {
  return unwrapKey(parseWrappedKey(header.ownerKey), ownerPrivateKey, recordKeyContext(header.recordId, header.patient));
}

/**
 * Wraps a record's data key for the patient's category public key (from the patient's key directory, at the
 * category's current version), ready for {@link EnvelopeHeader.categoryKey}. The context binds it to this record
 * id, patient, category and key version.
 */
export function wrapCategoryKey(
  dataKey: Uint8Array,
  categoryPublicKey: Uint8Array,
  recordId: Uint8Array,
  patient: string,
  category: number,
  categoryKeyVersion: number,
): Uint8Array {
  const context = categoryRecordContext(recordId, patient, category, categoryKeyVersion);
  return serializeWrappedKey(wrapKey(dataKey, categoryPublicKey, context));
}

/**
 * Recovers the data key from an envelope header with the category private key of the header's category and key
 * version (derived by the patient, or handed to a grantee in a key bundle); `WRONG_KEY` if it is not that key.
 */
export function unwrapCategoryKey(header: EnvelopeHeader, categoryPrivateKey: Uint8Array): Uint8Array {
  const context = categoryRecordContext(header.recordId, header.patient, header.category, header.categoryKeyVersion);
  return unwrapKey(parseWrappedKey(header.categoryKey), categoryPrivateKey, context);
}

/** Serializes a header (validating every field); the exact bytes every chunk binds as associated data. */
export function encodeEnvelopeHeader(header: EnvelopeHeader): Uint8Array {
  checkHeader(header);
  const ownerKeyAt = FIXED_HEADER_LENGTH;
  const categoryKeyLengthAt = ownerKeyAt + header.ownerKey.length;
  const out = new Uint8Array(categoryKeyLengthAt + 2 + header.categoryKey.length);
  const view = new DataView(out.buffer);
  out.set(ENVELOPE_MAGIC, 0);
  out[VERSION_AT] = header.version;
  view.setUint32(CHUNK_SIZE_AT, header.chunkSize);
  out.set(header.recordId, RECORD_ID_AT);
  out[CATEGORY_AT] = header.category;
  out.set(addressToBytes(header.patient), PATIENT_AT);
  view.setUint32(KEY_VERSION_AT, header.categoryKeyVersion);
  view.setUint16(OWNER_KEY_LENGTH_AT, header.ownerKey.length);
  out.set(header.ownerKey, ownerKeyAt);
  view.setUint16(categoryKeyLengthAt, header.categoryKey.length);
  out.set(header.categoryKey, categoryKeyLengthAt + 2);
  return out;
}

/**
 * The whole header's length, read from the first bytes of an envelope, or `undefined` while `prefix` is too short
 * to tell (read more and ask again). For streaming readers (the gateway reads uploads with it) that must know how
 * much to buffer before {@link readEnvelopeHeader}. Throws as soon as the bytes present prove it is not an
 * envelope this build reads: `BAD_FORMAT` on bad magic, `UNSUPPORTED_VERSION` on another version. The answer is
 * at most {@link MAX_HEADER_LENGTH}.
 */
export function envelopeHeaderLength(prefix: Uint8Array): number | undefined {
  const measured = measureHeader(prefix);
  return measured.complete ? measured.length : undefined;
}

/**
 * Reads an envelope's header from its first bytes, without a key: the gateway and UI learn category,
 * patient, key version and wrapped keys from it. `bytes` may be the whole envelope or just a prefix of at
 * least `headerLength` bytes. Throws `BAD_FORMAT` on bad magic or a short or malformed header and
 * `UNSUPPORTED_VERSION` for a version other than 2.
 *
 * The header is only authenticated when a chunk is opened: until then treat its fields as claims.
 */
export function readEnvelopeHeader(bytes: Uint8Array): ParsedEnvelopeHeader {
  const measured = measureHeader(bytes);
  if (!measured.complete) {
    if (bytes.length <= VERSION_AT) throw badFormat(`envelope is ${bytes.length} bytes, too short to hold a header`);
    throw badFormat(`envelope header is cut short: ${bytes.length} bytes, and at least ${measured.need} are needed`);
  }
  const headerLength = measured.length;
  if (bytes.length < headerLength) throw badFormat(`envelope header is cut short: ${bytes.length} of ${headerLength} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const categoryKeyLengthAt = FIXED_HEADER_LENGTH + view.getUint16(OWNER_KEY_LENGTH_AT);
  const header: EnvelopeHeader = {
    version: ENVELOPE_VERSION,
    chunkSize: view.getUint32(CHUNK_SIZE_AT),
    recordId: copyBytes(bytes.subarray(RECORD_ID_AT, RECORD_ID_AT + RECORD_ID_LENGTH)),
    category: bytes[CATEGORY_AT],
    patient: checksumAddress(bytesToHex(bytes.subarray(PATIENT_AT, PATIENT_AT + 20))),
    categoryKeyVersion: view.getUint32(KEY_VERSION_AT),
    ownerKey: copyBytes(bytes.subarray(FIXED_HEADER_LENGTH, categoryKeyLengthAt)),
    categoryKey: copyBytes(bytes.subarray(categoryKeyLengthAt + 2, headerLength)),
  };
  checkHeader(header);
  return { header, headerLength, bodyOffset: headerLength + NONCE_PREFIX_LENGTH };
}

/**
 * Encrypts a whole record in memory. The output is the complete envelope; it is the same size as
 * {@link sealRecordStream} would produce for the same input and chunk size.
 */
export function sealRecord(
  plaintext: Uint8Array,
  header: EnvelopeHeaderInput,
  dataKey: Uint8Array,
  onProgress?: BufferProgress,
): Uint8Array {
  if (!isBytes(plaintext)) throw badFormat("plaintext must be a Uint8Array");
  const headerBytes = encodeEnvelopeHeader(completeHeader(header));
  assertBytes(dataKey, DATA_KEY_LENGTH, "dataKey");
  const chunkSize = readChunkSize(headerBytes);
  const chunkCount = Math.max(1, Math.ceil(plaintext.length / chunkSize));
  if (chunkCount > MAX_CHUNKS) throw badFormat(`record needs ${chunkCount} chunks; the format allows ${MAX_CHUNKS}`);
  const noncePrefix = randomBytes(NONCE_PREFIX_LENGTH);
  const bodyOffset = headerBytes.length + NONCE_PREFIX_LENGTH;
  // One allocation for the whole envelope; each chunk is encrypted straight into its slot.
  const out = new Uint8Array(bodyOffset + plaintext.length + chunkCount * CHUNK_TAG_LENGTH);
  out.set(headerBytes, 0);
  out.set(noncePrefix, headerBytes.length);
  let offset = bodyOffset;
  for (let index = 0; index < chunkCount; index++) {
    const start = index * chunkSize;
    const end = Math.min(start + chunkSize, plaintext.length);
    const final = index === chunkCount - 1;
    const sealedLength = end - start + CHUNK_TAG_LENGTH;
    chunkCipher(dataKey, noncePrefix, index, final, headerBytes).encrypt(
      plaintext.subarray(start, end),
      out.subarray(offset, offset + sealedLength),
    );
    offset += sealedLength;
    onProgress?.(end, plaintext.length);
  }
  return out;
}

/**
 * Encrypts a record from a stream of arbitrarily sized pieces, yielding the header (with nonce prefix)
 * first and then one sealed chunk at a time. Memory stays at about one chunk: it holds back one full chunk
 * until it sees whether more input follows, because only the last chunk may carry the final flag.
 * Nothing of an input piece is referenced once the next piece is requested, so the source may reuse its
 * buffers. Being a generator, it reports a bad header or key on the first pull, not when called.
 */
export async function* sealRecordStream(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  header: EnvelopeHeaderInput,
  dataKey: Uint8Array,
  onProgress?: StreamProgress,
): AsyncGenerator<Uint8Array, void, undefined> {
  const headerBytes = encodeEnvelopeHeader(completeHeader(header));
  assertBytes(dataKey, DATA_KEY_LENGTH, "dataKey");
  const chunkSize = readChunkSize(headerBytes);
  const noncePrefix = randomBytes(NONCE_PREFIX_LENGTH);
  yield concatBytes(headerBytes, noncePrefix);

  const pending = new Uint8Array(chunkSize);
  let filled = 0;
  let index = 0;
  let done = 0;
  const seal = (plain: Uint8Array, final: boolean): Uint8Array => {
    if (index >= MAX_CHUNKS) throw badFormat(`record exceeds ${MAX_CHUNKS} chunks, the most the format allows`);
    const sealed = chunkCipher(dataKey, noncePrefix, index, final, headerBytes).encrypt(plain);
    index++;
    done += plain.length;
    onProgress?.(done);
    return sealed;
  };

  for await (const piece of source) {
    if (!isBytes(piece)) throw badFormat("every piece of the plaintext stream must be a Uint8Array");
    let position = 0;
    while (position < piece.length) {
      if (filled === chunkSize) {
        // More input exists, so the held-back chunk is not the last one.
        yield seal(pending, false);
        filled = 0;
      }
      if (filled === 0 && piece.length - position > chunkSize) {
        // Whole chunks inside a large piece are sealed in place; at least one byte follows, so not final.
        yield seal(piece.subarray(position, position + chunkSize), false);
        position += chunkSize;
        continue;
      }
      const take = Math.min(chunkSize - filled, piece.length - position);
      pending.set(piece.subarray(position, position + take), filled);
      filled += take;
      position += take;
    }
  }
  yield seal(pending.subarray(0, filled), true);
  pending.fill(0);
}

/**
 * Decrypts a whole envelope in memory and returns its header and plaintext. Errors:
 * - `BAD_FORMAT` / `UNSUPPORTED_VERSION`: the header cannot be read (see {@link readEnvelopeHeader});
 * - `WRONG_KEY`: chunk 0 does not verify. Poly1305 cannot tell a wrong key from altered bytes, so any
 *   failure on the first chunk is reported as a wrong key, including an altered header or nonce prefix
 *   and a single-chunk envelope cut inside that chunk;
 * - `TAMPERED`: a later chunk does not verify (altered, reordered, duplicated or spliced from another
 *   envelope), or bytes follow the final chunk;
 * - `TRUNCATED`: no chunk at all, the last chunk present verifies but is not marked final (whole chunks
 *   were dropped), or the envelope ends inside a chunk after chunk 0. A last chunk that is shorter than a
 *   full one and does not verify is reported as `TRUNCATED`: a cut transfer and an altered short final
 *   chunk look the same, and a cut is the common cause. Either way the record is refused.
 *
 * The classification is a diagnosis for people; every one of these errors means "do not use these bytes".
 */
export function openRecord(
  envelope: Uint8Array,
  dataKey: Uint8Array,
  onProgress?: BufferProgress,
): { header: EnvelopeHeader; plaintext: Uint8Array } {
  const { header, headerLength, bodyOffset } = readEnvelopeHeader(envelope);
  assertBytes(dataKey, DATA_KEY_LENGTH, "dataKey");
  if (envelope.length < bodyOffset) {
    throw new CryptoError("TRUNCATED", "envelope ends before its nonce prefix: no chunk is present");
  }
  const opener = new ChunkOpener(
    dataKey,
    copyBytes(envelope.subarray(headerLength, bodyOffset)),
    envelope.subarray(0, headerLength),
    header.chunkSize,
  );
  const sealedChunkLength = header.chunkSize + CHUNK_TAG_LENGTH;
  const bodyLength = envelope.length - bodyOffset;
  const chunkCount = Math.max(1, Math.ceil(bodyLength / sealedChunkLength));
  const lastSealedLength = bodyLength - (chunkCount - 1) * sealedChunkLength;
  // A last piece shorter than a tag holds no plaintext; the opener reports it as truncation in turn.
  const plaintextLength = (chunkCount - 1) * header.chunkSize + Math.max(0, lastSealedLength - CHUNK_TAG_LENGTH);
  const plaintext = new Uint8Array(plaintextLength);
  let offset = bodyOffset;
  let done = 0;
  for (let index = 0; index < chunkCount; index++) {
    const last = index === chunkCount - 1;
    const end = last ? envelope.length : offset + sealedChunkLength;
    const sealed = envelope.subarray(offset, end);
    const length = Math.max(0, sealed.length - CHUNK_TAG_LENGTH);
    opener.open(sealed, last, plaintext.subarray(done, done + length));
    offset = end;
    done += length;
    onProgress?.(done, plaintextLength);
  }
  return { header, plaintext };
}

/**
 * Decrypts an envelope arriving as a stream of arbitrarily sized pieces, yielding plaintext one verified
 * chunk at a time (memory stays at about one chunk). `onHeader` receives the header once the first chunk
 * has verified (which authenticates it), before the first plaintext is yielded; for the unauthenticated
 * header without a key use {@link readEnvelopeHeader}. Errors are those of {@link openRecord}.
 *
 * Each yielded chunk is authentic, but truncation or tampering further on is only detected when the
 * stream gets there: a consumer must discard everything it received if the generator throws.
 */
export async function* openRecordStream(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  dataKey: Uint8Array,
  onProgress?: StreamProgress,
  onHeader?: (header: EnvelopeHeader) => void,
): AsyncGenerator<Uint8Array, void, undefined> {
  assertBytes(dataKey, DATA_KEY_LENGTH, "dataKey");
  const input = new ByteQueue(source);
  try {
    // Read as far as each length field says (or whatever there is, so a short input still gets the precise error).
    let measured = measureHeader(new Uint8Array(0));
    while (!measured.complete && (await input.fill(measured.need))) measured = measureHeader(input.peek(measured.need));
    const headerLength = measured.complete ? measured.length : input.length;
    await input.fill(headerLength);
    const { header } = readEnvelopeHeader(input.peek(Math.min(input.length, headerLength)));
    const headerBytes = input.take(headerLength);
    if (!(await input.fill(NONCE_PREFIX_LENGTH))) {
      throw new CryptoError("TRUNCATED", "envelope ends before its nonce prefix: no chunk is present");
    }
    const opener = new ChunkOpener(dataKey, input.take(NONCE_PREFIX_LENGTH), headerBytes, header.chunkSize);
    const sealedChunkLength = header.chunkSize + CHUNK_TAG_LENGTH;
    let done = 0;
    for (;;) {
      // One byte beyond a full chunk tells whether this chunk is the last.
      const more = await input.fill(sealedChunkLength + 1);
      const sealed = input.take(more ? sealedChunkLength : input.length);
      const plain = opener.open(sealed, !more);
      // Only now is the header authenticated (it is the AAD of chunk 0), so only now is it handed out.
      if (opener.opened === 1) onHeader?.(header);
      done += plain.length;
      onProgress?.(done);
      yield plain;
      if (!more) return;
    }
  } finally {
    // Stopped early (error or consumer break): let the source release its connection or file.
    await input.close();
  }
}

/** Verifies and decrypts chunks in order, classifying failures as documented on {@link openRecord}. */
class ChunkOpener {
  private index = 0;

  /** Chunks verified so far. */
  get opened(): number {
    return this.index;
  }

  constructor(
    private readonly dataKey: Uint8Array,
    private readonly noncePrefix: Uint8Array,
    private readonly headerBytes: Uint8Array,
    private readonly chunkSize: number,
  ) {}

  open(sealed: Uint8Array, last: boolean, output?: Uint8Array): Uint8Array {
    const index = this.index;
    if (index >= MAX_CHUNKS) throw new CryptoError("TAMPERED", `envelope has more than ${MAX_CHUNKS} chunks`);
    if (sealed.length < CHUNK_TAG_LENGTH) {
      throw new CryptoError(
        "TRUNCATED",
        index === 0 && sealed.length === 0
          ? "envelope has no chunks: it was cut right after its header"
          : `envelope ends inside chunk ${index} (${sealed.length} bytes, less than its 16-byte tag)`,
      );
    }
    const plain = this.tryOpen(sealed, last, output);
    if (plain !== undefined) {
      this.index++;
      return plain;
    }
    const full = sealed.length === this.chunkSize + CHUNK_TAG_LENGTH;
    // Failure path only: try the other final flag to tell truncation and appended data from tampering.
    const asOther = full ? this.tryOpen(sealed, !last) : undefined;
    if (asOther !== undefined && last) {
      throw new CryptoError("TRUNCATED", `envelope ends after chunk ${index}, which is not its final chunk: later chunks are missing`);
    }
    if (asOther !== undefined) {
      throw new CryptoError("TAMPERED", `chunk ${index} is marked final but more data follows it`);
    }
    if (index === 0) {
      throw new CryptoError(
        "WRONG_KEY",
        "the first chunk does not verify: the data key is not this record's (or the header or first chunk was altered)",
      );
    }
    if (last && !full) {
      throw new CryptoError("TRUNCATED", `envelope ends inside chunk ${index} (or its final chunk was altered): fetch the record again`);
    }
    throw new CryptoError("TAMPERED", `chunk ${index} does not verify: it was altered, reordered, duplicated or taken from another record`);
  }

  private tryOpen(sealed: Uint8Array, final: boolean, output?: Uint8Array): Uint8Array | undefined {
    try {
      return chunkCipher(this.dataKey, this.noncePrefix, this.index, final, this.headerBytes).decrypt(sealed, output);
    } catch {
      // noble throws a plain Error on a bad tag; the caller turns it into a typed error with context.
      return undefined;
    }
  }
}

/** Pulls pieces from a source into an internal queue and hands out exact byte counts. */
class ByteQueue {
  private readonly iterator: AsyncIterator<Uint8Array> | Iterator<Uint8Array>;
  private pieces: Uint8Array[] = [];
  private head = 0; // bytes already consumed from pieces[0]
  private ended = false;
  length = 0;

  constructor(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) {
    this.iterator =
      Symbol.asyncIterator in source
        ? (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
        : (source as Iterable<Uint8Array>)[Symbol.iterator]();
  }

  /** Reads until at least `n` bytes are queued; false if the source ended first. */
  async fill(n: number): Promise<boolean> {
    while (this.length < n && !this.ended) {
      const next = await this.iterator.next();
      if (next.done) {
        this.ended = true;
        break;
      }
      if (!isBytes(next.value)) throw badFormat("every piece of the envelope stream must be a Uint8Array");
      if (next.value.length === 0) continue;
      // Copied because the source may reuse its buffer once we ask for the next piece.
      this.pieces.push(copyBytes(next.value));
      this.length += next.value.length;
    }
    return this.length >= n;
  }

  /** Ends the source early if it has not ended by itself. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.iterator.return?.();
  }

  peek(n: number): Uint8Array {
    return this.read(n, false);
  }

  take(n: number): Uint8Array {
    return this.read(n, true);
  }

  private read(n: number, consume: boolean): Uint8Array {
    const first = this.pieces[0];
    let out: Uint8Array;
    if (first !== undefined && first.length - this.head >= n) {
      out = first.subarray(this.head, this.head + n);
    } else {
      out = new Uint8Array(n);
      let written = 0;
      for (let i = 0, head = this.head; written < n; i++, head = 0) {
        const part = this.pieces[i].subarray(head, head + (n - written));
        out.set(part, written);
        written += part.length;
      }
    }
    if (consume) this.skip(n);
    return out;
  }

  private skip(n: number): void {
    this.length -= n;
    while (n > 0) {
      const available = this.pieces[0].length - this.head;
      if (n < available) {
        this.head += n;
        return;
      }
      n -= available;
      this.pieces.shift();
      this.head = 0;
    }
  }
}

function chunkCipher(
  dataKey: Uint8Array,
  noncePrefix: Uint8Array,
  index: number,
  final: boolean,
  headerBytes: Uint8Array,
): ReturnType<typeof xchacha20poly1305> {
  const nonce = new Uint8Array(24);
  nonce.set(noncePrefix, 0);
  new DataView(nonce.buffer).setUint32(19, index);
  nonce[23] = final ? 1 : 0;
  return xchacha20poly1305(dataKey, nonce, headerBytes);
}

function completeHeader(input: EnvelopeHeaderInput): EnvelopeHeader {
  if (typeof input !== "object" || input === null) throw badFormat("header must be an object");
  return {
    version: ENVELOPE_VERSION,
    chunkSize: input.chunkSize ?? DEFAULT_CHUNK_SIZE,
    recordId: input.recordId,
    category: input.category,
    patient: input.patient,
    categoryKeyVersion: input.categoryKeyVersion,
    ownerKey: input.ownerKey,
    categoryKey: input.categoryKey,
  };
}

function checkHeader(header: EnvelopeHeader): void {
  if (header.version !== ENVELOPE_VERSION) {
    throw new CryptoError("UNSUPPORTED_VERSION", `envelope version ${String(header.version)} is not supported`);
  }
  const { chunkSize } = header;
  if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
    throw badFormat(`chunkSize ${chunkSize} is outside ${MIN_CHUNK_SIZE}..${MAX_CHUNK_SIZE}`);
  }
  assertBytes(header.recordId, RECORD_ID_LENGTH, "recordId");
  assertCategory(header.category);
  addressToBytes(header.patient);
  assertKeyVersion(header.categoryKeyVersion, "categoryKeyVersion");
  // Refuse an envelope its owner or the category's key holders could not open; parseWrappedKey says why.
  for (const [name, key] of [
    ["ownerKey", header.ownerKey],
    ["categoryKey", header.categoryKey],
  ] as const) {
    if (!isBytes(key)) throw badFormat(`${name} must be a Uint8Array (a serialized WrappedKey)`);
    parseWrappedKey(key);
  }
}

function readChunkSize(headerBytes: Uint8Array): number {
  return new DataView(headerBytes.buffer, headerBytes.byteOffset).getUint32(CHUNK_SIZE_AT);
}

/** How far a prefix gets in reading the header: its length once known, else how many bytes to have next. */
type HeaderMeasure = { complete: true; length: number } | { complete: false; need: number };

function measureHeader(prefix: Uint8Array): HeaderMeasure {
  if (!isBytes(prefix)) throw badFormat("envelope must be a Uint8Array");
  for (let i = 0; i < ENVELOPE_MAGIC.length && i < prefix.length; i++) {
    if (prefix[i] !== ENVELOPE_MAGIC[i]) throw badFormat("not a Consent Ledger envelope (magic is not CLE1)");
  }
  if (prefix.length > VERSION_AT && prefix[VERSION_AT] !== ENVELOPE_VERSION) {
    throw new CryptoError(
      "UNSUPPORTED_VERSION",
      `envelope version ${prefix[VERSION_AT]} is not supported by this build (it reads version ${ENVELOPE_VERSION} only)`,
    );
  }
  if (prefix.length < FIXED_HEADER_LENGTH) return { complete: false, need: FIXED_HEADER_LENGTH };
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  const categoryKeyLengthAt = FIXED_HEADER_LENGTH + view.getUint16(OWNER_KEY_LENGTH_AT);
  if (prefix.length < categoryKeyLengthAt + 2) return { complete: false, need: categoryKeyLengthAt + 2 };
  return { complete: true, length: categoryKeyLengthAt + 2 + view.getUint16(categoryKeyLengthAt) };
}
