import type { ReactNode } from "react";
import type { GrantChange, TermsInWords } from "./consentReview";
import { nameOf, type Directory } from "./names";
import { demoOrganization } from "../wallet/devWallet";

/** Who a consent concerns: the provider's name, organization and kind in words; the address only on demand. */
export function PartyInWords({ address, dir }: { address: string; dir: Directory }) {
  const provider = dir.providers.find((p) => p.address.toLowerCase() === address.toLowerCase());
  const organization = demoOrganization(address);
  return (
    <span className="party">
      <strong>{nameOf(address, dir)}</strong>
      {organization && <> of {organization}</>}
      {provider && <span className="muted"> · verified {provider.kind}</span>}
      <details className="address-details">
        <summary>Show address</summary>
        <code className="address">{address}</code>
      </details>
    </span>
  );
}

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** The terms a patient signs, as a definition list: who, which records, for what, until when; and what it replaces. */
export function ConsentReview({ who, dir, terms, change }: { who: string; dir: Directory; terms: TermsInWords; change?: GrantChange }) {
  return (
    <>
      <dl className="review" data-testid="consent-review">
        <Row term="Who">
          <PartyInWords address={who} dir={dir} />
        </Row>
        <Row term="Can open">
          {terms.categories.join(", ")}
          {terms.write && <> — and may add records of these kinds to your vault</>}
        </Row>
        <Row term="For">{terms.purpose}</Row>
        <Row term="Until">{terms.until}</Row>
      </dl>
      {change && (
        <div className="change" data-testid="grant-change">
          <p>
            <strong>This replaces the access they hold now.</strong>
          </p>
          <ul>
            <li>
              Records: {change.scopeBefore} → {change.scopeAfter}
            </li>
            <li>
              Ends: {change.endBefore} → {change.endAfter}
            </li>
          </ul>
          {change.lost.length > 0 && <p className="warning">They would no longer see: {change.lost.join(", ")}.</p>}
        </div>
      )}
    </>
  );
}
