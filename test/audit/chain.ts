import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ethers } from "hardhat";
import { JsonRpcProvider } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { DEMO } from "../../lib/demo/accounts";
import type { ConsentLedger, DisclosureAnchor, ProviderRegistry, RecordIndex } from "../../typechain-types";
import { connectContracts } from "../../lib/deployment/contracts";
import { disclosureRoot, type DisclosureEntry, type DisclosureFacts } from "../../lib/disclosure";
import { DisclosureLog } from "../../server/services/disclosureLog";
import { deploySeeded, serveHardhatChain, type DeployedChain } from "../support/stack";

/** Demo account indexes, plus the extra accounts the audit tests use. */
export const { JANE, DR_CHEN: ALICE, DR_HADDAD: OMAR, JOHN } = DEMO;
/** A guardian for John (not a demo person). */
export const GUARDIAN = 6;
/** A second gateway whose log the tests write and anchor (the operator stays free for the real gateway). */
export const TEST_GATEWAY = 7;

/**
 * A real local chain for audit tests: Hardhat's in-process network served over JSON-RPC (the auditor reads it only
 * through its URL, as it would read Besu), the four contracts freshly deployed and the demo seeded. Transactions are
 * sent with Hardhat's in-process signers (fast); time moves with the network helpers.
 */
export interface AuditChain extends DeployedChain {
  signer(index: number): Promise<HardhatEthersSigner>;
  address(index: number): string;
  ledger: ConsentLedger;
  registry: ProviderRegistry;
  records: RecordIndex;
  anchor: DisclosureAnchor;
  /** Opens (creating) a disclosure log in the temp folder, written by the gateway's own log class. */
  openLog(): Promise<DisclosureLog>;
  /** Anchors log entries fromSeq..toSeq as TEST_GATEWAY (what the gateway's anchorer does). */
  anchorEntries(entries: readonly DisclosureEntry[], fromSeq: number, toSeq: number): Promise<string>;
  /** Appends a disclosure decided at the current head. */
  /** Logs a release; the block defaults to the head, the release to ciphertext, with no justification. */
  disclose(
    log: DisclosureLog,
    facts: Omit<DisclosureFacts, "block" | "release" | "decidedAt" | "justification"> &
      Partial<Pick<DisclosureFacts, "block" | "release" | "decidedAt" | "justification">>,
  ): Promise<DisclosureEntry>;
  /** The head's block number and time. */
  head(): Promise<{ block: number; time: number }>;
  /** A fresh set of contracts on the same chain (own temp folder), so one test's history never leaks into another's. */
  fresh(): Promise<AuditChain>;
}

/** Starts a chain server (once per test file is plenty) and deploys a fresh set of contracts. */
export async function startAuditChain(): Promise<AuditChain> {
  const server = await serveHardhatChain();
  const { rpcUrl, provider } = server;
  const dir = await mkdtemp(path.join(os.tmpdir(), "audit-"));
  const root = await deployContext(rpcUrl, provider, dir);
  return {
    ...root,
    async close() {
      await root.close();
      provider.destroy();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function deployContext(rpcUrl: string, provider: JsonRpcProvider, dir: string): Promise<AuditChain> {
  await mkdir(dir, { recursive: true });
  const accounts = await ethers.getSigners();
  const deployed = await deploySeeded({ rpcUrl, provider }, dir, { gateways: [accounts[TEST_GATEWAY].address] });
  const { deployment } = deployed;
  const operator = accounts[0];
  const { ledger, registry, records } = connectContracts(deployment, operator);
  const { anchor } = connectContracts(deployment, accounts[TEST_GATEWAY]); // anchored by the test gateway
  const logs: DisclosureLog[] = [];
  let children = 0;
  const head = async (): Promise<{ block: number; time: number }> => {
    const block = await ethers.provider.getBlock("latest");
    return { block: block!.number, time: block!.timestamp };
  };
  return {
    ...deployed,
    signer: async (index) => accounts[index],
    address: (index) => accounts[index].address,
    ledger,
    registry,
    records,
    anchor,
    async openLog() {
      const log = await DisclosureLog.open(path.join(dir, `gateway-${logs.length}`));
      logs.push(log);
      return log;
    },
    async anchorEntries(entries, fromSeq, toSeq) {
      const root = disclosureRoot(entries.slice(fromSeq, toSeq + 1));
      const tx = await anchor.anchor(fromSeq, toSeq, root);
      await tx.wait();
      return tx.hash;
    },
    async disclose(log, facts) {
      const now = await head();
      return log.append({ release: "ciphertext", justification: "", decidedAt: now.time, ...facts, block: facts.block ?? now.block });
    },
    head,
    async fresh() {
      return deployContext(rpcUrl, provider, path.join(dir, `fresh-${++children}`));
    },
    async close() {
      for (const log of logs) await log.close();
    },
  };
}

/** Path of the JSON-lines file behind a log opened by {@link AuditChain.openLog}. */
export function logFileOf(chain: AuditChain, index = 0): string {
  return path.join(chain.dir, `gateway-${index}`, "disclosures.jsonl");
}
