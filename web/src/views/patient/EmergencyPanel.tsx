import { useMemo, useState } from "react";
import type { ActorContext } from "../../../../lib/client";
import type { VaultRecord } from "../../../../lib/client/gatewayClient";
import { resourceBytes } from "../../../../lib/fhir";
import { disableEmergencyAccess, publishEmergencySummary, readEmergencyPolicy } from "../../../../lib/client";
import { parseFhirText } from "../../../../lib/fhir/parseFhirText";
import { formatDuration } from "../../components/format";
import { SelectField } from "../../components/SelectField";
import { Status } from "../../components/Status";
import { useAction } from "../../components/useAsync";
import { useLoaded } from "../../components/useLoaded";
import { demoName } from "../../wallet/devWallet";
import { summaryChoices, summaryFromChoices, type SummaryChoice } from "./emergency/emergencyChoices";
import { SummaryPicker } from "./emergency/SummaryPicker";
import { TriagePreview } from "./emergency/TriagePreview";
import type { RecordFace } from "./records/recordFaces";
import { SAMPLE_EMERGENCY_SUMMARY } from "./samples";

/** Break-glass windows a patient may allow (the ledger caps them at one hour). */
export const EMERGENCY_WINDOWS = [300, 900, 1800, 3600];

/**
 * The patient's emergency policy: build an emergency summary from her own records (an International Patient
 * Summary, previewed as the ER will read it), publish it (encrypted in the vault and escrowed so an
 * emergency-capable provider can open it for a short, audited window), or turn emergency access off.
 */
export function EmergencyPanel({
  actor,
  onChanged,
  records,
  faces,
}: {
  actor: ActorContext;
  onChanged: () => Promise<void>;
  records: readonly VaultRecord[];
  faces: ReadonlyMap<string, RecordFace>;
}) {
  const [windowSeconds, setWindowSeconds] = useState(900);
  const [summary, setSummary] = useState(SAMPLE_EMERGENCY_SUMMARY);
  const [name, setName] = useState(demoName(actor.address) ?? "");
  // Only what she changed; everything else follows the pre-ticked default (current records ticked).
  const [picks, setPicks] = useState<ReadonlyMap<string, boolean>>(new Map());
  const choices = useMemo(() => summaryChoices(records, faces), [records, faces]);
  const isPicked = (c: SummaryChoice) => picks.get(c.cid) ?? c.current;
  const built = summaryFromChoices({ name, address: actor.address }, choices.filter(isPicked));
  const [done, setDone] = useState<string>();
  const { busy, error, run } = useAction();

  const {
    value: policy,
    error: policyError,
    reload,
  } = useLoaded(() => readEmergencyPolicy(actor, actor.address), "Could not read your emergency policy from the ledger", [actor]);

  /** Publishes the summary built from her records, or (advanced) the pasted one. */
  function publish(pasted: boolean) {
    setDone(undefined);
    void run("Encrypting the summary, storing it, and setting your policy (a transaction from your wallet)", async () => {
      let bytes: Uint8Array;
      if (pasted) {
        const parsed = parseFhirText(summary);
        if (!parsed.ok) throw new Error(parsed.problem);
        if (parsed.shape !== "bundle" && parsed.shape !== "resource")
          throw new Error("Paste one International Patient Summary Bundle here.");
        bytes = new TextEncoder().encode(summary);
      } else {
        if (!built.ok) throw new Error(built.errors.map((e) => e.message).join(" "));
        bytes = resourceBytes(built.resource);
      }
      await publishEmergencySummary(actor, { summary: bytes, windowSeconds });
      setDone(
        `Emergency access is on: an emergency-capable provider can open this summary for ${formatDuration(windowSeconds)}, and every opening is recorded.`,
      );
      await reload();
      await onChanged();
    });
  }

  function disable() {
    setDone(undefined);
    void run("Turning emergency access off (a transaction from your wallet)", async () => {
      await disableEmergencyAccess(actor);
      setDone("Emergency access is off. The summary stays in your vault.");
      await reload();
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
      <h3>Your emergency summary</h3>
      <p className="muted">Tick what an emergency team should know. Current allergies, problems and medicines are ticked for you.</p>
      <label>
        Your name, as the emergency team will see it
        <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
      </label>
      <SummaryPicker
        choices={choices}
        isPicked={isPicked}
        onPick={(cid, on) => setPicks((old) => new Map(old).set(cid, on))}
        stillDecrypting={faces.size < records.length}
      />
      {built.ok ? (
        <TriagePreview bundle={built.resource} />
      ) : (
        <p className="error" role="alert">
          {built.errors.map((e) => e.message).join(" ")}
        </p>
      )}
      <SelectField
        label="Longest emergency window"
        value={windowSeconds}
        options={EMERGENCY_WINDOWS.map((s) => ({ value: s, label: formatDuration(s) }))}
        onChange={setWindowSeconds}
      />
      <div className="actions">
        <button disabled={busy !== undefined || !built.ok} onClick={() => publish(false)}>
          {policy?.enabled ? "Publish a new summary" : "Publish summary & turn on"}
        </button>
        {policy?.enabled && (
          <button className="secondary" disabled={busy !== undefined} onClick={disable}>
            Turn emergency access off
          </button>
        )}
      </div>
      <details>
        <summary>Paste an International Patient Summary instead (advanced)</summary>
        <div className="import-preview">
          <label>
            Emergency summary (FHIR R4 International Patient Summary Bundle)
            <textarea rows={7} value={summary} onChange={(e) => setSummary(e.target.value)} spellCheck={false} />
          </label>
          <button className="secondary align-start" disabled={busy !== undefined} onClick={() => publish(true)}>
            Publish the pasted summary
          </button>
        </div>
      </details>
      <Status busy={busy} done={done} error={error} />
    </section>
  );
}
