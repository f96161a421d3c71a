import type { ActorContext } from "../../../../lib/client";
import type { AccessRequestView, GrantView, ProviderView, VaultRecord } from "../../../../lib/client/gatewayClient";
import type { DisclosureEntry } from "../../../../lib/disclosure/entries";
import { useViewData } from "../../components/useViewData";

/** Everything the patient's panels show, loaded together. */
export interface PatientData {
  records: VaultRecord[];
  grants: GrantView[];
  /** Chain time of the grants answer. */
  now: number;
  providers: ProviderView[];
  requests: AccessRequestView[];
  disclosures: DisclosureEntry[];
}

const EMPTY: PatientData = { records: [], grants: [], now: 0, providers: [], requests: [], disclosures: [] };

/** Loads the patient's vault, grants, providers, requests and disclosures in parallel (see {@link useViewData}). */
export function usePatientData(actor: ActorContext) {
  const { client, address: me } = actor;
  return useViewData<PatientData>(
    EMPTY,
    "Loading your vault",
    () => [
      { what: "your records", load: async () => ({ records: (await client.listRecords(me)).records }) },
      { what: "your grants", load: () => client.grants({ patient: me }).then(({ grants, now }) => ({ grants, now })) },
      { what: "the provider registry", load: async () => ({ providers: (await client.providers()).providers }) },
      { what: "access requests", load: async () => ({ requests: (await client.requests({ patient: me })).requests }) },
      { what: "who saw your records", load: async () => ({ disclosures: (await client.disclosures(me)).disclosures }) },
    ],
    actor,
  );
}
