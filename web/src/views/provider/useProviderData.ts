import type { ActorContext } from "../../../../lib/client";
import type { AccessRequestView, AccountView, GrantView, ProviderView } from "../../../../lib/client/gatewayClient";
import { useViewData } from "../../components/useViewData";

/** What the provider's panels show, loaded together. */
export interface ProviderData {
  account?: AccountView;
  grants: GrantView[];
  /** Chain time of the grants answer. */
  now: number;
  requests: AccessRequestView[];
  providers: ProviderView[];
}

/** Loads the provider's account, the grants they hold, their requests and the registry (see {@link useViewData}). */
export function useProviderData(actor: ActorContext) {
  const { client, address: me } = actor;
  return useViewData<ProviderData>(
    { grants: [], now: 0, requests: [], providers: [] },
    "Loading your patients",
    () => [
      { what: "your account", load: async () => ({ account: await client.account(me) }) },
      { what: "your grants", load: () => client.grants({ grantee: me }).then(({ grants, now }) => ({ grants, now })) },
      { what: "your requests", load: async () => ({ requests: (await client.requests({ provider: me })).requests }) },
      { what: "the provider registry", load: async () => ({ providers: (await client.providers()).providers }) },
    ],
    actor,
  );
}
