import path from "node:path";
import { expect } from "chai";
import { configFromEnv, ENV_NAME, type GatewayConfig } from "../../server/config";

const BASE = { CHAIN_RPC_URL: "http://127.0.0.1:8545" };

/** One non-default value per setting, and what the validated configuration must hold for it. */
const SAMPLES: { [K in keyof GatewayConfig]-?: [string, GatewayConfig[K]] } = {
  chainRpcUrl: ["http://10.0.0.5:8545", "http://10.0.0.5:8545"],
  ipfsApiUrl: ["http://127.0.0.1:5001", "http://127.0.0.1:5001"],
  dataDir: ["/tmp/org-a", "/tmp/org-a"],
  storeDir: ["/tmp/org-a-store", "/tmp/org-a-store"],
  deploymentsDir: ["/tmp/deployments", "/tmp/deployments"],
  webDir: ["/tmp/web", "/tmp/web"],
  host: ["0.0.0.0", "0.0.0.0"],
  port: ["9999", 9999],
  publicOrigin: ["https://clinic.example", "https://clinic.example"],
  organizationName: ["Riverside Family Clinic", "Riverside Family Clinic"],
  relayerKey: ["0x" + "11".repeat(32), "0x" + "11".repeat(32)],
  escrowKeySeed: ["0x" + "22".repeat(32), "0x" + "22".repeat(32)],
  sessionSecret: ["0x" + "33".repeat(32), "0x" + "33".repeat(32)],
  nonceTtlSeconds: ["120", 120],
  sessionTtlSeconds: ["600", 600],
  clockSkewSeconds: ["30", 30],
  maxRecordBytes: ["2048", 2048],
  uploadTtlSeconds: ["120", 120],
  uploadQuotaBytes: ["4096", 4096],
  rateLimitPerIp: ["7", 7],
  rateLimitPerWallet: ["5", 5],
  relayGasPerAccountHour: ["300000", 300_000],
  relayGasPerIpHour: ["900000", 900_000],
  rpcGasCap: ["50000", 50_000],
  rpcMaxConcurrent: ["2", 2],
  chainLogRange: ["500", 500],
  anchorEveryEntries: ["3", 3],
  anchorIntervalSeconds: ["9", 9],
  peerGateways: ["http://127.0.0.1:9001, http://127.0.0.1:9002", ["http://127.0.0.1:9001", "http://127.0.0.1:9002"]],
  peerTimeoutMs: ["500", 500],
  peerDeadlineMs: ["5000", 5000],
  peerMembershipTtlMs: ["2500", 2500],
  trustProxyHops: ["1", 1],
  logLevel: ["debug", "debug"],
};

describe("gateway configuration: one path from the environment for every entry point", function () {
  it("reads every documented setting from its environment variable", function () {
    for (const [key, name] of Object.entries(ENV_NAME) as Array<[keyof GatewayConfig, string]>) {
      const [value, expected] = SAMPLES[key];
      const config = configFromEnv({ ...BASE, [name]: value });
      const got = key === "dataDir" || key === "deploymentsDir" ? path.resolve(String(config[key])) : config[key];
      expect(got, name).to.deep.equal(expected);
    }
  });

  it("lets the environment override the defaults `npm start` supplies, and never the reverse", function () {
    const config = configFromEnv({ ...BASE, PORT: "9000" }, { port: 8787, organizationName: "Local demo clinic" });
    expect([config.port, config.organizationName]).to.deep.equal([9000, "Local demo clinic"]);
  });

  it("names every bad setting by its variable and refuses to start", function () {
    expect(() => configFromEnv({ ...BASE, PORT: "http", RELAY_GAS_PER_ACCOUNT_HOUR: "5", PEER_GATEWAYS: "ftp://x" })).to.throw(
      /PORT: .*RELAY_GAS_PER_ACCOUNT_HOUR: .*PEER_GATEWAYS/,
    );
    expect(() => configFromEnv({})).to.throw(/CHAIN_RPC_URL/);
  });
});
