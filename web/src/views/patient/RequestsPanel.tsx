import { useState } from "react";
import type { ActorContext } from "../../../../lib/client";
import type { AccessRequestView, GrantView } from "../../../../lib/client/gatewayClient";
import { approveRequest, denyRequest } from "../../../../lib/client";
import { purposeLabel } from "../../../../lib/consent/codes";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ConsentReview } from "../../components/ConsentReview";
import { grantChange, termsInWords } from "../../components/consentReview";
import { formatDuration, formatWhen, scopeText } from "../../components/format";
import { nameOf, type Directory } from "../../components/names";
import { Status } from "../../components/Status";
import { useAction } from "../../components/useAsync";

function RequestTerms({ request, dir }: { request: AccessRequestView; dir: Directory }) {
  return (
    <span>
      <strong>{nameOf(request.provider, dir)}</strong> asks for <strong>{scopeText(request.scope)}</strong>
      <br />
      <span className="muted">
        {purposeLabel(request.purpose)} · for {formatDuration(request.duration)} from approval
      </span>
    </span>
  );
}

/**
 * Incoming access requests: approve (after a review that shows the terms in words and how they change a grant the
 * provider already holds — an approval replaces it) or deny. `fresh` counts requests that arrived live, unseen.
 */
export function RequestsPanel({
  actor,
  requests,
  grants,
  now,
  dir,
  fresh = 0,
  onAnswered,
}: {
  actor: ActorContext;
  requests: readonly AccessRequestView[];
  grants: readonly GrantView[];
  now: number;
  dir: Directory;
  fresh?: number;
  onAnswered: () => Promise<void>;
}) {
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<string>();
  const [reviewing, setReviewing] = useState<AccessRequestView>();
  const pending = requests.filter((r) => r.status === "pending");
  const answered = requests.filter((r) => r.status !== "pending").reverse();

  function answer(request: AccessRequestView, approve: boolean) {
    setDone(undefined);
    const who = nameOf(request.provider, dir);
    void run(approve ? `Approving ${who}'s request and sharing the record keys` : `Denying ${who}'s request`, async () => {
      if (approve) {
        await approveRequest(actor, request);
        setDone(`Approved: ${who} can now open the records the request covers, until about ${formatWhen(now + request.duration)}.`);
      } else {
        await denyRequest(actor, request);
        setDone(`Denied ${who}'s request on ${formatWhen(Date.now() / 1000)}.`);
      }
      await onAnswered();
    }).finally(() => setReviewing(undefined));
  }

  const held = reviewing && grants.find((g) => g.grantee.toLowerCase() === reviewing.provider.toLowerCase());

  return (
    <section className={pending.length > 0 ? "panel attention" : "panel"} aria-labelledby="requests-title">
      <h2 id="requests-title">
        Access requests {pending.length > 0 && <span className="count">{pending.length} waiting</span>}{" "}
        {fresh > 0 && (
          <span className="badge" data-testid="new-requests">
            {fresh} new
          </span>
        )}
      </h2>
      {pending.length === 0 && <p className="muted">No provider is waiting for your answer.</p>}
      <ul className="list" data-testid="pending-requests">
        {pending.map((r) => (
          <li key={r.requestId}>
            <RequestTerms request={r} dir={dir} />
            <span className="actions">
              <button
                disabled={busy !== undefined}
                onClick={() => (setDone(undefined), setReviewing(r))}
                aria-label={`Approve request ${r.requestId} from ${nameOf(r.provider, dir)}…`}
              >
                Approve…
              </button>
              <button
                className="secondary"
                disabled={busy !== undefined}
                onClick={() => answer(r, false)}
                aria-label={`Deny request ${r.requestId} from ${nameOf(r.provider, dir)}`}
              >
                Deny
              </button>
            </span>
          </li>
        ))}
      </ul>
      {answered.length > 0 && (
        <details>
          <summary>Answered requests ({answered.length})</summary>
          <ul className="list">
            {answered.map((r) => (
              <li key={r.requestId}>
                <RequestTerms request={r} dir={dir} />
                <span className={`pill ${r.status}`}>{r.status}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      <Status busy={busy} done={done} error={error} />
      {reviewing && (
        <ConfirmDialog
          title={`Approve ${nameOf(reviewing.provider, dir)}'s request?`}
          confirmLabel="Sign and approve"
          busy={busy}
          onConfirm={() => answer(reviewing, true)}
          onClose={() => setReviewing(undefined)}
          testId="approve-review"
        >
          <ConsentReview
            who={reviewing.provider}
            dir={dir}
            terms={termsInWords(reviewing.scope, reviewing.purpose, now + reviewing.duration, now)}
            change={grantChange(held, reviewing.scope, now + reviewing.duration)}
          />
        </ConfirmDialog>
      )}
    </section>
  );
}
