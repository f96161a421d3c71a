import type { Deployment } from "../deployment/deployment";
import type { DisclosureEntry } from "../disclosure";
import { accountingHtml, accountingOfDisclosures, SIX_YEARS_SECONDS } from "./accounting";
import { reconstructConsents } from "./consents";
import { anchorsOf, checkLog, describeLogFailure, selectGateway, type LogCheck } from "./disclosures";
import { AuditError } from "./errors";
import type { LedgerEvent } from "./events";
import { accountingToCsv, eventsToCsv } from "./exportCsv";
import { buildFhirBundle } from "./exportFhir";
import { toJsonArray, toJsonLines } from "./exportJson";
import { filterStream, sameAddress } from "./filters";
import { BlockTimes, collectEvents, firstBlockAtOrAfter, headBlock, streamEvents, type RpcSender, type ScanProgress } from "./reconstruct";
import { mergeRows } from "./rows";
import { ProviderDirectory } from "./directory";

import { AUDIT_FORMATS, type AuditFormat } from "./formats";

export { AUDIT_FORMATS, type AuditFormat };

/** What an auditor (or a patient, for their own data) asks. */
export interface AuditQuery {
  patient: string;
  provider?: string;
  /** Window, unix seconds: [from, to). */
  from?: number;
  to?: number;
  format: AuditFormat;
  /** A gateway's disclosure log to include; verified against the roots anchored on-chain before anything is output. */
  log?: readonly DisclosureEntry[];
  /** The gateway that kept the log (default: the only gateway that anchored roots). */
  gateway?: string;
  /** Last block to read (default: the head). */
  toBlock?: number;
  /** Blocks per `eth_getLogs` call. */
  pageSize?: number;
  onProgress?: (progress: ScanProgress) => void;
  /** Things the reader should know that are not errors (unanchored log tail, default windows). */
  onNotice?: (message: string) => void;
  /** Unix seconds, for report footers (default: the head's time). */
  now?: number;
}

/**
 * Runs an audit query against a chain and yields the export, chunk by chunk. CSV and JSON stream the chain (memory
 * stays flat however long the history); FHIR and the accounting need the patient's whole history and fold it first.
 * The log is checked before the first chunk: a log that does not match the anchored roots throws LOG_TAMPERED naming
 * the first bad entry, and nothing is output.
 *
 * @example
 * for await (const chunk of auditExport(provider, deployment, { patient: jane, format: "csv" })) process.stdout.write(chunk);
 */
export async function* auditExport(rpc: RpcSender, deployment: Deployment, query: AuditQuery): AsyncGenerator<string> {
  const notice = query.onNotice ?? (() => undefined);
  const blockTimes = new BlockTimes(rpc);
  const head = query.toBlock ?? (await headBlock(rpc));
  const headTime = await blockTimes.of(head);
  const streaming = query.format === "csv" || query.format === "json" || query.format === "ndjson";

  // Streaming formats read the registry and the anchors first (few events), then stream the rest.
  const context = streaming
    ? (
        await collectEvents(rpc, deployment, {
          toBlock: head,
          contracts: ["ProviderRegistry", "DisclosureAnchor"],
          blockTimes,
          pageSize: query.pageSize,
        })
      ).events
    : (await collectEvents(rpc, deployment, { toBlock: head, blockTimes, pageSize: query.pageSize, onProgress: query.onProgress })).events;
  const { entries, check } = verifiedEntries(context, query, notice);

  if (streaming) {
    const deployBlock = Math.min(...Object.values(deployment.contracts).map((c) => c.blockNumber));
    const fromBlock = query.from !== undefined ? await firstBlockAtOrAfter(rpc, query.from, deployBlock, head, blockTimes) : deployBlock;
    const events = filterStream(
      streamEvents(rpc, deployment, { fromBlock, toBlock: head, blockTimes, pageSize: query.pageSize, onProgress: query.onProgress }),
      { patient: query.patient, provider: query.provider, from: query.from, to: query.to },
    );
    const rows = mergeRows(events, entries);
    if (query.format === "csv") yield* eventsToCsv(rows, { directory: ProviderDirectory.fromEvents(context) });
    else if (query.format === "json") yield* toJsonArray(rows);
    else yield* toJsonLines(rows);
    return;
  }

  const rec = reconstructConsents(context);
  if (query.format === "fhir") {
    const bundle = buildFhirBundle({
      patient: query.patient,
      chainId: deployment.chainId,
      rec,
      entries,
      head: { block: head, time: headTime },
      provider: query.provider,
      from: query.from,
      to: query.to,
      gateway: check !== undefined ? selectGateway(context, query.gateway) : undefined,
      generatedAt: query.now,
    });
    yield JSON.stringify(bundle, null, 2) + "\n";
    return;
  }

  // Accounting: HIPAA gives a patient up to six years back; without --from that is the window.
  const to = query.to;
  const from = query.from ?? Math.floor((to ?? query.now ?? headTime) - SIX_YEARS_SECONDS);
  if (query.from === undefined)
    notice("accounting window: the six years before the end of the range (45 CFR 164.528(a)(3)); pass --from to change it");
  const rows = accountingOfDisclosures({ patient: query.patient, entries, rec, from, to }).filter(
    (r) => query.provider === undefined || sameAddress(r.recipientAddress, query.provider),
  );
  if (query.log === undefined) notice("no --log given: the accounting lists break-glass openings from the chain only, not record releases");
  if (query.format === "accounting-csv") {
    yield* accountingToCsv(rows);
    return;
  }
  yield accountingHtml(rows, {
    patient: query.patient,
    chainId: deployment.chainId,
    throughBlock: head,
    from,
    to,
    generatedAt: query.now ?? headTime,
    log: check === undefined ? undefined : { entries: check.entries, anchoredThrough: check.anchoredThrough, unanchored: check.unanchored },
  });
}

/** Checks the query's log against the anchored roots and returns the patient's entries in the window. */
function verifiedEntries(
  context: readonly LedgerEvent[],
  query: AuditQuery,
  notice: (m: string) => void,
): { entries: DisclosureEntry[]; check?: LogCheck } {
  if (query.log === undefined) return { entries: [] };
  const gateway = selectGateway(context, query.gateway);
  const anchors = anchorsOf(context, gateway);
  const check = checkLog(query.log, anchors);
  if (!check.ok)
    throw new AuditError("LOG_TAMPERED", `The disclosure log does not match the chain: ${describeLogFailure(check, query.log)}.`);
  if (anchors.length === 0)
    notice(`no disclosure roots are anchored on-chain${gateway ? ` by ${gateway}` : ""}: the log is checked by its hash chain only`);
  else if (check.unanchored > 0)
    notice(
      `disclosure log entries #${check.anchoredThrough + 1}..#${check.entries - 1} are not anchored yet: checked by their hash chain only`,
    );
  const inRange = (t: number): boolean => (query.from === undefined || t >= query.from) && (query.to === undefined || t < query.to);
  const entries = query.log.filter(
    (e) =>
      sameAddress(e.patient, query.patient) &&
      (query.provider === undefined || sameAddress(e.reader, query.provider)) &&
      inRange(Math.floor(Date.parse(e.time) / 1000)),
  );
  return { entries, check };
}
