import { useCallback, useEffect, useState } from "react";
import { CATEGORIES, PURPOSES, categoriesOf, categoryLabel, purposeCode } from "../../../lib/consent/codes";
import { addOwnRecord, grantAccess, readRecord, revokeAccess, type ActorContext } from "../../../lib/client/consentActions";
import type { GrantView, ProviderView, VaultRecord } from "../../../lib/client/gatewayClient";
import { RecordCard } from "../components/RecordCard";
import { timeLeft } from "../components/timeLeft";
import { useAction } from "../components/useAsync";

const SAMPLE_RECORD = JSON.stringify(
  {
    resourceType: "Condition",
    clinicalStatus: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "active" }] },
    code: { coding: [{ system: "http://snomed.info/sct", code: "195967001", display: "Asthma" }], text: "Asthma" },
    onsetDateTime: "2019-04-02",
    subject: { reference: "Patient/example" },
  },
  null,
  2,
);

const DURATIONS = [
  { seconds: 3600, label: "1 hour" },
  { seconds: 86_400, label: "1 day" },
  { seconds: 7 * 86_400, label: "7 days" },
  { seconds: 30 * 86_400, label: "30 days" },
];

/** The patient's vault: upload (encrypted here), open, grant, and revoke. */
export function PatientView({ actor }: { actor: ActorContext }) {
  const [records, setRecords] = useState<VaultRecord[]>([]);
  const [grants, setGrants] = useState<GrantView[]>([]);
  const [now, setNow] = useState(0);
  const [providers, setProviders] = useState<ProviderView[]>([]);
  const [opened, setOpened] = useState<{ cid: string; plaintext: Uint8Array; category: number }>();
  const { busy, error, run } = useAction();

  const refresh = useCallback(async () => {
    const [vault, g, p] = await Promise.all([
      actor.client.listRecords(actor.address),
      actor.client.grants({ patient: actor.address }),
      actor.client.providers(),
    ]);
    setRecords(vault.records);
    setGrants(g.grants);
    setNow(g.now);
    setProviders(p.providers.filter((x) => x.active));
  }, [actor]);

  useEffect(() => {
    void run("Loading your vault", refresh);
  }, [refresh, run]);

  return (
    <div className="columns">
      <UploadForm actor={actor} onUploaded={() => void run("Refreshing", refresh)} />
      <section className="panel" aria-labelledby="vault-title">
        <h2 id="vault-title">My records</h2>
        {records.length === 0 && <p className="muted">No records yet.</p>}
        <ul className="list" data-testid="my-records">
          {records.map((r) => (
            <li key={r.cid}>
              <span>
                {categoryLabel(r.category)} · <span className="muted">{new Date(r.addedAt).toLocaleString()}</span>
              </span>
              <button
                onClick={() =>
                  void run("Decrypting", async () =>
                    setOpened({ cid: r.cid, category: r.category, plaintext: await readRecord(actor, actor.address, r) }),
                  )
                }
              >
                Open
              </button>
            </li>
          ))}
        </ul>
        {opened && <RecordCard plaintext={opened.plaintext} category={opened.category} />}
      </section>
      <GrantForm actor={actor} providers={providers} onGranted={() => void run("Refreshing", refresh)} />
      <section className="panel" aria-labelledby="grants-title">
        <h2 id="grants-title">Who can see my records</h2>
        {grants.length === 0 && <p className="muted">You have granted no one access.</p>}
        <ul className="list" data-testid="grants">
          {grants.map((g) => (
            <li key={g.grantee}>
              <span>
                <strong>{providers.find((p) => p.address === g.grantee)?.name ?? g.grantee}</strong>
                <br />
                <span className="muted">
                  {categoriesOf(g.scope).map(categoryLabel).join(", ") || "—"} · {purposeCode(g.purpose)} ·{" "}
                  {g.live ? timeLeft(g.expiresAt, now) : g.expiresAt === 0 ? "revoked" : "not live"}
                </span>
              </span>
              {g.live && (
                <button
                  className="danger"
                  onClick={() =>
                    void run("Revoking", async () => {
                      await revokeAccess(actor, g.grantee);
                      await refresh();
                    })
                  }
                >
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
      {busy && (
        <p className="status" role="status">
          {busy}…
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function UploadForm({ actor, onUploaded }: { actor: ActorContext; onUploaded: () => void }) {
  const [text, setText] = useState(SAMPLE_RECORD);
  const [file, setFile] = useState<File>();
  const [category, setCategory] = useState(1);
  const [progress, setProgress] = useState<{ stage: string; fraction: number }>();
  const { busy, error, run } = useAction();

  async function upload() {
    const plaintext = file ? new Uint8Array(await file.arrayBuffer()) : new TextEncoder().encode(text);
    if (!file) JSON.parse(text); // refuse malformed JSON before encrypting it
    await addOwnRecord(actor, { plaintext, category, onProgress: (stage, fraction) => setProgress({ stage, fraction }) });
    setProgress(undefined);
    onUploaded();
  }

  return (
    <section className="panel" aria-labelledby="upload-title">
      <h2 id="upload-title">Add a record</h2>
      <p className="muted">The record is encrypted in this browser; only ciphertext reaches the gateway and IPFS.</p>
      <label>
        FHIR R4 JSON
        <textarea rows={8} value={text} onChange={(e) => setText(e.target.value)} disabled={file !== undefined} />
      </label>
      <label>
        …or a file (PDF, image, JSON)
        <input type="file" accept=".json,application/json,application/pdf,image/*" onChange={(e) => setFile(e.target.files?.[0])} />
      </label>
      <label>
        Category
        <select value={category} onChange={(e) => setCategory(Number(e.target.value))}>
          {CATEGORIES.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <button disabled={busy !== undefined} onClick={() => void run("Uploading", upload)}>
        Encrypt &amp; upload
      </button>
      {progress && (
        <label className="progress">
          {progress.stage}
          <progress max={1} value={progress.fraction} />
        </label>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function GrantForm({ actor, providers, onGranted }: { actor: ActorContext; providers: ProviderView[]; onGranted: () => void }) {
  const [grantee, setGrantee] = useState("");
  const [categories, setCategories] = useState<number[]>([1]);
  const [purpose, setPurpose] = useState(1);
  const [duration, setDuration] = useState(3600);
  const { busy, error, run, setError } = useAction();
  const [done, setDone] = useState<string>();

  async function grant() {
    if (!grantee) return setError("Choose a provider to grant access to.");
    if (categories.length === 0) return setError("Choose at least one category.");
    const result = await grantAccess(actor, { grantee, categories, purpose, durationSeconds: duration });
    setDone(`Access granted; ${result.records} record key(s) shared.`);
    onGranted();
  }

  return (
    <section className="panel" aria-labelledby="grant-title">
      <h2 id="grant-title">Grant access</h2>
      <label>
        Provider
        <select value={grantee} onChange={(e) => setGrantee(e.target.value)}>
          <option value="">Choose a verified provider…</option>
          {providers.map((p) => (
            <option key={p.address} value={p.address}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>Categories</legend>
        <div className="checks">
          {CATEGORIES.map((c) => (
            <label key={c.id} className="check">
              <input
                type="checkbox"
                checked={categories.includes(c.id)}
                onChange={(e) => setCategories((all) => (e.target.checked ? [...all, c.id] : all.filter((x) => x !== c.id)))}
              />
              {c.label}
            </label>
          ))}
        </div>
      </fieldset>
      <label>
        Purpose of use
        <select value={purpose} onChange={(e) => setPurpose(Number(e.target.value))}>
          {PURPOSES.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label} ({p.code})
            </option>
          ))}
        </select>
      </label>
      <label>
        Duration
        <select value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
          {DURATIONS.map((d) => (
            <option key={d.seconds} value={d.seconds}>
              {d.label}
            </option>
          ))}
        </select>
      </label>
      <button disabled={busy !== undefined} onClick={() => void run("Granting", grant)}>
        Grant access
      </button>
      {busy && (
        <p className="status" role="status">
          {busy}…
        </p>
      )}
      {done && !busy && (
        <p className="ok" role="status">
          {done}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
