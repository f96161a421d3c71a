import { useCallback, useEffect, useState } from "react";
import type { ActorContext } from "../../../../lib/client";
import type { AuditAlert } from "../../../../lib/client/gatewayClient";
import { describeError } from "../../api";
import { formatWhen } from "../../components/format";

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
  const [result, setResult] = useState<{ throughBlock: number; alerts: AuditAlert[] }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(true);

  const refresh = useCallback(async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await actor.client.auditAlerts());
    } catch (err) {
      setError(`Could not load the compliance alerts: ${describeError(err)}`);
    } finally {
      setBusy(false);
    }
  }, [actor]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  return (
    <section className="panel wide" aria-labelledby="alerts-title">
      <h2 id="alerts-title">Compliance alerts</h2>
      {busy && (
        <p className="status" role="status">
          <span className="spinner" aria-hidden="true" /> Scanning the chain and the disclosure log for alerts…
        </p>
      )}
      {result && !busy && (
        <p className="muted" role="status">
          {result.alerts.length === 0
            ? `No alerts through block ${result.throughBlock}.`
            : `${result.alerts.length} alert${result.alerts.length === 1 ? "" : "s"} through block ${result.throughBlock}.`}
        </p>
      )}
      {result && result.alerts.length > 0 && (
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
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button className="secondary align-start" disabled={busy} onClick={() => void refresh()}>
        Refresh alerts
      </button>
    </section>
  );
}
