import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "chai";
import { startAuditChain, TEST_GATEWAY, type AuditChain } from "./chain";
import { janeDoeStory, type Story } from "./scenario";

const ROOT = path.resolve(__dirname, "../..");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a CLI as a user would, without blocking this process (the chain it talks to is served from here). */
function cli(command: string[], timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const audit = (...args: string[]) => cli(["node", "-r", "ts-node/register/transpile-only", "scripts/audit.ts", ...args]);
const monitor = (...args: string[]) => cli(["node", "-r", "ts-node/register/transpile-only", "scripts/monitor.ts", ...args]);

describe("audit and monitor command lines", function () {
  let chain: AuditChain;
  let story: Story;

  before(async function () {
    chain = await startAuditChain();
    story = await janeDoeStory(chain);
  });

  after(async function () {
    await chain.close();
  });

  /** Where both commands read: the test chain, its deployment and a disclosure log. */
  const sources = (log: string) => ["--rpc", chain.rpcUrl, "--deployments", chain.deploymentsDir, "--log", log];

  it("npm run audit -- --help prints the usage and exits 0", async function () {
    const run = await cli(["npm", "run", "--silent", "audit", "--", "--help"]);
    expect(run.code).to.equal(0);
    expect(run.stdout).to.match(/Usage: npm run audit -- --patient 0x/);
    expect(run.stdout).to.include("--format FORMAT");
  });

  it("exits 2 naming a bad address, a wrong checksum or a bad date, before touching the chain", async function () {
    const bad = await audit("--patient", "0xJANE", "--rpc", "http://127.0.0.1:9");
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('--patient "0xJANE" is not an Ethereum address');
    const checksum = await audit(
      "--patient",
      story.jane.replace(/[a-f]/, (c) => c.toUpperCase()),
      "--rpc",
      "http://127.0.0.1:9",
    );
    expect(checksum.code).to.equal(2);
    expect(checksum.stderr).to.match(/wrong EIP-55 checksum/);
    const date = await audit("--patient", story.jane, "--from", "31/12/2026");
    expect(date.code).to.equal(2);
    expect(date.stderr).to.include('--from "31/12/2026" is not a date');
  });

  it("exits 1 with advice when the chain does not answer", async function () {
    const run = await audit("--patient", story.jane, "--rpc", "http://127.0.0.1:9", "--quiet");
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(/did not answer eth_chainId.*--rpc/);
  });

  it("exports Jane's FHIR bundle from the chain and the verified log to a file", async function () {
    const out = path.join(chain.dir, "jane.fhir.json");
    const run = await audit("--patient", story.jane, "--format", "fhir", ...sources(story.logFile), "--out", out);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stderr).to.match(/scan: blocks \d+\.\.\d+ of \d+ \(100%\)/);
    const bundle = JSON.parse(await readFile(out, "utf8")) as { resourceType: string; entry: { resource: { resourceType: string } }[] };
    expect(bundle.resourceType).to.equal("Bundle");
    expect(bundle.entry.filter((e) => e.resource.resourceType === "AuditEvent")).to.have.length(
      story.entries.filter((e) => e.patient === story.jane).length + 1,
    );
  });

  it("exits 3 naming the tampered log entry, and writes no output file", async function () {
    const lines = (await readFile(story.logFile, "utf8")).trimEnd().split("\n");
    lines[1] = lines[1].replace(/"reader":"0x[0-9a-fA-F]{40}"/, `"reader":"${story.omar}"`);
    const forged = path.join(chain.dir, "forged.jsonl");
    await writeFile(forged, lines.join("\n") + "\n");
    const out = path.join(chain.dir, "never.csv");
    const run = await audit("--patient", story.jane, ...sources(forged), "--out", out, "--quiet");
    expect(run.code).to.equal(3);
    expect(run.stderr).to.match(/disclosure log entry #1 \(line 2\)/);
    expect(existsSync(out)).to.equal(false);
  });

  it("npm run monitor -- --once prints the alerts as JSON lines", async function () {
    const run = await monitor("--once", ...sources(story.logFile), "--gateway", chain.address(TEST_GATEWAY));
    expect(run.code, run.stderr).to.equal(0);
    const alerts = run.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { ruleId: string; evidence: { txHash?: string } });
    expect(alerts.map((a) => a.ruleId)).to.deep.equal(["BREAK_GLASS"]);
    expect(alerts[0].evidence.txHash).to.equal(story.breakGlassTx);
    const help = await monitor("--help");
    expect([help.code, /JSON lines/.test(help.stdout)]).to.deep.equal([0, true]);
  });
});
