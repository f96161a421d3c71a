import { useCallback, useEffect, useState } from "react";
import type { ActorContext } from "../../../../lib/client";
import type { AccessRequestView, AccountView, GrantView, ProviderView } from "../../../../lib/client/gatewayClient";
import { describeError } from "../../api";

/** What the provider's panels show, loaded together. */
export interface ProviderData {
  account?: AccountView;
  grants: GrantView[];
  /** Chain time of the grants answer. */
  now: number;
  requests: AccessRequestView[];
  providers: ProviderView[];
}

/** Loads the provider's account, the grants they hold, their requests and the registry; a failing part is named in the error. */
export function useProviderData(actor: ActorContext) {
  const [data, setData] = useState<ProviderData>({ grants: [], now: 0, requests: [], providers: [] });
  const [loading, setLoading] = useState<string | undefined>("Loading your patients");
  const [error, setError] = useState<string>();

  const reload = useCallback(async () => {
    setLoading((l) => l ?? "Refreshing");
    const me = actor.address;
    const [account, grants, requests, providers] = await Promise.allSettled([
      actor.client.account(me),
      actor.client.grants({ grantee: me }),
      actor.client.requests({ provider: me }),
      actor.client.providers(),
    ]);
    const failures: string[] = [];
    const pick = <T, R>(r: PromiseSettledResult<T>, what: string, take: (v: T) => R): R | undefined => {
      if (r.status === "fulfilled") return take(r.value);
      failures.push(`${what}: ${describeError(r.reason)}`);
      return undefined;
    };
    setData((old) => ({
      account: pick(account, "your account", (v) => v) ?? old.account,
      grants: pick(grants, "your grants", (v) => v.grants) ?? old.grants,
      now: grants.status === "fulfilled" ? grants.value.now : old.now,
      requests: pick(requests, "your requests", (v) => v.requests) ?? old.requests,
      providers: pick(providers, "the provider registry", (v) => v.providers) ?? old.providers,
    }));
    setError(failures.length === 0 ? undefined : `Could not load ${failures.join("; ")}`);
    setLoading(undefined);
  }, [actor]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { data, loading, error, reload };
}
