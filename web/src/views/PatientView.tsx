import type { ActorContext } from "../../../lib/client";
import { readRecord } from "../../../lib/client";
import type { Directory } from "../components/names";
import { Status } from "../components/Status";
import { useChainClock } from "../components/useChainClock";
import { demoName } from "../wallet/devWallet";
import { DisclosuresPanel } from "./patient/DisclosuresPanel";
import { EmergencyCard } from "./patient/EmergencyCard";
import { EmergencyPanel } from "./patient/EmergencyPanel";
import { GrantForm } from "./patient/GrantForm";
import { GrantsPanel } from "./patient/GrantsPanel";
import { ImportPanel } from "./patient/records/ImportPanel";
import { PatientTimeline } from "./patient/records/PatientTimeline";
import { useRecordFaces } from "./patient/records/useRecordFaces";
import { PrescriptionsPanel } from "./patient/PrescriptionsPanel";
import { RequestsPanel } from "./patient/RequestsPanel";
import { UploadForm } from "./patient/UploadForm";
import { usePatientData } from "./patient/usePatientData";

/** The patient's vault: requests to answer, records (encrypted here), grants, emergency policy and who saw what. */
export function PatientView({ actor }: { actor: ActorContext }) {
  const { data, loading, error, reload } = usePatientData(actor);
  const now = useChainClock(data.now || undefined);
  const dir: Directory = { me: actor.address, providers: data.providers, known: demoName };
  const open = (r: { cid: string; category: number }) => readRecord(actor, actor.address, r);
  // Decrypted once per session in this browser, to title the timeline and fill the emergency summary.
  const faces = useRecordFaces(actor.address, data.records, open);

  return (
    <div className="columns">
      <div className="page-status toolbar">
        <div className="grow">
          <Status busy={loading} error={error} />
        </div>
        <button className="secondary" onClick={() => void reload()} disabled={loading !== undefined}>
          Refresh
        </button>
      </div>
      <RequestsPanel actor={actor} requests={data.requests} dir={dir} onAnswered={reload} />
      <section className="panel" aria-labelledby="vault-title">
        <h2 id="vault-title">My records</h2>
        <p className="muted">Every record in your vault, from you and from providers you let add to it.</p>
        <PatientTimeline
          records={data.records}
          faces={faces}
          patient={actor.address}
          patientName={demoName(actor.address)}
          dir={dir}
          open={open}
        />
      </section>
      <UploadForm actor={actor} onUploaded={() => void reload()} />
      <ImportPanel actor={actor} onImported={() => void reload()} />
      <PrescriptionsPanel
        actor={actor}
        records={data.records}
        grants={data.grants}
        providers={data.providers}
        dir={dir}
        onChanged={reload}
      />
      <GrantsPanel actor={actor} grants={data.grants} now={now} dir={dir} onChanged={reload} />
      <GrantForm actor={actor} providers={data.providers} onGranted={reload} />
      <EmergencyPanel actor={actor} onChanged={reload} records={data.records} faces={faces} />
      <EmergencyCard actor={actor} />
      <DisclosuresPanel disclosures={data.disclosures} dir={dir} />
    </div>
  );
}
