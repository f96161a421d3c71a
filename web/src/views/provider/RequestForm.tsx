import { useState } from "react";
import { isAddress } from "ethers";
import { CATEGORIES, PURPOSES } from "../../../../lib/consent/codes";
import type { ActorContext } from "../../../../lib/client/consentActions";
import { requestAccess } from "../../../../lib/client/requestActions";
import { CategoryChecks } from "../../components/CategoryChecks";
import { Status } from "../../components/Status";
import { useAction } from "../../components/useAsync";
import { GRANT_DURATIONS } from "../patient/GrantForm";

/** A provider asks a patient for access: scope, purpose and duration, sent as a transaction from the provider's wallet. */
export function RequestForm({ actor, onRequested }: { actor: ActorContext; onRequested: () => Promise<void> }) {
  const [patient, setPatient] = useState("");
  const [categories, setCategories] = useState<number[]>([1]);
  const [write, setWrite] = useState(false);
  const [purpose, setPurpose] = useState(1);
  const [duration, setDuration] = useState(86_400);
  const [done, setDone] = useState<string>();
  const { busy, error, run, setError } = useAction();

  async function submit() {
    setDone(undefined);
    if (!isAddress(patient)) return setError("Enter the patient's 0x address (40 hex digits).");
    if (categories.length === 0) return setError("Choose at least one category.");
    await requestAccess(actor, { patient, categories, purpose, durationSeconds: duration, write });
    setDone("Request sent. The patient sees it in their vault and answers there.");
    await onRequested();
  }

  return (
    <section className="panel" aria-labelledby="request-title">
      <h2 id="request-title">Request access</h2>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void run("Sending your request (a transaction from your wallet)", submit);
        }}
      >
        <label>
          Patient address
          <input
            value={patient}
            onChange={(e) => setPatient(e.target.value.trim())}
            placeholder="0x…"
            autoComplete="off"
            spellCheck={false}
          />
        </label>
        <CategoryChecks
          legend="Categories"
          selected={categories}
          onChange={setCategories}
          options={CATEGORIES.filter((c) => c.id !== 12)}
        />
        <label className="check">
          <input type="checkbox" checked={write} onChange={(e) => setWrite(e.target.checked)} />
          Ask to add records of these categories too
        </label>
        <label>
          Purpose of use
          <select value={purpose} onChange={(e) => setPurpose(Number(e.target.value))}>
            {PURPOSES.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label} ({p.code})
              </option>
            ))}
          </select>
        </label>
        <label>
          Duration
          <select value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
            {GRANT_DURATIONS.map((d) => (
              <option key={d.seconds} value={d.seconds}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy !== undefined}>
          Send request
        </button>
      </form>
      <Status busy={busy} done={done} error={error} />
    </section>
  );
}
