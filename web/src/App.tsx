import { useEffect, useState } from "react";
import { watchWallet, type InjectedWallet } from "./wallet/injected";
import type { ActorContext } from "../../lib/client";
import type { AccountView, ServedDeployment } from "../../lib/client/gatewayClient";
import { describeError, newGatewayClient } from "./api";
import { ConnectPanel } from "./components/ConnectPanel";
import { PatientView } from "./views/PatientView";
import { DoctorView } from "./views/DoctorView";
import { AuditorView } from "./views/AuditorView";
import { demoName } from "./wallet/devWallet";
import { shortAddress } from "./components/format";

type Role = "patient" | "doctor" | "auditor";

const ROLE_LABELS: Record<Role, string> = { patient: "Patient", doctor: "Provider", auditor: "Auditor" };

/**
 * The views an account may use: every wallet has its own vault (patient); the provider view needs a registry entry,
 * the auditor view the auditor role. Hiding a view is presentation only: the gateway refuses what a role may not do.
 */
function rolesOf(account: AccountView): Role[] {
  return ["patient", ...(account.provider !== null ? (["doctor"] as const) : []), ...(account.roles.auditor ? (["auditor"] as const) : [])];
}

/** The view a wallet most likely wants first: providers their practice, auditors the audit, everyone else their vault. */
function defaultRole(account: AccountView): Role {
  if (account.provider !== null) return "doctor";
  if (account.roles.auditor) return "auditor";
  return "patient";
}

const VIEW_TITLES: Record<Role, string> = { patient: "My records and consents", doctor: "Provider", auditor: "Audit" };

/** The app shell: loads the deployment, connects a wallet, then shows the patient, provider or auditor view. */
export function App() {
  const [deployment, setDeployment] = useState<ServedDeployment>();
  const [loadError, setLoadError] = useState<string>();
  const [session, setSession] = useState<{ actor: ActorContext; account: AccountView; wallet?: InjectedWallet }>();
  const [notice, setNotice] = useState<string>();
  const [role, setRole] = useState<Role>("patient");

  useEffect(() => {
    newGatewayClient()
      .deployment()
      .then(setDeployment, (err: unknown) => setLoadError(describeError(err)));
  }, []);

  async function onConnected(actor: ActorContext, wallet?: InjectedWallet) {
    const account = await actor.client.account(actor.address);
    setRole(defaultRole(account));
    setNotice(undefined);
    setSession({ actor, account, wallet });
  }

  // A session belongs to one account on one chain: if the browser wallet switches either, sign out and say why.
  useEffect(() => {
    if (session?.wallet === undefined) return;
    const { actor, wallet } = session;
    return watchWallet(wallet, (what) => {
      actor.client.signOut();
      setSession(undefined);
      setNotice(
        what === "account"
          ? `${wallet.name} switched to another account. Connect again to sign in as that account.`
          : `${wallet.name} switched networks. Connect again; you will be asked to switch back to the ledger's chain if needed.`,
      );
    });
  }, [session]);

  function signOut() {
    session?.actor.client.signOut();
    setSession(undefined);
  }

  const actor = session?.actor;
  const roles = session ? rolesOf(session.account) : [];
  const who = session ? (demoName(session.actor.address) ?? session.account.provider?.name ?? shortAddress(session.actor.address)) : "";

  // One title per view, so a tab, a history entry and a screen reader say where the person is.
  useEffect(() => {
    document.title = session ? `${VIEW_TITLES[role]} — ${who} — Consent Ledger` : "Connect a wallet — Consent Ledger";
  }, [session, role, who]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="topbar">
        <h1>Consent Ledger</h1>
        {actor && (
          <div className="who">
            <span data-testid="signed-in-as" title={actor.address}>
              {who}
            </span>
            {roles.length > 1 && (
              <nav aria-label="Views">
                {roles.map((r) => (
                  <button key={r} className={r === role ? "tab active" : "tab"} aria-pressed={r === role} onClick={() => setRole(r)}>
                    {ROLE_LABELS[r]}
                  </button>
                ))}
              </nav>
            )}
            <button className="tab" onClick={signOut}>
              Switch wallet
            </button>
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {loadError && (
          <p className="error" role="alert">
            The gateway did not answer: {loadError}
          </p>
        )}
        {!deployment && !loadError && (
          <p className="status" role="status">
            <span className="spinner" aria-hidden="true" /> Loading the ledger…
          </p>
        )}
        {notice && !session && (
          <p className="warning" role="alert">
            {notice}
          </p>
        )}
        {deployment && !session && <ConnectPanel deployment={deployment} onConnected={onConnected} />}
        {actor && role === "patient" && <PatientView key={actor.address} actor={actor} />}
        {actor && role === "doctor" && roles.includes("doctor") && <DoctorView key={actor.address} actor={actor} />}
        {actor && role === "auditor" && roles.includes("auditor") && (
          <AuditorView key={actor.address} actor={actor} isAuditor={session.account.roles.auditor} />
        )}
      </main>
    </div>
  );
}
