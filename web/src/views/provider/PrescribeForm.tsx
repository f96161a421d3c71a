import { useState } from "react";
import { prescribe, reviewPrescription, type ActorContext, type PrescriptionDraft, type PrescriptionReview } from "../../../../lib/client";
import { FREQUENCIES, ROUTES, UNITS, type FrequencyKey, type RouteKey } from "../../../../lib/fhir";
import { SelectField } from "../../components/SelectField";
import { Status } from "../../components/Status";
import { useAction } from "../../components/useAsync";
import { DRUG_CHOICES } from "./drugChoices";
import { FindingsList } from "./FindingsList";
import "../clinical.css";

const START = DRUG_CHOICES.find((d) => d.name === "Ibuprofen") ?? DRUG_CHOICES[0];

/**
 * A prescription for a patient whose grant lets this clinician write Medications: the drug picked from those the
 * interaction table knows, checked against the patient's vault before signing; a contraindicated or major finding
 * needs the prescriber's reason, which travels with the prescription. The check and the writing are the SDK's.
 */
export function PrescribeForm({
  actor,
  patient,
  patientName,
  onPrescribed,
}: {
  actor: ActorContext;
  patient: string;
  patientName: string;
  onPrescribed: () => void;
}) {
  const [rxnormCode, setRxnormCode] = useState(START.rxnormCode);
  const [doseValue, setDoseValue] = useState("400");
  const [doseUnit, setDoseUnit] = useState("mg");
  const [route, setRoute] = useState<RouteKey>("oral");
  const [frequency, setFrequency] = useState<FrequencyKey>("three-times-daily");
  const [quantity, setQuantity] = useState("21");
  const [quantityUnit, setQuantityUnit] = useState("tablet");
  const [refills, setRefills] = useState("0");
  const [note, setNote] = useState("");
  const [review, setReview] = useState<PrescriptionReview>();
  const [overrideReason, setOverrideReason] = useState("");
  const [done, setDone] = useState<string>();
  const { busy, error, run, setError } = useAction();

  const drug = DRUG_CHOICES.find((d) => d.rxnormCode === rxnormCode) ?? START;
  const draft: PrescriptionDraft = {
    drug: drug.name,
    rxnormCode,
    doseValue,
    doseUnit,
    route,
    frequency,
    quantity,
    quantityUnit,
    refills,
    ...(note.trim() ? { note: note.trim() } : {}),
  };
  /** Any change to the draft makes the last check stale: it must be run again before signing. */
  const edit =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setReview(undefined);
      setDone(undefined);
    };
  const reasonMissing = review?.overrideRequired === true && overrideReason.trim().length === 0;

  async function sign() {
    if (reasonMissing) return setError("A severe finding needs your reason for prescribing anyway: it is kept with the prescription.");
    const written = await prescribe(actor, patient, draft, review?.overrideRequired ? { overrideReason: overrideReason.trim() } : {});
    setDone(
      `Prescribed ${drug.name} for ${patientName}${written.review.findings.length > 0 ? ", with the findings and your reason attached" : ""}. The patient can now send it to a pharmacy.`,
    );
    setReview(undefined);
    setOverrideReason("");
    onPrescribed();
  }

  return (
    <div className="subpanel" role="group" aria-labelledby="prescribe-title">
      <h3 id="prescribe-title">Prescribe</h3>
      <SelectField
        label="Drug"
        value={rxnormCode}
        options={DRUG_CHOICES.map((d) => ({ value: d.rxnormCode, label: `${d.name} (RxNorm ${d.rxnormCode})` }))}
        onChange={edit(setRxnormCode)}
      />
      <div className="field-row">
        <label>
          Dose
          <input inputMode="decimal" value={doseValue} onChange={(e) => edit(setDoseValue)(e.target.value)} />
        </label>
        <SelectField label="Dose unit" value={doseUnit} options={keyed(UNITS)} onChange={edit(setDoseUnit)} />
      </div>
      <div className="field-row">
        <SelectField label="Route" value={route} options={keyed(ROUTES)} onChange={edit(setRoute)} />
        <SelectField label="How often" value={frequency} options={keyed(FREQUENCIES)} onChange={edit(setFrequency)} />
      </div>
      <div className="field-row">
        <label>
          Quantity to dispense
          <input inputMode="numeric" value={quantity} onChange={(e) => edit(setQuantity)(e.target.value)} />
        </label>
        <SelectField label="Quantity unit" value={quantityUnit} options={keyed(UNITS)} onChange={edit(setQuantityUnit)} />
        <label>
          Refills
          <input inputMode="numeric" value={refills} onChange={(e) => edit(setRefills)(e.target.value)} />
        </label>
      </div>
      <label>
        Note to the pharmacist (optional)
        <input value={note} onChange={(e) => edit(setNote)(e.target.value)} maxLength={500} />
      </label>
      <button
        className="secondary"
        disabled={busy !== undefined}
        onClick={() =>
          void run("Checking against the patient's vault", async () => setReview(await reviewPrescription(actor, patient, draft)))
        }
      >
        Check interactions
      </button>
      {review && <FindingsList review={review} />}
      {review?.overrideRequired && (
        <label>
          Why you prescribe it anyway (required for a contraindicated or major finding; kept with the prescription)
          <textarea rows={2} value={overrideReason} onChange={(e) => setOverrideReason(e.target.value)} maxLength={500} />
        </label>
      )}
      {review && (
        <button
          disabled={busy !== undefined || reasonMissing}
          onClick={() => void run("Signing the prescription and adding it to the patient's vault", sign)}
        >
          Sign &amp; add to the patient's vault
        </button>
      )}
      <Status busy={busy} done={done} error={error} errorTestId="prescribe-error" />
    </div>
  );
}

/** One of lib/fhir's choice lists (routes, frequencies, units) as select options: their keys are what the builder takes. */
function keyed<K extends string>(choices: readonly { key: K; label: string }[]) {
  return choices.map((c) => ({ value: c.key, label: c.label }));
}
