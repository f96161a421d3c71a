import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import {
  Category,
  MAX_CATEGORY,
  ProviderKind,
  Purpose,
  REPORTING_GAS,
  UNDER_COVERAGE,
  WRITE,
  bytes32Of,
  deployConsentFixture,
} from "./fixtures";

/**
 * Model-based property tests: random sequences of grant / revoke / revokeAll / provider (de)activation /
 * break-glass / time travel run against the contracts and against a plain TypeScript model, and after every
 * step hasAccess and hasWriteAccess of every (patient, grantee, category 0..15) must match the model. The model
 * includes provider generations: a deactivation ends a provider's grants and break-glass windows for good, and a
 * re-verification never revives them.
 */

// Instrumented contracts (coverage) run each step ~40x slower; the example sequence and two random runs still walk
// every path (and the unit tests cover every line and branch on their own).
const NUM_RUNS = UNDER_COVERAGE ? 2 : 25;
const EMERGENCY_WINDOW = 20n;
const PATIENTS = 2;
const GRANTEES = 3; // doctor, lab, erDoctor (only the last is emergency-capable)
const EMERGENCY_CAPABLE = [false, false, true];

type Command =
  | { kind: "grant"; p: number; g: number; scope: number; expiresIn: number }
  | { kind: "revoke"; p: number; g: number }
  | { kind: "revokeAll"; p: number }
  | { kind: "deactivate"; g: number }
  | { kind: "reactivate"; g: number }
  | { kind: "breakGlass"; p: number; g: number }
  | { kind: "wait"; seconds: number };

interface Window {
  expiresAt: bigint;
  epoch: number;
  /** The grantee's generation when the grant was written or the glass broken. */
  generation: number;
}

interface ModelGrant extends Window {
  scope: number;
}

/** The plain model the contracts must agree with. */
class Model {
  now: bigint;
  readonly epoch = Array<number>(PATIENTS).fill(0);
  readonly active = Array<boolean>(GRANTEES).fill(true);
  /** Each grantee's registry generation: the number of deactivations so far. */
  readonly generation = Array<number>(GRANTEES).fill(0);
  readonly emergencyEnabled = [true, false]; // patient 0 opted in to break-glass, patient 1 did not
  readonly grants = new Map<string, ModelGrant>();
  readonly emergency = new Map<string, Window>();

  constructor(now: bigint) {
    this.now = now;
  }

  /** A grant or window of patient `p` to grantee `g` is live: unexpired, of p's epoch, g active in its generation. */
  isLive(w: Window | undefined, p: number, g: number): w is Window {
    return w !== undefined && w.expiresAt > this.now && w.epoch === this.epoch[p] && this.active[g] && w.generation === this.generation[g];
  }

  /** Bit c = hasAccess(p, g, c) for c in 0..15. */
  readMask(p: number, g: number): number {
    let mask = 0;
    const grant = this.grants.get(`${p}:${g}`);
    for (let c = 0; c <= MAX_CATEGORY; c++) {
      const granted = this.isLive(grant, p, g) && ((grant.scope >>> c) & 1) === 1;
      const emergency = c === Category.EMERGENCY_SUMMARY && this.isLive(this.emergency.get(`${p}:${g}`), p, g) && EMERGENCY_CAPABLE[g];
      if (granted || emergency) mask |= 1 << c;
    }
    return mask;
  }

  /** Bit c = hasWriteAccess(p, g, c) for c in 0..15. */
  writeMask(p: number, g: number): number {
    const grant = this.grants.get(`${p}:${g}`);
    if (!this.isLive(grant, p, g) || (grant.scope & WRITE) === 0) return 0;
    return grant.scope & ((1 << (MAX_CATEGORY + 1)) - 1);
  }
}

const validScope = fc
  .record({ categories: fc.uniqueArray(fc.integer({ min: 0, max: MAX_CATEGORY }), { minLength: 1, maxLength: 5 }), write: fc.boolean() })
  .map(({ categories, write }) => (categories.reduce((s, c) => s | (1 << c), 0) | (write ? WRITE : 0)) >>> 0);
const invalidScope = fc.constantFrom(0, WRITE, 1 << 13, (1 << 30) | 1);

const patientIdx = fc.integer({ min: 0, max: PATIENTS - 1 });
const granteeIdx = fc.integer({ min: 0, max: GRANTEES - 1 });

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("grant" as const),
      p: patientIdx,
      g: granteeIdx,
      scope: fc.oneof({ weight: 9, arbitrary: validScope }, { weight: 1, arbitrary: invalidScope }),
      expiresIn: fc.integer({ min: -1, max: 40 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("revoke" as const), p: patientIdx, g: granteeIdx }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("revokeAll" as const), p: patientIdx }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("deactivate" as const), g: granteeIdx }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("reactivate" as const), g: granteeIdx }) },
  {
    weight: 3,
    // Mostly the emergency-capable ER doctor on the opted-in patient, so live windows are common.
    arbitrary: fc.record({
      kind: fc.constant("breakGlass" as const),
      p: fc.constantFrom(0, 0, 0, 1),
      g: fc.constantFrom(2, 2, 2, 0, 1),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("wait" as const), seconds: fc.integer({ min: 1, max: 30 }) }) },
);

/**
 * Run first: a grant and a break-glass window outliving their provider's deactivation and re-verification (neither
 * revives; the grant cannot be revoked), then fresh ones in the new generation.
 */
const GENERATION_EXAMPLE: Command[] = [
  { kind: "grant", p: 0, g: 0, scope: 0b1011, expiresIn: 40 },
  { kind: "breakGlass", p: 0, g: 2 },
  { kind: "deactivate", g: 0 },
  { kind: "deactivate", g: 2 },
  { kind: "reactivate", g: 0 },
  { kind: "reactivate", g: 2 },
  { kind: "revoke", p: 0, g: 0 },
  { kind: "wait", seconds: 2 },
  { kind: "grant", p: 0, g: 0, scope: (0b10 | WRITE) >>> 0, expiresIn: 20 },
  { kind: "breakGlass", p: 0, g: 2 },
  { kind: "revoke", p: 0, g: 0 },
];

async function invariantFixture() {
  const f = await deployConsentFixture();
  await f.ledger.connect(f.patient).setEmergencyPolicy(true, Number(EMERGENCY_WINDOW), bytes32Of("summary"));
  return { ...f, patients: [f.patient, f.patient2], grantees: [f.doctor, f.lab, f.erDoctor] };
}

describe("ConsentLedger invariants (fast-check)", function () {
  before(function () {
    if (REPORTING_GAS) this.skip(); // random calls would make the gas snapshot differ from run to run
  });

  it("hasAccess and hasWriteAccess match the model after every step of any sequence", async function () {
    // Each step reads 192 access answers; instrumented (coverage), that takes minutes.
    this.timeout(UNDER_COVERAGE ? 600_000 : 120_000);
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 25 }), async (commands) => {
        const f = await loadFixture(invariantFixture);
        const { ledger, registry, probe, patients, grantees } = f;
        const model = new Model(BigInt(await time.latest()));

        for (const cmd of commands) {
          if (cmd.kind === "wait") {
            model.now += BigInt(cmd.seconds);
            await time.setNextBlockTimestamp(model.now);
            await mine();
          } else {
            // Every transaction lands exactly one second after the previous block, so the model knows its time.
            const t = model.now + 1n;
            await time.setNextBlockTimestamp(t);
            let expected: { error: string; args: unknown[] } | null = null;
            let send: () => Promise<unknown>;
            const key = "p" in cmd && "g" in cmd ? `${cmd.p}:${cmd.g}` : "";

            switch (cmd.kind) {
              case "grant": {
                const patient = patients[cmd.p];
                const grantee = grantees[cmd.g];
                const expiresAt = t + BigInt(cmd.expiresIn);
                const validScope = (cmd.scope & 0x1fff) !== 0 && (cmd.scope & ~(0x1fff | WRITE)) === 0;
                if (!validScope) expected = { error: "ConsentLedgerInvalidScope", args: [cmd.scope] };
                else if (expiresAt <= t) expected = { error: "ConsentLedgerExpiryInPast", args: [expiresAt, t] };
                else if (!model.active[cmd.g]) expected = { error: "ConsentLedgerGranteeNotProvider", args: [grantee.address] };
                else model.grants.set(key, { expiresAt, scope: cmd.scope, epoch: model.epoch[cmd.p], generation: model.generation[cmd.g] });
                send = () => ledger.connect(patient).grant(grantee.address, cmd.scope, Purpose.TREAT, expiresAt, ethers.ZeroHash);
                break;
              }
              case "revoke": {
                const patient = patients[cmd.p];
                const grantee = grantees[cmd.g];
                model.now = t; // liveness is judged at the transaction's time
                if (model.isLive(model.grants.get(key), cmd.p, cmd.g)) model.grants.delete(key);
                else expected = { error: "ConsentLedgerNoGrant", args: [patient.address, grantee.address] };
                send = () => ledger.connect(patient).revoke(grantee.address);
                break;
              }
              case "revokeAll":
                model.epoch[cmd.p] += 1;
                send = () => ledger.connect(patients[cmd.p]).revokeAll();
                break;
              case "deactivate":
                model.active[cmd.g] = false;
                model.generation[cmd.g] += 1;
                send = () => registry.deactivateProvider(grantees[cmd.g].address);
                break;
              case "reactivate": {
                model.active[cmd.g] = true;
                const g = grantees[cmd.g].address;
                send = () =>
                  registry.verifyProvider(g, bytes32Of(g), `Provider ${cmd.g}`, ProviderKind.CLINICIAN, EMERGENCY_CAPABLE[cmd.g]);
                break;
              }
              case "breakGlass": {
                const grantee = grantees[cmd.g];
                if (!(model.active[cmd.g] && EMERGENCY_CAPABLE[cmd.g])) {
                  expected = { error: "ConsentLedgerNotEmergencyProvider", args: [grantee.address] };
                } else if (!model.emergencyEnabled[cmd.p]) {
                  expected = { error: "ConsentLedgerEmergencyDisabled", args: [patients[cmd.p].address] };
                } else {
                  model.emergency.set(key, {
                    expiresAt: t + EMERGENCY_WINDOW,
                    epoch: model.epoch[cmd.p],
                    generation: model.generation[cmd.g],
                  });
                }
                send = () => ledger.connect(grantee).breakGlass(patients[cmd.p].address, Purpose.BTG);
                break;
              }
            }

            if (expected) {
              await expect(send())
                .to.be.revertedWithCustomError(ledger, expected.error)
                .withArgs(...expected.args);
              // A reverted transaction may or may not have been mined; either way the clock must sit at t.
              if (BigInt(await time.latest()) < t) await mine();
            } else {
              await send();
            }
            model.now = t;
          }

          expect(BigInt(await time.latest())).to.equal(model.now, "chain clock drifted from the model");
          for (let p = 0; p < PATIENTS; p++) {
            for (let g = 0; g < GRANTEES; g++) {
              const [read, write] = await probe.masks(ledger, patients[p].address, grantees[g].address);
              const where = `patient ${p}, grantee ${g} after ${JSON.stringify(cmd)}`;
              expect(Number(read)).to.equal(model.readMask(p, g), `read mask, ${where}`);
              expect(Number(write)).to.equal(model.writeMask(p, g), `write mask, ${where}`);
            }
          }
        }
      }),
      { numRuns: NUM_RUNS, examples: [[GENERATION_EXAMPLE]] },
    );
  });

  it("expiry is exact to the second for any grant length", async () => {
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.integer({ min: 0, max: MAX_CATEGORY }), async (length, category) => {
        const { ledger, patient, doctor } = await loadFixture(invariantFixture);
        const t = BigInt(await time.latest()) + 1n;
        await time.setNextBlockTimestamp(t);
        await ledger.connect(patient).grant(doctor.address, 1 << category, Purpose.TREAT, t + length, ethers.ZeroHash);
        if (length > 1n) {
          await time.setNextBlockTimestamp(t + length - 1n);
          await mine();
          expect(await ledger.hasAccess(patient.address, doctor.address, category)).to.equal(true);
        } else {
          expect(await ledger.hasAccess(patient.address, doctor.address, category)).to.equal(true);
        }
        await time.setNextBlockTimestamp(t + length);
        await mine();
        expect(await ledger.hasAccess(patient.address, doctor.address, category)).to.equal(false);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("revoke always wins: no category is open afterwards at any later time before expiry", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 0x1fff }),
        fc.boolean(),
        fc.bigInt({ min: 2n, max: 10n ** 6n }),
        fc.bigInt({ min: 0n, max: 10n ** 6n }),
        async (categories, write, length, later) => {
          const { ledger, patient, doctor, probe } = await loadFixture(invariantFixture);
          const scope = (categories | (write ? WRITE : 0)) >>> 0;
          // Pin the grant and the revoke to consecutive seconds: after loadFixture reverts to an old snapshot,
          // the next block would otherwise take the wall clock's time, however long the earlier tests ran.
          const t = BigInt(await time.latest()) + 1n;
          const expiresAt = t + length + 10n;
          await time.setNextBlockTimestamp(t);
          await ledger.connect(patient).grant(doctor.address, scope, Purpose.TREAT, expiresAt, ethers.ZeroHash);
          await time.setNextBlockTimestamp(t + 1n);
          await ledger.connect(patient).revoke(doctor.address);
          const at = t + 2n + (later % length);
          await time.setNextBlockTimestamp(at);
          await mine();
          const [read, writeMask] = await probe.masks(ledger, patient.address, doctor.address);
          expect([read, writeMask]).to.deep.equal([0n, 0n]);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
