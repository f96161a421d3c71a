import { useCallback, useEffect, useState } from "react";
import type { ActorContext } from "../../../../lib/client";
import {
  disableEmergencyAccess,
  publishEmergencySummary,
  readEmergencyPolicy,
  type EmergencyPolicyView,
} from "../../../../lib/client";
import { describeError } from "../../api";
import { isFhirResource } from "../../components/fhirFacts";
import { formatDuration } from "../../components/format";
import { Status } from "../../components/Status";
import { useAction } from "../../components/useAsync";
import { SAMPLE_EMERGENCY_SUMMARY } from "./samples";

/** Break-glass windows a patient may allow (the ledger caps them at one hour). */
export const EMERGENCY_WINDOWS = [300, 900, 1800, 3600];

/**
 * The patient's emergency policy: publish an emergency summary (an IPS Bundle, encrypted in the vault and escrowed
 * so an emergency-capable provider can open it for a short, audited window), or turn emergency access off.
 */
export function EmergencyPanel({ actor, onChanged }: { actor: ActorContext; onChanged: () => Promise<void> }) {
  const [policy, setPolicy] = useState<EmergencyPolicyView>();
  const [policyError, setPolicyError] = useState<string>();
  const [windowSeconds, setWindowSeconds] = useState(900);
  const [summary, setSummary] = useState(SAMPLE_EMERGENCY_SUMMARY);
  const [done, setDone] = useState<string>();
  const { busy, error, run } = useAction();

  const load = useCallback(async () => {
    try {
      setPolicy(await readEmergencyPolicy(actor, actor.address));
      setPolicyError(undefined);
    } catch (err) {
      setPolicyError(`Could not read your emergency policy from the ledger: ${describeError(err)}`);
    }
  }, [actor]);

  useEffect(() => {
    void load();
  }, [load]);

  function publish() {
    setDone(undefined);
    void run("Encrypting the summary, storing it, and setting your policy (a transaction from your wallet)", async () => {
      const parsed: unknown = JSON.parse(summary);
      if (!isFhirResource(parsed))
        throw new Error('The summary is JSON but not a FHIR resource: it needs a "resourceType" (an IPS is a "Bundle").');
      await publishEmergencySummary(actor, { summary: new TextEncoder().encode(summary), windowSeconds });
      setDone(
        `Emergency access is on: an emergency-capable provider can open this summary for ${formatDuration(windowSeconds)}, and every opening is recorded.`,
      );
      await load();
      await onChanged();
    });
  }

  function disable() {
    setDone(undefined);
    void run("Turning emergency access off (a transaction from your wallet)", async () => {
      await disableEmergencyAccess(actor);
      setDone("Emergency access is off. The summary stays in your vault.");
      await load();
    });
  }

  return (
    <section className="panel" aria-labelledby="emergency-title">
      <h2 id="emergency-title">Emergency access</h2>
      {policy === undefined && !policyError && <p className="muted">Reading your emergency policy…</p>}
      {policyError && (
        <p className="error" role="alert">
          {policyError}
        </p>
      )}
      {policy && (
        <p className={policy.enabled ? "policy on" : "policy off"} data-testid="emergency-policy">
          {policy.enabled
            ? `On — an emergency-capable provider may break the glass and read your emergency summary for up to ${formatDuration(policy.maxWindowSeconds)}.`
            : "Off — nobody can break the glass for your records."}
        </p>
      )}
      <p className="muted">
        Only the summary below is released in an emergency, never the rest of your vault. Each opening is an on-chain event and a logged
        disclosure you will see under “Who saw what, when”.
      </p>
      <label>
        Emergency summary (FHIR R4 International Patient Summary Bundle)
        <textarea rows={7} value={summary} onChange={(e) => setSummary(e.target.value)} spellCheck={false} />
      </label>
      <label>
        Longest emergency window
        <select value={windowSeconds} onChange={(e) => setWindowSeconds(Number(e.target.value))}>
          {EMERGENCY_WINDOWS.map((s) => (
            <option key={s} value={s}>
              {formatDuration(s)}
            </option>
          ))}
        </select>
      </label>
      <div className="actions">
        <button disabled={busy !== undefined} onClick={publish}>
          {policy?.enabled ? "Publish a new summary" : "Publish summary & turn on"}
        </button>
        {policy?.enabled && (
          <button className="secondary" disabled={busy !== undefined} onClick={disable}>
            Turn emergency access off
          </button>
        )}
      </div>
      <Status busy={busy} done={done} error={error} />
    </section>
  );
}
