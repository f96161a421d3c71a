import { useState } from "react";
import type { ActorContext } from "../../../../../lib/client";
import { categoryLabel } from "../../../../../lib/consent/codes";
import { importFhir, resourceBytes, type ImportResult } from "../../../../../lib/fhir";
import { describeError } from "../../../api";
import "../../../components/plainList.css";
import { Status } from "../../../components/Status";
import { AddProgress } from "../../../components/recordForms/AddProgress";
import { useAddRecord } from "../../../components/recordForms/useAddRecord";

/** How one entry's import went. */
type EntryResult = { ok: true } | { ok: false; message: string };

/**
 * Imports a FHIR file exported by another portal (a Bundle, one resource, a list or NDJSON): previews what it holds,
 * then adds each health record as its own encrypted record in its category and reports each one. Entries that are
 * not records, or not valid, are named and skipped before anything is encrypted.
 */
export function ImportPanel({ actor, onImported }: { actor: ActorContext; onImported: () => void }) {
  const [fileName, setFileName] = useState<string>();
  const [found, setFound] = useState<ImportResult>();
  const [results, setResults] = useState<ReadonlyMap<number, EntryResult>>(new Map());
  const [done, setDone] = useState<string>();
  const { busy, error, run, progress, add } = useAddRecord(actor);

  async function pick(file: File | undefined) {
    setResults(new Map());
    setDone(undefined);
    setFileName(file?.name);
    setFound(file ? importFhir(await file.text()) : undefined);
  }

  async function importAll(records: ImportResult["records"]) {
    const next = new Map<number, EntryResult>();
    // One at a time: each is its own signed announcement, and a failure must not stop the ones after it.
    for (const r of records) {
      try {
        await add(resourceBytes(r.resource), r.category);
        next.set(r.entry, { ok: true });
      } catch (err) {
        next.set(r.entry, { ok: false, message: describeError(err) });
      }
      setResults(new Map(next));
    }
    const added = [...next.values()].filter((x) => x.ok).length;
    setDone(`Imported ${added} of ${records.length} record${records.length === 1 ? "" : "s"} from ${fileName}.`);
    onImported();
  }

  const imported = results.size > 0;
  return (
    <section className="panel" aria-labelledby="import-title">
      <h2 id="import-title">Import records from another portal</h2>
      <p className="muted">
        A FHIR file (JSON) exported from another patient portal or hospital. Each record in it is encrypted in this browser and added on its
        own.
      </p>
      <label>
        FHIR file
        <input type="file" accept=".json,.ndjson,application/json,application/fhir+json" onChange={(e) => void pick(e.target.files?.[0])} />
      </label>
      {found && (
        <div className="import-preview" data-testid="import-preview">
          {found.records.length > 0 && (
            <>
              <h3>
                {found.records.length} record{found.records.length === 1 ? "" : "s"} to import from {fileName}
              </h3>
              <ul className="import-list plain-list">
                {found.records.map((r) => {
                  const result = results.get(r.entry);
                  return (
                    <li key={r.entry}>
                      <strong>{r.title}</strong>
                      <span className="muted">
                        {r.description.kind} · {categoryLabel(r.category)}
                      </span>
                      {result && (
                        <span className={result.ok ? "result-ok" : "result-failed"}>
                          {result.ok ? "Added" : `Not added: ${result.message}`}
                        </span>
                      )}
                    </li>
                  );
                })}
              </ul>
            </>
          )}
          {found.problems.length > 0 && (
            <>
              <h3>Not imported</h3>
              <ul className="import-list plain-list" data-testid="import-problems">
                {found.problems.map((p, i) => (
                  <li key={i}>{p.message}</li>
                ))}
              </ul>
            </>
          )}
          {found.records.length > 0 && !imported && (
            <button
              className="align-start"
              disabled={busy !== undefined}
              onClick={() => void run("Importing", () => importAll(found.records))}
            >
              Encrypt &amp; import {found.records.length} record{found.records.length === 1 ? "" : "s"}
            </button>
          )}
        </div>
      )}
      <AddProgress progress={progress} />
      <Status busy={progress ? undefined : busy} done={done} error={error} />
    </section>
  );
}
