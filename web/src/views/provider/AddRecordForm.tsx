import { useMemo } from "react";
import { categoriesOf } from "../../../../lib/consent/codes";
import type { ActorContext } from "../../../../lib/client";
import { RecordEntry } from "../../components/recordForms/RecordEntry";
import { recordKindsFor } from "../../components/recordForms/recordKinds";
import type { RecordTarget } from "../../components/recordForms/recordTarget";

const CLINICIAN_KINDS = recordKindsFor("clinician");

/**
 * Adds a record to a patient's vault under a grant with the write bit, through the same forms the patient uses: the
 * provider is named as who recorded it, only the categories the grant covers can be chosen, and the record is
 * encrypted for the patient's key and announced with the provider's signature as author.
 */
export function AddRecordForm({
  actor,
  patient,
  patientName,
  providerName,
  scope,
  onAdded,
}: {
  actor: ActorContext;
  patient: string;
  patientName: string;
  /** The provider's name in the registry, written into the record as who recorded it. */
  providerName?: string;
  scope: number;
  onAdded: () => void;
}) {
  const target = useMemo<RecordTarget>(
    () => ({
      patient: { address: patient },
      author: { address: actor.address, display: providerName },
      whose: `${patientName}'s`,
      addLabel: `Encrypt & add to ${patientName}'s vault`,
      categories: categoriesOf(scope),
    }),
    [patient, actor.address, providerName, patientName, scope],
  );
  return (
    <div className="subpanel stack" role="group" aria-labelledby="add-record-title">
      <h3 id="add-record-title">Add a record to this patient's vault</h3>
      <p className="muted">
        Encrypted in this browser for {patientName}; you are named as who recorded it, and you keep no copy of its key.
      </p>
      <RecordEntry key={patient} actor={actor} target={target} kinds={CLINICIAN_KINDS} onAdded={onAdded} />
    </div>
  );
}
