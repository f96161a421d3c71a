import type { AuditFormat } from "../../../../lib/audit/formats";
import { useState } from "react";
import type { ActorContext } from "../../../../lib/client";
import { describeError } from "../../api";
import { Status } from "../../components/Status";
import { localDayStart, type AuditFilter } from "./auditRows";

const EXPORTS = [
  { format: "csv", label: "Export CSV", words: "CSV" },
  { format: "json", label: "Export JSON", words: "JSON" },
  { format: "fhir", label: "Export FHIR", words: "FHIR R4 bundle" },
  { format: "accounting-html", label: "Accounting (HTML)", words: "HIPAA accounting of disclosures" },
] as const;

/** The view's local calendar days as the instants the audit API filters by: `from` inclusive, `to` the next day's start (exclusive). */
export function exportRange(filter: Pick<AuditFilter, "from" | "to">): { from?: string; to?: string } {
  const from = filter.from ? localDayStart(filter.from) : undefined;
  const to = filter.to ? localDayStart(filter.to) : undefined;
  return {
    from: from === undefined ? undefined : new Date(from * 1000).toISOString(),
    to: to === undefined ? undefined : new Date((to + 86_400) * 1000).toISOString(),
  };
}

/** Hands a blob to the browser as a download, through a temporary object URL and <a download>. */
function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.style.display = "none";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Buttons that download the patient's history from the audit API, narrowed by the timeline's provider and date filters. */
export function AuditExport({ actor, patient, filter }: { actor: ActorContext; patient: string; filter: AuditFilter }) {
  const [busy, setBusy] = useState<string>();
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<string>();

  async function download(format: AuditFormat, words: string) {
    setBusy(words);
    setDone(undefined);
    setError(undefined);
    try {
      const { blob, filename } = await actor.client.auditExport({ patient, format, provider: filter.provider, ...exportRange(filter) });
      saveBlob(blob, filename);
      setDone(`Downloaded the ${words} export as ${filename}.`);
    } catch (err) {
      setError(`Could not export the ${words}: ${describeError(err)}`);
    } finally {
      setBusy(undefined);
    }
  }

  const narrowed = filter.provider !== undefined || filter.from !== undefined || filter.to !== undefined;
  return (
    <fieldset className="filters" aria-describedby="export-scope">
      <legend>Export</legend>
      <p id="export-scope" className="muted">
        The patient's consent history and disclosures, reconstructed from the chain and the verified log
        {narrowed ? ", narrowed to the provider and dates chosen above" : ""}.
      </p>
      {EXPORTS.map((e) => (
        <button
          key={e.format}
          type="button"
          className="secondary"
          disabled={busy !== undefined}
          onClick={() => void download(e.format, e.words)}
        >
          {e.label}
        </button>
      ))}
      <Status busy={busy && `Preparing the ${busy} export`} done={done} error={error} />
    </fieldset>
  );
}
