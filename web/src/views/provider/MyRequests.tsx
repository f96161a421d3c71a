import type { AccessRequestView } from "../../../../lib/client/gatewayClient";
import { purposeText } from "../../components/disclosureRows";
import { formatDuration, scopeText } from "../../components/format";
import type { Directory } from "../../components/names";
import { Person } from "../../components/Person";

/** The provider's own requests, newest first, with their status. */
export function MyRequests({ requests, dir }: { requests: readonly AccessRequestView[]; dir: Directory }) {
  return (
    <section className="panel" aria-labelledby="my-requests-title">
      <h2 id="my-requests-title">My requests</h2>
      {requests.length === 0 && <p className="muted">You have not asked any patient for access.</p>}
      <ul className="list" data-testid="my-requests">
        {[...requests].reverse().map((r) => (
          <li key={r.requestId}>
            <span>
              <strong>
                <Person address={r.patient} dir={dir} />
              </strong>
              : {scopeText(r.scope)}
              <br />
              <span className="muted">
                {purposeText(r.purpose)} · {formatDuration(r.duration)}
              </span>
            </span>
            <span className={`pill ${r.status}`}>{r.status}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
