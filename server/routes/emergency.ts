import { getAddress, ZeroHash } from "ethers";
import { z } from "zod";
import { buildKeyBundle, bytesToHex, decodeKeyBundle, encodeKeyBundle, hexToBytes, unwrapFromBundle } from "../../lib/crypto";
import { ApiError } from "../errors";
import type { ApiRoutes } from "../routing";
import { addressSchema } from "../schemas";
import type { GatewayServices } from "../services/gatewayServices";
import { documentCidFromDigest } from "../services/store/cids";
import { storeOrUnavailable } from "../services/store/storeErrors";

const patientParams = z.object({ patient: addressSchema });
const EMERGENCY_CATEGORY = 12;

/** Break-glass: the escrow key patients wrap their emergency summary for, and its release to a provider whose window is open. */
export function emergencyRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { chain, store, escrow } = services;

  api.add(
    {
      method: "get",
      path: "/api/emergency/escrow-key",
      summary: "The account and X25519 public key patients wrap their emergency summary's key for",
      tag: "emergency",
      auth: false,
      responses: { 200: { description: "Escrow identity", schema: z.object({ account: z.string(), publicKey: z.string() }) } },
      errors: [],
    },
    ({ res }) => void res.json({ account: escrow.account, publicKey: bytesToHex(escrow.keys.publicKey) }),
  );

  api.add(
    {
      method: "get",
      path: "/api/emergency/{patient}",
      summary: "Key bundle for a patient's emergency summary, re-wrapped for you while your on-chain break-glass window is open",
      tag: "emergency",
      auth: true,
      params: patientParams,
      responses: {
        200: {
          description: "The summary's CID and a key bundle for it, wrapped for your registry encryption key",
          schema: z.object({ cid: z.string(), keyBundle: z.string(), expiresAt: z.number().int() }),
        },
      },
      errors: ["BAD_REQUEST", "ACCESS_DENIED", "NOT_FOUND", "CONTENT_NOT_FOUND", "CHAIN_UNAVAILABLE", "STORE_UNAVAILABLE"],
    },
    async ({ params: { patient }, session, res }) => {
      const head = await chain.head();
      const at = { blockTag: head };
      const [until, policy, provider, block] = await chain.read(() =>
        Promise.all([
          chain.ledger.emergencyAccessUntil(patient, session.address, at),
          chain.ledger.emergencyPolicyOf(patient, at),
          chain.registry.providerOf(session.address, at),
          chain.provider.getBlock(head),
        ]),
      );
      const now = block?.timestamp ?? 0;
      const open =
        Number(until) > now && (await chain.read(() => chain.ledger.hasAccess(patient, session.address, EMERGENCY_CATEGORY, at)));
      if (!open)
        throw new ApiError(
          "ACCESS_DENIED",
          `You have no open break-glass window for patient ${patient}; call breakGlass on the ledger first.`,
        );
      if (!policy.enabled || policy.summaryCid === ZeroHash)
        throw new ApiError("NOT_FOUND", `Patient ${patient} has published no emergency summary.`);
      const escrowBundle = decodeKeyBundle(
        await storeOrUnavailable(() => store.getDocument(documentCidFromDigest(policy.summaryCid).toString())),
      );
      if (getAddress(escrowBundle.patient) !== patient || escrowBundle.entries.length !== 1) {
        throw new ApiError("NOT_FOUND", "The emergency package on the ledger is not a single-record bundle of this patient.");
      }
      const [entry] = escrowBundle.entries;
      const dataKey = unwrapFromBundle(escrowBundle, entry.cid, escrow.keys.privateKey);
      const forProvider = buildKeyBundle({
        patient: patient.toLowerCase(),
        grantee: session.address.toLowerCase(),
        granteePublicKey: hexToBytes(provider.encryptionKey),
        records: [{ cid: entry.cid, recordId: hexToBytes(entry.recordId), category: entry.category, dataKey }],
      });
      dataKey.fill(0);
      res.set("Cache-Control", "no-store");
      res.json({ cid: entry.cid, keyBundle: bytesToHex(encodeKeyBundle(forProvider)), expiresAt: Number(until) });
    },
  );
}
