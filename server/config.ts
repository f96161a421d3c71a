import path from "node:path";
import { z } from "zod";

const hexSecret = (bytes: number) =>
  z.string().regex(new RegExp(`^0x[0-9a-fA-F]{${bytes * 2},}$`), `must be 0x-prefixed hex of at least ${bytes} bytes`);
const privateKey = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex private key");
const count = (min: number) => z.coerce.number().int().min(min);

/** The gateway's configuration, read and validated once at start; nothing else reads process.env. */
export const configSchema = z.object({
  /** JSON-RPC endpoint of the EVM chain holding the consent contracts (Anvil, Besu, Geth, an L2). */
  chainRpcUrl: z.url({ protocol: /^https?$/ }),
  /** Kubo RPC API URL; when absent the embedded UnixFS store in the data folder is used. */
  ipfsApiUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Folder for this organization's store, disclosure log, event index and state database. */
  dataDir: z.string().min(1).default(".data"),
  /** Folder of the embedded store; by default `<dataDir>/ipfs`. */
  storeDir: z.string().min(1).optional(),
  /** Folder holding deployments/<chainId>.json. */
  deploymentsDir: z.string().min(1).default("deployments"),
  /** Built web UI to serve at /, when present. */
  webDir: z.string().min(1).optional(),
  host: z.string().min(1).default("127.0.0.1"),
  port: z.coerce.number().int().min(0).max(65535).default(8787),
  /** Where people reach this gateway (scheme://host[:port]); sign-in messages must name it. Default: http://host:port. */
  publicOrigin: z.url({ protocol: /^https?$/ }).optional(),
  /** Display name of the organization running this gateway. */
  organizationName: z.string().min(1).max(120).default("Consent Ledger gateway"),
  /** Key of the account that relays patients' signed consents and anchors the log (needs the registry's GATEWAY_ROLE). */
  relayerKey: privateKey.optional(),
  /** Seed of the emergency escrow X25519 key, a secret shared by the gateways of one ledger; never kept in the data folder. */
  escrowKeySeed: privateKey.optional(),
  /** Secret that signs session tokens (≥ 32 bytes); replicas of one organization share it. Default: a key file in the data folder. */
  sessionSecret: hexSecret(32).optional(),
  nonceTtlSeconds: z.coerce.number().int().min(10).max(3600).default(300),
  sessionTtlSeconds: z.coerce.number().int().min(60).max(86_400).default(3600),
  /** How far a sign-in message's issuedAt may be from the gateway's clock. */
  clockSkewSeconds: z.coerce.number().int().min(5).max(3600).default(300),
  /** Largest record envelope accepted, in bytes. */
  maxRecordBytes: count(1024).default(64 * 1024 * 1024),
  /** How long an uploaded envelope is kept before it must be announced (then it is collected). */
  uploadTtlSeconds: count(60).default(3600),
  /** Bytes of uploaded, not yet announced envelopes one wallet may hold. */
  uploadQuotaBytes: count(1024).default(256 * 1024 * 1024),
  /** Requests per minute allowed from one IP address, and from one signed-in wallet. */
  rateLimitPerIp: count(1).default(1200),
  rateLimitPerWallet: count(1).default(600),
  /** Gas the relayer spends per hour for one account (the signer), and for one client IP address. */
  relayGasPerAccountHour: count(100_000).default(5_000_000),
  relayGasPerIpHour: count(100_000).default(20_000_000),
  /** Gas cap of each eth_call / eth_estimateGas forwarded by /api/rpc, and how many may run at once. */
  rpcGasCap: count(21_000).default(2_000_000),
  rpcMaxConcurrent: count(1).default(4),
  /** Largest block range one eth_getLogs call may span (Besu refuses more than 5,000 by default). */
  chainLogRange: count(1).default(2000),
  /** Anchor the disclosure log's Merkle root on-chain after this many new entries… */
  anchorEveryEntries: count(1).default(100),
  /** …or once the oldest unanchored entry is this many seconds old. */
  anchorIntervalSeconds: count(1).default(60),
  /** Member gateways of other organizations this one fetches ciphertext from by CID (Trustless Gateway protocol). */
  peerGateways: z
    .string()
    .transform((v) =>
      v
        .split(",")
        .map((u) => u.trim())
        .filter((u) => u !== ""),
    )
    .pipe(z.array(z.url({ protocol: /^https?$/ })))
    .default([]),
  /** Longest wait for one block from one peer, and for a whole read from peers. */
  peerTimeoutMs: count(100).default(2000),
  peerDeadlineMs: count(500).default(30_000),
  peerMembershipTtlMs: count(0).default(10_000),
  /** Trust X-Forwarded-For from this many proxies in front of the gateway (0: none; per-IP limits use the socket address). */
  trustProxyHops: z.coerce.number().int().min(0).max(10).default(0),
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
    const problems = result.error.issues.map((i) => `${ENV_NAME[i.path[0] as keyof GatewayConfig] ?? i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid gateway configuration: ${problems.join("; ")}`);
  }
  return { ...result.data, dataDir: path.resolve(result.data.dataDir), deploymentsDir: path.resolve(result.data.deploymentsDir) };
}

/** The environment variable behind each setting: the one documented way to configure every entry point. */
export const ENV_NAME: Record<keyof GatewayConfig, string> = {
  chainRpcUrl: "CHAIN_RPC_URL",
  ipfsApiUrl: "IPFS_API_URL",
  dataDir: "DATA_DIR",
  storeDir: "STORE_DIR",
  deploymentsDir: "DEPLOYMENTS_DIR",
  webDir: "WEB_DIR",
  host: "HOST",
  port: "PORT",
  publicOrigin: "PUBLIC_ORIGIN",
  organizationName: "ORGANIZATION_NAME",
  relayerKey: "RELAYER_PRIVATE_KEY",
  escrowKeySeed: "ESCROW_KEY_SEED",
  sessionSecret: "SESSION_SECRET",
  nonceTtlSeconds: "NONCE_TTL_SECONDS",
  sessionTtlSeconds: "SESSION_TTL_SECONDS",
  clockSkewSeconds: "CLOCK_SKEW_SECONDS",
  maxRecordBytes: "MAX_RECORD_BYTES",
  uploadTtlSeconds: "UPLOAD_TTL_SECONDS",
  uploadQuotaBytes: "UPLOAD_QUOTA_BYTES",
  rateLimitPerIp: "RATE_LIMIT_PER_IP",
  rateLimitPerWallet: "RATE_LIMIT_PER_WALLET",
  relayGasPerAccountHour: "RELAY_GAS_PER_ACCOUNT_HOUR",
  relayGasPerIpHour: "RELAY_GAS_PER_IP_HOUR",
  rpcGasCap: "RPC_GAS_CAP",
  rpcMaxConcurrent: "RPC_MAX_CONCURRENT",
  chainLogRange: "CHAIN_LOG_RANGE",
  anchorEveryEntries: "ANCHOR_EVERY_ENTRIES",
  anchorIntervalSeconds: "ANCHOR_INTERVAL_SECONDS",
  peerGateways: "PEER_GATEWAYS",
  peerTimeoutMs: "PEER_TIMEOUT_MS",
  peerDeadlineMs: "PEER_DEADLINE_MS",
  peerMembershipTtlMs: "PEER_MEMBERSHIP_TTL_MS",
  trustProxyHops: "TRUST_PROXY_HOPS",
  logLevel: "LOG_LEVEL",
};

/**
 * Reads the configuration from environment variables (see {@link ENV_NAME} and the README), with `defaults` for
 * settings the environment leaves unset — how `npm start` supplies its local values without overriding a variable the
 * operator set.
 */
export function configFromEnv(env: NodeJS.ProcessEnv, defaults: Partial<GatewayConfigInput> = {}): GatewayConfig {
  const input: Record<string, unknown> = { ...defaults };
  for (const [key, name] of Object.entries(ENV_NAME)) {
    const value = env[name];
    if (value !== undefined && value !== "") input[key] = value;
  }
  return parseConfig(input as GatewayConfigInput);
}
