import { ZeroHash } from "ethers";
import { z } from "zod";
import { accountViewSchema, txSchema } from "../apiSchemas";
import type { ApiRoutes } from "../routing";
import { addressSchema, bytes32Schema, signatureSchema, unixSecondsSchema } from "../schemas";
import type { GatewayServices } from "../services/gatewayServices";

const accountParams = z.object({ address: addressSchema });
const keyBody = z.object({ account: addressSchema, key: bytes32Schema, deadline: unixSecondsSchema, signature: signatureSchema });

/** Per-account chain state a wallet needs to sign (nonces) and to encrypt for someone (published keys). */
export function accountRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { chain } = services;

  api.add(
    {
      method: "get",
      path: "/api/accounts/{address}",
      summary: "Nonces, published encryption key, guardian, provider entry and roles of an account, at the chain head",
      tag: "accounts",
      auth: false,
      params: accountParams,
      responses: { 200: { description: "Account state", schema: accountViewSchema } },
      errors: ["BAD_REQUEST", "CHAIN_UNAVAILABLE"],
    },
    async ({ params: { address }, res }) => {
      const head = await chain.head();
      const at = { blockTag: head };
      const auditorRole = await chain.read(() => chain.registry.AUDITOR_ROLE(at));
      const [ledgerNonce, recordNonce, encryptionKey, guardian, provider, auditor, block] = await chain.read(() =>
        Promise.all([
          chain.ledger.nonces(address, at),
          chain.records.nonces(address, at),
          chain.ledger.encryptionKeyOf(address, at),
          chain.ledger.guardianOf(address, at),
          chain.registry.providerOf(address, at),
          chain.registry.hasRole(auditorRole, address, at),
          chain.provider.getBlock(head),
        ]),
      );
      res.json({
        address,
        ledgerNonce: ledgerNonce.toString(),
        recordNonce: recordNonce.toString(),
        encryptionKey: encryptionKey === ZeroHash ? null : encryptionKey,
        guardian,
        provider:
          provider.name === ""
            ? null
            : {
                name: provider.name,
                active: provider.active,
                emergencyCapable: provider.emergencyCapable,
                encryptionKey: provider.encryptionKey,
              },
        roles: { auditor },
        block: head,
        // Expiries and signature deadlines are judged by chain time, which need not equal the client's clock.
        chainTime: block?.timestamp ?? 0,
      });
    },
  );

  api.add(
    {
      method: "post",
      path: "/api/accounts/encryption-key",
      summary: "Relay a patient-signed publication of their X25519 encryption key (EIP-712 SetEncryptionKey)",
      tag: "accounts",
      auth: true,
      body: keyBody,
      responses: { 201: { description: "Mined", schema: txSchema } },
      errors: ["BAD_REQUEST", "TRANSACTION_REVERTED", "CHAIN_UNAVAILABLE", "FORBIDDEN"],
    },
    async ({ body: b, res }) => {
      const args = [b.account, b.key, b.deadline, b.signature] as const;
      const txHash = await chain.relay(
        "Publishing the encryption key",
        () => chain.ledger.setEncryptionKeyBySig(...args),
        () => chain.ledger.setEncryptionKeyBySig.staticCall(...args),
      );
      res.status(201).json({ txHash });
    },
  );
}
