import { spawn, type ChildProcess } from "node:child_process";
import {
  copyFileSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { DEV_MNEMONIC } from "../../lib/demo/accounts";

/** The local chain's id (the development chain every wallet knows). */
export const LOCAL_CHAIN_ID = 31337;
/** Funded development accounts: the demo cast uses indexes 0..10. */
const ACCOUNTS = 12;
/** How often the state file is checked and, when it changed and parses, kept as the last good copy. */
const KEEP_GOOD_EVERY_MS = 5_000;

/** A running Anvil node. */
export interface LocalChain {
  rpcUrl: string;
  /** Where its state lives (`state.json`, `state.good.json`, `anvil.log`, `anvil.pid`). */
  dir: string;
  /** Stops the node (SIGTERM, so it writes its state; SIGKILL after 10 s), and keeps the last good state. */
  stop(): Promise<void>;
}

/** The Anvil binary shipped by the npm package `@foundry-rs/anvil-linux-amd64` (no download, no postinstall). */
export function anvilBinary(): string {
  const pkg = require.resolve("@foundry-rs/anvil-linux-amd64/package.json");
  return path.join(path.dirname(pkg), "bin", "anvil");
}

/**
 * Starts Anvil as a child process on 127.0.0.1:`port`, its state persisted under `dir`: `--state` loads it at start
 * and `--state-interval 1` writes it every second, so a `kill -9` loses at most about one second of blocks. A state
 * file torn by a kill mid-write is replaced by the last copy that parsed. A node left running by an earlier start
 * that was killed (its pid file) is stopped first, so two never write one state file.
 */
export async function startAnvil(options: { dir: string; port: number; log?: (line: string) => void }): Promise<LocalChain> {
  const { dir, port } = options;
  const say = options.log ?? (() => undefined);
  mkdirSync(dir, { recursive: true });
  const state = path.join(dir, "state.json");
  const good = path.join(dir, "state.good.json");
  const pidFile = path.join(dir, "anvil.pid");

  await stopOrphan(pidFile, say);
  recoverState(state, good, say);

  const logFile = createWriteStream(path.join(dir, "anvil.log"), { flags: "a" });
  const child = spawn(anvilBinary(), anvilArgs({ port, state }), { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.pipe(logFile);
  child.stderr?.pipe(logFile);
  if (child.pid !== undefined) writeFileSync(pidFile, String(child.pid));
  const rpcUrl = `http://127.0.0.1:${port}`;
  await waitForRpc(rpcUrl, child, path.join(dir, "anvil.log"));

  const keeper = setInterval(() => keepGood(state, good), KEEP_GOOD_EVERY_MS);
  keeper.unref();
  return {
    rpcUrl,
    dir,
    async stop() {
      clearInterval(keeper);
      await stopChild(child);
      keepGood(state, good);
      if (existsSync(pidFile)) unlinkSync(pidFile);
      logFile.end();
    },
  };
}

/**
 * The arguments the local chain runs Anvil with: the development chain and accounts on 127.0.0.1:`port`, its state
 * loaded from `state` and written there every `stateIntervalSeconds` (1, the chain window the README states) and on
 * exit. A longer interval is for filling a chain with history quickly (bench/chainState.ts), never for `npm start`.
 */
export function anvilArgs(options: { port: number; state: string; stateIntervalSeconds?: number }): string[] {
  return [
    "--host", "127.0.0.1",
    "--port", String(options.port),
    "--chain-id", String(LOCAL_CHAIN_ID),
    "--mnemonic", DEV_MNEMONIC,
    "--accounts", String(ACCOUNTS),
    "--state", options.state,
    "--state-interval", String(options.stateIntervalSeconds ?? 1),
    "--max-persisted-states", "0",
  ]; // prettier-ignore
}

/** Whether a state file holds complete JSON (a kill during a write can leave it cut short). */
export function parses(file: string): boolean {
  try {
    JSON.parse(readFileSync(file, "utf8"));
    return true;
  } catch {
    return false;
  }
}

function recoverState(state: string, good: string, say: (line: string) => void): void {
  if (!existsSync(state)) {
    if (existsSync(good)) {
      copyFileSync(good, state);
      say("local chain: state file missing, restored the last good copy");
    }
    return;
  }
  if (parses(state)) {
    keepGood(state, good);
    return;
  }
  if (!existsSync(good))
    throw new Error(`The local chain's state file ${state} is damaged and there is no good copy; run \`npm run reset\` to start over.`);
  copyFileSync(good, state);
  say(
    `local chain: the state file was damaged (a kill mid-write); restored the last good copy from ${new Date(statSync(good).mtimeMs).toISOString()}`,
  );
}

/**
 * Copies the state file to the good copy (atomically) when it is newer and the copy parses. The copy is checked, not
 * the file: Anvil rewrites the file in place (truncated, then written), so it can change between a check and a copy,
 * and at large histories its dumps run back to back. Exported for its test.
 */
export function keepGood(state: string, good: string): void {
  const tmp = `${good}.tmp`;
  try {
    if (!existsSync(state)) return;
    if (existsSync(good) && statSync(good).mtimeMs >= statSync(state).mtimeMs) return;
    copyFileSync(state, tmp);
    if (parses(tmp)) renameSync(tmp, good);
    else unlinkSync(tmp);
  } catch {
    // The next round tries again; the state file itself is Anvil's.
  }
}

async function stopOrphan(pidFile: string, say: (line: string) => void): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8"));
  unlinkSync(pidFile);
  if (!Number.isInteger(pid) || pid <= 0 || !isAnvil(pid)) return;
  say(`local chain: stopping the node an earlier start left running (pid ${pid})`);
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, "SIGKILL");
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isAnvil(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("anvil");
  } catch {
    return false;
  }
}

async function waitForRpc(rpcUrl: string, child: ChildProcess, logPath: string): Promise<void> {
  let exited = false;
  child.once("exit", () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited) {
      const tail = existsSync(logPath) ? readFileSync(logPath, "utf8").slice(-800) : "";
      throw new Error(`The local chain (Anvil) exited at start; is ${rpcUrl} already in use? Set CHAIN_PORT to a free port.\n${tail}`);
    }
    try {
      const response = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`The local chain (Anvil) did not answer on ${rpcUrl} within 60 s.`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
