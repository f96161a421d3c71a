import { chmod, readFile, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { bytesToHex, hexToBytes, keyPairFromSeed, type EncryptionKeyPair } from "../../lib/crypto";

/**
 * The emergency escrow key: patients who opt in wrap the data key of their emergency summary for it, and the
 * gateway re-wraps that key for a provider only while the chain shows the provider's break-glass window open.
 * This is a deliberate trust in the gateway operator for one record per patient (the summary), stated in the
 * README's threat model. Every gateway serving one ledger must share it (ESCROW_KEY_SEED).
 */
export interface EscrowKey {
  /** The account the escrow bundles name as grantee (the gateway's relayer). */
  account: string;
  keys: EncryptionKeyPair;
}

/** Loads the escrow key from a configured seed, or from (creating) `<dataDir>/escrow.key`. */
export async function loadEscrowKey(account: string, dataDir: string, seedHex?: string): Promise<EscrowKey> {
  if (seedHex !== undefined) return { account, keys: keyPairFromSeed(hexToBytes(seedHex)) };
  const file = path.join(dataDir, "escrow.key");
  let seed: string;
  try {
    seed = (await readFile(file, "utf8")).trim();
  } catch {
    seed = bytesToHex(randomBytes(32));
    await writeFile(file, seed + "\n", { mode: 0o600, flag: "wx" }).catch(async () => {
      seed = (await readFile(file, "utf8")).trim();
    });
    await chmod(file, 0o600);
  }
  return { account, keys: keyPairFromSeed(hexToBytes(seed)) };
}
