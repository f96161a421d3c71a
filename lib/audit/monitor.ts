import { categoryLabel, purposeCode } from "../consent/codes";
import type { AnchoredRoot, DisclosureEntry } from "../disclosure";
import { isoTime } from "./args";
import { accessAt, reconstructConsents, type ConsentReconstruction } from "./consents";
import { checkLog, describeLogFailure } from "./disclosures";
import type { EventRef, LedgerEvent } from "./events";
import { EMERGENCY_CATEGORY, sameAddress } from "./filters";

/** How bad an alert is: `critical` must never happen, `warning` needs a human look, `info` is for the record. */
export type Severity = "info" | "warning" | "critical";

/** The compliance rules. */
export type RuleId =
  "BREAK_GLASS" | "DISCLOSURE_WITHOUT_GRANT" | "READ_RATE" | "DEACTIVATED_PROVIDER_ACCESS" | "ANCHOR_GAP" | "LOG_TAMPERED";

/** Every rule id, in the order the monitor evaluates them. */
export const RULE_IDS: readonly RuleId[] = [
  "LOG_TAMPERED",
  "DISCLOSURE_WITHOUT_GRANT",
  "DEACTIVATED_PROVIDER_ACCESS",
  "BREAK_GLASS",
  "READ_RATE",
  "ANCHOR_GAP",
];

/** What an alert points at: a transaction on the chain, a disclosure log entry, or both. */
export interface Evidence {
  txHash?: string;
  logSeq?: number;
  block?: number;
  patient?: string;
  provider?: string;
}

/** One finding of a rule. */
export interface Alert {
  severity: Severity;
  ruleId: RuleId;
  message: string;
  evidence: Evidence;
  /** When the thing happened (ISO 8601 UTC): the block time of the event or the time of the log entry. */
  time: string;
}

/** Tunables of the rules. */
export interface MonitorConfig {
  /** READ_RATE fires when one provider receives more than this many records within an hour (default 50). */
  readsPerHour: number;
  /** ANCHOR_GAP fires for log entries older than this many seconds that no anchored root covers (default 3600). */
  anchorIntervalSeconds: number;
}

/** Defaults of {@link MonitorConfig}. */
export const DEFAULT_MONITOR_CONFIG: MonitorConfig = { readsPerHour: 50, anchorIntervalSeconds: 3600 };

/** Everything the rules look at. Pure data: the CLI fetches it, tests build it. */
export interface MonitorInput {
  /** Chain events in chain order, from the deployment to `throughBlock`. */
  events: readonly LedgerEvent[];
  /** Last block the events cover; log entries decided after it are judged on a later pass. */
  throughBlock: number;
  /** The gateway's disclosure log, oldest first (may be empty). */
  entries: readonly DisclosureEntry[];
  /** Roots that gateway anchored on-chain. */
  anchors: readonly AnchoredRoot[];
  /** Timestamps of the blocks log entries were decided at; the entry's own time is used when one is missing. */
  blockTimes?: ReadonlyMap<number, number>;
  /** Unix seconds: "now" for ANCHOR_GAP. */
  now: number;
  config?: Partial<MonitorConfig>;
  /** The events folded, when the caller already has them (saves a pass). */
  rec?: ConsentReconstruction;
}

/** A rule: pure, from inputs to alerts. */
export type Rule = (input: MonitorInput, rec: ConsentReconstruction, config: MonitorConfig) => Alert[];

/** BREAK_GLASS: every EmergencyAccess event, so a human reviews each one. */
export const breakGlassRule: Rule = (input, rec) =>
  input.events.flatMap((e) =>
    e.kind === "emergency"
      ? [
          alert(
            "warning",
            "BREAK_GLASS",
            e,
            `${who(rec, e.provider, e.blockNumber)} broke the glass on patient ${e.patient} (${purposeCode(e.reasonCode)}) until ${isoTime(e.expiresAt)}.`,
            {
              patient: e.patient,
              provider: e.provider,
            },
          ),
        ]
      : [],
  );

/**
 * DISCLOSURE_WITHOUT_GRANT: a log entry whose basis did not hold on-chain at the block the gateway decided at —
 * `grant` without a live grant covering the category (exactly `ConsentLedger.hasAccess` at that block), `emergency`
 * outside a live break-glass window or for another category, `patient` to someone other than the patient.
 */
export const disclosureWithoutGrantRule: Rule = (input, rec) => {
  const alerts: Alert[] = [];
  for (const entry of input.entries) {
    if (entry.seq < 0 || entry.block > input.throughBlock) continue;
    const time = input.blockTimes?.get(entry.block) ?? Math.floor(Date.parse(entry.time) / 1000);
    const at = { block: entry.block, time };
    let problem: string | undefined;
    if (entry.basis === "patient") {
      if (!sameAddress(entry.reader, entry.patient))
        problem = `released as the patient's own read, but the reader ${entry.reader} is not the patient`;
    } else {
      const check = accessAt(rec, entry.patient, entry.reader, entry.category, at);
      if (!check.allowed) problem = check.reason;
      else if (entry.basis === "emergency" && (check.basis !== "emergency" || entry.category !== EMERGENCY_CATEGORY)) {
        problem = `released as a break-glass read, but no break-glass window covered it (the chain shows basis ${check.basis})`;
      }
    }
    if (problem !== undefined) {
      alerts.push(
        logAlert(
          "critical",
          "DISCLOSURE_WITHOUT_GRANT",
          entry,
          `${categoryLabel(entry.category)} record ${entry.cid} of ${entry.patient} was released to ${who(rec, entry.reader, entry.block)} on basis "${entry.basis}" at block ${entry.block}, but ${problem}.`,
        ),
      );
    }
  }
  return alerts;
};

/** READ_RATE: more than `readsPerHour` releases to one reader (patients' own reads excluded) within any hour. */
export const readRateRule: Rule = (input, rec, config) => {
  const alerts: Alert[] = [];
  const byReader = new Map<string, DisclosureEntry[]>();
  for (const entry of input.entries) {
    if (entry.seq < 0 || entry.basis === "patient") continue;
    const key = entry.reader.toLowerCase();
    let list = byReader.get(key);
    if (list === undefined) byReader.set(key, (list = []));
    list.push(entry);
  }
  for (const reads of byReader.values()) {
    const times = reads.map((e) => Date.parse(e.time));
    let start = 0;
    let inBreach = false;
    for (let i = 0; i < reads.length; i++) {
      while (times[i] - times[start] >= 3_600_000) start++;
      const count = i - start + 1;
      if (count > config.readsPerHour && !inBreach) {
        inBreach = true;
        alerts.push(
          logAlert(
            "warning",
            "READ_RATE",
            reads[i],
            `${who(rec, reads[i].reader, reads[i].block)} received ${count} records within an hour (since ${reads[start].time}); the threshold is ${config.readsPerHour}.`,
          ),
        );
      } else if (count <= config.readsPerHour) inBreach = false;
    }
  }
  return alerts;
};

/**
 * DEACTIVATED_PROVIDER_ACCESS: a release to a provider while the registry had it deactivated, or a chain event in
 * which a deactivated provider gained or used access (a grant to it, its request, approval or break-glass).
 */
export const deactivatedProviderAccessRule: Rule = (input, rec) => {
  const alerts: Alert[] = [];
  for (const entry of input.entries) {
    if (entry.seq < 0 || entry.basis === "patient" || entry.block > input.throughBlock) continue;
    const deactivation = rec.providers.deactivationAt(entry.reader, entry.block);
    if (deactivation !== undefined) {
      alerts.push(
        logAlert(
          "critical",
          "DEACTIVATED_PROVIDER_ACCESS",
          entry,
          `${who(rec, entry.reader, entry.block)} received record ${entry.cid} of ${entry.patient} at block ${entry.block}, after its deactivation in block ${deactivation.blockNumber} (${deactivation.txHash}).`,
        ),
      );
    }
  }
  for (const e of input.events) {
    const subject =
      e.kind === "grant"
        ? e.grantee
        : e.kind === "request" || e.kind === "approve" || e.kind === "emergency"
          ? e.provider
          : e.kind === "record"
            ? e.author
            : undefined;
    if (subject === undefined) continue;
    // The state just before this event: a deactivation earlier in the same block counts.
    const state = rec.providers.stateAt(subject, e.blockNumber, e.logIndex - 1);
    if (state !== undefined && !state.active) {
      alerts.push(
        alert(
          "critical",
          "DEACTIVATED_PROVIDER_ACCESS",
          e,
          `${who(rec, subject, e.blockNumber)} was deactivated in block ${state.at.blockNumber} but is the subject of a ${e.kind} event in block ${e.blockNumber}.`,
          {
            patient: "patient" in e ? e.patient : undefined,
            provider: subject,
          },
        ),
      );
    }
  }
  return alerts;
};

/** ANCHOR_GAP: log entries older than the anchoring interval that no anchored root covers yet. */
export const anchorGapRule: Rule = (input, _rec, config) => {
  const anchoredThrough = input.anchors.reduce((max, a) => Math.max(max, a.toSeq), -1);
  const overdue = input.entries.filter(
    (e) => e.seq > anchoredThrough && Date.parse(e.time) / 1000 < input.now - config.anchorIntervalSeconds,
  );
  if (overdue.length === 0) return [];
  const first = overdue[0];
  const last = overdue[overdue.length - 1];
  return [
    logAlert(
      "warning",
      "ANCHOR_GAP",
      first,
      `${overdue.length} disclosure log entries (#${first.seq}..#${last.seq}) are older than ${config.anchorIntervalSeconds} s and no root anchored on-chain covers them (anchored through #${anchoredThrough}); the oldest is from ${first.time}.`,
    ),
  ];
};

/** LOG_TAMPERED: the log does not match its own hash chain or a root anchored on-chain; names the first bad entry. */
export const logTamperedRule: Rule = (input) => {
  const check = checkLog(input.entries, input.anchors);
  if (check.ok) return [];
  const seq = check.firstBadSeq ?? 0;
  const entry = input.entries[seq];
  const anchor = input.anchors.find((a) => seq >= a.fromSeq && seq <= a.toSeq);
  return [
    {
      severity: "critical",
      ruleId: "LOG_TAMPERED",
      message: `The disclosure log was altered: ${describeLogFailure(check, input.entries)}.`,
      evidence: { logSeq: seq, ...(anchor?.txHash !== undefined ? { txHash: anchor.txHash } : {}) },
      time: entry !== undefined && entry.time !== "" ? entry.time : isoTime(input.now),
    },
  ];
};

/** The rules by id. */
export const RULES: Readonly<Record<RuleId, Rule>> = {
  BREAK_GLASS: breakGlassRule,
  DISCLOSURE_WITHOUT_GRANT: disclosureWithoutGrantRule,
  READ_RATE: readRateRule,
  DEACTIVATED_PROVIDER_ACCESS: deactivatedProviderAccessRule,
  ANCHOR_GAP: anchorGapRule,
  LOG_TAMPERED: logTamperedRule,
};

/**
 * Runs the rules over the inputs and returns every alert, most severe rules first.
 *
 * @example
 * const alerts = evaluateRules({ events, throughBlock, entries, anchors, now: Date.now() / 1000 });
 * for (const a of alerts) console.log(JSON.stringify(a));
 */
export function evaluateRules(input: MonitorInput, ruleIds: readonly RuleId[] = RULE_IDS): Alert[] {
  const config = { ...DEFAULT_MONITOR_CONFIG, ...input.config };
  const rec = input.rec ?? reconstructConsents(input.events);
  return ruleIds.flatMap((id) => RULES[id](input, rec, config));
}

/** A stable key per finding, so a polling monitor prints each alert once. */
export function alertKey(alert: Alert): string {
  return `${alert.ruleId}:${alert.evidence.txHash ?? ""}:${alert.evidence.logSeq ?? ""}`;
}

function who(rec: ConsentReconstruction, address: string, block: number): string {
  const name = rec.providers.nameOf(address, block);
  return name === "unregistered" ? address : `${name} (${address})`;
}

function alert(severity: Severity, ruleId: RuleId, e: EventRef, message: string, extra: Evidence = {}): Alert {
  return { severity, ruleId, message, evidence: { txHash: e.txHash, block: e.blockNumber, ...strip(extra) }, time: isoTime(e.timestamp) };
}

function logAlert(severity: Severity, ruleId: RuleId, entry: DisclosureEntry, message: string): Alert {
  return {
    severity,
    ruleId,
    message,
    evidence: { logSeq: entry.seq, block: entry.block, patient: entry.patient, provider: entry.reader },
    time: entry.time,
  };
}

function strip(evidence: Evidence): Evidence {
  return Object.fromEntries(Object.entries(evidence).filter(([, v]) => v !== undefined)) as Evidence;
}
