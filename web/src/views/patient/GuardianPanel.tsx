import { useEffect, useState } from "react";
import { isAddress, ZeroAddress } from "ethers";
import { appointGuardian, removeGuardian, type ActorContext } from "../../../../lib/client";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { PartyInWords } from "../../components/ConsentReview";
import { nameOf, type Directory } from "../../components/names";
import { Status } from "../../components/Status";
import { useAction } from "../../components/useAsync";
import { AddressField, addressHint } from "../../components/AddressField";

/**
 * The patient's guardian: someone they trust to revoke access and answer requests for them (e.g. if they lose their
 * phone or cannot act). Appointing or removing one is a transaction from the patient's own wallet, after a confirm.
 */
export function GuardianPanel({ actor, dir, version }: { actor: ActorContext; dir: Directory; version: number }) {
  const [guardian, setGuardian] = useState<string>();
  const [input, setInput] = useState("");
  const [confirming, setConfirming] = useState<"appoint" | "remove">();
  const [done, setDone] = useState<string>();
  const { busy, error, run, setError } = useAction();

  useEffect(() => {
    actor.client.account(actor.address).then(
      (a) => setGuardian(a.guardian === ZeroAddress ? "" : a.guardian),
      () => setGuardian(undefined),
    );
  }, [actor, version]);

  function act(what: "appoint" | "remove") {
    const who = what === "appoint" ? input : (guardian ?? "");
    void run(what === "appoint" ? "Appointing your guardian" : "Removing your guardian", async () => {
      if (what === "appoint") await appointGuardian(actor, who);
      else await removeGuardian(actor);
      setGuardian(what === "appoint" ? who : "");
      setInput("");
      setDone(what === "appoint" ? `${nameOf(who, dir)} is now your guardian.` : `${nameOf(who, dir)} is no longer your guardian.`);
    }).finally(() => setConfirming(undefined));
  }

  return (
    <section className="panel" aria-labelledby="guardian-title">
      <h2 id="guardian-title">My guardian</h2>
      <p className="muted">A guardian can end access to your records and answer requests for you. They cannot open your records.</p>
      <p data-testid="guardian">
        {guardian === undefined ? (
          "…"
        ) : guardian === "" ? (
          "You have no guardian."
        ) : (
          <>
            Your guardian: <PartyInWords address={guardian} dir={dir} />
          </>
        )}
      </p>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          setDone(undefined);
          if (!isAddress(input)) return setError(addressHint("your guardian's"));
          if (input.toLowerCase() === actor.address.toLowerCase()) return setError("You cannot be your own guardian.");
          setError(undefined);
          setConfirming("appoint");
        }}
      >
        <AddressField label="Guardian's address" value={input} onChange={setInput} />
        <button type="submit" disabled={busy !== undefined}>
          Appoint…
        </button>
      </form>
      {guardian && (
        <button className="danger outline" disabled={busy !== undefined} onClick={() => setConfirming("remove")}>
          Remove my guardian…
        </button>
      )}
      <Status busy={busy} done={done} error={error} />
      {confirming && (
        <ConfirmDialog
          title={confirming === "appoint" ? "Appoint this guardian?" : "Remove your guardian?"}
          confirmLabel={confirming === "appoint" ? "Sign and appoint" : "Sign and remove"}
          danger={confirming === "remove"}
          busy={busy}
          onConfirm={() => act(confirming)}
          onClose={() => setConfirming(undefined)}
          testId="guardian-confirm"
        >
          <p>
            <PartyInWords address={confirming === "appoint" ? input : (guardian ?? "")} dir={dir} />{" "}
            {confirming === "appoint"
              ? "will be able to end any access to your records and answer access requests for you, until you remove them. A guardian replaces any guardian you have now."
              : "will no longer be able to act for you."}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
