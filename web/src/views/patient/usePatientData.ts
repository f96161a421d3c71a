import { useCallback, useEffect, useState } from "react";
import type { ActorContext } from "../../../../lib/client";
import type { AccessRequestView, GrantView, ProviderView, VaultRecord } from "../../../../lib/client/gatewayClient";
import type { DisclosureEntry } from "../../../../lib/disclosure/entries";
import { describeError } from "../../api";

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

/**
 * Loads the patient's vault, grants, providers, requests and disclosures in parallel. A part that fails keeps its
 * last value and is named in the error, so one slow service does not blank the whole page.
 */
export function usePatientData(actor: ActorContext) {
  const [data, setData] = useState<PatientData>(EMPTY);
  const [loading, setLoading] = useState<string | undefined>("Loading your vault");
  const [error, setError] = useState<string>();

  const reload = useCallback(async () => {
    setLoading((l) => l ?? "Refreshing");
    const me = actor.address;
    const [records, grants, providers, requests, disclosures] = await Promise.allSettled([
      actor.client.listRecords(me),
      actor.client.grants({ patient: me }),
      actor.client.providers(),
      actor.client.requests({ patient: me }),
      actor.client.disclosures(me),
    ]);
    const failures: string[] = [];
    const pick = <T, R>(r: PromiseSettledResult<T>, what: string, take: (v: T) => R): R | undefined => {
      if (r.status === "fulfilled") return take(r.value);
      failures.push(`${what}: ${describeError(r.reason)}`);
      return undefined;
    };
    setData((old) => ({
      records: pick(records, "your records", (v) => v.records) ?? old.records,
      grants: pick(grants, "your grants", (v) => v.grants) ?? old.grants,
      now: grants.status === "fulfilled" ? grants.value.now : old.now,
      providers: pick(providers, "the provider registry", (v) => v.providers) ?? old.providers,
      requests: pick(requests, "access requests", (v) => v.requests) ?? old.requests,
      disclosures: pick(disclosures, "who saw your records", (v) => v.disclosures) ?? old.disclosures,
    }));
    setError(failures.length === 0 ? undefined : `Could not load ${[...new Set(failures)].join("; ")}`);
    setLoading(undefined);
  }, [actor]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { data, loading, error, reload };
}
