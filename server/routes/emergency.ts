import { getAddress, ZeroHash } from "ethers";
import { API } from "../../lib/api";
import { EMERGENCY_CATEGORY } from "../../lib/consent/codes";
import { buildKeyBundle, bytesToHex, CryptoError, decodeKeyBundle, encodeKeyBundle, hexToBytes, unwrapFromBundle } from "../../lib/crypto";
import { rawCidFromDigest } from "../../lib/ids/cid";
import { ApiError } from "../errors";
import { ensure, type ApiRoutes } from "../routing";
import type { GatewayServices } from "../services/gatewayServices";
import { storeOrUnavailable } from "../services/store/storeErrors";

/** Break-glass: the escrow key patients wrap their emergency summary for, and its release to a provider whose window is open. */
export function emergencyRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { chain, store, escrow, access, disclosures, logger } = services;

  function requireEscrow(): NonNullable<typeof escrow> {
    if (escrow === undefined) {
      throw new ApiError(
        "ESCROW_UNAVAILABLE",
        "This gateway holds no emergency escrow key (ESCROW_KEY_SEED is not configured): break-glass release is off here.",
      );
    }
    return escrow;
  }

  api.add(API.escrowKey, () => {
    const { account, keys } = requireEscrow();
    return { account, publicKey: bytesToHex(keys.publicKey) };
  });

  // Re-wraps the emergency summary's key for a provider whose on-chain break-glass window is open, and logs it (with
  // the provider's own words) before anything is sent: the hand-over of a key is a disclosure.
  api.add(API.emergencySummaryKey, async ({ params: { patient }, body, session }) => {
    const held = requireEscrow();
    const reader = session.address;
    const { until, head, now } = await access.emergencyWindow(patient, reader);
    if (until === 0) {
      throw new ApiError(
        "ACCESS_DENIED",
        `You have no open break-glass window for patient ${patient}; break the glass on the ledger first.`,
        {
          reason: "no-emergency-window",
        },
      );
    }
    const at = { blockTag: head.number };
    const [policy, readerKey, reason] = await Promise.all([
      chain.read(() => chain.ledger.emergencyPolicyOf(patient, at)),
      chain.read(() => chain.ledger.encryptionKeyOf(reader, at)),
      chain.breakGlassReason(patient, reader, head.number),
    ]);
    ensure(policy.enabled && policy.summaryCid !== ZeroHash, "NOT_FOUND", `Patient ${patient} has published no emergency summary.`);
    ensure(readerKey !== ZeroHash, "BAD_REQUEST", "Publish your encryption key on the ledger first: the summary's key is wrapped for it.");
    // The package is whatever the patient's policy names: bytes that are not such a bundle, or a bundle this gateway's
    // escrow key does not open, are the patient's doing and answer 404 like a missing package, never 500.
    const notOurs = (why: string): ApiError => new ApiError("NOT_FOUND", `The emergency package on the ledger ${why}.`);
    const bytes = await storeOrUnavailable(() => store.getDocument(rawCidFromDigest(policy.summaryCid)));
    const escrowBundle = asCryptoRefusal(
      () => decodeKeyBundle(bytes),
      () => notOurs("is not a key bundle"),
    );
    if (
      getAddress(escrowBundle.patient) !== patient ||
      escrowBundle.entries.length !== 1 ||
      escrowBundle.entries[0].category !== EMERGENCY_CATEGORY
    ) {
      throw notOurs("is not a single emergency-summary bundle of this patient");
    }
    const [entry] = escrowBundle.entries;
    const dataKey = asCryptoRefusal(
      () => unwrapFromBundle(escrowBundle, entry.cid, held.keys.privateKey),
      () => notOurs("is not wrapped for the escrow key this gateway holds"),
    );
    try {
      const forReader = buildKeyBundle({
        patient,
        grantee: reader,
        granteePublicKey: hexToBytes(readerKey),
        records: [{ cid: entry.cid, recordId: hexToBytes(entry.recordId), category: entry.category, dataKey }],
      });
      const logged = await disclosures.append({
        reader,
        patient,
        cid: entry.cid,
        category: EMERGENCY_CATEGORY,
        purpose: reason ?? 2,
        basis: "emergency",
        grantExpiresAt: until,
        block: head.number,
        decidedAt: now,
        release: "emergency-key",
        justification: body.justification,
      });
      logger.warn({ seq: logged.seq, patient, reader, escrow: held.source }, "emergency escrow key used");
      return { cid: entry.cid, keyBundle: bytesToHex(encodeKeyBundle(forReader)), expiresAt: until, disclosureSeq: logged.seq };
    } finally {
      dataKey.fill(0);
    }
  });
}

/** `run()`, with a CryptoError (bytes that do not decode or open) turned into `refusal()`. */
function asCryptoRefusal<T>(run: () => T, refusal: () => ApiError): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof CryptoError) throw refusal();
    throw err;
  }
}
