import { ZeroHash } from "ethers";
import { API } from "../../lib/api";
import { providerKindName } from "../../lib/consent/codes";
import type { ApiRoutes } from "../routing";
import type { GatewayServices } from "../services/gatewayServices";

/** Accounts and providers: per-account chain state a wallet needs to sign (nonces) and to encrypt for someone (keys). */
export function accountRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { chain, lists } = services;

  api.add(API.account, async ({ params: { address } }) => {
    const head = await chain.currentHead();
    const at = { blockTag: head.number };
    const [ledgerNonce, recordNonce, encryptionKey, keyDirectory, guardian, provider, roles] = await chain.read(() =>
      Promise.all([
        chain.ledger.nonces(address, at),
        chain.records.nonces(address, at),
        chain.ledger.encryptionKeyOf(address, at),
        chain.ledger.keyDirectoryOf(address, at),
        chain.ledger.guardianOf(address, at),
        chain.registry.providerOf(address, at),
        services.roles.of(address, head.number),
      ]),
    );
    const key = encryptionKey === ZeroHash ? null : encryptionKey;
    return {
      address,
      ledgerNonce: ledgerNonce.toString(),
      recordNonce: recordNonce.toString(),
      encryptionKey: key,
      keyDirectory: keyDirectory === ZeroHash ? null : keyDirectory,
      guardian,
      provider:
        provider.name === ""
          ? null
          : {
              name: provider.name,
              kind: providerKindName(Number(provider.kind)),
              active: provider.active,
              emergencyCapable: provider.emergencyCapable,
              encryptionKey: key,
            },
      roles,
      block: head.number,
      // Expiries and signature deadlines are judged by chain time, which need not equal the client's clock.
      chainTime: head.timestamp,
    };
  });

  api.add(API.providers, async ({ query }) => {
    const active = query.active === undefined ? undefined : query.active === "true";
    const page = await lists.providers({ kind: query.kind, active }, query);
    return { providers: page.items, next: page.next, asOf: page.asOf };
  });
}
