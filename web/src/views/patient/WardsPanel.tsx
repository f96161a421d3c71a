import { guardedPatients, type ActorContext } from "../../../../lib/client";
import type { Directory } from "../../components/names";
import { nameOf } from "../../components/names";
import { Status } from "../../components/Status";
import { useLoaded } from "../../components/useLoaded";
import { GrantsPanel } from "./GrantsPanel";

/** The patients who appointed this wallet as guardian, each with the grants they have given. */
async function wardsOf(actor: ActorContext) {
  const patients = await guardedPatients(actor);
  return Promise.all(patients.map(async (patient) => ({ patient, grants: (await actor.client.grants({ patient })).grants })));
}

/**
 * For a guardian: the patients who appointed this wallet, each with their grants to revoke one by one or all at once.
 * Granting stays the patient's: a grant hands over the patient's record keys, which a guardian does not hold.
 */
export function WardsPanel({ actor, dir, now, version }: { actor: ActorContext; dir: Directory; now: number; version: number }) {
  const {
    value: wards,
    error,
    reload,
  } = useLoaded(() => wardsOf(actor), "Could not load the patients you are guardian of", [actor, version]);

  if (wards === undefined || (wards.length === 0 && error === undefined)) return null;
  return (
    <section className="panel wide" aria-labelledby="wards-title" data-testid="wards">
      <h2 id="wards-title">Patients you are guardian of</h2>
      <p className="muted">They made you their guardian: you can end access to their records for them. Only they can grant access.</p>
      <Status error={error} />
      {wards.map((w) => (
        <GrantsPanel
          key={w.patient}
          actor={actor}
          patient={w.patient}
          patientName={nameOf(w.patient, dir)}
          grants={w.grants}
          now={now}
          dir={dir}
          onChanged={reload}
        />
      ))}
    </section>
  );
}
