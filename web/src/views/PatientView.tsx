import { useCallback, useState } from "react";
import type { ActorContext } from "../../../lib/client";
import { readRecord } from "../../../lib/client";
import type { Directory } from "../components/names";
import { Status } from "../components/Status";
import { useChainClock } from "../components/useChainClock";
import { LiveBadge } from "../live/LiveBadge";
import { touchesConsent, useLiveRefresh } from "../live/useLiveRefresh";
import { demoName } from "../wallet/devWallet";
import { DisclosuresPanel } from "./patient/DisclosuresPanel";
import { EmergencyBanner } from "./patient/EmergencyBanner";
import { EmergencyCard } from "./patient/EmergencyCard";
import { EmergencyPanel } from "./patient/EmergencyPanel";
import { GrantForm } from "./patient/GrantForm";
import { GrantsPanel } from "./patient/GrantsPanel";
import { GuardianPanel } from "./patient/GuardianPanel";
import { ImportPanel } from "./patient/records/ImportPanel";
import { PatientTimeline } from "./patient/records/PatientTimeline";
import { useRecordFaces } from "./patient/records/useRecordFaces";
import { PrescriptionsPanel } from "./patient/PrescriptionsPanel";
import { RequestsPanel } from "./patient/RequestsPanel";
import { UploadForm } from "./patient/UploadForm";
import "./patient/records/records.css";
import { usePatientData } from "./patient/usePatientData";
import { WardsPanel } from "./patient/WardsPanel";

/** The patient's vault: requests to answer, records (encrypted here), grants, guardian, emergency policy and who saw what. */
export function PatientView({ actor }: { actor: ActorContext }) {
  const { data, loading, error, reload } = usePatientData(actor);
  const now = useChainClock(data.now || undefined);
  const dir: Directory = { me: actor.address, providers: data.providers, known: demoName };
  const open = (r: { cid: string; category: number }) => readRecord(actor, actor.address, r);
  // Decrypted once per session in this browser, to title the timeline and fill the emergency summary.
  const faces = useRecordFaces(actor.address, data.records, open);
  // Panels that load their own data (guardian, wards) reload when this changes.
  const [version, setVersion] = useState(0);
  const reloadAll = useCallback(async () => {
    setVersion((v) => v + 1);
    await reload();
  }, [reload]);
  // The patient's own reads are logged too; they are not news to the patient, so they neither count nor reload.
  const live = useLiveRefresh(actor, reloadAll, (e) => touchesConsent(e) && !(e.type === "disclosure" && e.entry.basis === "patient"));
  // New = arrived live and still waiting for an answer: the badge goes once the patient has answered.
  const pendingIds = new Set(data.requests.filter((r) => r.status === "pending").map((r) => r.requestId));
  const freshRequests = live.fresh.filter(
    (e) => e.type === "ledger" && e.event.kind === "request" && pendingIds.has(String(e.event.requestId)),
  ).length;
  const freshDisclosures = live.fresh.filter((e) => e.type === "disclosure" && e.entry.basis !== "patient").length;

  return (
    <div className="columns">
      <EmergencyBanner disclosures={data.disclosures} dir={dir} />
      <div className="page-status toolbar">
        <div className="grow">
          <LiveBadge state={live.state} count={live.fresh.length} onClear={live.clear} />
          <Status busy={loading} error={error} />
        </div>
        <button className="secondary" onClick={() => void reloadAll()} disabled={loading !== undefined}>
          Refresh
        </button>
      </div>
      <RequestsPanel
        actor={actor}
        requests={data.requests}
        grants={data.grants}
        now={now}
        dir={dir}
        fresh={freshRequests}
        onAnswered={reload}
      />
      <WardsPanel actor={actor} dir={dir} now={now} version={version} />
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
      <GrantForm actor={actor} providers={data.providers} grants={data.grants} now={now} dir={dir} onGranted={reload} />
      <GuardianPanel actor={actor} dir={dir} version={version} />
      <EmergencyPanel actor={actor} onChanged={reload} records={data.records} faces={faces} />
      <EmergencyCard actor={actor} />
      <DisclosuresPanel disclosures={data.disclosures} dir={dir} fresh={freshDisclosures} />
    </div>
  );
}
