import { Router } from "express";
import { ZeroHash } from "ethers";
import { z } from "zod";
import { parseInput, requireSession } from "../http";
import { addressSchema, bytes32Schema, signatureSchema, unixSecondsSchema } from "../schemas";
import type { GatewayServices } from "../services/gatewayServices";

const accountParams = z.object({ address: addressSchema });
const keyBody = z.object({ account: addressSchema, key: bytes32Schema, deadline: unixSecondsSchema, signature: signatureSchema });

/** Per-account chain state a wallet needs to sign (nonces) and to encrypt for someone (published keys). */
export function accountRoutes(services: GatewayServices): Router {
  const router = Router();
  const { chain, sessions } = services;

  router.get("/accounts/:address", async (req, res) => {
    const { address } = parseInput(accountParams, req.params, "path");
    const head = await chain.head();
    const at = { blockTag: head };
    const [ledgerNonce, recordNonce, encryptionKey, guardian, provider, block] = await chain.read(() =>
      Promise.all([
        chain.ledger.nonces(address, at),
        chain.records.nonces(address, at),
        chain.ledger.encryptionKeyOf(address, at),
        chain.ledger.guardianOf(address, at),
        chain.registry.providerOf(address, at),
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
      block: head,
      // Expiries and signature deadlines are judged by chain time, which need not equal the client's clock.
      chainTime: block?.timestamp ?? 0,
    });
  });

  // Relays a patient's signed publication of their X25519 encryption key.
  router.post("/accounts/encryption-key", requireSession(sessions), async (req, res) => {
    const b = parseInput(keyBody, req.body, "body");
    const args = [b.account, b.key, b.deadline, b.signature] as const;
    const txHash = await chain.relay(
      "Publishing the encryption key",
      () => chain.ledger.setEncryptionKeyBySig(...args),
      () => chain.ledger.setEncryptionKeyBySig.staticCall(...args),
    );
    res.status(201).json({ txHash });
  });

  return router;
}
