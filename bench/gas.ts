/**
 * Gas per consent operation, against the storage-bound floor measured on the same chain in the same run.
 *
 * The floor is `contracts/mocks/StorageFloorMock.sol`: `write` takes `grant`'s very arguments (same calldata for
 * the same values) and does only ONE fresh 32-byte SSTORE plus ONE event the size of `AccessGranted` (LOG4, 128
 * data bytes): the least any contract can spend to record a new grant. Transaction gas is the receipt's
 * `gasUsed` (21k intrinsic and calldata included), as the gas reporter shows it. `hasAccess` is execution gas
 * only (no intrinsic, no calldata), cold and warm, measured by `contracts/mocks/HasAccessGasProbe.sol`, against
 * the mock's `hasAccess` (one SLOAD of the pair's slot) measured by the same probe.
 *
 * Each operation is measured once on a fresh deployment in a fixed sequence whose state is stated in its label
 * ("new pair", "overwrite", "first-ever"): EVM gas is deterministic, so one run is exact (the *BySig rows move by
 * a dozen gas with the count of zero bytes in the signature). Targets are those of the contracts issue.
 *
 * Run: `npx hardhat run bench/gas.ts` (compiles the mock; `--no-compile` once compiled). Writes bench/results/gas.json.
 */
import { runBench, writeBenchResult } from "./benchRun";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import type { HasAccessGasProbe, StorageFloorMock } from "../typechain-types";
import { Category, Purpose, bytes32Of, cidOf, deployConsentFixture, scopeOf, signAddRecord, signLedger } from "../test/contracts/fixtures";

const DAY = 86_400n;
const KEY_BUNDLE = ethers.id("key-bundle");
/** Two records' binary CIDs (36 bytes, as RecordIndex takes them). */
const CIDS = [cidOf("bench record 0"), cidOf("bench record 1")];

/** An operation's figure, its floor, and the target when it has one. */
interface Row {
  operation: string;
  gas: number;
  floor: number;
  ratio: number;
  target?: number;
  ok?: boolean;
  note?: string;
}

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  if (receipt === null || receipt.status !== 1) throw new Error("transaction failed");
  return Number(receipt.gasUsed);
}

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
}

async function main(): Promise<void> {
  const f = await deployConsentFixture();
  const { ledger, recordIndex, anchor, registry, patient, patient2, doctor, erDoctor, lab, relayer, gateway } = f;
  const floorMock: StorageFloorMock = await ethers.deployContract("StorageFloorMock");
  const probe: HasAccessGasProbe = await ethers.deployContract("HasAccessGasProbe");
  const now = BigInt(await time.latest());
  const expiresAt = now + 30n * DAY;
  const scope = scopeOf([Category.ALLERGIES, Category.MEDICATIONS, Category.LABS]);

  // ---- the floor: the same arguments as the first grant below, so the same calldata
  const writeFloor = await gasOf(floorMock.connect(patient).write(doctor.address, scope, Purpose.TREAT, expiresAt, KEY_BUNDLE));

  const measured: Array<{ operation: string; gas: number; note?: string }> = [];
  const record = async (operation: string, tx: Promise<ContractTransactionResponse>, note?: string): Promise<void> => {
    measured.push({ operation, gas: await gasOf(tx), note });
  };

  const signedGrant = async (grantee: string) => {
    const m = {
      patient: patient2.address,
      grantee,
      scope,
      purpose: Purpose.TREAT,
      expiresAt,
      keyBundle: KEY_BUNDLE,
      nonce: await ledger.nonces(patient2.address),
      deadline: BigInt(await time.latest()) + DAY,
    };
    const sig = await signLedger(patient2, ledger, "Grant", m);
    return ledger.connect(relayer).grantBySig(m.patient, m.grantee, m.scope, m.purpose, m.expiresAt, m.keyBundle, m.deadline, sig);
  };

  // ---- grants by the patient's own transaction
  await record("grant (new pair)", ledger.connect(patient).grant(doctor.address, scope, Purpose.TREAT, expiresAt, KEY_BUNDLE));
  await record("grant (overwrite)", ledger.connect(patient).grant(doctor.address, scope, Purpose.TREAT, expiresAt + DAY, KEY_BUNDLE));
  await record("revoke", ledger.connect(patient).revoke(doctor.address), "slot zeroed: refund");

  // ---- signed grants, relayed
  await record("grantBySig (first-ever signature, new pair)", signedGrant(doctor.address), "writes the nonce slot fresh");
  await record("grantBySig (later signature, new pair)", signedGrant(lab.address));
  {
    const m = {
      patient: patient2.address,
      grantee: lab.address,
      nonce: await ledger.nonces(patient2.address),
      deadline: BigInt(await time.latest()) + DAY,
    };
    const sig = await signLedger(patient2, ledger, "Revoke", m);
    await record("revokeBySig", ledger.connect(relayer).revokeBySig(m.patient, m.grantee, m.deadline, sig));
  }

  // ---- panic button
  await record("revokeAll (first: patient slot fresh)", ledger.connect(patient2).revokeAll());
  await record("revokeAll (later)", ledger.connect(patient2).revokeAll());

  // ---- requests and approval
  await record(
    "requestAccess (first-ever request)",
    ledger.connect(doctor).requestAccess(patient.address, scope, Purpose.TREAT, 30n * DAY),
  );
  await record("requestAccess (later)", ledger.connect(lab).requestAccess(patient.address, scope, Purpose.TREAT, 30n * DAY));
  await record("approve (grant for a new pair)", ledger.connect(patient).approve(0n, KEY_BUNDLE));

  // ---- emergency
  await ledger.connect(patient).setEmergencyPolicy(true, 900, KEY_BUNDLE);
  await record("breakGlass", ledger.connect(erDoctor).breakGlass(patient.address, Purpose.ETREAT));

  // ---- records and disclosure anchoring
  for (const [i, cid] of CIDS.entries()) {
    const m = {
      patient: patient.address,
      author: patient.address,
      recordId: bytes32Of(`record:${i}`),
      cid,
      category: Category.LABS,
      nonce: await recordIndex.nonces(patient.address),
      deadline: BigInt(await time.latest()) + DAY,
    };
    const sig = await signAddRecord(patient, recordIndex, m);
    await record(
      i === 0 ? "addRecordBySig (author's first)" : "addRecordBySig (later)",
      recordIndex.connect(relayer).addRecordBySig(m.patient, m.author, m.recordId, m.cid, m.category, m.deadline, sig),
    );
  }
  if (!(await registry.hasRole(await registry.GATEWAY_ROLE(), gateway.address))) throw new Error("gateway has no GATEWAY_ROLE");
  await record("anchor (gateway's first batch)", anchor.connect(gateway).anchor(0n, 99n, ethers.id("root:0")));
  await record("anchor (later batch)", anchor.connect(gateway).anchor(100n, 199n, ethers.id("root:1")));

  // ---- hasAccess execution gas: the doctor holds the approved grant (LABS in scope)
  const [granted, cold, warm] = await probe.measure(await ledger.getAddress(), patient.address, doctor.address, Category.LABS);
  const [floorGranted, floorCold, floorWarm] = await probe.measure(
    await floorMock.getAddress(),
    patient.address,
    doctor.address,
    Category.LABS,
  );
  if (!granted || !floorGranted) throw new Error("hasAccess measured on a pair without access");

  const TARGETS: Array<[RegExp, number]> = [
    [/^grant \(/, 60_000],
    [/^revoke$/, 30_000],
    [/^grantBySig/, 75_000],
    [/^hasAccess/, 6_000],
  ];
  const targetOf = (operation: string): number | undefined => TARGETS.find(([re]) => re.test(operation))?.[1];
  const rows: Row[] = [
    ...measured.map((m) => ({ ...m, floor: writeFloor })),
    {
      operation: "hasAccess execution (cold: gateway's first call)",
      gas: Number(cold),
      floor: Number(floorCold),
      note: "3 cold SLOADs + cold registry = 8,900",
    },
    { operation: "hasAccess execution (warm)", gas: Number(warm), floor: Number(floorWarm) },
  ].map((r) => {
    const target = targetOf(r.operation);
    return { ...r, ratio: r.gas / r.floor, target, ok: target === undefined ? undefined : r.gas <= target };
  });

  const widths = [50, 8, 8, 6, 8, 6, 0];
  console.log(`\nGas per operation vs the storage-bound floor (one fresh SSTORE + an AccessGranted-sized event), same chain, same run`);
  console.log(
    `(transactions: receipt gasUsed incl. 21k intrinsic + calldata; hasAccess: execution gas only, floor = one SLOAD via the same probe)\n`,
  );
  console.log(row(["", "gas", "floor", "ratio", "target", "", "note"], widths));
  for (const r of rows) {
    console.log(
      row(
        [
          r.operation,
          String(r.gas),
          String(r.floor),
          r.ratio.toFixed(2),
          r.target === undefined ? "" : `≤ ${r.target / 1000}k`,
          r.ok === undefined ? "" : r.ok ? "ok" : "MISS",
          r.note ?? "",
        ],
        widths,
      ),
    );
  }
  console.log(`\nfloor: write ${writeFloor} gas (tx), read ${floorCold} cold / ${floorWarm} warm (execution)`);

  const summary = {
    floor: {
      writeTxGas: writeFloor,
      readColdGas: Number(floorCold),
      readWarmGas: Number(floorWarm),
      contract: "contracts/mocks/StorageFloorMock.sol",
    },
    rows,
    figures: rows.map((r) => ({
      name: r.operation,
      measured: r.gas,
      unit: "gas",
      reference: r.floor,
      referenceName: "floor",
      ratio: r.ratio,
      goal: r.target === undefined ? undefined : `≤ ${r.target / 1000}k`,
      ok: r.ok,
    })),
  };
  await writeBenchResult("gas", summary);
}

runBench(main);
