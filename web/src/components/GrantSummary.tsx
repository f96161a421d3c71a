import type { ReactNode } from "react";
import type { GrantView } from "../../../lib/client/gatewayClient";
import { scopeText } from "./format";
import { grantStatus } from "./grantStatus";

/**
 * One grant in a list, as both sides read it: the other party's name, then what it covers, why, and its time left
 * (or how it ended). A grant with no scope left says only how it ended.
 */
export function GrantSummary({
  party,
  grant,
  now,
  purposeWords,
}: {
  /** The other party: the grantee for the patient, the patient for the provider. */
  party: ReactNode;
  grant: GrantView;
  /** Chain time, for the time left. */
  now: number;
  /** The purpose as this reader wants it: a patient reads its label, a provider its HL7 code. */
  purposeWords: (purpose: number) => string;
}) {
  return (
    <span>
      <strong>{party}</strong>
      <br />
      <span className="muted">
        {grant.scope !== 0 && `${scopeText(grant.scope)} · ${purposeWords(grant.purpose)} · `}
        <span className="when">{grantStatus(grant, now)}</span>
      </span>
    </span>
  );
}
