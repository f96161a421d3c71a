import type { ReactNode } from "react";
import type { ActorContext } from "../../../../lib/client";
import { Status } from "../../components/Status";
import { useLoaded } from "../../components/useLoaded";

/**
 * An auditor's panel over one answer the gateway works out on request (the log's verification, the compliance
 * scan): asked when it opens and again with its button, with the wait and any failure said in words.
 */
export function RecheckPanel<T>({
  actor,
  titleId,
  title,
  ask,
  failure,
  asking,
  againLabel,
  children,
}: {
  actor: ActorContext;
  titleId: string;
  title: string;
  /** The question, put to the actor's gateway. */
  ask: (client: ActorContext["client"]) => Promise<T>;
  /** "Could not …": what failed, before the reason. */
  failure: string;
  /** What the gateway is doing meanwhile ("Recomputing the hash chain"). */
  asking: string;
  againLabel: string;
  /** The answer as shown; `busy` while a newer one is being worked out. */
  children: (answer: T, busy: boolean) => ReactNode;
}) {
  const { value, error, loading, reload } = useLoaded(() => ask(actor.client), failure, [actor]);
  return (
    <section className="panel wide" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      <Status busy={loading ? asking : undefined} />
      {value !== undefined && children(value, loading)}
      <Status error={error} />
      <button className="secondary align-start" disabled={loading} onClick={() => void reload()}>
        {againLabel}
      </button>
    </section>
  );
}
