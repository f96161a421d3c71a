import { useCallback, useEffect, useState } from "react";
import { dispense, routedPrescriptions, type ActorContext, type RoutedPrescription } from "../../../../lib/client";
import { describeResource } from "../../../../lib/fhir";
import { formatWhen } from "../../components/format";
import { nameOf, type Directory } from "../../components/names";
import { Person } from "../../components/Person";
import { Status } from "../../components/Status";
import { useAction } from "../../components/useAsync";
import "../clinical.css";

/**
 * A pharmacy's work list: the prescriptions of every patient who routed their Medications to it, with their status;
 * open one to record that it was handed over (a MedicationDispense the patient and the prescriber then see).
 * Listing decrypts the prescriptions, so it is loaded when the pharmacist asks, and each load is in the patients' logs.
 */
export function PharmacyPanel({ actor, dir }: { actor: ActorContext; dir: Directory }) {
  const [list, setList] = useState<RoutedPrescription[]>();
  const [openCid, setOpenCid] = useState<string>();
  const { busy, error, run } = useAction();

  const load = useCallback(
    () => run("Reading the prescriptions routed to you", async () => setList(await routedPrescriptions(actor))),
    [actor, run],
  );
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="panel wide" aria-labelledby="pharmacy-title">
      <h2 id="pharmacy-title">Prescriptions routed to you</h2>
      {list?.length === 0 && <p className="muted">No patient has sent you a prescription yet.</p>}
      <ul className="list" data-testid="routed-prescriptions">
        {list?.map((p) => (
          <li key={p.cid} className="stack-item">
            <div className="toolbar">
              <span className="grow">
                <strong>{describeResource(p.resource).title}</strong> for <Person address={p.patient} dir={dir} />
                <br />
                <span className="muted">
                  prescribed by <Person address={p.author} dir={dir} /> · {formatWhen(p.addedAt)}
                </span>
              </span>
              <span className={`pill ${p.status}`}>{p.status === "dispensed" ? "dispensed" : "to dispense"}</span>
              <button
                className="secondary"
                aria-expanded={openCid === p.cid}
                onClick={() => setOpenCid(openCid === p.cid ? undefined : p.cid)}
                aria-label={`${openCid === p.cid ? "Close" : "Open"} ${describeResource(p.resource).title} for ${nameOf(p.patient, dir)}`}
              >
                {openCid === p.cid ? "Close" : "Open"}
              </button>
            </div>
            {openCid === p.cid && <DispenseForm actor={actor} prescription={p} dir={dir} onDispensed={() => void load()} />}
          </li>
        ))}
      </ul>
      <button className="secondary" disabled={busy !== undefined} onClick={() => void load()}>
        Refresh
      </button>
      <Status busy={busy} error={error} />
    </section>
  );
}

/** One prescription in full, and the pharmacist's record that it was handed over. */
function DispenseForm({
  actor,
  prescription,
  dir,
  onDispensed,
}: {
  actor: ActorContext;
  prescription: RoutedPrescription;
  dir: Directory;
  onDispensed: () => void;
}) {
  const request = prescription.resource as { dispenseRequest?: { quantity?: { value?: number } } };
  const [quantity, setQuantity] = useState(String(request.dispenseRequest?.quantity?.value ?? ""));
  const [note, setNote] = useState("");
  const [done, setDone] = useState<string>();
  const { busy, error, run, setError } = useAction();
  const description = describeResource(prescription.resource);

  async function record() {
    const amount = Number(quantity);
    if (!Number.isFinite(amount) || amount <= 0) return setError("Enter how much you handed over, for example 21.");
    await dispense(actor, prescription.patient, prescription, { quantity: amount, ...(note.trim() ? { note: note.trim() } : {}) });
    setDone("Dispense recorded in the patient's vault. The patient and the prescriber now see the prescription as dispensed.");
    onDispensed();
  }

  return (
    <div className="subpanel dispense" data-testid="prescription-detail">
      <p>
        <strong>{description.title}</strong>
        {description.summary && <> · {description.summary}</>}
        <br />
        Patient: <Person address={prescription.patient} dir={dir} />
      </p>
      {prescription.dispensedIn.length > 0 && (
        <p className="ok">
          Dispensed already, recorded by{" "}
          {prescription.dispensedIn.map((d, i) => (
            <Person key={i} address={d.author} dir={dir} />
          ))}
          .
        </p>
      )}
      {prescription.status !== "dispensed" && (
        <>
          <label>
            Quantity handed over
            <input inputMode="numeric" value={quantity} onChange={(e) => setQuantity(e.target.value)} />
          </label>
          <label>
            Note (optional)
            <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
          </label>
          <button disabled={busy !== undefined} onClick={() => void run("Recording the dispense in the patient's vault", record)}>
            Record dispense
          </button>
        </>
      )}
      <Status busy={busy} done={done} error={error} />
    </div>
  );
}
