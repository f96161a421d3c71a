import { useEffect, useState } from "react";
import {
  previewPharmacyRouting,
  routeToPharmacy,
  type ActorContext,
  type GrantView,
  type PharmacyRoutingChange,
  type ProviderView,
  type VaultRecord,
} from "../../../../lib/client";
import { fillsPrescription } from "../../../../lib/client/dispenseLinks";
import { openRecords, type OpenedRecord } from "../../../../lib/client/vaultReading";
import { CATEGORY, scopeCovers } from "../../../../lib/consent/codes";
import { describeResource } from "../../../../lib/fhir";
import { describeError } from "../../api";
import { formatWhen } from "../../components/format";
import { authorLabel, type Directory } from "../../components/names";
import { SelectField } from "../../components/SelectField";
import { Status } from "../../components/Status";
import { useAction } from "../../components/useAsync";
import "../clinical.css";

/** How long a routed pharmacy may read Medications and record its dispense. */
const ROUTING_DAYS = 30;

/**
 * The patient's prescriptions, each with its status (dispensed, routed to a pharmacy, or not yet) and, until it is
 * dispensed, the one step that sends it to a pharmacy: the SDK's routing grant (Medications only, with write so the
 * pharmacy can record the dispense). Reads the patient's own Medications records in this browser.
 */
export function PrescriptionsPanel({
  actor,
  records,
  grants,
  providers,
  dir,
  onChanged,
}: {
  actor: ActorContext;
  records: readonly VaultRecord[];
  grants: readonly GrantView[];
  providers: readonly ProviderView[];
  dir: Directory;
  onChanged: () => Promise<void>;
}) {
  const medications = records.filter((r) => r.category === CATEGORY.MEDICATIONS);
  const key = medications.map((r) => r.cid).join();
  const [opened, setOpened] = useState<OpenedRecord[]>([]);
  const [loadError, setLoadError] = useState<string>();
  const pharmacies = providers.filter((p) => p.kind === "pharmacy" && p.active);
  // Routing is a grant to the pharmacy, not a mark on one prescription: every live Medications grant to a pharmacy routes them all.
  const routedTo = pharmacies.filter((p) =>
    grants.some((g) => g.live && g.grantee.toLowerCase() === p.address.toLowerCase() && scopeCovers(g.scope, CATEGORY.MEDICATIONS)),
  );

  useEffect(() => {
    if (medications.length === 0) return setOpened([]);
    openRecords(actor, actor.address, medications).then(
      (r) => (setOpened(r.opened), setLoadError(undefined)),
      (err: unknown) => setLoadError(`Could not open your prescriptions: ${describeError(err)}`),
    );
    // Keyed on the CIDs, not the array: a refresh that lists the same records must not open (and log) them again.
  }, [actor, key]);

  const prescriptions = opened.filter((o) => o.resource.resourceType === "MedicationRequest");
  if (medications.length === 0) return null;

  return (
    <section className="panel" aria-labelledby="prescriptions-title">
      <h2 id="prescriptions-title">My prescriptions</h2>
      {loadError && (
        <p className="error" role="alert">
          {loadError}
        </p>
      )}
      {prescriptions.length === 0 && !loadError && <p className="muted">No prescription in your vault.</p>}
      <ul className="list" data-testid="prescriptions">
        {prescriptions.map(({ record, resource }) => {
          const dispensed = opened.some((o) => fillsPrescription(o.resource, record.cid));
          return (
            <li key={record.cid} className="stack-item">
              <span>
                <strong>{describeResource(resource).title}</strong>
                <br />
                <span className="muted">
                  by {authorLabel(record.author, actor.address, dir)} · {formatWhen(record.addedAt)}
                </span>
              </span>
              <span className={`pill ${dispensed ? "dispensed" : "routed"}`} data-testid="prescription-status">
                {dispensed
                  ? "dispensed"
                  : routedTo.length > 0
                    ? `routed to ${routedTo.map((p) => p.name).join(", ")}`
                    : "not sent to a pharmacy"}
              </span>
              {!dispensed && (
                <RouteControl actor={actor} pharmacies={pharmacies} drug={describeResource(resource).title} onRouted={onChanged} />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** Choose a pharmacy and send: one click, unless routing would take away categories the pharmacy holds now. */
function RouteControl({
  actor,
  pharmacies,
  drug,
  onRouted,
}: {
  actor: ActorContext;
  pharmacies: readonly ProviderView[];
  drug: string;
  onRouted: () => Promise<void>;
}) {
  const [pharmacy, setPharmacy] = useState(pharmacies[0]?.address ?? "");
  const [confirming, setConfirming] = useState<PharmacyRoutingChange>();
  const [done, setDone] = useState<string>();
  const { busy, error, run } = useAction();
  if (pharmacies.length === 0) return <p className="muted">No verified pharmacy is registered yet.</p>;

  async function send(confirmed: boolean) {
    setDone(undefined);
    const params = { pharmacy, days: ROUTING_DAYS };
    if (!confirmed) {
      const preview = await previewPharmacyRouting(actor, params);
      if (preview.removedCategories.length > 0) return setConfirming(preview);
    }
    const routed = await routeToPharmacy(actor, params);
    setConfirming(undefined);
    setDone(`Sent. ${routed.summary}`);
    await onRouted();
  }

  return (
    <div className="route">
      <SelectField
        label={`Pharmacy for ${drug}`}
        value={pharmacy}
        options={pharmacies.map((p) => ({ value: p.address, label: p.name }))}
        onChange={(chosen) => (setPharmacy(chosen), setConfirming(undefined))}
      />
      {confirming ? (
        <div className="confirm" role="group" aria-label="Confirm sending to the pharmacy">
          <p>{confirming.summary}</p>
          <div className="actions">
            <button disabled={busy !== undefined} onClick={() => void run("Sending to the pharmacy", () => send(true))}>
              Send anyway
            </button>
            <button className="secondary" onClick={() => setConfirming(undefined)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button
          disabled={busy !== undefined}
          onClick={() => void run("Sending to the pharmacy (a grant signed in your wallet)", () => send(false))}
        >
          Send to pharmacy
        </button>
      )}
      <Status busy={busy} done={done} error={error} />
    </div>
  );
}
