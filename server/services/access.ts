import { ZeroAddress, getAddress } from "ethers";
import { categoryLabel } from "../../lib/consent/codes";
import { ApiError } from "../errors";
import type { ChainService } from "./chain";

/** Why a reader may receive a record, as decided at one block. */
export interface AccessDecision {
  patient: string;
  category: number;
  basis: "patient" | "grant" | "emergency";
  purpose: number;
  grantExpiresAt: number;
  block: number;
}

/** HL7 ETREAT: the purpose recorded for a break-glass release when its event cannot be found. */
const EMERGENCY_PURPOSE = 2;
const EMERGENCY_CATEGORY = 12;

/** Decisions kept for one head block at most; past this many the cache starts over (memory stays bounded). */
const MAX_CACHED_DECISIONS = 10_000;

/**
 * Decides, from the chain at its current head, whether a reader may receive a record. The head is read for every
 * request (never assumed); the decision made at one head block is reused for the same (record, reader) until the
 * head moves, because a block's state never changes. Only answers are kept (grant or refusal): a failure to reach
 * the chain is never cached, so access still fails closed.
 */
export class AccessDecisions {
  private headHash = "";
  private readonly decisions = new Map<string, Promise<AccessDecision>>();

  constructor(private readonly chain: ChainService) {}

  /** The decision for `reader` and the record under `cid`, at the chain head as it is now. */
  async decide(cid: string, reader: string): Promise<AccessDecision> {
    const head = await this.chain.headBlock();
    if (head.hash !== this.headHash || this.decisions.size >= MAX_CACHED_DECISIONS) {
      this.headHash = head.hash;
      this.decisions.clear();
    }
    const key = `${cid}/${reader}`;
    let decision = this.decisions.get(key);
    if (decision === undefined) {
      decision = decideRecordAccess(this.chain, cid, reader, head);
      this.decisions.set(key, decision);
      decision.catch((err: unknown) => {
        const answered = err instanceof ApiError && (err.code === "ACCESS_DENIED" || err.code === "RECORD_NOT_FOUND");
        if (!answered && this.decisions.get(key) === decision) this.decisions.delete(key);
      });
    }
    return decision;
  }
}

/**
 * Decides, at the given head block, whether `reader` may receive the record stored under `cid`. Every read is
 * pinned to that block. Chain unreachable → CHAIN_UNAVAILABLE; no live grant → ACCESS_DENIED with the reason
 * (never granted, revoked, expired, category outside scope).
 */
export async function decideRecordAccess(
  chain: ChainService,
  cid: string,
  reader: string,
  head: { number: number; timestamp: number },
): Promise<AccessDecision> {
  const block = head.number;
  const now = head.timestamp;
  const at = { blockTag: block };
  const record = await chain.read(() => chain.records.recordOfCid(cid, at));
  if (record.patient === ZeroAddress) {
    throw new ApiError("RECORD_NOT_FOUND", `No record with CID ${cid} is indexed on the ledger.`);
  }
  const patient = getAddress(record.patient);
  const category = Number(record.category);
  if (patient === getAddress(reader)) {
    return { patient, category, basis: "patient", purpose: 0, grantExpiresAt: 0, block };
  }
  const [allowed, grant, emergencyUntil] = await chain.read(() =>
    Promise.all([
      chain.ledger.hasAccess(patient, reader, category, at),
      chain.ledger.grantOf(patient, reader, at),
      chain.ledger.emergencyAccessUntil(patient, reader, at),
    ]),
  );
  if (!allowed) throw new ApiError("ACCESS_DENIED", denialReason(patient, category, Number(grant.expiresAt), Number(grant.scope), now));
  const grantCovers = Number(grant.expiresAt) > now && ((Number(grant.scope) >>> category) & 1) === 1;
  if (!grantCovers && category === EMERGENCY_CATEGORY && Number(emergencyUntil) > now) {
    // The log records the justification the provider gave on-chain (ETREAT or BTG), from the break-glass event
    // that opened this window.
    const opened = await chain.read(() =>
      chain.ledger.queryFilter(
        chain.ledger.filters.EmergencyAccess(patient, reader),
        chain.deployment.contracts.ConsentLedger.blockNumber,
        block,
      ),
    );
    const reason = opened.at(-1)?.args.reasonCode;
    return {
      patient,
      category,
      basis: "emergency",
      purpose: reason === undefined ? EMERGENCY_PURPOSE : Number(reason),
      grantExpiresAt: Number(emergencyUntil),
      block,
    };
  }
  return { patient, category, basis: "grant", purpose: Number(grant.purpose), grantExpiresAt: Number(grant.expiresAt), block };
}

function denialReason(patient: string, category: number, expiresAt: number, scope: number, now: number): string {
  const what = `${categoryLabel(category)} records of patient ${patient}`;
  if (expiresAt === 0) return `You hold no grant for ${what}: it was never granted or has been revoked.`;
  if (expiresAt <= now) return `Your grant for ${what} expired at ${new Date(expiresAt * 1000).toISOString()}.`;
  if (((scope >>> category) & 1) === 0) return `Your grant does not cover ${categoryLabel(category)} records.`;
  return `Your grant for ${what} is not live (all grants revoked by the patient, or your provider registration is inactive).`;
}
