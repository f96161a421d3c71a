import { useState } from "react";
import type { ActorContext } from "../../../lib/client";
import type { Directory } from "../components/names";
import { readPatientLink } from "../components/patientLink";
import { Status } from "../components/Status";
import { useChainClock } from "../components/useChainClock";
import { LiveBadge } from "../live/LiveBadge";
import { changedVaults, touchesConsent, useLiveRefresh } from "../live/useLiveRefresh";
import { demoName } from "../wallet/devWallet";
import { BreakGlassPanel } from "./provider/BreakGlassPanel";
import { MyRequests } from "./provider/MyRequests";
import { PatientRecords } from "./provider/PatientRecords";
import { PatientsPanel } from "./provider/PatientsPanel";
import { PharmacyPanel } from "./provider/PharmacyPanel";
import { RequestForm, type AskAgain } from "./provider/RequestForm";
import { useProviderData } from "./provider/useProviderData";

/**
 * The provider's side: patients who granted access, their records (decrypted here), requests, adding records,
 * prescribing, break-glass; for a pharmacy, the prescriptions routed to it. A patient named by an emergency card's
 * link (this page's URL) is opened at load.
 */
export function DoctorView({ actor }: { actor: ActorContext }) {
  const { data, loading, error, reload } = useProviderData(actor);
  // Read once: the link is how the page was opened, not a state the provider edits.
  const [linked] = useState(() => readPatientLink(window.location.search, actor.deployment));
  // How many times each patient's vault changed under this provider's grant (by lower-case address), so an open list
  // of their records lists again by itself.
  const [vaultChanges, setVaultChanges] = useState<ReadonlyMap<string, number>>(new Map());
  // Answers, grants and revocations reach this page as they happen (live updates), without pressing Refresh; so do
  // records a patient adds in a category the grant covers (a content-free note: the open list asks the gateway again).
  const live = useLiveRefresh(
    actor,
    async (burst) => {
      const changed = changedVaults(burst);
      if (changed.length > 0) setVaultChanges((old) => new Map([...old, ...changed.map((p) => [p, (old.get(p) ?? 0) + 1] as const)]));
      if (burst.some(touchesConsent)) await reload();
    },
    (e) => touchesConsent(e) || e.type === "vault",
  );
  const [patient, setPatient] = useState<string | undefined>(linked.kind === "patient" ? linked.patient : undefined);
  const linkError = linked.kind === "invalid" && patient === undefined ? linked.reason : undefined;
  // Each "Records" click, and each change of the grant, reopens the patient's panel with a fresh listing.
  const [opens, setOpens] = useState(0);
  const [askAgain, setAskAgain] = useState<AskAgain>();
  const now = useChainClock(data.now || undefined);
  const dir: Directory = { me: actor.address, providers: data.providers, known: demoName };
  const provider = data.account?.provider;
  const grant = patient === undefined ? undefined : data.grants.find((g) => g.patient.toLowerCase() === patient.toLowerCase());
  const open = (p: string) => (setPatient(p), setOpens((n) => n + 1));

  return (
    <div className="columns">
      <div className="page-status">
        <LiveBadge state={live.state} count={live.fresh.length} onClear={live.clear} />
        <Status busy={loading} error={error} />
        {linkError && (
          <p className="error" role="alert" data-testid="link-error">
            {linkError}
          </p>
        )}
        {data.account && provider === null && (
          <p className="warning" role="status">
            This wallet is not a registered provider: patients cannot grant it access and its requests are refused. Use a provider's wallet.
          </p>
        )}
        {provider && !provider.active && (
          <p className="warning" role="status">
            The registry has deactivated {provider.name}: grants to you give no access until you are verified again.
          </p>
        )}
      </div>
      {provider?.emergencyCapable && <BreakGlassPanel actor={actor} dir={dir} selected={grant?.live ? undefined : patient} />}
      {provider?.kind === "pharmacy" && <PharmacyPanel actor={actor} dir={dir} />}
      <PatientsPanel grants={data.grants} now={now} dir={dir} deployment={actor.deployment} onOpen={open} onRefresh={() => void reload()} />
      {patient && (
        <PatientRecords
          key={`${patient}-${opens}-${grant?.keyBundle}-${grant?.live}`}
          actor={actor}
          patient={patient}
          grant={grant}
          vaultChanges={vaultChanges.get(patient.toLowerCase()) ?? 0}
          dir={dir}
          now={now}
          onChanged={() => void reload()}
          onAskAgain={setAskAgain}
          canBreakGlass={provider?.emergencyCapable}
        />
      )}
      <RequestForm
        key={askAgain && `${askAgain.patient}-${askAgain.scope}`}
        actor={actor}
        dir={dir}
        askAgain={askAgain}
        onRequested={reload}
      />
      <MyRequests requests={data.requests} dir={dir} />
    </div>
  );
}
