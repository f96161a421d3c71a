import { readFile, writeFile } from "node:fs/promises";
import { expect } from "chai";
import { mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { ethers } from "hardhat";
import { CATEGORY, PURPOSE, scopeOf } from "../../lib/consent/codes";
import { entryHash, type DisclosureEntry } from "../../lib/disclosure";
import {
  BlockTimes,
  anchorsOf,
  collectEvents,
  createMonitor,
  evaluateRules,
  parseDisclosureLog,
  type Alert,
  type LedgerEvent,
  type MonitorInput,
  type RuleId,
} from "../../lib/audit";
import { ALICE, JANE, OMAR, TEST_GATEWAY, logFileOf, startAuditChain, type AuditChain } from "./chain";
import { at, buildLog } from "./logs";

const { PROBLEMS, LABS, MENTAL_HEALTH, EMERGENCY_SUMMARY } = CATEGORY;
const { TREAT } = PURPOSE;

/** Reads the chain as the monitor does and packs the rule inputs. */
async function inputsOf(c: AuditChain, entries: readonly DisclosureEntry[], extra: Partial<MonitorInput> = {}): Promise<MonitorInput> {
  const { events, toBlock } = await collectEvents(c.provider, c.deployment);
  const blockTimes = await new BlockTimes(c.provider).ofMany(entries.filter((e) => e.block >= 0 && e.block <= toBlock).map((e) => e.block));
  return {
    events,
    throughBlock: toBlock,
    entries,
    anchors: anchorsOf(events, c.address(TEST_GATEWAY)),
    blockTimes,
    now: (await c.head()).time,
    ...extra,
  };
}

function fired(alerts: Alert[], rule: RuleId): Alert[] {
  return alerts.filter((a) => a.ruleId === rule);
}

describe("compliance monitor rules", function () {
  let chain: AuditChain;
  let c: AuditChain;
  let jane: string;
  let alice: string;
  let omar: string;

  before(async function () {
    chain = await startAuditChain();
  });

  beforeEach(async function () {
    c = await chain.fresh();
    [jane, alice, omar] = [c.address(JANE), c.address(ALICE), c.address(OMAR)];
  });

  afterEach(async function () {
    await c.close();
  });

  after(async function () {
    await chain.close();
  });

  describe("DISCLOSURE_WITHOUT_GRANT", function () {
    it("flags exactly the releases the chain did not allow at their block, agreeing with ConsentLedger.hasAccess", async function () {
      const asJane = c.ledger.connect(await c.signer(JANE));
      await (await asJane.setEmergencyPolicy(true, 600, ethers.id("summary"))).wait();
      const expiresAt = (await time.latest()) + 1000;
      await (await asJane.grant(alice, scopeOf([PROBLEMS, LABS]), TREAT, expiresAt, ethers.ZeroHash)).wait();
      const log = await c.openLog();
      const grant = { reader: alice, patient: jane, purpose: TREAT, basis: "grant" as const, grantExpiresAt: expiresAt };

      const live = await c.disclose(log, { ...grant, cid: "bafk-problems", category: PROBLEMS });
      const outOfScope = await c.disclose(log, { ...grant, cid: "bafk-mental", category: MENTAL_HEALTH });
      // Read under the patient's own basis (right only when the reader is the patient), and by break-glass.
      const selfBasis = { patient: jane, purpose: 0, basis: "patient" as const, grantExpiresAt: 0 };
      const own = await c.disclose(log, { ...selfBasis, reader: jane, cid: "bafk-problems", category: PROBLEMS });
      const notThePatient = await c.disclose(log, { ...selfBasis, reader: alice, cid: "bafk-labs", category: LABS });
      await (await c.ledger.connect(await c.signer(OMAR)).breakGlass(jane, 3)).wait();
      const summary = {
        patient: jane,
        cid: "bafk-ips",
        category: EMERGENCY_SUMMARY,
        purpose: 2,
        basis: "emergency" as const,
        grantExpiresAt: 0,
      };
      const emergency = await c.disclose(log, { ...summary, reader: omar });
      const fakeEmergency = await c.disclose(log, { ...summary, reader: alice });
      // Expiry is exact to the second: live in the block one second before, gone in the block at expiresAt.
      await time.setNextBlockTimestamp(expiresAt - 1);
      await mine();
      const lastSecond = await c.disclose(log, { ...grant, cid: "bafk-labs", category: LABS });
      await time.setNextBlockTimestamp(expiresAt);
      await mine();
      const expired = await c.disclose(log, { ...grant, cid: "bafk-labs", category: LABS });

      const entries = parseDisclosureLog(await readFile(logFileOf(c), "utf8"));
      const alerts = fired(evaluateRules(await inputsOf(c, entries)), "DISCLOSURE_WITHOUT_GRANT");
      expect(alerts.map((a) => a.evidence.logSeq)).to.deep.equal([outOfScope.seq, notThePatient.seq, fakeEmergency.seq, expired.seq]);
      expect(alerts.every((a) => a.severity === "critical")).to.equal(true);
      expect(alerts[0].message).to.match(/does not cover category 8/);
      expect(alerts[3].message).to.match(/had expired/);
      for (const quiet of [live, own, emergency, lastSecond]) expect(alerts.map((a) => a.evidence.logSeq)).not.to.include(quiet.seq);

      // The same verdicts as the contract itself, read at each entry's block.
      for (const entry of entries.filter((e) => e.basis !== "patient")) {
        const allowed = await c.ledger.hasAccess(entry.patient, entry.reader, entry.category, { blockTag: entry.block });
        const flagged = alerts.some((a) => a.evidence.logSeq === entry.seq);
        expect(flagged, `entry #${entry.seq}`).to.equal(!allowed || (entry.basis === "emergency" && entry.reader === alice));
      }
    });

    it("reports each alert once while polling, and new ones as the log grows", async function () {
      const asJane = c.ledger.connect(await c.signer(JANE));
      const expiresAt = (await time.latest()) + 3600;
      await (await asJane.grant(alice, scopeOf([PROBLEMS]), TREAT, expiresAt, ethers.ZeroHash)).wait();
      const log = await c.openLog();
      const grant = { reader: alice, patient: jane, purpose: TREAT, basis: "grant" as const, grantExpiresAt: expiresAt };
      await c.disclose(log, { ...grant, cid: "bafk-1", category: PROBLEMS });
      await c.disclose(log, { ...grant, cid: "bafk-2", category: LABS });
      const monitor = createMonitor(c.provider, c.deployment, {
        gateway: c.address(TEST_GATEWAY),
        readLog: async () => parseDisclosureLog(await readFile(logFileOf(c), "utf8")),
        rules: ["DISCLOSURE_WITHOUT_GRANT", "BREAK_GLASS"],
        now: () => Math.floor(Date.now() / 1000),
      });
      expect((await monitor.poll()).map((a) => [a.ruleId, a.evidence.logSeq])).to.deep.equal([["DISCLOSURE_WITHOUT_GRANT", 1]]);
      expect(await monitor.poll()).to.deep.equal([]);
      await (await asJane.revoke(alice)).wait();
      const late = await c.disclose(log, { ...grant, cid: "bafk-3", category: PROBLEMS });
      const third = await monitor.poll();
      expect(third.map((a) => a.evidence.logSeq)).to.deep.equal([late.seq]);
      expect(third[0].message).to.match(/revoked in block/);
    });
  });

  describe("BREAK_GLASS", function () {
    it("raises a warning for every EmergencyAccess with its transaction, and nothing before", async function () {
      const asJane = c.ledger.connect(await c.signer(JANE));
      await (await asJane.setEmergencyPolicy(true, 600, ethers.id("summary"))).wait();
      await (await asJane.grant(omar, scopeOf([PROBLEMS]), TREAT, (await time.latest()) + 600, ethers.ZeroHash)).wait();
      expect(fired(evaluateRules(await inputsOf(c, [])), "BREAK_GLASS")).to.deep.equal([]);

      const tx = await c.ledger.connect(await c.signer(OMAR)).breakGlass(jane, 3);
      await tx.wait();
      const alerts = fired(evaluateRules(await inputsOf(c, [])), "BREAK_GLASS");
      expect(alerts).to.have.length(1);
      expect(alerts[0]).to.include({ severity: "warning", ruleId: "BREAK_GLASS" });
      expect(alerts[0].evidence).to.include({ txHash: tx.hash, patient: jane, provider: omar });
      expect(alerts[0].message).to.match(/Dr\. Omar Haddad \(emergency\).*broke the glass.*\(BTG\)/);
      expect(alerts[0].time).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    });
  });

  describe("READ_RATE", function () {
    const base = 1_800_000_000;
    const read = (reader: string, seconds: number, basis: "grant" | "patient" = "grant") => ({
      reader,
      patient: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      cid: `bafk-${seconds}`,
      category: PROBLEMS,
      purpose: basis === "grant" ? TREAT : 0,
      basis,
      grantExpiresAt: 0,
      block: 1,
      release: "ciphertext" as const,
      decidedAt: 0,
      justification: "",
      time: at(base, seconds),
    });
    const rateAlerts = (entries: DisclosureEntry[]) =>
      evaluateRules({ events: [], throughBlock: 0, entries, anchors: [], now: base, config: { readsPerHour: 3 } }, ["READ_RATE"]);

    it("fires once when one provider receives more than the threshold within an hour", async function () {
      const alice = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
      const entries = buildLog([read(alice, 0), read(alice, 600), read(alice, 1200), read(alice, 1800), read(alice, 2400)]);
      const alerts = rateAlerts(entries);
      expect(alerts.map((a) => [a.ruleId, a.severity, a.evidence.logSeq])).to.deep.equal([["READ_RATE", "warning", 3]]);
      expect(alerts[0].message).to.match(/received 4 records within an hour.*threshold is 3/);
    });

    it("stays quiet at the threshold, for reads spread over hours, and for patients reading their own records", async function () {
      const alice = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
      const patient = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
      const entries = buildLog([
        read(alice, 0),
        read(alice, 1000),
        read(alice, 2000),
        read(alice, 3600),
        read(alice, 7300),
        ...Array.from({ length: 10 }, (_, i) => read(patient, 100 + i, "patient")),
      ]);
      expect(rateAlerts(entries)).to.deep.equal([]);
    });
  });

  describe("DEACTIVATED_PROVIDER_ACCESS", function () {
    it("flags a release to a provider after its deactivation; after re-verification the old grant never counts again", async function () {
      const asJane = c.ledger.connect(await c.signer(JANE));
      const expiresAt = (await time.latest()) + 3600;
      await (await asJane.grant(alice, scopeOf([PROBLEMS]), TREAT, expiresAt, ethers.ZeroHash)).wait();
      const log = await c.openLog();
      const facts = {
        reader: alice,
        patient: jane,
        cid: "bafk-1",
        category: PROBLEMS,
        purpose: TREAT,
        basis: "grant" as const,
        grantExpiresAt: expiresAt,
      };
      const before = await c.disclose(log, facts);
      const deactivation = await c.registry.deactivateProvider(alice);
      await deactivation.wait();
      const during = await c.disclose(log, facts);
      const entry = await c.registry.providerOf(alice);
      await (await c.registry.verifyProvider(alice, entry.licenceHash, entry.name, entry.kind, entry.emergencyCapable)).wait();
      const after = await c.disclose(log, facts);

      const alerts = fired(
        evaluateRules(await inputsOf(c, parseDisclosureLog(await readFile(logFileOf(c), "utf8")))),
        "DEACTIVATED_PROVIDER_ACCESS",
      );
      expect(alerts.map((a) => a.evidence.logSeq)).to.deep.equal([during.seq]);
      expect(alerts[0].severity).to.equal("critical");
      expect(alerts[0].message).to.include(deactivation.hash);
      expect([before.seq, after.seq]).not.to.include(alerts[0].evidence.logSeq);
      // Re-verified, the provider is active again, but its grant was given to the registration that was deactivated.
      const withoutGrant = fired(
        evaluateRules(await inputsOf(c, parseDisclosureLog(await readFile(logFileOf(c), "utf8")))),
        "DISCLOSURE_WITHOUT_GRANT",
      );
      expect(withoutGrant.map((a) => a.evidence.logSeq))
        .to.include(after.seq)
        .and.not.include(before.seq);
    });

    it("flags a grant to a provider recorded after its deactivation (the contract refuses one, so it means the ledger was bypassed)", async function () {
      const { events } = await collectEvents(c.provider, c.deployment);
      const deactivated = await c.registry.deactivateProvider(alice);
      await deactivated.wait();
      const { events: withDeactivation } = await collectEvents(c.provider, c.deployment);
      // The chain refuses the grant itself…
      await expect(
        c.ledger.connect(await c.signer(JANE)).grant(alice, scopeOf([PROBLEMS]), TREAT, (await time.latest()) + 600, ethers.ZeroHash),
      ).to.be.revertedWithCustomError(c.ledger, "ConsentLedgerGranteeNotProvider");
      expect(
        fired(
          evaluateRules({ events: withDeactivation, throughBlock: 1e9, entries: [], anchors: [], now: 0 }),
          "DEACTIVATED_PROVIDER_ACCESS",
        ),
      ).to.deep.equal([]);
      // …so an AccessGranted after the deactivation can only come from a forged or forked history: the rule names it.
      const last = withDeactivation.at(-1)!;
      const forged: LedgerEvent = {
        kind: "grant",
        contract: "ConsentLedger",
        blockNumber: last.blockNumber + 1,
        blockHash: last.blockHash,
        txHash: "0x" + "ab".repeat(32),
        logIndex: 0,
        timestamp: last.timestamp + 1,
        patient: jane,
        grantee: alice,
        scope: scopeOf([PROBLEMS]),
        purpose: TREAT,
        expiresAt: last.timestamp + 600,
        keyBundle: ethers.ZeroHash,
        actor: jane,
      };
      const alerts = fired(
        evaluateRules({ events: [...withDeactivation, forged], throughBlock: 1e9, entries: [], anchors: [], now: 0 }),
        "DEACTIVATED_PROVIDER_ACCESS",
      );
      expect(alerts.map((a) => a.evidence.txHash)).to.deep.equal([forged.txHash]);
      expect(events.length).to.be.lessThan(withDeactivation.length);
    });
  });

  describe("ANCHOR_GAP", function () {
    it("fires for entries older than the anchoring interval without an anchored root, and not once they are anchored", async function () {
      const now = (await c.head()).time;
      const old = (i: number) => ({
        reader: alice,
        patient: jane,
        cid: `bafk-${i}`,
        category: PROBLEMS,
        purpose: TREAT,
        basis: "grant" as const,
        grantExpiresAt: 0,
        block: 1,
        release: "ciphertext" as const,
        decidedAt: 0,
        justification: "",
        time: at(now, -7200 + i),
      });
      const recent = (i: number) => ({ ...old(i), time: at(now, -60 + i) });
      const entries = buildLog([old(0), old(1), old(2), recent(3), recent(4)]);
      const config = { anchorIntervalSeconds: 3600 };

      const gap = fired(evaluateRules(await inputsOf(c, entries, { config })), "ANCHOR_GAP");
      expect(gap.map((a) => [a.severity, a.evidence.logSeq])).to.deep.equal([["warning", 0]]);
      expect(gap[0].message).to.match(/3 disclosure log entries \(#0\.\.#2\)/);

      await c.anchorEntries(entries, 0, 2);
      expect(fired(evaluateRules(await inputsOf(c, entries, { config })), "ANCHOR_GAP")).to.deep.equal([]);
    });
  });

  describe("LOG_TAMPERED", function () {
    let entries: DisclosureEntry[];
    let file: string;

    beforeEach(async function () {
      const log = await c.openLog();
      for (let i = 0; i < 6; i++)
        await c.disclose(log, {
          reader: alice,
          patient: jane,
          cid: `bafk-${i}`,
          category: PROBLEMS,
          purpose: TREAT,
          basis: "grant",
          grantExpiresAt: 0,
        });
      file = logFileOf(c);
      entries = parseDisclosureLog(await readFile(file, "utf8"));
      await c.anchorEntries(entries, 0, 3);
    });

    async function tamperedAlerts(lines: string[]): Promise<Alert[]> {
      await writeFile(file, lines.join("\n") + "\n");
      return fired(evaluateRules(await inputsOf(c, parseDisclosureLog(await readFile(file, "utf8")))), "LOG_TAMPERED");
    }

    it("stays quiet on the log as the gateway wrote it", async function () {
      expect(fired(evaluateRules(await inputsOf(c, entries)), "LOG_TAMPERED")).to.deep.equal([]);
    });

    it("names the one anchored line that was edited", async function () {
      const lines = (await readFile(file, "utf8")).trimEnd().split("\n");
      lines[2] = lines[2].replace("bafk-2", "bafk-X");
      const alerts = await tamperedAlerts(lines);
      expect(alerts.map((a) => [a.severity, a.evidence.logSeq])).to.deep.equal([["critical", 2]]);
      expect(alerts[0].message).to.match(/entry #2 \(line 3\)/);
      expect(alerts[0].evidence.txHash).to.match(/^0x[0-9a-f]{64}$/);
    });

    it("names an edited line in the unanchored tail (caught by the hash chain)", async function () {
      const lines = (await readFile(file, "utf8")).trimEnd().split("\n");
      lines[5] = lines[5].replace(`"category":1`, `"category":2`);
      expect((await tamperedAlerts(lines)).map((a) => a.evidence.logSeq)).to.deep.equal([5]);
    });

    it("names a deleted line, and a rewrite that recomputes every hash (caught by the anchored root)", async function () {
      const lines = (await readFile(file, "utf8")).trimEnd().split("\n");
      expect((await tamperedAlerts(lines.filter((_, i) => i !== 1))).map((a) => a.evidence.logSeq)).to.deep.equal([1]);

      // A careful forger rewrites entry 1 and rechains everything after it: the hash chain holds, the anchored root does not.
      const forged = entries.map((e) => ({ ...e }));
      forged[1].reader = omar;
      for (let i = 1; i < forged.length; i++) {
        forged[i].prevHash = forged[i - 1].hash;
        const { hash: _old, ...body } = forged[i];
        forged[i].hash = entryHash(body);
      }
      const alerts = await tamperedAlerts(forged.map((e) => JSON.stringify(e)));
      expect(alerts.map((a) => a.evidence.logSeq)).to.deep.equal([0]);
      expect(alerts[0].message).to.match(/entries 0\.\.3 do not match the root anchored on-chain/);
    });
  });
});
