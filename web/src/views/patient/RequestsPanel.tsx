import { useState } from "react";
import type { ActorContext } from "../../../../lib/client";
import type { AccessRequestView } from "../../../../lib/client/gatewayClient";
import { approveRequest, denyRequest } from "../../../../lib/client";
import { formatDuration, scopeText } from "../../components/format";
import { nameOf, type Directory } from "../../components/names";
import { purposeText } from "../../components/disclosureRows";
import { Status } from "../../components/Status";
import { useAction } from "../../components/useAsync";

function RequestTerms({ request, dir }: { request: AccessRequestView; dir: Directory }) {
  return (
    <span>
      <strong>{nameOf(request.provider, dir)}</strong> asks for <strong>{scopeText(request.scope)}</strong>
      <br />
      <span className="muted">
        {purposeText(request.purpose)} · for {formatDuration(request.duration)} from approval
      </span>
    </span>
  );
}

/** Incoming access requests: approve (issues the key bundle for the requested categories) or deny. */
export function RequestsPanel({
  actor,
  requests,
  dir,
  onAnswered,
}: {
  actor: ActorContext;
  requests: readonly AccessRequestView[];
  dir: Directory;
  onAnswered: () => Promise<void>;
}) {
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<string>();
  const pending = requests.filter((r) => r.status === "pending");
  const answered = requests.filter((r) => r.status !== "pending").reverse();

  function answer(request: AccessRequestView, approve: boolean) {
    setDone(undefined);
    const who = nameOf(request.provider, dir);
    void run(approve ? `Approving ${who}'s request and sharing the record keys` : `Denying ${who}'s request`, async () => {
      if (approve) {
        await approveRequest(actor, request);
        setDone(`Approved: ${who} can now open the records the request covers.`);
      } else {
        await denyRequest(actor, request);
        setDone(`Denied ${who}'s request.`);
      }
      await onAnswered();
    });
  }

  return (
    <section className={pending.length > 0 ? "panel attention" : "panel"} aria-labelledby="requests-title">
      <h2 id="requests-title">Access requests {pending.length > 0 && <span className="count">{pending.length} waiting</span>}</h2>
      {pending.length === 0 && <p className="muted">No provider is waiting for your answer.</p>}
      <ul className="list" data-testid="pending-requests">
        {pending.map((r) => (
          <li key={r.requestId}>
            <RequestTerms request={r} dir={dir} />
            <span className="actions">
              <button
                disabled={busy !== undefined}
                onClick={() => answer(r, true)}
                aria-label={`Approve request ${r.requestId} from ${nameOf(r.provider, dir)}`}
              >
                Approve
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
    </section>
  );
}
