import { useEffect, useState } from "react";
import type { ActorContext } from "../../lib/client/consentActions";
import type { ServedDeployment } from "../../lib/client/gatewayClient";
import { describeError, newGatewayClient } from "./api";
import { ConnectPanel } from "./components/ConnectPanel";
import { PatientView } from "./views/PatientView";
import { DoctorView } from "./views/DoctorView";
import { AuditorView } from "./views/AuditorView";
import { demoName } from "./wallet/devWallet";

type Role = "patient" | "doctor" | "auditor";

/** The app shell: loads the deployment, connects a wallet, then shows the patient, doctor or auditor view. */
export function App() {
  const [deployment, setDeployment] = useState<ServedDeployment>();
  const [loadError, setLoadError] = useState<string>();
  const [actor, setActor] = useState<ActorContext>();
  const [role, setRole] = useState<Role>("patient");

  useEffect(() => {
    newGatewayClient()
      .deployment()
      .then(setDeployment, (err: unknown) => setLoadError(describeError(err)));
  }, []);

  async function onConnected(ctx: ActorContext) {
    const account = await ctx.client.account(ctx.address);
    setRole(account.provider !== null ? "doctor" : "patient");
    setActor(ctx);
  }

  return (
    <div className="app">
      <header className="topbar">
        <h1>Consent Ledger</h1>
        {actor && (
          <div className="who">
            <span data-testid="signed-in-as">{demoName(actor.address) ?? actor.address}</span>
            <nav aria-label="Views">
              {(["patient", "doctor", "auditor"] as Role[]).map((r) => (
                <button key={r} className={r === role ? "tab active" : "tab"} aria-pressed={r === role} onClick={() => setRole(r)}>
                  {r[0].toUpperCase() + r.slice(1)}
                </button>
              ))}
            </nav>
            <button onClick={() => setActor(undefined)}>Switch wallet</button>
          </div>
        )}
      </header>
      <main>
        {loadError && (
          <p className="error" role="alert">
            The gateway did not answer: {loadError}
          </p>
        )}
        {!deployment && !loadError && <p className="muted">Loading the ledger…</p>}
        {deployment && !actor && <ConnectPanel deployment={deployment} onConnected={onConnected} />}
        {actor && role === "patient" && <PatientView actor={actor} />}
        {actor && role === "doctor" && <DoctorView actor={actor} />}
        {actor && role === "auditor" && <AuditorView actor={actor} />}
      </main>
    </div>
  );
}
