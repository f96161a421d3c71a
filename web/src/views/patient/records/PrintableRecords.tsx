import { createPortal } from "react-dom";
import { categoryLabel } from "../../../../../lib/consent/codes";
import { fhirDate } from "../../../../../lib/fhir";
import { formatWhen } from "../../../components/format";

/** One record as the printout lists it. */
export interface PrintLine {
  cid: string;
  title: string;
  kind: string;
  category: number;
  date?: string;
  addedAt: string;
  author: string;
  summary?: string;
}

/**
 * The selected records as a plain list for paper (shown only when printing; see records.css): what a person hands
 * a new doctor. Built from what this browser already decrypted; nothing is sent anywhere to print it. Rendered at
 * the end of <body>, so the print stylesheet can hide the whole app and keep only this.
 */
export function PrintableRecords({ lines, patientName }: { lines: readonly PrintLine[]; patientName?: string }) {
  if (lines.length === 0) return null;
  return createPortal(
    <div className="print-only" data-testid="printable-records">
      <h2>Health records{patientName ? ` of ${patientName}` : ""}</h2>
      <p>Printed {formatWhen(new Date().toISOString())}</p>
      <ol>
        {lines.map((l) => (
          <li key={l.cid}>
            <strong>{l.title}</strong> — {l.kind}, {categoryLabel(l.category)}
            <br />
            {l.date ? fhirDate(l.date) : formatWhen(l.addedAt)} · by {l.author === "you" ? (patientName ?? "the patient") : l.author}
            {l.summary && (
              <>
                <br />
                {l.summary}
              </>
            )}
          </li>
        ))}
      </ol>
    </div>,
    document.body,
  );
}
