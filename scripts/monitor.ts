import { readFile } from "node:fs/promises";
import {
  AuditError,
  DEFAULT_MONITOR_CONFIG,
  RULE_IDS,
  createMonitor,
  parseAddressArg,
  parseDisclosureLog,
  type RuleId,
} from "../lib/audit";
import { connect } from "./audit";
import { CHAIN_OPTIONS, parseCommandLine, runCommand } from "./auditCommand";

const USAGE = `Compliance monitor: watches the consent ledger (and a gateway's disclosure log) and prints alerts as JSON lines.

Usage: npm run monitor -- [options]

  --rpc URL                EVM JSON-RPC endpoint (default http://127.0.0.1:8545)
  --deployments DIR        folder holding <chainId>.json (default ./deployments)
  --log FILE               the gateway's disclosure log (disclosures.jsonl), re-read on every poll
  --gateway ADDRESS        the gateway that keeps the log (default: the only gateway that anchored roots)
  --interval SECONDS       seconds between polls (default 5)
  --read-threshold N       READ_RATE: records one provider may receive per hour (default ${DEFAULT_MONITOR_CONFIG.readsPerHour})
  --anchor-interval S      ANCHOR_GAP: seconds a log entry may wait for an anchored root (default ${DEFAULT_MONITOR_CONFIG.anchorIntervalSeconds})
  --rules A,B              only these rules (default all: ${RULE_IDS.join(", ")})
  --from-block N           start watching at block N (default: the deployment block)
  --once                   one pass over everything so far, then exit
  -h, --help               this help

Each alert is one line on standard output:
  {"severity":"warning","ruleId":"BREAK_GLASS","message":"…","evidence":{"txHash":"0x…"},"time":"2026-…Z"}
Severities: critical (must never happen: disclosure without a grant, tampered log, deactivated provider),
warning (needs review: break-glass, read rate, anchoring gap).
`;

async function main(argv: string[]): Promise<number> {
  const values = parseCommandLine(argv, {
    ...CHAIN_OPTIONS,
    interval: { type: "string", default: "5" },
    "read-threshold": { type: "string" },
    "anchor-interval": { type: "string" },
    rules: { type: "string" },
    "from-block": { type: "string" },
    once: { type: "boolean", default: false },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const interval = positive(values.interval, "--interval");
  const readsPerHour = values["read-threshold"] === undefined ? undefined : positive(values["read-threshold"], "--read-threshold");
  const anchorIntervalSeconds =
    values["anchor-interval"] === undefined ? undefined : positive(values["anchor-interval"], "--anchor-interval");
  const fromBlock = values["from-block"] === undefined ? undefined : positive(values["from-block"], "--from-block", true);
  const gateway = values.gateway === undefined ? undefined : parseAddressArg(values.gateway, "--gateway");
  const rules = values.rules === undefined ? undefined : values.rules.split(",").map((r) => r.trim());
  for (const rule of rules ?? []) {
    if (!(RULE_IDS as readonly string[]).includes(rule))
      throw new AuditError("BAD_ARGUMENT", `--rules: ${rule} is not one of ${RULE_IDS.join(", ")}.`);
  }
  const logFile = values.log;

  const { provider, deployment } = await connect(values.rpc, values.deployments);
  const monitor = createMonitor(provider, deployment, {
    gateway,
    fromBlock,
    rules: rules as RuleId[] | undefined,
    config: {
      ...(readsPerHour !== undefined ? { readsPerHour } : {}),
      ...(anchorIntervalSeconds !== undefined ? { anchorIntervalSeconds } : {}),
    },
    // A log that is missing (gateway not started yet) reads as empty; a log that shrinks is caught by LOG_TAMPERED.
    readLog: logFile === undefined ? undefined : async () => parseDisclosureLog(await readFile(logFile, "utf8").catch(() => "")),
  });

  let stopping = false;
  let wake: () => void = () => undefined;
  const stop = (): void => {
    stopping = true;
    wake();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    do {
      try {
        for (const alert of await monitor.poll()) process.stdout.write(JSON.stringify(alert) + "\n");
      } catch (err) {
        if (values.once) throw err;
        // Keep watching through a node restart; say so on stderr, never as an alert line.
        process.stderr.write(`monitor: poll failed, retrying: ${(err as Error).message}\n`);
      }
      if (!values.once && !stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, interval * 1000);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } while (!values.once && !stopping);
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
  return 0;
}

function positive(text: string, option: string, allowZero = false): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1))
    throw new AuditError("BAD_ARGUMENT", `${option} ${text} is not a ${allowZero ? "non-negative" : "positive"} whole number.`);
  return n;
}

if (require.main === module) runCommand("monitor", main);
