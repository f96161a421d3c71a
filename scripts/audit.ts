import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { once } from "node:events";
import path from "node:path";
import type { Deployment } from "../lib/deployment/deployment";
import {
  AUDIT_FORMATS,
  AuditError,
  auditExport,
  checkRange,
  httpRpc,
  parseAddressArg,
  parseDateArg,
  parseDisclosureLog,
  type AuditFormat,
  type BatchRpc,
  type ScanProgress,
} from "../lib/audit";
import { CHAIN_OPTIONS, parseCommandLine, runCommand } from "./auditCommand";

const USAGE = `Audit export: every grant, revocation, request, emergency access and disclosure of one patient.

Usage: npm run audit -- --patient 0x… [options]

  --patient ADDRESS      the patient (required)
  --provider ADDRESS     only this provider's events and disclosures
  --from DATE            from this date (YYYY-MM-DD, UTC, or ISO 8601 date-time with a zone)
  --to DATE              up to this date (a YYYY-MM-DD date includes the whole day)
  --format FORMAT        ${AUDIT_FORMATS.join(" | ")} (default csv)
                           csv, json, ndjson    the audit trail: chain events, plus disclosures with --log
                           fhir                 FHIR R4 Bundle of Consent and AuditEvent resources
                           accounting-csv/html  accounting of disclosures (45 CFR 164.528), last six years by default
  --out FILE             write to FILE instead of standard output
  --rpc URL              EVM JSON-RPC endpoint (default http://127.0.0.1:8545)
  --deployments DIR      folder holding <chainId>.json (default ./deployments)
  --log FILE             a gateway disclosure log (disclosures.jsonl) to include; it is verified against the
                         Merkle roots anchored on-chain first, and a log that does not match is refused
  --gateway ADDRESS      the gateway that kept the log (default: the only gateway that anchored roots)
  --page-size N          blocks per eth_getLogs call (default 5000)
  --quiet                no progress on standard error
  -h, --help             this help

Exit codes: 0 done, 1 chain or file problem, 2 bad arguments, 3 the disclosure log does not match the chain.

Example:
  npm run audit -- --patient 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --format fhir --out jane.fhir.json
`;

/** Parsed, validated command line. */
interface AuditArgs {
  patient: string;
  provider?: string;
  from?: number;
  to?: number;
  format: AuditFormat;
  out?: string;
  rpc: string;
  deployments: string;
  log?: string;
  gateway?: string;
  pageSize?: number;
  quiet: boolean;
}

/** Parses and validates argv; throws AuditError (exit 2) with a message naming the bad value. */
export function parseAuditArgs(argv: string[]): AuditArgs | "help" {
  const values = parseCommandLine(argv, {
    ...CHAIN_OPTIONS,
    patient: { type: "string" },
    provider: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    format: { type: "string", default: "csv" },
    out: { type: "string" },
    "page-size": { type: "string" },
    quiet: { type: "boolean", default: false },
  });
  if (values.help) return "help";
  if (values.patient === undefined)
    throw new AuditError("BAD_ARGUMENT", "--patient is required: the address of the patient to audit. Run with --help for the options.");
  if (!(AUDIT_FORMATS as readonly string[]).includes(values.format)) {
    throw new AuditError("BAD_ARGUMENT", `--format ${values.format} is not one of ${AUDIT_FORMATS.join(", ")}.`);
  }
  const from = values.from === undefined ? undefined : parseDateArg(values.from, "--from");
  const to = values.to === undefined ? undefined : parseDateArg(values.to, "--to", true);
  checkRange(from, to);
  const pageSize = values["page-size"] === undefined ? undefined : Number(values["page-size"]);
  if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1))
    throw new AuditError("BAD_ARGUMENT", `--page-size ${values["page-size"]} is not a positive whole number.`);
  if (!/^https?:\/\//.test(values.rpc)) throw new AuditError("BAD_ARGUMENT", `--rpc ${values.rpc} is not an http(s) URL.`);
  return {
    patient: parseAddressArg(values.patient, "--patient"),
    provider: values.provider === undefined ? undefined : parseAddressArg(values.provider, "--provider"),
    gateway: values.gateway === undefined ? undefined : parseAddressArg(values.gateway, "--gateway"),
    from,
    to,
    format: values.format as AuditFormat,
    out: values.out,
    rpc: values.rpc,
    deployments: values.deployments,
    log: values.log,
    pageSize,
    quiet: values.quiet,
  };
}

/** Connects to the chain named by `--rpc` and reads its deployments file. */
export async function connect(rpc: string, deploymentsDir: string): Promise<{ provider: BatchRpc; deployment: Deployment }> {
  const provider = httpRpc(rpc);
  let chainId: number;
  try {
    chainId = Number(BigInt((await httpRpc(rpc, { timeoutMs: 10_000 }).send("eth_chainId", [])) as string));
  } catch (err) {
    throw new AuditError(
      "CHAIN_UNAVAILABLE",
      `The chain at ${rpc} did not answer eth_chainId (${(err as Error).message}). Is the node running? Pass its URL with --rpc.`,
    );
  }
  const file = path.resolve(deploymentsDir, `${chainId}.json`);
  let deployment: Deployment;
  try {
    deployment = JSON.parse(await readFile(file, "utf8")) as Deployment;
  } catch {
    throw new AuditError(
      "NO_DEPLOYMENT",
      `No deployments file ${file} for chain ${chainId}: pass the folder holding it with --deployments.`,
    );
  }
  return { provider, deployment };
}

/** A throttled progress line on standard error. */
export function progressReporter(label: string): (p: ScanProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    const done = p.scannedThrough >= p.toBlock;
    if (!done && now - last < 1000) return;
    last = now;
    const span = Math.max(1, p.toBlock - p.fromBlock + 1);
    const pct = Math.min(100, Math.round(((p.scannedThrough - p.fromBlock + 1) / span) * 100));
    process.stderr.write(`${label}: blocks ${p.fromBlock}..${p.scannedThrough} of ${p.toBlock} (${pct}%), ${p.events} events\n`);
  };
}

/** Buffers small chunks into writes of about 64 KiB and honours backpressure. */
async function writeAll(chunks: AsyncIterable<string>, out: NodeJS.WritableStream): Promise<void> {
  let buffer = "";
  for await (const chunk of chunks) {
    buffer += chunk;
    if (buffer.length >= 65_536) {
      if (!out.write(buffer)) await once(out, "drain");
      buffer = "";
    }
  }
  if (buffer.length > 0 && !out.write(buffer)) await once(out, "drain");
}

async function main(argv: string[]): Promise<number> {
  const args = parseAuditArgs(argv);
  if (args === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  const log = args.log === undefined ? undefined : parseDisclosureLog(await readLogFile(args.log));
  const { provider, deployment } = await connect(args.rpc, args.deployments);
  const chunks = auditExport(provider, deployment, {
    patient: args.patient,
    provider: args.provider,
    from: args.from,
    to: args.to,
    format: args.format,
    log,
    gateway: args.gateway,
    pageSize: args.pageSize,
    onProgress: args.quiet ? undefined : progressReporter("scan"),
    onNotice: (m) => process.stderr.write(`note: ${m}\n`),
    now: Math.floor(Date.now() / 1000),
  });
  // Pull the first chunk before opening --out, so a refused log leaves no half-written file.
  const first = await chunks.next();
  const out = args.out === undefined ? process.stdout : createWriteStream(args.out);
  await writeAll(
    (async function* () {
      if (!first.done) yield first.value;
      yield* chunks;
    })(),
    out,
  );
  if (args.out !== undefined) {
    await new Promise<void>((resolve, reject) =>
      (out as ReturnType<typeof createWriteStream>).end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
    if (!args.quiet) process.stderr.write(`wrote ${args.out}\n`);
  }
  return 0;
}

async function readLogFile(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    throw new AuditError("BAD_LOG", `Cannot read the disclosure log ${file}: ${(err as Error).message}`);
  }
}

if (require.main === module) runCommand("audit", main);
