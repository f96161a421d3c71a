import { useState } from "react";
import { revokeAccess, revokeAll, revokeAllForPatient, revokeForPatient, type ActorContext } from "../../../../lib/client";
import type { GrantView } from "../../../../lib/client/gatewayClient";
import { purposeLabel } from "../../../../lib/consent/codes";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { PartyInWords } from "../../components/ConsentReview";
import { formatWhen, scopeText } from "../../components/format";
import { GrantSummary } from "../../components/GrantSummary";
import { nameOf, type Directory } from "../../components/names";
import { Status } from "../../components/Status";
import { useAction } from "../../components/useAsync";

/** "28 Nov 2026, 14:03": when the person did it, for status lines that say what happened. */
function nowInWords(): string {
  return formatWhen(Date.now() / 1000);
}

/**
 * A patient's grants with time left, a revoke per grant and the "revoke everything" panic button, each confirmed in
 * a dialog before anything is signed. Shown to the patient (their own) or to their guardian (`patient` is then the
 * ward: the guardian signs, the ledger checks the guardianship).
 */
export function GrantsPanel({
  actor,
  patient = actor.address,
  patientName = "you",
  grants,
  now,
  dir,
  onChanged,
}: {
  actor: ActorContext;
  patient?: string;
  patientName?: string;
  grants: readonly GrantView[];
  now: number;
  dir: Directory;
  onChanged: () => Promise<void>;
}) {
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<string>();
  const [confirming, setConfirming] = useState<GrantView>();
  const own = patient.toLowerCase() === actor.address.toLowerCase();
  const whose = own ? "my" : `${patientName}'s`;
  const live = grants.filter((g) => g.live);

  function revoke(g: GrantView) {
    const who = nameOf(g.grantee, dir);
    void run(`Ending ${who}'s access`, async () => {
      setDone(undefined);
      await (own ? revokeAccess(actor, g.grantee) : revokeForPatient(actor, patient, g.grantee));
      setDone(`You ended ${who}'s access on ${nowInWords()}. They can no longer open ${own ? "your" : `${patientName}'s`} records.`);
      await onChanged();
    }).finally(() => setConfirming(undefined));
  }

  return (
    <section className="panel" aria-labelledby={`grants-title-${patient}`}>
      <h2 id={`grants-title-${patient}`}>Who can see {whose} records</h2>
      {grants.length === 0 && <p className="muted">{own ? "You have" : `${patientName} has`} granted no one access.</p>}
      <ul className="list" data-testid="grants">
        {grants.map((g) => (
          <li key={g.grantee} className={g.live ? undefined : "ended"}>
            <GrantSummary party={nameOf(g.grantee, dir)} grant={g} now={now} purposeWords={purposeLabel} />
            {g.live && (
              <button
                className="danger"
                aria-label={`Revoke ${nameOf(g.grantee, dir)}'s access…`}
                disabled={busy !== undefined}
                onClick={() => setConfirming(g)}
              >
                Revoke…
              </button>
            )}
          </li>
        ))}
      </ul>
      <Status busy={busy} done={done} error={error} />
      {confirming && (
        <ConfirmDialog
          title={`End ${nameOf(confirming.grantee, dir)}'s access?`}
          confirmLabel="Sign and revoke"
          danger
          busy={busy}
          onConfirm={() => revoke(confirming)}
          onClose={() => setConfirming(undefined)}
          testId="revoke-confirm"
        >
          <p>
            <PartyInWords address={confirming.grantee} dir={dir} /> can open {scopeText(confirming.scope)} until{" "}
            {formatWhen(confirming.expiresAt)}.
          </p>
          <p>Revoking ends that now. They keep only what they already opened.</p>
        </ConfirmDialog>
      )}
      <RevokeEverything
        liveGrants={live.length}
        whose={whose}
        revokeAll={() => (own ? revokeAll(actor) : revokeAllForPatient(actor, patient))}
        onRevoked={onChanged}
      />
    </section>
  );
}

/** The panic button for a lost phone: ends every grant and open emergency window at once, after a confirm dialog. */
function RevokeEverything({
  liveGrants,
  whose,
  revokeAll: endAll,
  onRevoked,
}: {
  liveGrants: number;
  whose: string;
  revokeAll: () => Promise<unknown>;
  onRevoked: () => Promise<void>;
}) {
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<string>();
  const { busy, error, run } = useAction();

  return (
    <div className="panic" data-testid="revoke-everything">
      <button className="danger outline" onClick={() => (setDone(undefined), setConfirming(true))}>
        Revoke everything…
      </button>
      {confirming && (
        <ConfirmDialog
          title="End all access now?"
          confirmLabel="Yes, revoke everything"
          danger
          busy={busy}
          onConfirm={() =>
            void run("Revoking everything", async () => {
              await endAll();
              setDone(
                `You ended all access on ${nowInWords()}. Nobody can open ${whose === "my" ? "your" : whose} records until a new grant.`,
              );
              await onRevoked();
            }).finally(() => setConfirming(false))
          }
          onClose={() => setConfirming(false)}
          testId="revoke-all-confirm"
        >
          <p>
            This ends {liveGrants === 0 ? "every grant" : `${liveGrants} live grant${liveGrants === 1 ? "" : "s"}`} and any open emergency
            access to {whose} records at once. Providers keep only what they already opened.
          </p>
        </ConfirmDialog>
      )}
      <Status busy={busy} done={done} error={error} />
    </div>
  );
}
