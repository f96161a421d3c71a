import { useEffect, useRef, useState } from "react";
import { isAddress } from "ethers";
import type { ActorContext } from "../../../../lib/client";
import { requestAccess } from "../../../../lib/client";
import { categoriesOf, scopeCanWrite } from "../../../../lib/consent/codes";
import { CategoryChecks } from "../../components/CategoryChecks";
import { DurationSelect, GRANTABLE_CATEGORIES, PurposeSelect } from "../../components/ConsentTermsFields";
import { shortAddress } from "../../components/format";
import { nameOf, type Directory } from "../../components/names";
import { Status } from "../../components/Status";
import { useAction } from "../../components/useAsync";
import { AddressField, addressHint } from "../../components/AddressField";

/** A patient to ask again, with the scope of the grant that ended. */
export interface AskAgain {
  patient: string;
  scope: number;
}

/**
 * A provider asks a patient for access: scope, purpose and duration, sent as a transaction from the provider's wallet.
 * `askAgain` (after a grant ended, from the patient's records) fills in the patient and the ended grant's terms, and
 * brings the form into view.
 */
export function RequestForm({
  actor,
  dir,
  askAgain,
  onRequested,
}: {
  actor: ActorContext;
  dir: Directory;
  askAgain?: AskAgain;
  onRequested: () => Promise<void>;
}) {
  const [patient, setPatient] = useState(askAgain?.patient ?? "");
  const section = useRef<HTMLElement>(null);
  // A name only when the directory knows one: repeating the short address under the input would say nothing.
  const knownName = isAddress(patient) && nameOf(patient, dir) !== shortAddress(patient) ? nameOf(patient, dir) : undefined;

  useEffect(() => {
    if (askAgain === undefined) return;
    section.current?.scrollIntoView({ block: "start" });
    section.current?.querySelector<HTMLInputElement>("input[type=checkbox]")?.focus();
  }, [askAgain]);
  const [categories, setCategories] = useState<number[]>(
    askAgain && categoriesOf(askAgain.scope).length > 0 ? categoriesOf(askAgain.scope) : [1],
  );
  const [write, setWrite] = useState(askAgain !== undefined && scopeCanWrite(askAgain.scope));
  const [purpose, setPurpose] = useState(1);
  const [duration, setDuration] = useState(86_400);
  const [done, setDone] = useState<string>();
  const { busy, error, run, setError } = useAction();

  async function submit() {
    setDone(undefined);
    if (!isAddress(patient)) return setError(addressHint("the patient's"));
    if (categories.length === 0) return setError("Choose at least one category.");
    await requestAccess(actor, { patient, categories, purpose, durationSeconds: duration, write });
    setDone("Request sent. The patient sees it in their vault and answers there.");
    await onRequested();
  }

  return (
    <section className="panel" aria-labelledby="request-title" ref={section}>
      <h2 id="request-title">Request access</h2>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void run("Sending your request (a transaction from your wallet)", submit);
        }}
      >
        <AddressField label="Patient address" value={patient} onChange={setPatient} />
        {knownName && <p className="muted">That is {knownName}.</p>}
        <CategoryChecks legend="Categories" selected={categories} onChange={setCategories} options={GRANTABLE_CATEGORIES} />
        <label className="check">
          <input type="checkbox" checked={write} onChange={(e) => setWrite(e.target.checked)} />
          Ask to add records of these categories too
        </label>
        <PurposeSelect value={purpose} onChange={setPurpose} />
        <DurationSelect value={duration} onChange={setDuration} />
        <button type="submit" disabled={busy !== undefined}>
          Send request
        </button>
      </form>
      <Status busy={busy} done={done} error={error} />
    </section>
  );
}
