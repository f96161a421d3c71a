import { useState } from "react";
import { grantAccess, type ActorContext } from "../../../../lib/client";
import type { ProviderView } from "../../../../lib/client/gatewayClient";
import { CategoryChecks } from "../../components/CategoryChecks";
import { DurationSelect, GRANTABLE_CATEGORIES, PurposeSelect } from "../../components/ConsentTermsFields";
import { Status } from "../../components/Status";
import { useAction } from "../../components/useAsync";

/** Grants a registered provider access to some categories, for a purpose and a time; signed here, relayed by the gateway. */
export function GrantForm({
  actor,
  providers,
  onGranted,
}: {
  actor: ActorContext;
  providers: readonly ProviderView[];
  onGranted: () => Promise<void>;
}) {
  const [grantee, setGrantee] = useState("");
  const [categories, setCategories] = useState<number[]>([1]);
  const [write, setWrite] = useState(false);
  const [purpose, setPurpose] = useState(1);
  const [duration, setDuration] = useState(3600);
  const { busy, error, run, setError } = useAction();
  const [done, setDone] = useState<string>();

  async function grant() {
    setDone(undefined);
    if (!grantee) return setError("Choose a provider to grant access to.");
    if (categories.length === 0) return setError("Choose at least one category.");
    const result = await grantAccess(actor, { grantee, categories, purpose, durationSeconds: duration, write });
    setDone(`Access granted until ${new Date(result.expiresAt * 1000).toLocaleString()}; records you add later in these categories open for them too.`);
    await onGranted();
  }

  return (
    <section className="panel" aria-labelledby="grant-title">
      <h2 id="grant-title">Grant access</h2>
      <label>
        Provider
        <select value={grantee} onChange={(e) => setGrantee(e.target.value)}>
          <option value="">Choose a verified provider…</option>
          {providers
            .filter((p) => p.active)
            .map((p) => (
              <option key={p.address} value={p.address}>
                {p.name}
              </option>
            ))}
        </select>
      </label>
      <CategoryChecks legend="Categories" selected={categories} onChange={setCategories} options={GRANTABLE_CATEGORIES} />
      <label className="check">
        <input type="checkbox" checked={write} onChange={(e) => setWrite(e.target.checked)} />
        Also let them add records of these categories to my vault
      </label>
      <PurposeSelect value={purpose} onChange={setPurpose} />
      <DurationSelect value={duration} onChange={setDuration} />
      <button disabled={busy !== undefined} onClick={() => void run("Sharing the record keys and signing the grant", grant)}>
        Grant access
      </button>
      <Status busy={busy} done={done} error={error} />
    </section>
  );
}
