import { cidToBytes, documentCid } from "../../lib/ids/cid";
import { utf8 } from "../../lib/crypto";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { ethers } from "hardhat";
import type { ContractTransactionResponse } from "ethers";
import { scopeOf } from "../../lib/consent/codes";
import { ALICE, GUARDIAN, JANE, JOHN, OMAR, type AuditChain } from "./chain";

/** One step of a generated history. */
export type Step =
  | {
      kind: "grant";
      p: number;
      g: number;
      categories: number[];
      write: boolean;
      purpose: number;
      expiresIn: number;
      withBundle: boolean;
      byGuardian: boolean;
    }
  | { kind: "revoke"; p: number; g: number }
  | { kind: "revokeAll"; p: number }
  | { kind: "request"; p: number; g: number; categories: number[]; purpose: number; duration: number }
  | { kind: "answer"; approve: boolean; pick: number }
  | { kind: "breakGlass"; reason: number }
  | { kind: "record"; p: number; category: number }
  | { kind: "deactivate" }
  | { kind: "reactivate" }
  | { kind: "wait"; seconds: number };

const PATIENTS = [JANE, JOHN];
const PROVIDERS = [ALICE, OMAR];

/** Random histories: grants (some by a guardian), revokes, revokeAll, requests answered either way, break-glass, records, deactivation, time travel. */
export const stepsArb: fc.Arbitrary<Step[]> = fc.array(
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant("grant" as const),
        p: fc.nat(1),
        g: fc.nat(1),
        categories: fc.uniqueArray(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 4 }),
        write: fc.boolean(),
        purpose: fc.integer({ min: 1, max: 9 }),
        expiresIn: fc.integer({ min: 60, max: 3000 }),
        withBundle: fc.boolean(),
        byGuardian: fc.boolean(),
      }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("revoke" as const), p: fc.nat(1), g: fc.nat(1) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("revokeAll" as const), p: fc.nat(1) }) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant("request" as const),
        p: fc.nat(1),
        g: fc.nat(1),
        categories: fc.uniqueArray(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 3 }),
        purpose: fc.integer({ min: 1, max: 9 }),
        duration: fc.integer({ min: 60, max: 3000 }),
      }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("answer" as const), approve: fc.boolean(), pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("breakGlass" as const), reason: fc.constantFrom(2, 3) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("record" as const), p: fc.nat(1), category: fc.integer({ min: 0, max: 12 }) }) },
    { weight: 1, arbitrary: fc.constant({ kind: "deactivate" as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: "reactivate" as const }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("wait" as const), seconds: fc.integer({ min: 5, max: 1500 }) }) },
  ),
  { minLength: 25, maxLength: 45 },
);

/** A grant as the test expects the reconstruction to report it. */
export interface ExpectedPeriod {
  patient: string;
  grantee: string;
  actor: string;
  scope: number;
  purpose: number;
  expiresAt: number;
  keyBundle?: string;
  requestId?: number;
  grantedBlock: number;
  ended?: { reason: "revoked" | "revokedAll" | "superseded" | "providerDeactivated"; block: number };
  until: number;
  suspensions: { fromBlock: number; toBlock?: number }[];
}

/** What a generated history must reconstruct to. */
export interface ExpectedHistory {
  periods: ExpectedPeriod[];
  requests: { requestId: number; patient: string; provider: string; status: "pending" | "approved" | "denied" }[];
  emergencies: {
    patient: string;
    provider: string;
    reasonCode: number;
    block: number;
    expiresAt: number;
    ended?: "revokedAll" | "restarted" | "providerDeactivated";
  }[];
  records: { patient: string; cid: string; category: number; block: number }[];
  /** Blocks where something happened: where the tests compare access decisions with the contract. */
  blocks: number[];
}

const EMERGENCY_WINDOW = 600;

/**
 * Plays a history against the chain and keeps, beside it, the plain model of what happened (from the steps and the
 * mined blocks' times only, never from the code under test). Steps the contract would refuse are skipped.
 */
export async function playHistory(chain: AuditChain, steps: readonly Step[], salt: number): Promise<ExpectedHistory> {
  const expected: ExpectedHistory = { periods: [], requests: [], emergencies: [], records: [], blocks: [] };
  const addr = (i: number): string => chain.address(i);
  const ledgerAs = async (i: number) => chain.ledger.connect(await chain.signer(i));
  const jane = addr(JANE);
  let aliceActive = true;
  let recordNo = 0;

  const mined = async (sent: Promise<ContractTransactionResponse>): Promise<{ block: number; time: number }> => {
    const receipt = await (await sent).wait();
    const block = await ethers.provider.getBlock(receipt!.blockNumber);
    expected.blocks.push(block!.number);
    return { block: block!.number, time: block!.timestamp };
  };
  const lastPeriod = (p: string, g: string): ExpectedPeriod | undefined =>
    expected.periods.filter((x) => x.patient === p && x.grantee === g).at(-1);
  const endPeriod = (
    period: ExpectedPeriod | undefined,
    reason: "revoked" | "revokedAll" | "superseded" | "providerDeactivated",
    at: { block: number; time: number },
  ): void => {
    if (period !== undefined && period.ended === undefined && at.time < period.expiresAt) {
      period.ended = { reason, block: at.block };
      period.until = at.time;
    }
  };
  /** Alice's grants still running at `at` (not ended, not expired): the ones a (de)activation applies to. */
  const runningAliceGrants = (at: { time: number }): ExpectedPeriod[] =>
    expected.periods.filter((p) => p.grantee === addr(ALICE) && p.ended === undefined && at.time < p.expiresAt);

  // Setup: Jane allows break-glass, John has a guardian.
  await mined((await ledgerAs(JANE)).setEmergencyPolicy(true, EMERGENCY_WINDOW, ethers.id(`summary-${salt}`)));
  await mined((await ledgerAs(JOHN)).setGuardian(addr(GUARDIAN)));

  for (const step of steps) {
    const now = await time.latest();
    switch (step.kind) {
      case "grant": {
        const p = addr(PATIENTS[step.p]);
        const g = addr(PROVIDERS[step.g]);
        if (g === addr(ALICE) && !aliceActive) break; // the contract refuses inactive grantees
        const scope = scopeOf(step.categories, step.write);
        const expiresAt = now + step.expiresIn;
        const bundle = step.withBundle ? ethers.id(`bundle-${salt}-${expected.blocks.length}`) : ethers.ZeroHash;
        const byGuardian = step.byGuardian && PATIENTS[step.p] === JOHN;
        const tx = byGuardian
          ? (await ledgerAs(GUARDIAN)).grantFor(p, g, scope, step.purpose, expiresAt, bundle)
          : (await ledgerAs(PATIENTS[step.p])).grant(g, scope, step.purpose, expiresAt, bundle);
        const at = await mined(tx);
        endPeriod(lastPeriod(p, g), "superseded", at);
        expected.periods.push({
          patient: p,
          grantee: g,
          actor: byGuardian ? addr(GUARDIAN) : p,
          scope,
          purpose: step.purpose,
          expiresAt,
          keyBundle: step.withBundle ? bundle : undefined,
          grantedBlock: at.block,
          until: expiresAt,
          suspensions: [],
        });
        break;
      }
      case "revoke": {
        const p = addr(PATIENTS[step.p]);
        const g = addr(PROVIDERS[step.g]);
        const period = lastPeriod(p, g);
        // Only grants comfortably live: the next block's time is not known to the second.
        if (period === undefined || period.ended !== undefined || period.expiresAt <= now + 30) break;
        endPeriod(period, "revoked", await mined((await ledgerAs(PATIENTS[step.p])).revoke(g)));
        break;
      }
      case "revokeAll": {
        const p = addr(PATIENTS[step.p]);
        const at = await mined((await ledgerAs(PATIENTS[step.p])).revokeAll());
        for (const period of expected.periods.filter((x) => x.patient === p)) endPeriod(period, "revokedAll", at);
        for (const w of expected.emergencies.filter((x) => x.patient === p && x.ended === undefined && at.time < x.expiresAt)) {
          w.ended = "revokedAll";
        }
        break;
      }
      case "request": {
        const g = PROVIDERS[step.g];
        if (g === ALICE && !aliceActive) break;
        const requestId = Number(await chain.ledger.requestCount());
        await mined((await ledgerAs(g)).requestAccess(addr(PATIENTS[step.p]), scopeOf(step.categories), step.purpose, step.duration));
        expected.requests.push({ requestId, patient: addr(PATIENTS[step.p]), provider: addr(g), status: "pending" });
        break;
      }
      case "answer": {
        const pending = expected.requests.filter((r) => r.status === "pending");
        if (pending.length === 0) break;
        const request = pending[step.pick % pending.length];
        const patientIndex = request.patient === jane ? JANE : JOHN;
        if (step.approve && request.provider === addr(ALICE) && !aliceActive) break;
        if (step.approve) {
          const onChain = await chain.ledger.requestOf(request.requestId);
          const at = await mined((await ledgerAs(patientIndex)).approve(request.requestId, ethers.ZeroHash));
          endPeriod(lastPeriod(request.patient, request.provider), "superseded", at);
          const expiresAt = at.time + Number(onChain.duration);
          expected.periods.push({
            patient: request.patient,
            grantee: request.provider,
            actor: request.patient,
            scope: Number(onChain.scope),
            purpose: Number(onChain.purpose),
            expiresAt,
            requestId: request.requestId,
            grantedBlock: at.block,
            until: expiresAt,
            suspensions: [],
          });
          request.status = "approved";
        } else {
          await mined((await ledgerAs(patientIndex)).deny(request.requestId));
          request.status = "denied";
        }
        break;
      }
      case "breakGlass": {
        const at = await mined((await ledgerAs(OMAR)).breakGlass(jane, step.reason));
        for (const w of expected.emergencies.filter((x) => x.patient === jane && x.ended === undefined && at.time < x.expiresAt))
          w.ended = "restarted";
        expected.emergencies.push({
          patient: jane,
          provider: addr(OMAR),
          reasonCode: step.reason,
          block: at.block,
          expiresAt: at.time + EMERGENCY_WINDOW,
        });
        break;
      }
      case "record": {
        const p = PATIENTS[step.p];
        const cid = documentCid(utf8(`test record ${salt}-${recordNo++}`));
        const at = await mined(
          chain.records.connect(await chain.signer(p)).addRecord(addr(p), ethers.id(cid), cidToBytes(cid), step.category),
        );
        expected.records.push({ patient: addr(p), cid, category: step.category, block: at.block });
        break;
      }
      case "deactivate": {
        if (!aliceActive) break;
        const at = await mined(chain.registry.deactivateProvider(addr(ALICE)));
        aliceActive = false;
        // Deactivation moves Alice's registry generation on: her running grants end for good.
        for (const p of runningAliceGrants(at)) endPeriod(p, "providerDeactivated", at);
        break;
      }
      case "reactivate": {
        if (aliceActive) break;
        const current = await chain.registry.providerOf(addr(ALICE));
        const at = await mined(
          chain.registry.verifyProvider(addr(ALICE), current.licenceHash, current.name, current.kind, current.emergencyCapable),
        );
        aliceActive = true;
        void at; // re-verification revives no grant: the patient must grant again
        break;
      }
      case "wait":
        await time.increase(step.seconds);
        break;
    }
  }
  return expected;
}
