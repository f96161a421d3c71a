import { useState } from "react";
import { isAddress } from "ethers";
import { purposeCode } from "../../../../lib/consent/codes";
import type { GrantView, ServedDeployment } from "../../../../lib/client/gatewayClient";
import { GrantSummary } from "../../components/GrantSummary";
import { nameOf, type Directory } from "../../components/names";
import { Person } from "../../components/Person";
import { PatientFinder } from "./PatientFinder";
import "../clinical.css";
import { AddressField, addressHint } from "../../components/AddressField";

/** Patients who granted the provider access, with time left; any other patient found from their emergency card or by address. */
export function PatientsPanel({
  grants,
  now,
  dir,
  deployment,
  onOpen,
  onRefresh,
}: {
  grants: readonly GrantView[];
  now: number;
  dir: Directory;
  deployment: ServedDeployment;
  onOpen: (patient: string) => void;
  onRefresh: () => void;
}) {
  const [lookup, setLookup] = useState("");
  const [lookupError, setLookupError] = useState<string>();
  const ordered = [...grants].sort((a, b) => Number(b.live) - Number(a.live));

  return (
    <section className="panel" aria-labelledby="patients-title">
      <h2 id="patients-title">Patients who granted you access</h2>
      {grants.length === 0 && <p className="muted">No patient has granted you access yet.</p>}
      <ul className="list" data-testid="patients">
        {ordered.map((g) => (
          <li key={g.patient} className={g.live ? undefined : "grant-ended"}>
            <GrantSummary party={<Person address={g.patient} dir={dir} />} grant={g} now={now} purposeWords={purposeCode} />
            <button onClick={() => onOpen(g.patient)} aria-label={`Records of ${nameOf(g.patient, dir)}`}>
              Records
            </button>
          </li>
        ))}
      </ul>
      <PatientFinder deployment={deployment} onFound={onOpen} />
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          if (!isAddress(lookup)) return setLookupError(addressHint("a patient's"));
          setLookupError(undefined);
          onOpen(lookup);
        }}
      >
        <AddressField label="Find a patient by address" value={lookup} onChange={setLookup} />
        <button type="submit">Look up</button>
      </form>
      {lookupError && (
        <p className="error" role="alert">
          {lookupError}
        </p>
      )}
      <button className="secondary" onClick={onRefresh}>
        Refresh
      </button>
    </section>
  );
}
