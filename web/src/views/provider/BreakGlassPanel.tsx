import { useRef, useState } from "react";
import { isAddress } from "ethers";
import type { ActorContext } from "../../../../lib/client";
import { breakGlass, readEmergencySummary } from "../../../../lib/client";
import { BREAK_GLASS_REASONS } from "../../../../lib/consent/codes";
import { formatWhen } from "../../components/format";
import { nameOf, type Directory } from "../../components/names";
import { Person } from "../../components/Person";
import { printOnly } from "../../components/print";
import { RecordContent } from "../../components/RecordContent";
import { SelectField } from "../../components/SelectField";
import { Status } from "../../components/Status";
import { timeLeft } from "../../components/timeLeft";
import { useAction } from "../../components/useAsync";
import { useChainClock } from "../../components/useChainClock";
import { TriageSummary } from "./TriageSummary";
import { AddressField, addressHint } from "../../components/AddressField";

interface Opened {
  patient: string;
  plaintext: Uint8Array;
  expiresAt: number;
  chainTime: number;
}

/**
 * Break-glass for emergency-capable providers: opens a short window (set by the patient) onto the patient's
 * emergency summary only. The opening is a loud on-chain event and every read is logged. The patient is the one
 * opened from their emergency card (`selected`), else typed as an address.
 */
export function BreakGlassPanel({ actor, dir, selected }: { actor: ActorContext; dir: Directory; selected?: string }) {
  const [typed, setTyped] = useState("");
  const patient = selected ?? typed;
  const summaryView = useRef<HTMLDivElement>(null);
  const [reason, setReason] = useState<number>(BREAK_GLASS_REASONS[0].id);
  const [justification, setJustification] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [opened, setOpened] = useState<Opened>();
  const now = useChainClock(opened?.chainTime, 5_000);
  const { busy, error, run, setError } = useAction();

  async function open(alreadyOpen: boolean) {
    if (!alreadyOpen) await breakGlass(actor, patient, reason);
    const [summary, account] = await Promise.all([
      readEmergencySummary(actor, patient, justification),
      actor.client.account(actor.address),
    ]);
    setOpened({ patient, plaintext: summary.plaintext, expiresAt: summary.expiresAt, chainTime: account.chainTime });
    setConfirming(false);
  }

  return (
    <section className={opened ? "panel glass wide" : "panel glass"} aria-labelledby="glass-title">
      <h2 id="glass-title">Break the glass</h2>
      <p className="muted">
        For an emergency only. You get the patient's emergency summary (allergies, medications, problems) for the short window the patient
        allowed — nothing else in their vault. This access is recorded on-chain, logged and reviewed by auditors; the patient sees it.
      </p>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (!isAddress(patient)) return setError(addressHint("the patient's"));
          if (justification.trim().length < 10)
            return setError("Say why you need the summary (at least a few words): it is logged and reviewed.");
          setError(undefined);
          setConfirming(true);
        }}
      >
        {selected ? (
          <p data-testid="glass-patient">
            Patient:{" "}
            <strong>
              <Person address={selected} dir={dir} />
            </strong>{" "}
            (from their emergency card)
          </p>
        ) : (
          <AddressField label="Patient address" value={typed} onChange={(v) => (setTyped(v), setConfirming(false))} />
        )}
        <label>
          Why you need it (logged, reviewed by auditors, shown to the patient)
          <textarea value={justification} onChange={(e) => setJustification(e.target.value)} maxLength={500} rows={2} />
        </label>
        <SelectField
          label="Reason"
          value={reason}
          options={BREAK_GLASS_REASONS.map((r) => ({ value: r.id, label: `${r.label} (${r.code})` }))}
          onChange={setReason}
        />
        {!confirming && (
          <button type="submit" className="danger" disabled={busy !== undefined}>
            Break the glass…
          </button>
        )}
      </form>
      {confirming && (
        <div className="confirm" role="group" aria-labelledby="glass-question">
          <p id="glass-question">
            <strong>Open {nameOf(patient, dir)}'s emergency summary?</strong> Your name, the patient, the reason and the time go on the
            public ledger now.
          </p>
          <div className="actions">
            <button
              className="danger"
              disabled={busy !== undefined}
              onClick={() =>
                void run("Breaking the glass (a transaction from your wallet), then decrypting the summary", () => open(false))
              }
            >
              Break the glass now
            </button>
            <button className="secondary" disabled={busy !== undefined} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <Status busy={busy} error={error} errorTestId="glass-error" />
      {opened && (
        <div className="emergency-view" data-testid="emergency-summary" ref={summaryView}>
          <div className="emergency-banner" role="alert">
            <strong>Emergency access — this access is recorded on-chain and audited</strong>
            <span>
              Patient <Person address={opened.patient} dir={dir} /> ·{" "}
              {opened.expiresAt > now
                ? `window ${timeLeft(opened.expiresAt, now)} (closes ${formatWhen(opened.expiresAt)})`
                : "window closed"}
            </span>
          </div>
          <TriageSummary plaintext={opened.plaintext} />
          <details className="screen-only">
            <summary>The whole summary, as written</summary>
            <RecordContent plaintext={opened.plaintext} category={12} fileName="emergency-summary" />
          </details>
          <div className="actions screen-only">
            <button className="secondary" onClick={() => printOnly(summaryView.current)}>
              Print the summary
            </button>
            {opened.expiresAt > now && (
              <button
                className="secondary"
                disabled={busy !== undefined}
                onClick={() => void run("Reading the summary again", () => open(true))}
              >
                Read again
              </button>
            )}
            <button className="secondary" onClick={() => setOpened(undefined)}>
              Close the summary
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
