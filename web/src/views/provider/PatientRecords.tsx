import { useCallback, useEffect, useRef, useState } from "react";
import { readRecord, type ActorContext } from "../../../../lib/client";
import { ClientError, GatewayError, hasCode, type GrantView, type VaultRecord } from "../../../../lib/client";
import { CATEGORY, WRITE_BIT, scopeCovers } from "../../../../lib/consent/codes";
import { describeError } from "../../api";
import { grantStatus } from "../../components/grantStatus";
import { nameOf, providerName, type Directory } from "../../components/names";
import { RecordTimeline } from "../../components/RecordTimeline";
import { AddRecordForm } from "./AddRecordForm";
import { PrescribeForm } from "./PrescribeForm";
import { WrittenPrescriptions } from "./WrittenPrescriptions";

/** One patient's vault as the provider may see it under their grant; plus "add a record" when the grant has the write bit. */
export function PatientRecords({
  actor,
  patient,
  grant,
  vaultChanges = 0,
  dir,
  now,
  onChanged,
  onAskAgain,
  canBreakGlass = false,
}: {
  actor: ActorContext;
  patient: string;
  grant?: GrantView;
  /** Counts the live notes that the patient's vault changed under this grant: each new one lists the vault again. */
  vaultChanges?: number;
  dir: Directory;
  /** Chain time, to say how the grant ended. */
  now: number;
  onChanged: () => void;
  /** Opens the request form for this patient with the ended grant's terms. */
  onAskAgain: (ask: { patient: string; scope: number }) => void;
  /** The provider may break the glass (emergency-capable): said when the patient granted nothing. */
  canBreakGlass?: boolean;
}) {
  const [records, setRecords] = useState<VaultRecord[]>();
  // The failure itself, put in words at render: the words depend on the grant, which changes without a reload.
  const [failure, setFailure] = useState<unknown>();

  const load = useCallback(async () => {
    setFailure(undefined);
    try {
      setRecords((await actor.client.listRecords(patient)).records);
    } catch (err) {
      setRecords([]);
      setFailure(err ?? new Error("The records could not be listed."));
    }
  }, [actor, patient]);

  useEffect(() => {
    setRecords(undefined);
    void load();
  }, [load]);

  // A record added under the grant: list again in place (what is open stays open), as "Reload records" does.
  const listedChanges = useRef(vaultChanges);
  useEffect(() => {
    if (vaultChanges === listedChanges.current) return;
    listedChanges.current = vaultChanges;
    void load();
  }, [vaultChanges, load]);

  const canWrite = grant !== undefined && grant.live && (grant.scope & WRITE_BIT) !== 0;
  const canPrescribe = canWrite && scopeCovers(grant.scope, CATEGORY.MEDICATIONS);
  const name = nameOf(patient, dir);
  // No grant at all is the normal state for a patient just found from their card: say what to do, not "refused".
  // An ended grant is already said above in words: the gateway's refusal to list would only repeat it.
  const ended = grant !== undefined && !grant.live;
  const refused = failure !== undefined && hasCode(failure, "ACCESS_DENIED");
  // Not granted (yet) is a state, said as a note; only other failures are errors.
  const notGranted = grant === undefined && refused ? noGrantText(name, canBreakGlass) : undefined;
  const error = failure === undefined || (ended && refused) || notGranted ? undefined : describeError(failure);

  return (
    <section className="panel" aria-labelledby="records-title">
      <h2 id="records-title" title={patient}>
        Records of {name}
      </h2>
      {grant !== undefined && !grant.live && (
        <div className="warning" role="status" data-testid="access-ended">
          <p>{endedText(name, grantStatus(grant, now))} You can no longer open their records; what you read before is not kept here.</p>
          <button onClick={() => onAskAgain({ patient, scope: grant.scope })}>Request access again</button>
        </div>
      )}
      <p className="muted">
        Opened records are decrypted in this browser with the key the patient shared; each opening is logged for the patient.
      </p>
      {records === undefined && (
        <p className="status" role="status">
          <span className="spinner" aria-hidden="true" /> Loading the records you may see…
        </p>
      )}
      {notGranted && (
        <p className="warning" role="status" data-testid="not-granted">
          {notGranted}
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="doctor-error">
          {error}
        </p>
      )}
      {records !== undefined && !error && !notGranted && !ended && (
        <RecordTimeline
          records={records}
          patient={patient}
          dir={dir}
          open={async (r) => {
            try {
              return await readRecord(actor, patient, r);
            } catch (err) {
              // A refusal means the grant changed under us (revoked, expired): refresh what the page says about it.
              const refused =
                (err instanceof GatewayError && err.status === 403) || (err instanceof ClientError && err.code === "NO_LIVE_GRANT");
              if (refused) onChanged();
              throw err;
            }
          }}
          unavailable={(r) =>
            grant !== undefined && grant.live && ((grant.scope >>> r.category) & 1) === 0 ? "not in your grant" : undefined
          }
          testId="patient-records"
        />
      )}
      <button className="secondary" onClick={() => void load()}>
        Reload records
      </button>
      {canWrite && (
        <AddRecordForm
          actor={actor}
          patient={patient}
          patientName={name}
          providerName={providerName(actor.address, dir.providers)}
          scope={grant.scope}
          onAdded={() => {
            void load();
            onChanged();
          }}
        />
      )}
      {canPrescribe && (
        <PrescribeForm
          actor={actor}
          patient={patient}
          patientName={name}
          onPrescribed={() => {
            void load();
            onChanged();
          }}
        />
      )}
      {records !== undefined && grant?.live && <WrittenPrescriptions actor={actor} patient={patient} records={records} />}
    </section>
  );
}

/** How a grant ended, in a sentence about the patient: "Jane Doe revoked your access." */
function endedText(name: string, status: string): string {
  if (status === "revoked") return `${name} revoked your access.`;
  if (status === "expired") return `Your access to ${name}'s records expired.`;
  return `Your access to ${name}'s records ${status.startsWith("ended") ? status : `ended: ${status}`}.`;
}

/** What a provider can do about a patient who granted them nothing. */
function noGrantText(name: string, canBreakGlass: boolean): string {
  const emergency = canBreakGlass
    ? " In an emergency, break the glass to read their emergency summary; it lists here while the window is open."
    : "";
  return `${name} has not granted you access, so no record is listed. Ask them with "Request access".${emergency}`;
}
