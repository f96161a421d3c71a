import { useState } from "react";
import { grantAccess, type ActorContext } from "../../../../lib/client";
import type { GrantView, ProviderView } from "../../../../lib/client/gatewayClient";
import { scopeOf } from "../../../../lib/consent/codes";
import { CategoryChecks } from "../../components/CategoryChecks";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ConsentReview } from "../../components/ConsentReview";
import { grantChange, termsInWords } from "../../components/consentReview";
import { DurationSelect, GRANTABLE_CATEGORIES, PurposeSelect } from "../../components/ConsentTermsFields";
import { formatWhen } from "../../components/format";
import { nameOf, type Directory } from "../../components/names";
import { SelectField } from "../../components/SelectField";
import { Status } from "../../components/Status";
import { useAction } from "../../components/useAsync";

/**
 * Grants a registered provider access to some categories, for a purpose and a time. Nothing is signed until the
 * patient has read the terms in words (and, if the provider already holds a grant, what changes) in a review dialog.
 */
export function GrantForm({
  actor,
  providers,
  grants,
  now,
  dir,
  onGranted,
}: {
  actor: ActorContext;
  providers: readonly ProviderView[];
  grants: readonly GrantView[];
  now: number;
  dir: Directory;
  onGranted: () => Promise<void>;
}) {
  const [grantee, setGrantee] = useState("");
  const [categories, setCategories] = useState<number[]>([1]);
  const [write, setWrite] = useState(false);
  const [purpose, setPurpose] = useState(1);
  const [duration, setDuration] = useState(3600);
  const { busy, error, run, setError } = useAction();
  const [done, setDone] = useState<string>();
  // The end shown in the review is the end signed: fixed when the review opens, in chain time.
  const [reviewing, setReviewing] = useState<{ expiresAt: number }>();

  function review() {
    setDone(undefined);
    if (!grantee) return setError("Choose a provider to grant access to.");
    if (categories.length === 0) return setError("Choose at least one category.");
    setError(undefined);
    setReviewing({ expiresAt: now + duration });
  }

  function sign(expiresAt: number) {
    const who = nameOf(grantee, dir);
    void run("Sharing the record keys and signing the grant", async () => {
      const result = await grantAccess(actor, { grantee, categories, purpose, expiresAt, write });
      setDone(
        `Access granted until ${formatWhen(result.expiresAt)} to ${who}; records you add later in these categories open for them too.`,
      );
      await onGranted();
    }).finally(() => setReviewing(undefined));
  }

  const scope = scopeOf(categories, write);
  const held = grants.find((g) => g.grantee.toLowerCase() === grantee.toLowerCase());

  return (
    <section className="panel" aria-labelledby="grant-title">
      <h2 id="grant-title">Grant access</h2>
      <SelectField
        label="Provider"
        value={grantee}
        options={[
          { value: "", label: "Choose a verified provider…" },
          ...providers.filter((p) => p.active).map((p) => ({ value: p.address, label: p.name })),
        ]}
        onChange={setGrantee}
      />
      <CategoryChecks legend="Categories" selected={categories} onChange={setCategories} options={GRANTABLE_CATEGORIES} />
      <label className="check">
        <input type="checkbox" checked={write} onChange={(e) => setWrite(e.target.checked)} />
        Also let them add records of these categories to my vault
      </label>
      <PurposeSelect value={purpose} onChange={setPurpose} />
      <DurationSelect value={duration} onChange={setDuration} />
      <button disabled={busy !== undefined} onClick={review}>
        Review & grant access…
      </button>
      <Status busy={busy} done={done} error={error} />
      {reviewing && (
        <ConfirmDialog
          title={`Give ${nameOf(grantee, dir)} access?`}
          confirmLabel="Sign and grant access"
          busy={busy}
          onConfirm={() => sign(reviewing.expiresAt)}
          onClose={() => setReviewing(undefined)}
          testId="grant-review"
        >
          <ConsentReview
            who={grantee}
            dir={dir}
            terms={termsInWords(scope, purpose, reviewing.expiresAt, now)}
            change={grantChange(held, scope, reviewing.expiresAt)}
          />
        </ConfirmDialog>
      )}
    </section>
  );
}
