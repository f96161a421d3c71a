/**
 * The record envelope: a record's bytes encrypted in fixed-size, individually authenticated chunks, so
 * large records (imaging, PDFs) stream through browser, gateway and IPFS in bounded memory.
 *
 * Layout (all integers big-endian):
 *
 * ```
 * header      "CLE1" | version u8 = 1 | chunkSize u32 | recordId 16 | category u8 | patient 20
 *             | ownerKey length u16 | ownerKey (serialized WrappedKey of the data key for the owner)
 * noncePrefix 16 random bytes, once per envelope
 * chunks      chunk 0 .. chunk n-1, each XChaCha20-Poly1305(dataKey, nonce_i, aad = header bytes)
 *             every chunk but the last is chunkSize + 16 bytes; the last is 16 .. chunkSize + 16 bytes
 * nonce_i     noncePrefix 16 | 0x000000 | i u32 | final u8 (1 on the last chunk, else 0)
 * ```
 *
 * Binding the header as AAD of every chunk stops anyone from relabelling a record (patient, category,
 * record id) or swapping its owner key. Putting the chunk index and the final flag in the nonce makes a
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
import { bytesToAddress, addressToBytes } from "./address";
import { assertBytes, concatBytes, copyBytes, isBytes } from "./bytes";
import { badFormat, CryptoError } from "./errors";
import { parseWrappedKey, recordKeyContext, serializeWrappedKey, unwrapKey, wrapKey } from "./keywrap";

// "CLE1": Consent Ledger Envelope. Not exported: a shared Uint8Array could be mutated by any importer.
const ENVELOPE_MAGIC = Uint8Array.of(0x43, 0x4c, 0x45, 0x31);
/** The only envelope format version this build reads and writes. */
export const ENVELOPE_VERSION = 1;
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
/** Bytes of the header before the variable-length owner key. */
export const FIXED_HEADER_LENGTH = 4 + 1 + 4 + 16 + 1 + 20 + 2;

const RECORD_ID_LENGTH = 16;
const DATA_KEY_LENGTH = 32;
// The chunk index is a u32 in the nonce; one more chunk would repeat a nonce.
const MAX_CHUNKS = 2 ** 32;

/** What an envelope says about itself; readable without any key. */
export interface EnvelopeHeader {
  version: 1;
  /** Plaintext bytes per chunk (the last chunk may hold fewer). */
  chunkSize: number;
  /** 16 random bytes naming the record; also what the record's key contexts bind to. */
  recordId: Uint8Array;
  /** Record category (0..255), the bit index used by grant scopes. */
  category: number;
  /** The patient the record belongs to, `0x` lower-case. */
  patient: string;
  /** Serialized WrappedKey: the data key wrapped for the owner, so the owner can always reopen the record. */
  ownerKey: Uint8Array;
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

/** Serializes a header (validating every field); the exact bytes every chunk binds as associated data. */
export function encodeEnvelopeHeader(header: EnvelopeHeader): Uint8Array {
  checkHeader(header);
  const out = new Uint8Array(FIXED_HEADER_LENGTH + header.ownerKey.length);
  const view = new DataView(out.buffer);
  out.set(ENVELOPE_MAGIC, 0);
  out[4] = header.version;
  view.setUint32(5, header.chunkSize);
  out.set(header.recordId, 9);
  out[25] = header.category;
  out.set(addressToBytes(header.patient), 26);
  view.setUint16(46, header.ownerKey.length);
  out.set(header.ownerKey, FIXED_HEADER_LENGTH);
  return out;
}

/**
 * Reads an envelope's header from its first bytes, without a key: the gateway and UI learn category,
 * patient and owner key from it. `bytes` may be the whole envelope or just a prefix of at least
 * `headerLength` bytes. Throws `BAD_FORMAT` on bad magic or a short or malformed header and
 * `UNSUPPORTED_VERSION` for a version other than 1.
 *
 * The header is only authenticated when a chunk is opened: until then treat its fields as claims.
 */
export function readEnvelopeHeader(bytes: Uint8Array): ParsedEnvelopeHeader {
  if (!isBytes(bytes)) throw badFormat("envelope must be a Uint8Array");
  for (let i = 0; i < ENVELOPE_MAGIC.length; i++) {
    if (i >= bytes.length) throw badFormat(`envelope is ${bytes.length} bytes, too short to hold a header`);
    if (bytes[i] !== ENVELOPE_MAGIC[i]) throw badFormat("not a Consent Ledger envelope (magic is not CLE1)");
  }
  if (bytes.length < 5) throw badFormat(`envelope is ${bytes.length} bytes, too short to hold a header`);
  if (bytes[4] !== ENVELOPE_VERSION) {
    throw new CryptoError(
      "UNSUPPORTED_VERSION",
      `envelope version ${bytes[4]} is not supported by this build (it reads version ${ENVELOPE_VERSION})`,
    );
  }
  if (bytes.length < FIXED_HEADER_LENGTH) {
    throw badFormat(`envelope header is cut short: ${bytes.length} of at least ${FIXED_HEADER_LENGTH} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ownerKeyLength = view.getUint16(46);
  const headerLength = FIXED_HEADER_LENGTH + ownerKeyLength;
  if (bytes.length < headerLength) {
    throw badFormat(`envelope header is cut short: ${bytes.length} of ${headerLength} bytes`);
  }
  const header: EnvelopeHeader = {
    version: ENVELOPE_VERSION,
    chunkSize: view.getUint32(5),
    recordId: copyBytes(bytes.subarray(9, 25)),
    category: bytes[25],
    patient: bytesToAddress(bytes.subarray(26, 46)),
    ownerKey: copyBytes(bytes.subarray(FIXED_HEADER_LENGTH, headerLength)),
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
    // Read the fixed part first (or whatever there is, so a short input still gets the precise error).
    await input.fill(FIXED_HEADER_LENGTH);
    let headerLength = FIXED_HEADER_LENGTH;
    if (input.length >= FIXED_HEADER_LENGTH) {
      const fixed = input.peek(FIXED_HEADER_LENGTH);
      headerLength += (fixed[46] << 8) | fixed[47];
      await input.fill(headerLength);
    }
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
    ownerKey: input.ownerKey,
  };
}

function checkHeader(header: EnvelopeHeader): void {
  if (header.version !== ENVELOPE_VERSION) {
    throw new CryptoError("UNSUPPORTED_VERSION", `envelope version ${String(header.version)} is not supported`);
  }
  const { chunkSize, category } = header;
  if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
    throw badFormat(`chunkSize ${chunkSize} is outside ${MIN_CHUNK_SIZE}..${MAX_CHUNK_SIZE}`);
  }
  assertBytes(header.recordId, RECORD_ID_LENGTH, "recordId");
  if (!Number.isInteger(category) || category < 0 || category > 255) {
    throw badFormat(`category ${category} is not an integer in 0..255`);
  }
  addressToBytes(header.patient);
  if (!isBytes(header.ownerKey)) throw badFormat("ownerKey must be a Uint8Array (a serialized WrappedKey)");
  // Refuse an envelope whose owner could not reopen it; parseWrappedKey throws the precise reason.
  parseWrappedKey(header.ownerKey);
}

function readChunkSize(headerBytes: Uint8Array): number {
  return new DataView(headerBytes.buffer, headerBytes.byteOffset).getUint32(5);
}
