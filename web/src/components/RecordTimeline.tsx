import { useState } from "react";
import { categoryLabel } from "../../../lib/consent/codes";
import type { VaultRecord } from "../../../lib/client/gatewayClient";
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
}: {
  records: readonly VaultRecord[];
  patient: string;
  dir: Directory;
  open: (record: VaultRecord) => Promise<Uint8Array>;
  /** Why a record cannot be opened by this reader (e.g. outside their grant), or undefined when it can. */
  unavailable?: (record: VaultRecord) => string | undefined;
  testId: string;
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
      {newestFirst(records).map((r) => {
        const isOpen = opened?.cid === r.cid;
        const author = authorLabel(r.author, patient, dir);
        const blocked = unavailable?.(r);
        return (
          <li key={r.cid} className="timeline-item">
            <div className="line">
              <span>
                <strong>{categoryLabel(r.category)}</strong>
                <br />
                <span className="muted">
                  <time dateTime={r.addedAt}>{formatWhen(r.addedAt)}</time> · by {author}
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
                <span className="spinner" aria-hidden="true" /> Fetching the ciphertext and decrypting it in this browser…
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
