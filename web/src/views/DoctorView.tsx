import { useCallback, useEffect, useState } from "react";
import { isAddress } from "ethers";
import { categoriesOf, categoryLabel, purposeCode } from "../../../lib/consent/codes";
import { readRecord, type ActorContext } from "../../../lib/client/consentActions";
import type { GrantView, VaultRecord } from "../../../lib/client/gatewayClient";
import { RecordCard } from "../components/RecordCard";
import { timeLeft } from "../components/timeLeft";
import { useAction } from "../components/useAsync";
import { demoName } from "../wallet/devWallet";

/** The provider's side: patients who granted access, their records, decrypted here under the grant. */
export function DoctorView({ actor }: { actor: ActorContext }) {
  const [grants, setGrants] = useState<GrantView[]>([]);
  const [now, setNow] = useState(0);
  const [patient, setPatient] = useState<string>();
  const [lookup, setLookup] = useState("");
  const [records, setRecords] = useState<VaultRecord[]>([]);
  const [opened, setOpened] = useState<{ cid: string; plaintext: Uint8Array; category: number }>();
  const { busy, error, run, setError } = useAction();

  const refresh = useCallback(async () => {
    const g = await actor.client.grants({ grantee: actor.address });
    setGrants(g.grants);
    setNow(g.now);
  }, [actor]);

  useEffect(() => {
    void run("Loading your patients", refresh);
  }, [refresh, run]);

  async function openPatient(address: string) {
    setPatient(address);
    setOpened(undefined);
    setRecords([]);
    setRecords((await actor.client.listRecords(address)).records);
  }

  async function openRecord(record: VaultRecord) {
    setOpened(undefined);
    const plaintext = await readRecord(actor, patient!, record);
    setOpened({ cid: record.cid, plaintext, category: record.category });
  }

  return (
    <div className="columns">
      <section className="panel" aria-labelledby="patients-title">
        <h2 id="patients-title">Patients who granted you access</h2>
        {grants.length === 0 && <p className="muted">No patient has granted you access yet.</p>}
        <ul className="list" data-testid="patients">
          {grants.map((g) => (
            <li key={g.patient}>
              <span>
                <strong>{demoName(g.patient) ?? g.patient}</strong>
                <br />
                <span className="muted">
                  {categoriesOf(g.scope).map(categoryLabel).join(", ")} · {purposeCode(g.purpose)} ·{" "}
                  {g.live ? timeLeft(g.expiresAt, now) : "not live"}
                </span>
              </span>
              <button onClick={() => void run("Loading records", () => openPatient(g.patient))}>Records</button>
            </li>
          ))}
        </ul>
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            if (!isAddress(lookup)) return setError("Enter a patient's 0x address (40 hex digits).");
            void run("Loading records", () => openPatient(lookup));
          }}
        >
          <label>
            Find a patient by address
            <input value={lookup} onChange={(e) => setLookup(e.target.value.trim())} placeholder="0x…" />
          </label>
          <button type="submit">Look up</button>
        </form>
        <button onClick={() => void run("Refreshing", refresh)}>Refresh</button>
      </section>
      {patient && (
        <section className="panel" aria-labelledby="records-title">
          <h2 id="records-title">Records of {demoName(patient) ?? patient}</h2>
          {records.length === 0 && <p className="muted">No records you can see.</p>}
          <ul className="list" data-testid="patient-records">
            {records.map((r) => (
              <li key={r.cid}>
                <span>
                  {categoryLabel(r.category)} · <span className="muted">{new Date(r.addedAt).toLocaleString()}</span>
                </span>
                <button onClick={() => void run("Fetching and decrypting", () => openRecord(r))}>Open</button>
              </li>
            ))}
          </ul>
          {opened && <RecordCard plaintext={opened.plaintext} category={opened.category} />}
        </section>
      )}
      {busy && (
        <p className="status" role="status">
          {busy}…
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="doctor-error">
          {error}
        </p>
      )}
    </div>
  );
}
