import path from "node:path";
import { z } from "zod";

const privateKey = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex private key");

/** The gateway's configuration, read and validated once at start; nothing else reads process.env. */
export const configSchema = z.object({
  /** JSON-RPC endpoint of the EVM chain holding the consent contracts (Hardhat, Besu, Geth, an L2). */
  chainRpcUrl: z.url({ protocol: /^https?$/ }),
  /** Kubo RPC API URL; when absent the embedded UnixFS store in the data folder is used. */
  ipfsApiUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Folder for the embedded store and the disclosure log. */
  dataDir: z.string().min(1).default(".data"),
  /** Folder of the embedded store; by default `<dataDir>/ipfs`. Gateways on one host may share it (writes are atomic, content-addressed). */
  storeDir: z.string().min(1).optional(),
  /** Folder holding deployments/<chainId>.json. */
  deploymentsDir: z.string().min(1).default("deployments"),
  /** Built web UI to serve at /, when present. */
  webDir: z.string().min(1).optional(),
  host: z.string().min(1).default("127.0.0.1"),
  port: z.coerce.number().int().min(0).max(65535).default(8787),
  /** Key of the account that relays patients' signed consents (needs ether on the chain). */
  relayerKey: privateKey.optional(),
  /** Seed of the emergency escrow X25519 key, shared by every gateway of one ledger; by default one is kept in the data folder. */
  escrowKeySeed: privateKey.optional(),
  /** Expected EIP-4361 domain; by default the Host header the client reached the gateway on. */
  siweDomain: z.string().min(1).optional(),
  nonceTtlSeconds: z.coerce.number().int().min(10).max(3600).default(300),
  sessionTtlSeconds: z.coerce.number().int().min(60).max(86_400).default(3600),
  /** Largest record envelope accepted, in bytes. */
  maxRecordBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024 * 1024),
  /** Requests per minute allowed from one IP address, and from one signed-in wallet. */
  rateLimitPerIp: z.coerce.number().int().min(1).default(1200),
  rateLimitPerWallet: z.coerce.number().int().min(1).default(600),
  /** Anchor the disclosure log's Merkle root on-chain after this many new entries… */
  anchorEveryEntries: z.coerce.number().int().min(1).default(100),
  /** …or once the oldest unanchored entry is this many seconds old. */
  anchorIntervalSeconds: z.coerce.number().int().min(1).default(60),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

/** Validated gateway configuration. */
export type GatewayConfig = z.infer<typeof configSchema>;

/** Input accepted by {@link parseConfig}: the schema's input with defaults left out. */
export type GatewayConfigInput = z.input<typeof configSchema>;

/** Validates a configuration object, naming every bad field in one error. */
export function parseConfig(input: GatewayConfigInput): GatewayConfig {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`).join("; ");
    throw new Error(`Invalid gateway configuration: ${problems}`);
  }
  return { ...result.data, dataDir: path.resolve(result.data.dataDir), deploymentsDir: path.resolve(result.data.deploymentsDir) };
}

/** Maps environment variables (CHAIN_RPC_URL, IPFS_API_URL, DATA_DIR, PORT, …) onto the configuration. */
export function configFromEnv(env: NodeJS.ProcessEnv): GatewayConfig {
  const pick = (name: string): string | undefined => (env[name] === "" ? undefined : env[name]);
  return parseConfig({
    chainRpcUrl: pick("CHAIN_RPC_URL") ?? "",
    ipfsApiUrl: pick("IPFS_API_URL"),
    dataDir: pick("DATA_DIR"),
    storeDir: pick("STORE_DIR"),
    deploymentsDir: pick("DEPLOYMENTS_DIR"),
    webDir: pick("WEB_DIR"),
    host: pick("HOST"),
    port: pick("PORT") as unknown as number,
    relayerKey: pick("RELAYER_PRIVATE_KEY"),
    siweDomain: pick("SIWE_DOMAIN"),
    escrowKeySeed: pick("ESCROW_KEY_SEED"),
    nonceTtlSeconds: pick("NONCE_TTL_SECONDS") as unknown as number,
    sessionTtlSeconds: pick("SESSION_TTL_SECONDS") as unknown as number,
    maxRecordBytes: pick("MAX_RECORD_BYTES") as unknown as number,
    rateLimitPerIp: pick("RATE_LIMIT_PER_IP") as unknown as number,
    rateLimitPerWallet: pick("RATE_LIMIT_PER_WALLET") as unknown as number,
    anchorEveryEntries: pick("ANCHOR_EVERY_ENTRIES") as unknown as number,
    anchorIntervalSeconds: pick("ANCHOR_INTERVAL_SECONDS") as unknown as number,
    logLevel: pick("LOG_LEVEL") as GatewayConfig["logLevel"] | undefined,
  });
}
