import { useState } from "react";
import { purposeCode } from "../../../../lib/consent/codes";
import { revokeAccess, revokeAll, type ActorContext } from "../../../../lib/client";
import type { GrantView } from "../../../../lib/client/gatewayClient";
import { scopeText } from "../../components/format";
import { grantStatus } from "../../components/grantStatus";
import { nameOf, type Directory } from "../../components/names";
import { Status } from "../../components/Status";
import { useAction } from "../../components/useAsync";

/** The patient's grants with time left and a one-click revoke, and the "revoke everything" panic button. */
export function GrantsPanel({
  actor,
  grants,
  now,
  dir,
  onChanged,
}: {
  actor: ActorContext;
  grants: readonly GrantView[];
  now: number;
  dir: Directory;
  onChanged: () => Promise<void>;
}) {
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<string>();
  const live = grants.filter((g) => g.live);

  return (
    <section className="panel" aria-labelledby="grants-title">
      <h2 id="grants-title">Who can see my records</h2>
      {grants.length === 0 && <p className="muted">You have granted no one access.</p>}
      <ul className="list" data-testid="grants">
        {grants.map((g) => (
          <li key={g.grantee} className={g.live ? undefined : "ended"}>
            <span>
              <strong>{nameOf(g.grantee, dir)}</strong>
              <br />
              <span className="muted">
                {g.scope !== 0 && `${scopeText(g.scope)} · ${purposeCode(g.purpose)} · `}
                <span className="when">{grantStatus(g, now)}</span>
              </span>
            </span>
            {g.live && (
              <button
                className="danger"
                aria-label={`Revoke ${nameOf(g.grantee, dir)}'s access`}
                disabled={busy !== undefined}
                onClick={() =>
                  void run(`Revoking ${nameOf(g.grantee, dir)}'s access`, async () => {
                    setDone(undefined);
                    await revokeAccess(actor, g.grantee);
                    setDone(`${nameOf(g.grantee, dir)} can no longer open your records.`);
                    await onChanged();
                  })
                }
              >
                Revoke
              </button>
            )}
          </li>
        ))}
      </ul>
      <Status busy={busy} done={done} error={error} />
      <RevokeEverything actor={actor} liveGrants={live.length} onRevoked={onChanged} />
    </section>
  );
}

/** The panic button for a lost phone: ends every grant and open emergency window at once, after a confirm step. */
function RevokeEverything({ actor, liveGrants, onRevoked }: { actor: ActorContext; liveGrants: number; onRevoked: () => Promise<void> }) {
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<string>();
  const { busy, error, run } = useAction();

  return (
    <div className="panic" data-testid="revoke-everything">
      {!confirming ? (
        <button className="danger outline" onClick={() => (setDone(undefined), setConfirming(true))}>
          Revoke everything…
        </button>
      ) : (
        <div role="group" aria-labelledby="panic-question" className="confirm">
          <p id="panic-question">
            <strong>End all access now?</strong> This ends {liveGrants === 0 ? "every grant" : `${liveGrants} live grant(s)`} and any open
            emergency access at once. Providers keep only what they already opened.
          </p>
          <div className="actions">
            <button
              className="danger"
              disabled={busy !== undefined}
              onClick={() =>
                void run("Revoking everything", async () => {
                  await revokeAll(actor);
                  setConfirming(false);
                  setDone("All access ended. Nobody can open your records until you grant again.");
                  await onRevoked();
                })
              }
            >
              Yes, revoke everything
            </button>
            <button className="secondary" disabled={busy !== undefined} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <Status busy={busy} done={done} error={error} />
    </div>
  );
}
