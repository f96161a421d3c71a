import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

/** A free TCP port on 127.0.0.1 (bound then released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A child process the test owns, with its output kept for failure messages. */
export interface OwnedProcess {
  child: ChildProcess;
  output(): string;
  /** Sends a signal and resolves once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function own(child: ChildProcess): OwnedProcess {
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    output: () => output,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/**
 * Resolves once the process prints a line matching `ready` (an event, not a timed poll); fails if the process
 * exits first or nothing matches within `timeoutMs`.
 */
export function waitForOutput(what: string, proc: OwnedProcess, ready: RegExp, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`${what}: not ready after ${timeoutMs} ms.\n${proc.output().slice(-2000)}`)),
      timeoutMs,
    );
    const onData = (): void => {
      if (ready.test(proc.output())) finish();
    };
    const onExit = (): void => finish(new Error(`${what}: the process exited first.\n${proc.output().slice(-2000)}`));
    function finish(err?: Error): void {
      clearTimeout(timer);
      proc.child.stdout?.off("data", onData);
      proc.child.stderr?.off("data", onData);
      proc.child.off("exit", onExit);
      if (err) reject(err);
      else resolve();
    }
    proc.child.stdout?.on("data", onData);
    proc.child.stderr?.on("data", onData);
    proc.child.once("exit", onExit);
    onData();
  });
}

/** Starts `hardhat node` as a separate process on 127.0.0.1: a chain the tests reach only by URL, like Besu or Geth. */
export async function startHardhatNode(): Promise<{ rpcUrl: string; proc: OwnedProcess }> {
  const port = await freePort();
  const proc = own(
    spawn(
      process.execPath,
      [path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js"), "node", "--hostname", "127.0.0.1", "--port", String(port)],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      },
    ),
  );
  const rpcUrl = `http://127.0.0.1:${port}`;
  await waitForOutput("hardhat node", proc, /Started HTTP and WebSocket JSON-RPC server/);
  return { rpcUrl, proc };
}

/** Starts the gateway (server/main.ts) as its own process with the given environment; resolves once /healthz answers. */
export async function startGatewayProcess(env: Record<string, string>): Promise<{ url: string; proc: OwnedProcess }> {
  // A caller may fix the port (e.g. so two gateways can name each other as peers before either starts).
  const port = env.PORT !== undefined ? Number(env.PORT) : await freePort();
  const proc = own(
    spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "server", "main.ts")], {
      cwd: ROOT,
      env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: env.LOG_LEVEL ?? "info" },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForOutput("gateway", proc, /gateway listening/);
  return { url, proc };
}

/** A running `npm start` (its script, as `npm start` runs it): the gateway's URL and the local chain's JSON-RPC URL. */
export interface LocalSystem {
  url: string;
  rpcUrl: string;
  proc: OwnedProcess;
}

/**
 * Runs `npm start`'s script on the data folder and ports in `env` (DATA_DIR, CHAIN_PORT, PORT) and resolves once it
 * prints that it is running.
 */
export async function startLocalSystem(
  env: { DATA_DIR: string; CHAIN_PORT: string; PORT: string } & Record<string, string>,
): Promise<LocalSystem> {
  const proc = own(
    spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "scripts", "start.ts")], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  await waitForOutput("npm start", proc, /Consent Ledger is running/, 180_000);
  return { url: `http://127.0.0.1:${env.PORT}`, rpcUrl: `http://127.0.0.1:${env.CHAIN_PORT}`, proc };
}

/** Kills with SIGKILL the local chain a killed `npm start` left behind in `dataDir` (as the next start would). */
export async function killOrphanedChain(dataDir: string): Promise<void> {
  const pid = await readFile(path.join(dataDir, "chain", "anvil.pid"), "utf8").catch(() => undefined);
  if (pid === undefined) return;
  try {
    process.kill(Number(pid), "SIGKILL");
  } catch {
    // already gone
  }
}
