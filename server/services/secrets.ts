import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { keccak256, toUtf8Bytes } from "ethers";
import { hexToBytes, keyPairFromSeed, type EncryptionKeyPair } from "../../lib/crypto";
import { DEV_MNEMONIC } from "../../lib/demo/accounts";
import { LOCAL_CHAIN_ID } from "../../lib/deployment/deployment";

/**
 * The secret that signs session tokens: the configured one (replicas of an organization share it), or a key file
 * created once in the data folder (owner-only). A stolen session secret lets someone forge sessions on this gateway,
 * which is why production configures it from a secret store; it never decrypts anything.
 */
export async function loadSessionSecret(configured: string | undefined, dataDir: string): Promise<Uint8Array> {
  if (configured !== undefined) return hexToBytes(configured);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, "session.key");
  const existing = await readFile(file, "utf8").catch(() => undefined);
  if (existing !== undefined) return hexToBytes(existing.trim());
  const secret = "0x" + randomBytes(32).toString("hex");
  await writeFile(file, secret + "\n", { mode: 0o600, flag: "wx" }).catch(() => undefined);
  await chmod(file, 0o600);
  return hexToBytes((await readFile(file, "utf8")).trim());
}

/**
 * The emergency escrow key: patients who opt in wrap their emergency summary's key for it, and a gateway re-wraps it
 * for a provider only while the chain shows that provider's break-glass window open. It is a secret shared by the
 * gateways of one ledger and is never kept in a data folder (a copy of the folder must not open any summary):
 * - from ESCROW_KEY_SEED (a secret store / the operator's environment), or
 * - on the local development chain only, derived from the public development mnemonic like the demo wallets — as
 *   public as they are, for synthetic demo data only;
 * - otherwise there is none and emergency release answers ESCROW_UNAVAILABLE.
 */
export interface EscrowKey {
  /** The grantee named in escrow bundles: the ledger contract (the escrow belongs to the ledger, not to one gateway). */
  account: string;
  keys: EncryptionKeyPair;
  /** Where the seed came from, for the start-up log. */
  source: "configured" | "development";
}

/** Loads the escrow key (see {@link EscrowKey}); undefined when this gateway has none. */
export function loadEscrowKey(seedHex: string | undefined, chainId: number, ledgerAddress: string): EscrowKey | undefined {
  if (seedHex !== undefined) return { account: ledgerAddress, keys: keyPairFromSeed(hexToBytes(seedHex)), source: "configured" };
  if (chainId !== LOCAL_CHAIN_ID) return undefined;
  const seed = hexToBytes(keccak256(toUtf8Bytes(`consent-ledger development escrow seed|${DEV_MNEMONIC}`)));
  return { account: ledgerAddress, keys: keyPairFromSeed(seed), source: "development" };
}
