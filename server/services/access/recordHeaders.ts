import { getAddress } from "ethers";
import { envelopeHeaderLength, readEnvelopeHeader } from "../../../lib/crypto";
import { ApiError } from "../../errors";
import type { ContentStore } from "../store/contentStore";
import { storeOrUnavailable } from "../store/storeErrors";

/** What an envelope's header says about the record it carries (the header is authenticated with every chunk). */
export interface RecordHeader {
  patient: string;
  category: number;
  /** 16-byte record id as 0x-hex. */
  recordId: string;
}

/** Bytes read to find a header: the v2 header is about 250 bytes; this leaves room without reading a whole leaf. */
const HEADER_PROBE_BYTES = 1024;
const MAX_CACHED = 50_000;

/**
 * Reads the header of stored envelopes, from their first bytes only. Content is immutable, so a header once read is
 * kept (bounded). Which patient a piece of content belongs to is what its header says — the on-chain announcement is
 * looked up under that patient, so an announcement of someone else's content in another vault leads nowhere.
 */
export class RecordHeaders {
  private readonly cache = new Map<string, RecordHeader>();

  constructor(private readonly store: ContentStore) {}

  /** The header of the envelope stored under `cid`: 404 CONTENT_NOT_FOUND when absent, 404 RECORD_NOT_FOUND when not an envelope. */
  async of(cid: string): Promise<RecordHeader> {
    const cached = this.cache.get(cid);
    if (cached !== undefined) return cached;
    const prefix = await storeOrUnavailable(() => this.store.readPrefix(cid, HEADER_PROBE_BYTES));
    const header = parseHeader(prefix);
    if (header === undefined) throw new ApiError("RECORD_NOT_FOUND", `${cid} is not a record envelope.`);
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(cid, header);
    return header;
  }
}

/** Parses an envelope header from the first bytes of a file; undefined when they are not one. */
export function parseHeader(prefix: Uint8Array): RecordHeader | undefined {
  try {
    const length = envelopeHeaderLength(prefix);
    if (length === undefined || length > prefix.length) return undefined;
    const { header } = readEnvelopeHeader(prefix);
    const recordId = "0x" + Buffer.from(header.recordId).toString("hex");
    return { patient: getAddress(header.patient), category: header.category, recordId };
  } catch {
    return undefined;
  }
}
