import { useState } from "react";
import { categoryLabel } from "../../../lib/consent/codes";
import type { VaultRecord } from "../../../lib/client/gatewayClient";
import { fhirDate } from "../../../lib/fhir";
import { describeError } from "../api";
import { formatWhen } from "./format";
import { authorLabel, type Directory } from "./names";
import { RecordContent } from "./RecordContent";

/** Records newest first (ties keep the ledger's order). */
export function newestFirst(records: readonly VaultRecord[]): VaultRecord[] {
  return records
    .map((r, i) => [r, i] as const)
    .sort(([a, i], [b, j]) => Date.parse(b.addedAt) - Date.parse(a.addedAt) || j - i)
    .map(([r]) => r);
}

/** What a reader already decrypted of a record, to title its line (see views/patient/records/recordFaces.ts). */
export interface TimelineFace {
  kind: string;
  title: string;
  /** The record's own clinical date (FHIR date or dateTime). */
  date?: string;
}

interface Opened {
  cid: string;
  plaintext?: Uint8Array;
  error?: string;
}

/**
 * A vault as a timeline: date, category and author of each record, newest first; "Open" fetches the ciphertext
 * and decrypts it in this browser, then shows it under its line.
 */
export function RecordTimeline({
  records,
  patient,
  dir,
  open,
  unavailable,
  testId,
  faces,
  selected,
  onSelect,
  ordered,
}: {
  records: readonly VaultRecord[];
  patient: string;
  dir: Directory;
  open: (record: VaultRecord) => Promise<Uint8Array>;
  /** Why a record cannot be opened by this reader (e.g. outside their grant), or undefined when it can. */
  unavailable?: (record: VaultRecord) => string | undefined;
  testId: string;
  /** Titles by CID, when the reader decrypted them: the line then leads with what the record says. */
  faces?: ReadonlyMap<string, TimelineFace>;
  /** Records ticked for printing, by CID; with `onSelect`, each line gets a checkbox. */
  selected?: ReadonlySet<string>;
  onSelect?: (cid: string, on: boolean) => void;
  /** The records come already ordered (e.g. by their own clinical dates): keep that order. */
  ordered?: boolean;
}) {
  const [opened, setOpened] = useState<Opened>();
  const [busy, setBusy] = useState<string>();

  async function toggle(record: VaultRecord) {
    if (opened?.cid === record.cid) return setOpened(undefined);
    setBusy(record.cid);
    setOpened({ cid: record.cid });
    try {
      setOpened({ cid: record.cid, plaintext: await open(record) });
    } catch (err) {
      setOpened({ cid: record.cid, error: describeError(err) });
    } finally {
      setBusy(undefined);
    }
  }

  if (records.length === 0) return <p className="muted">No records yet.</p>;
  return (
    <ol className="timeline" data-testid={testId}>
      {(ordered ? records : newestFirst(records)).map((r) => {
        const isOpen = opened?.cid === r.cid;
        const author = authorLabel(r.author, patient, dir);
        const blocked = unavailable?.(r);
        const face = faces?.get(r.cid);
        // The record's own date (the onset, the test) when it gives one; else when it was added to the vault.
        const when = face?.date ? (fhirDate(face.date) ?? face.date) : formatWhen(r.addedAt);
        return (
          <li key={r.cid} className="timeline-item">
            <div className="line">
              {onSelect && (
                <input
                  type="checkbox"
                  className="pick"
                  checked={selected?.has(r.cid) ?? false}
                  onChange={(e) => onSelect(r.cid, e.target.checked)}
                  aria-label={`Select ${face?.title ?? categoryLabel(r.category)} (${when})`}
                />
              )}
              <span>
                {face ? (
                  <>
                    <span className="record-title">{face.title}</span>
                    <br />
                    <span className="muted">
                      {face.kind} · {categoryLabel(r.category)}
                    </span>
                  </>
                ) : (
                  <strong>{categoryLabel(r.category)}</strong>
                )}
                <br />
                <span className="muted">
                  <time dateTime={face?.date ?? r.addedAt}>{when}</time> · by {author}
                  {blocked && ` · ${blocked}`}
                </span>
              </span>
              {!blocked && (
                <button
                  aria-expanded={isOpen}
                  aria-label={`${isOpen ? "Hide" : "Open"} ${categoryLabel(r.category)} record of ${formatWhen(r.addedAt)}`}
                  disabled={busy !== undefined}
                  onClick={() => void toggle(r)}
                >
                  {isOpen && busy === undefined ? "Hide" : "Open"}
                </button>
              )}
            </div>
            {isOpen && busy === r.cid && (
              <p className="status" role="status">
                <span className="spinner" aria-hidden="true" /> Fetching the locked record and opening it in this browser…
              </p>
            )}
            {isOpen && opened.error && (
              <p className="error" role="alert" data-testid="record-error">
                {opened.error}
              </p>
            )}
            {isOpen && opened.plaintext && (
              <RecordContent
                plaintext={opened.plaintext}
                category={r.category}
                fileName={`${categoryLabel(r.category)} ${r.addedAt.slice(0, 10)}`}
              />
            )}
          </li>
        );
      })}
    </ol>
  );
}
