import type { ActorContext } from "../../../lib/client/consentActions";

/**
 * The auditor's view. Reconstruction from chain events and the anchored disclosure log arrives with the
 * audit issue; until then this view says so plainly rather than show a partial picture as if it were whole.
 */
export function AuditorView({ actor }: { actor: ActorContext }) {
  return (
    <section className="panel">
      <h2>Audit</h2>
      <p>
        Signed in as <code>{actor.address}</code>.
      </p>
      <p className="muted">
        The audit timeline (grants, revocations, requests, emergency accesses and disclosures reconstructed from the chain and the anchored
        disclosure log) is not built yet. Every grant and revocation is already an on-chain event that any auditor can read from the
        ConsentLedger contract.
      </p>
    </section>
  );
}
