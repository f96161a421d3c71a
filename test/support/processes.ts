import { spawn, type ChildProcess } from "node:child_process";
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

/** Polls until `check` resolves true (a condition, not a fixed sleep), failing after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000, proc?: OwnedProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc && (proc.child.exitCode !== null || proc.child.signalCode !== null)) {
      throw new Error(`${what}: the process exited first.\n${proc.output().slice(-2000)}`);
    }
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: not ready after ${timeoutMs} ms.\n${proc?.output().slice(-2000) ?? ""}`);
}

/** Starts `hardhat node` as a separate process on 127.0.0.1: a chain the tests reach only by URL, like Besu or Geth. */
export async function startHardhatNode(): Promise<{ rpcUrl: string; proc: OwnedProcess }> {
  const port = await freePort();
  const proc = own(
    spawn(process.execPath, [path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js"), "node", "--hostname", "127.0.0.1", "--port", String(port)], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  const rpcUrl = `http://127.0.0.1:${port}`;
  await waitFor(
    "hardhat node",
    async () => {
      const r = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' });
      return r.ok;
    },
    60_000,
    proc,
  );
  return { rpcUrl, proc };
}

/** Starts the gateway (server/main.ts) as its own process with the given environment; resolves once /healthz answers. */
export async function startGatewayProcess(env: Record<string, string>): Promise<{ url: string; proc: OwnedProcess }> {
  const port = await freePort();
  const proc = own(
    spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "server", "main.ts")], {
      cwd: ROOT,
      env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: env.LOG_LEVEL ?? "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor("gateway", async () => (await fetch(`${url}/healthz`)).ok, 60_000, proc);
  return { url, proc };
}
