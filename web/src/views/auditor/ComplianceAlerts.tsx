import type { ActorContext } from "../../../../lib/client";
import { formatWhen } from "../../components/format";
import { RecheckPanel } from "./RecheckPanel";

/** "0x1234…abcd" for a transaction hash; other evidence as "logSeq 7". */
export function evidenceText(evidence: Record<string, unknown>): string {
  const tx = evidence.txHash;
  if (typeof tx === "string" && tx.length > 14) return `tx ${tx.slice(0, 8)}…${tx.slice(-6)}`;
  if (typeof tx === "string") return `tx ${tx}`;
  if (evidence.logSeq !== undefined) return `log entry #${String(evidence.logSeq)}`;
  return "";
}

/** The gateway's compliance alerts (break-glass, disclosures without a grant, read rates, anchor gaps…), refreshed on demand. */
export function ComplianceAlerts({ actor }: { actor: ActorContext }) {
  return (
    <RecheckPanel
      actor={actor}
      titleId="alerts-title"
      title="Compliance alerts"
      ask={(client) => client.auditAlerts()}
      failure="Could not load the compliance alerts"
      asking="Scanning the chain and the disclosure log for alerts"
      againLabel="Refresh alerts"
    >
      {(result, busy) => (
        <>
          {!busy && (
            <p className="muted" role="status">
              {result.alerts.length === 0
                ? `No alerts through block ${result.throughBlock}.`
                : `${result.alerts.length} alert${result.alerts.length === 1 ? "" : "s"} through block ${result.throughBlock}.`}
            </p>
          )}
          {result.alerts.length > 0 && (
            <ul className="log" data-testid="compliance-alerts">
              {result.alerts.map((a, i) => (
                <li key={`${a.ruleId}-${i}`} className={a.severity === "critical" ? "emergency" : undefined}>
                  <span className="badge" title={`Severity: ${a.severity}`}>
                    {a.severity}
                  </span>{" "}
                  <code>{a.ruleId}</code>
                  <span className="why">{a.message}</span>
                  <time className="muted" dateTime={a.time}>
                    {formatWhen(a.time)}
                  </time>
                  <span className="evidence muted">{evidenceText(a.evidence)}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </RecheckPanel>
  );
}
