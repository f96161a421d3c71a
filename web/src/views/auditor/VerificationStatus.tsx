import { useCallback, useEffect, useState } from "react";
import type { ActorContext } from "../../../../lib/client";
import { describeError } from "../../api";
import { verificationText, type Verification } from "./verificationText";

/** The gateway's disclosure log verification, re-run on demand. */
export function VerificationStatus({ actor }: { actor: ActorContext }) {
  const [result, setResult] = useState<Verification>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(true);

  const check = useCallback(async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await actor.client.verifyDisclosures());
    } catch (err) {
      setError(`Could not verify the disclosure log: ${describeError(err)}`);
    } finally {
      setBusy(false);
    }
  }, [actor]);

  useEffect(() => {
    void check();
  }, [check]);

  return (
    <section className="panel wide" aria-labelledby="verify-title">
      <h2 id="verify-title">Disclosure log verification</h2>
      {busy && (
        <p className="status" role="status">
          <span className="spinner" aria-hidden="true" /> Recomputing the hash chain and the anchored roots…
        </p>
      )}
      {result && !busy && (
        <p className={result.ok ? "verdict ok-box" : "verdict bad-box"} data-testid="verification" role="status">
          {verificationText(result)}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button className="secondary align-start" disabled={busy} onClick={() => void check()}>
        Verify again
      </button>
    </section>
  );
}
