import { parseArgs, type ParseArgsConfig } from "node:util";
import { AuditError, isAuditError } from "../lib/audit";

/** The options the audit commands share: where the chain, its deployments and a gateway's disclosure log are. */
export const CHAIN_OPTIONS = {
  rpc: { type: "string", default: "http://127.0.0.1:8545" },
  deployments: { type: "string", default: "deployments" },
  log: { type: "string" },
  gateway: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** Parses a command line strictly; an unknown or malformed option is an AuditError BAD_ARGUMENT (exit 2). */
export function parseCommandLine<const Options extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: Options) {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options }).values;
  } catch (err) {
    throw new AuditError("BAD_ARGUMENT", `${(err as Error).message}. Run with --help for the options.`);
  }
}

/** Exit code of an error: 2 for bad arguments, 3 for a log that does not match the chain, 1 otherwise. */
export function exitCodeOf(err: unknown): number {
  if (isAuditError(err, "BAD_ADDRESS", "BAD_DATE", "BAD_ARGUMENT")) return 2;
  if (isAuditError(err, "LOG_TAMPERED")) return 3;
  return 1;
}

/** Runs a command's `main` on this process's arguments: its code becomes the exit code, an error is one line on stderr. */
export function runCommand(name: string, main: (argv: string[]) => Promise<number>): void {
  // exitCode rather than exit(): lets a piped standard output drain before the process ends.
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`${name}: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = exitCodeOf(err);
    },
  );
}
