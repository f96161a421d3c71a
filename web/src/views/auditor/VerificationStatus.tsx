import type { ActorContext } from "../../../../lib/client";
import { RecheckPanel } from "./RecheckPanel";
import { verificationText } from "./verificationText";

/** The gateway's disclosure log verification, re-run on demand. */
export function VerificationStatus({ actor }: { actor: ActorContext }) {
  return (
    <RecheckPanel
      actor={actor}
      titleId="verify-title"
      title="Disclosure log verification"
      ask={(client) => client.verifyDisclosures()}
      failure="Could not verify the disclosure log"
      asking="Recomputing the hash chain and the anchored roots"
      againLabel="Verify again"
    >
      {(result, busy) =>
        !busy && (
          <p className={result.ok ? "verdict ok-box" : "verdict bad-box"} data-testid="verification" role="status">
            {verificationText(result)}
          </p>
        )
      }
    </RecheckPanel>
  );
}
