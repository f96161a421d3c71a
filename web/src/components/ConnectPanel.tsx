import { useEffect, useState } from "react";
import type { ActorContext } from "../../../lib/client";
import type { ServedDeployment } from "../../../lib/client/gatewayClient";
import { describeError } from "../api";
import { DEV_WALLET_ACCOUNTS, devChainSigner } from "../wallet/devWallet";
import { connectInjected, discoverWallets, switchChain, WrongNetworkError, type InjectedWallet } from "../wallet/injected";
import { openSession, type ConnectedWallet, type SessionStep } from "../wallet/session";

/** Wallet choice: browser wallets found by EIP-6963, and on the local chain the development wallet. */
export function ConnectPanel({
  deployment,
  onConnected,
}: {
  deployment: ServedDeployment;
  /** Called once the session is open; `wallet` is the browser wallet it runs on (absent for the development wallet). */
  onConnected: (ctx: ActorContext, wallet?: InjectedWallet) => Promise<void>;
}) {
  const [wallets, setWallets] = useState<InjectedWallet[]>([]);
  const [step, setStep] = useState<SessionStep>();
  const [error, setError] = useState<string>();
  const [wrongNetwork, setWrongNetwork] = useState<InjectedWallet>();

  useEffect(() => discoverWallets((w) => setWallets((all) => (all.some((x) => x.uuid === w.uuid) ? all : [...all, w]))), []);

  async function connect(getWallet: () => Promise<ConnectedWallet>, injected?: InjectedWallet) {
    setError(undefined);
    try {
      const wallet = await getWallet();
      const ctx = await openSession(wallet, deployment, setStep);
      await onConnected(ctx, injected);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setStep(undefined);
    }
  }

  async function connectBrowserWallet(wallet: InjectedWallet) {
    setWrongNetwork(undefined);
    await connect(async () => {
      try {
        // A browser wallet has its own connection to the chain: the same signer sends its transactions.
        const signer = await connectInjected(wallet, deployment.chainId);
        return { signer, chainSigner: signer };
      } catch (err) {
        if (err instanceof WrongNetworkError) setWrongNetwork(wallet);
        throw err;
      }
    }, wallet);
  }

  return (
    <section className="panel connect" aria-labelledby="connect-title">
      <h2 id="connect-title">Connect a wallet</h2>
      <p className="muted">
        After you sign in, your wallet is asked to sign one fixed message (twice). Its signature derives your personal encryption key in
        this browser; it moves no funds and grants no one access.
      </p>
      <h3>Browser wallets</h3>
      {wallets.length === 0 && <p className="muted">No browser wallet (such as MetaMask) was found in this browser.</p>}
      <div className="choices">
        {wallets.map((w) => (
          <button key={w.uuid} disabled={step !== undefined} onClick={() => void connectBrowserWallet(w)}>
            <img src={w.icon} alt="" width={20} height={20} /> {w.name}
          </button>
        ))}
      </div>
      {wrongNetwork && (
        <p className="warning" role="alert">
          Your wallet is on another network.{" "}
          <button
            onClick={() =>
              void switchChain(wrongNetwork, deployment.chainId).then(
                () => connectBrowserWallet(wrongNetwork),
                (e: unknown) => setError(describeError(e)),
              )
            }
          >
            Switch to chain {deployment.chainId}
          </button>
        </p>
      )}
      {deployment.local ? (
        <>
          <h3>
            Development wallet <span className="badge">local chain only — public test keys, never for real data</span>
          </h3>
          <div className="choices">
            {DEV_WALLET_ACCOUNTS.map((a) => (
              <button
                key={a.index}
                disabled={step !== undefined}
                onClick={() =>
                  void connect(async () => {
                    const wallet = devChainSigner(a, deployment.chainId);
                    return { signer: wallet, chainSigner: wallet };
                  })
                }
              >
                {a.name} <span className="muted">({a.role})</span>
              </button>
            ))}
          </div>
        </>
      ) : (
        <p className="muted">The development wallet is available only on the local development chain.</p>
      )}
      {step && (
        <p className="status" role="status">
          Please wait: {step}…
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
