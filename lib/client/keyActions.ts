import { sha256 } from "@noble/hashes/sha2.js";
import {
  bytesToHex,
  buildKeyDirectory,
  assertDirectoryKeys,
  encodeKeyDirectory,
  keyDirectoryDigest,
  openKeyDirectory,
  rotateCategories,
  type KeyDirectory,
} from "../crypto";
import type { ActorContext } from "./actorContext";
import { ClientError } from "./errors";
import { signAction } from "./transactions";

/**
 * A patient's key directory (per-category public keys), its digest read from the ledger and its bytes checked against
 * that digest: a gateway cannot make anyone seal a record for a key of its choosing.
 */
export async function patientKeyDirectory(ctx: ActorContext, patient: string): Promise<KeyDirectory> {
  const digest = await ctx.chain.keyDirectoryOf(patient);
  return openKeyDirectory(await ctx.client.fetchKeyDirectory(digest), { digest, patient });
}

/**
 * Makes sure the actor's keys are on the ledger: its X25519 encryption key, and a key directory built from it (so
 * records can be sealed for the actor and grants hand over per-category keys). Publishes (signed, relayed) only what
 * is missing or was made with other keys; returns the directory in force.
 */
export async function publishKeys(ctx: ActorContext): Promise<KeyDirectory> {
  const key = bytesToHex(ctx.keys.publicKey);
  const published = await ctx.chain.ledger.encryptionKeyOf(ctx.address);
  if (published.toLowerCase() !== key) {
    const signed = await signAction(ctx, "SetEncryptionKey", { account: ctx.address, key }, ctx.address);
    await ctx.client.relayEncryptionKey({ account: ctx.address, key, deadline: signed.deadline, signature: signed.signature });
  }
  const current = await patientKeyDirectory(ctx, ctx.address).catch((err: unknown) => {
    if (err instanceof ClientError && err.code === "NO_ENCRYPTION_KEY") return undefined;
    throw err;
  });
  if (current !== undefined && ownsDirectory(ctx, current)) return current;
  return publishDirectory(ctx, buildKeyDirectory(ctx.keys, ctx.address));
}

/**
 * Moves the given categories to new key versions and publishes the new directory: records sealed from now on in
 * those categories open only with the new keys, which a revoked grantee never receives.
 */
export async function rotateKeys(ctx: ActorContext, categories: readonly number[]): Promise<KeyDirectory> {
  const current = await patientKeyDirectory(ctx, ctx.address);
  return publishDirectory(ctx, rotateCategories(current, categories, ctx.keys));
}

async function publishDirectory(ctx: ActorContext, directory: KeyDirectory): Promise<KeyDirectory> {
  const bytes = encodeKeyDirectory(directory);
  const digest = keyDirectoryDigest(directory);
  const stored = await ctx.client.uploadKeyDirectory(bytes);
  if (stored.digest.toLowerCase() !== bytesToHex(sha256(bytes))) {
    throw new ClientError("INTEGRITY", "The gateway stored the key directory under another digest than its bytes have.");
  }
  const signed = await signAction(ctx, "SetKeyDirectory", { patient: ctx.address, digest }, ctx.address);
  await ctx.client.relayKeyDirectory({ patient: ctx.address, digest, deadline: signed.deadline, signature: signed.signature });
  return directory;
}

function ownsDirectory(ctx: ActorContext, directory: KeyDirectory): boolean {
  try {
    assertDirectoryKeys(directory, ctx.keys);
    return true;
  } catch {
    return false;
  }
}
