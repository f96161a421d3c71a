import type { ActorContext } from "../../../../lib/client";
import { RecordEntry } from "../../components/recordForms/RecordEntry";
import { RECORD_KINDS } from "../../components/recordForms/recordKinds";
import { ownVault } from "../../components/recordForms/recordTarget";

/**
 * Adds a record to the patient's own vault without typing FHIR: a form per kind of record (built into FHIR R4 in
 * lib/fhir), a PDF or image as it is, or — for those who have it — pasted FHIR JSON. Encrypted here first.
 */
export function UploadForm({ actor, onUploaded }: { actor: ActorContext; onUploaded: () => void }) {
  return (
    <section className="panel" aria-labelledby="upload-title">
      <h2 id="upload-title">Add a record</h2>
      <p className="muted">
        The record is locked (encrypted) in this browser before it is sent: the servers that keep it never see what it says.
      </p>
      <RecordEntry actor={actor} target={ownVault(actor.address)} kinds={RECORD_KINDS} onAdded={onUploaded} />
    </section>
  );
}
