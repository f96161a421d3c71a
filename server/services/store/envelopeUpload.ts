import type { IncomingMessage, ServerResponse } from "node:http";
import {
  CHUNK_TAG_LENGTH,
  envelopeHeaderLength,
  FIXED_HEADER_LENGTH,
  readEnvelopeHeader,
  type ParsedEnvelopeHeader,
} from "../../../lib/crypto";
import { ApiError } from "../../errors";

/**
 * After a refused upload, the rest of the body is read and dropped so that a client still sending gets to read the
 * error: a client (Node's fetch, a browser) that is cut off mid-upload reports a network failure, never the 413. The
 * drain is bounded: at least this much, and at most {@link DISCARD_CEILING_FACTOR} times the record limit; a client
 * that keeps sending past that has its connection cut.
 */
const DISCARD_LIMIT_BYTES = 16 * 1024 * 1024;
const DISCARD_CEILING_FACTOR = 4;

/**
 * A record envelope arriving as an HTTP request body, read as a stream on its way into the store: the header is
 * parsed from the first bytes (so plaintext or garbage is refused before anything is stored), the size limit is
 * enforced as bytes arrive, and the whole body, header included, is handed on piece by piece with backpressure.
 * Memory stays at about one socket read plus the header, whatever the record's size.
 */
export class EnvelopeUpload {
  private readonly source: AsyncIterator<Uint8Array>;
  /** Pieces read while looking for the header, handed out first by {@link body}. */
  private readAhead: Uint8Array[] = [];
  private received = 0;
  /** Bytes handed on to the store (see {@link storedBytes}). */
  private handedOn = 0;
  private ended = false;
  private discarding = false;
  /** The error the body stream failed with (size limit, client gone), which outranks the store's view of it. */
  private failure: ApiError | undefined;
  private parsed: ParsedEnvelopeHeader | undefined;

  /**
   * @param req - the request, body not yet read (no body parser may have run on it)
   * @param maxBytes - largest body accepted; more is refused with 413 PAYLOAD_TOO_LARGE
   * @param quota - the uploader's quota left, and its refusal: a body that grows past it (one sent without a
   *   Content-Length, so not refused up front) is refused as it arrives, not after all of it has been stored
   */
  constructor(
    private readonly req: IncomingMessage,
    private readonly maxBytes: number,
    private readonly quota?: { bytes: number; refusal: () => ApiError },
  ) {
    // Not destroyed when we stop early: a refused upload is drained (see discard) so its client reads the answer.
    this.source = req.iterator({ destroyOnReturn: false })[Symbol.asyncIterator]();
  }

  /** The body length the request declares (Content-Length), when it declares one. */
  get declaredLength(): number | undefined {
    const declared = Number(this.req.headers["content-length"]);
    return Number.isFinite(declared) && declared >= 0 ? declared : undefined;
  }

  /** Bytes of body received so far (all of it once {@link body} has ended). */
  get bytes(): number {
    return this.received;
  }

  /**
   * Bytes of the body handed on to the store so far: what a refused upload may have left there (written blocks are
   * not taken back), which its uploader is charged for (Uploads.refused). Zero when it was refused before storing.
   */
  get storedBytes(): number {
    return this.handedOn;
  }

  /**
   * Checks what the request says about its body before reading it: 415 unless it is uncompressed
   * `application/octet-stream`, 413 when its declared length is over the limit.
   */
  checkRequest(): void {
    const type = (this.req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/octet-stream") {
      throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send the record envelope as 'Content-Type: application/octet-stream'.");
    }
    const encoding = (this.req.headers["content-encoding"] ?? "identity").trim().toLowerCase();
    if (encoding !== "identity") {
      throw new ApiError(
        "UNSUPPORTED_MEDIA_TYPE",
        `Send the envelope without Content-Encoding (got '${encoding}'): ciphertext does not compress.`,
      );
    }
    const declared = Number(this.req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > this.maxBytes) {
      throw this.tooLarge();
    }
  }

  /**
   * Reads until the envelope header is complete and parses it; 400 BAD_ENVELOPE if the body is not an envelope,
   * including one that ends before its header does.
   */
  async readHeader(): Promise<ParsedEnvelopeHeader> {
    let buffered = 0;
    let want = FIXED_HEADER_LENGTH;
    for (;;) {
      while (buffered < want) {
        const piece = await this.pull();
        if (piece === undefined) break;
        this.readAhead.push(piece);
        buffered += piece.length;
      }
      const prefix = Buffer.concat(this.readAhead);
      let length: number | undefined;
      try {
        // The header has two length-prefixed parts; the library says how long it is once the prefix tells.
        length = envelopeHeaderLength(prefix);
        if ((length !== undefined && prefix.length >= length) || buffered < want) {
          // Complete, or the body ended before it was: the parser names what is wrong.
          this.parsed = readEnvelopeHeader(prefix);
          return this.parsed;
        }
      } catch (err) {
        throw new ApiError("BAD_ENVELOPE", `The body is not a Consent Ledger record envelope: ${(err as Error).message}.`);
      }
      // Doubling until the length is known keeps the copying linear however small the client's pieces are.
      want = length ?? want * 2;
    }
  }

  /**
   * Hands the whole body (header first) to `put`, e.g. the store's put. If the body stream fails (over the limit,
   * client gone), that failure is what is thrown, not the store's report of its source breaking.
   */
  async storeWith<T>(put: (body: AsyncIterable<Uint8Array>) => Promise<T>): Promise<T> {
    try {
      return await put(this.body());
    } catch (err) {
      throw this.failure ?? err;
    }
  }

  /**
   * After the body has been stored: checks that its length fits the envelope layout (at least one chunk, and no
   * last piece shorter than a chunk tag), else 400 BAD_ENVELOPE. Chunk contents can only be checked with the key.
   */
  checkComplete(): void {
    if (this.parsed === undefined || !this.ended) throw new Error("checkComplete() before the body was read to its end");
    const { header, bodyOffset } = this.parsed;
    const chunks = this.received - bodyOffset;
    const rest = chunks % (header.chunkSize + CHUNK_TAG_LENGTH);
    if (chunks < CHUNK_TAG_LENGTH || (rest > 0 && rest < CHUNK_TAG_LENGTH)) {
      throw new ApiError(
        "BAD_ENVELOPE",
        `The envelope is cut short: ${this.received} bytes cannot end a record of ${header.chunkSize}-byte chunks after a ${bodyOffset}-byte header.`,
      );
    }
  }

  /**
   * Stops reading after a refusal: drops the rest of the body (so a client still sending reads the error) up to a
   * bound, past which it cuts the connection. The connection is closed after the answer either way.
   */
  async discard(res: ServerResponse): Promise<void> {
    this.discarding = true;
    if (this.ended || this.req.destroyed) return;
    if (!res.headersSent) res.setHeader("Connection", "close");
    let dropped = 0;
    const bound = Math.max(DISCARD_LIMIT_BYTES, Math.min(this.declaredLength ?? this.maxBytes, this.maxBytes * DISCARD_CEILING_FACTOR));
    try {
      for (;;) {
        const next = await this.source.next();
        if (next.done) return;
        dropped += next.value.length;
        if (dropped > bound) {
          this.req.destroy();
          return;
        }
      }
    } catch {
      // The client went away: there is no one left to answer.
    }
  }

  private async *body(): AsyncGenerator<Uint8Array> {
    const ahead = this.readAhead;
    this.readAhead = [];
    for (const piece of ahead) {
      this.handedOn += piece.length;
      yield piece;
    }
    for (;;) {
      if (this.discarding) throw new Error("the upload was abandoned");
      const piece = await this.pull();
      if (piece === undefined) return;
      this.handedOn += piece.length;
      yield piece;
    }
  }

  /** The next piece of the body, counted against the limit; undefined at its end. */
  private async pull(): Promise<Uint8Array | undefined> {
    let next: IteratorResult<Uint8Array>;
    try {
      next = await this.source.next();
    } catch {
      throw (this.failure = new ApiError("BAD_REQUEST", "The upload was cut off by the client before it ended."));
    }
    if (next.done) {
      this.ended = true;
      return undefined;
    }
    this.received += next.value.length;
    if (this.received > this.maxBytes) throw (this.failure = this.tooLarge());
    if (this.quota !== undefined && this.received > this.quota.bytes) throw (this.failure = this.quota.refusal());
    return next.value;
  }

  private tooLarge(): ApiError {
    return new ApiError(
      "PAYLOAD_TOO_LARGE",
      `A record envelope may be at most ${this.maxBytes} bytes; this upload is larger. Nothing of it is pinned or announced.`,
    );
  }
}
