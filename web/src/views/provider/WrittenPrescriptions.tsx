import { useState } from "react";
import { prescriptionStatus, type ActorContext, type PrescriptionStatus, type VaultRecord } from "../../../../lib/client";
import { openRecords } from "../../../../lib/client/vaultReading";
import { CATEGORY } from "../../../../lib/consent/codes";
import { describeResource } from "../../../../lib/fhir";
import { formatWhen } from "../../components/format";
import { Status } from "../../components/Status";
import { useAction } from "../../components/useAsync";

interface Written {
  cid: string;
  title: string;
  addedAt: string;
  status: PrescriptionStatus;
}

/**
 * The prescriptions this clinician wrote into the patient's vault, and whether a pharmacy dispensed them. Checked on
 * request, not on load: each check opens records, and every opening is a disclosure in the patient's log.
 */
export function WrittenPrescriptions({
  actor,
  patient,
  records,
}: {
  actor: ActorContext;
  patient: string;
  records: readonly VaultRecord[];
}) {
  const mine = records.filter((r) => r.category === CATEGORY.MEDICATIONS && r.author.toLowerCase() === actor.address.toLowerCase());
  const [written, setWritten] = useState<Written[]>();
  const { busy, error, run } = useAction();
  if (mine.length === 0) return null;

  async function check() {
    const { opened } = await openRecords(actor, patient, mine);
    const requests = opened.filter((o) => o.resource.resourceType === "MedicationRequest");
    setWritten(
      await Promise.all(
        requests.map(async ({ record, resource }) => ({
          cid: record.cid,
          title: describeResource(resource).title,
          addedAt: record.addedAt,
          status: await prescriptionStatus(actor, patient, record.cid),
        })),
      ),
    );
  }

  return (
    <div className="subpanel" role="group" aria-labelledby="written-title">
      <h3 id="written-title">Prescriptions you wrote</h3>
      {written && (
        <ul className="list" data-testid="written-prescriptions">
          {written.map((w) => (
            <li key={w.cid}>
              <span>
                <strong>{w.title}</strong>
                <br />
                <span className="muted">written {formatWhen(w.addedAt)}</span>
              </span>
              <span className={`pill ${w.status}`}>{w.status === "dispensed" ? "dispensed" : "not dispensed yet"}</span>
            </li>
          ))}
        </ul>
      )}
      <button className="secondary" disabled={busy !== undefined} onClick={() => void run("Checking with the patient's vault", check)}>
        {written ? "Check again" : "Check whether they were dispensed"}
      </button>
      <Status busy={busy} error={error} />
    </div>
  );
}
