import { useState } from "react";
import { isAddress } from "ethers";
import type { ActorContext } from "../../../lib/client";
import type { ProviderView } from "../../../lib/client/gatewayClient";
import { useAction } from "../components/useAsync";
import { Status } from "../components/Status";
import { nameOf } from "../components/names";
import { LiveBadge } from "../live/LiveBadge";
import { useLiveRefresh } from "../live/useLiveRefresh";
import { demoName } from "../wallet/devWallet";
import { rowsFromDisclosures, type AuditRow } from "./auditor/auditRows";
import { ComplianceAlerts } from "./auditor/ComplianceAlerts";
import { DisclosureTimeline } from "./auditor/DisclosureTimeline";
import { VerificationStatus } from "./auditor/VerificationStatus";
import { AddressField, addressHint } from "../components/AddressField";

/**
 * The auditor's view: a patient's timeline (today the gateway's disclosure log; chain events join it through
 * {@link AuditRow} when the audit API serves them) and the log's verification against the anchored roots.
 */
export function AuditorView({ actor, isAuditor }: { actor: ActorContext; isAuditor: boolean }) {
  const [patientInput, setPatientInput] = useState("");
  const [subject, setSubject] = useState<{ patient: string; rows: AuditRow[] }>();
  const { busy, error, run, setError } = useAction();
  // New disclosures and consent events reach an auditor's stream live: reload the open timeline and the alerts.
  const [version, setVersion] = useState(0);
  const live = useLiveRefresh(actor, async () => {
    setVersion((v) => v + 1);
    if (subject) await load(subject.patient);
  });

  async function load(patient: string) {
    const [{ disclosures }, { providers }] = await Promise.all([actor.client.disclosures(patient), actor.client.providers()]);
    const dir = { me: actor.address, providers: providers as ProviderView[], known: demoName };
    setSubject({ patient, rows: rowsFromDisclosures(disclosures, dir) });
  }

  return (
    <div className="columns">
      <div className="page-status">
        <LiveBadge state={live.state} count={live.fresh.length} onClear={live.clear} />
      </div>
      <VerificationStatus actor={actor} />
      {isAuditor && <ComplianceAlerts key={`a${version}`} actor={actor} />}
      <section className="panel wide" aria-labelledby="audit-title">
        <h2 id="audit-title">Audit timeline</h2>
        {!isAuditor && (
          <p className="warning" role="status">
            This wallet does not hold the registry's auditor role: you can audit only your own records (enter your own address).
          </p>
        )}
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            if (!isAddress(patientInput)) return setError(addressHint("the patient's"));
            void run("Loading the patient's disclosures", () => load(patientInput));
          }}
        >
          <AddressField label="Patient address" value={patientInput} onChange={setPatientInput} />
          <button type="submit" disabled={busy !== undefined}>
            Show timeline
          </button>
        </form>
        <p className="muted">
          Every release of a record's ciphertext, from the gateway's hash-chained disclosure log. Grants, revocations, requests and
          emergency openings from the chain join this timeline with the audit API.
        </p>
        <Status busy={busy} error={error} />
        {subject && (
          <>
            <h3>
              Patient {nameOf(subject.patient, { me: actor.address, providers: [], known: demoName })}{" "}
              <code className="address">{subject.patient}</code>
            </h3>
            <DisclosureTimeline rows={subject.rows} exportFor={{ actor, patient: subject.patient }} />
          </>
        )}
      </section>
    </div>
  );
}
