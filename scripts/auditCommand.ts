import { parseArgs, type ParseArgsConfig } from "node:util";
import { AuditError } from "../lib/audit";

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
