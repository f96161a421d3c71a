import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionResponse, Interface } from "ethers";
import fc from "fast-check";
import {
  MAX_CATEGORY,
  Purpose,
  REPORTING_GAS,
  RequestStatus,
  UNDER_COVERAGE,
  WRITE,
  bytes32Of,
  cidOf,
  deployConsentFixture,
  signAddRecord,
  signLedger,
  signOwnPublication,
} from "./fixtures";

/**
 * Authority and replay properties: random sequences of everything anyone can call — direct, on a patient's
 * behalf, and signed (EIP-712) by a random signer and relayed by a random account — run against the
 * contracts and a plain TypeScript model. After every step:
 * - each call succeeded or reverted with exactly the custom error the model names;
 * - a patient's grant slots and epoch changed only if the caller (or the recovered signer) was that patient
 *   or that patient's guardian at that moment; a request's status only if they answered it;
 * - a guardian changed only when the patient set it (a guardian cannot replace or remove itself);
 * - an encryption key or key directory changed only by its own account's signature (never the guardian's);
 * - a nonce moved only for a successful signature, by exactly one, from exactly the value signed;
 * - a successful signature submitted again always reverts.
 * Besides the comparison with the model, every check after the first compares consecutive chain snapshots
 * without consulting the model, so a model that shares a bug with the contracts cannot hide it.
 */

// Instrumented contracts (coverage) run each step ~40x slower; a few runs still walk every path.
const NUM_RUNS = UNDER_COVERAGE ? 3 : 12;
const MIN_STEPS = 8;
const MAX_STEPS = UNDER_COVERAGE ? 15 : 30;

// Account indexes. The first six are the actors; the patient appoints the guardian before each sequence.
// patient2 (no guardian, never acts or signs) and the lab (a provider that never acts) are patients nobody may touch.
const PATIENT = 0;
const GUARDIAN = 1;
const DOCTOR = 2;
const ER_DOCTOR = 3;
const STRANGER = 4;
const RELAYER = 5;
const PATIENT2 = 6;
const LAB = 7;
const NAMES = ["patient", "guardian", "doctor", "erDoctor", "stranger", "relayer", "patient2", "lab"];
const ACCOUNTS = NAMES.length;
const PROVIDERS = new Set([DOCTOR, ER_DOCTOR, LAB]);
const EMERGENCY_CAPABLE = new Set([ER_DOCTOR]);
/** Whose grant slots are read for every account: the providers, plus a stranger and a patient (never valid). */
const GRANTEES = [DOCTOR, ER_DOCTOR, LAB, STRANGER, PATIENT];
const EMERGENCY_WINDOW = 20;
/** Signatures live an hour (far longer than any sequence), so only the deliberately expired ones run out. */
const DEADLINE_AHEAD = 3_600n;
/** MAX_SIGNATURE_LIFETIME: a deadline further ahead than this is refused. */
const MAX_SIGNATURE_LIFETIME = 86_400n;

// ------------------------------------------------------------------ commands

/**
 * Who acts or signs, relative to the call's patient: the patient themself, whoever is their guardian when the
 * call is made, or a fixed actor. Drawing roles (not only accounts) keeps authorised calls common, whatever the
 * guardian is by then. A role nobody fills (patient2 acts for no one, an unset guardian)
 * falls back to the stranger.
 */
type Who = "patient" | "guardian" | number;

interface Signed {
  signer: Who;
  relayer: number;
  /** 0: the current nonce; 1: a nonce not yet due (must be refused). */
  nonceOffset: number;
  /** A usable deadline, one already passed, or one further ahead than MAX_SIGNATURE_LIFETIME (both refused). */
  deadline: "live" | "expired" | "tooFar";
}

type Command =
  | { kind: "grant"; actor: number; grantee: number; scope: number; expiresIn: number }
  | { kind: "grantFor"; actor: Who; patient: number; grantee: number; scope: number; expiresIn: number }
  | ({ kind: "grantBySig"; patient: number; grantee: number; scope: number; expiresIn: number } & Signed)
  | { kind: "revoke"; actor: number; grantee: number }
  | { kind: "revokeFor"; actor: Who; patient: number; grantee: number }
  | ({ kind: "revokeBySig"; patient: number; grantee: number } & Signed)
  | { kind: "revokeAll"; actor: number }
  | { kind: "revokeAllFor"; actor: Who; patient: number }
  | ({ kind: "revokeAllBySig"; patient: number } & Signed)
  | { kind: "setGuardian"; actor: number; guardian: number | null }
  | { kind: "requestAccess"; actor: number; patient: number; scope: number; duration: number }
  | { kind: "approve"; actor: Who; pick: number }
  | ({ kind: "approveBySig"; pick: number } & Signed)
  | { kind: "deny"; actor: Who; pick: number }
  | ({ kind: "denyBySig"; pick: number } & Signed)
  | ({ kind: "setEncryptionKeyBySig"; patient: number } & Signed)
  | ({ kind: "setKeyDirectoryBySig"; patient: number } & Signed)
  | ({ kind: "addRecordBySig"; patient: number; author: number | null; category: number } & Signed)
  | { kind: "breakGlass"; actor: number; patient: number; reason: number }
  | { kind: "replay"; pick: number; relayer: number }
  | { kind: "wait"; seconds: number };

type Kind = Command["kind"];

const actorIdx = fc.integer({ min: PATIENT, max: RELAYER });
// Mostly the patient with a guardian; sometimes a patient nobody may act for, or an actor's own account.
const patientIdx = fc.constantFrom(PATIENT, PATIENT, PATIENT, PATIENT, PATIENT2, GUARDIAN, STRANGER, DOCTOR);
const granteeIdx = fc.constantFrom(DOCTOR, DOCTOR, ER_DOCTOR, LAB, STRANGER, PATIENT);
const scopeArb = fc
  .record({ categories: fc.integer({ min: 1, max: 0x1fff }), write: fc.boolean() })
  .map(({ categories, write }) => (categories | (write ? WRITE : 0)) >>> 0);
const expiresInArb = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 60 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 0) });
const pickArb = fc.nat({ max: 1_000 });
const whoArb: fc.Arbitrary<Who> = fc.oneof(
  { weight: 3, arbitrary: fc.constant("patient" as const) },
  { weight: 3, arbitrary: fc.constant("guardian" as const) },
  { weight: 4, arbitrary: actorIdx },
);
/** For the `*For` calls, which only a guardian may make: mostly the guardian, so they succeed often enough. */
const forWhoArb: fc.Arbitrary<Who> = fc.oneof(
  { weight: 5, arbitrary: fc.constant("guardian" as const) },
  { weight: 2, arbitrary: fc.constant("patient" as const) },
  { weight: 3, arbitrary: actorIdx },
);
const signedArb: fc.Arbitrary<Signed> = fc.record({
  signer: whoArb,
  relayer: actorIdx,
  nonceOffset: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) }),
  deadline: fc.oneof(
    { weight: 13, arbitrary: fc.constant("live" as const) },
    { weight: 1, arbitrary: fc.constant("expired" as const) },
    { weight: 1, arbitrary: fc.constant("tooFar" as const) },
  ),
});

/** Builds a command arbitrary; `weights` says how often each kind is drawn. */
function commandArb(weights: Record<Kind, number>): fc.Arbitrary<Command> {
  const signed = <T extends object>(kind: Kind, fields: { [K in keyof T]: fc.Arbitrary<T[K]> }) =>
    fc.tuple(fc.record(fields), signedArb).map(([f, s]) => ({ kind, ...f, ...s }) as unknown as Command);
  const arbitraries: Record<Kind, fc.Arbitrary<Command>> = {
    grant: fc.record({
      kind: fc.constant("grant" as const),
      actor: actorIdx,
      grantee: granteeIdx,
      scope: scopeArb,
      expiresIn: expiresInArb,
    }),
    grantFor: fc.record({
      kind: fc.constant("grantFor" as const),
      actor: forWhoArb,
      patient: patientIdx,
      grantee: granteeIdx,
      scope: scopeArb,
      expiresIn: expiresInArb,
    }),
    grantBySig: signed("grantBySig", { patient: patientIdx, grantee: granteeIdx, scope: scopeArb, expiresIn: expiresInArb }),
    revoke: fc.record({ kind: fc.constant("revoke" as const), actor: actorIdx, grantee: granteeIdx }),
    revokeFor: fc.record({ kind: fc.constant("revokeFor" as const), actor: forWhoArb, patient: patientIdx, grantee: granteeIdx }),
    revokeBySig: signed("revokeBySig", { patient: patientIdx, grantee: granteeIdx }),
    revokeAll: fc.record({ kind: fc.constant("revokeAll" as const), actor: actorIdx }),
    revokeAllFor: fc.record({ kind: fc.constant("revokeAllFor" as const), actor: forWhoArb, patient: patientIdx }),
    revokeAllBySig: signed("revokeAllBySig", { patient: patientIdx }),
    setGuardian: fc.record({
      kind: fc.constant("setGuardian" as const),
      // Mostly the patient (who may) and the guardian (who must not be able to touch the patient's guardian).
      actor: fc.constantFrom(PATIENT, PATIENT, GUARDIAN, GUARDIAN, DOCTOR, STRANGER, RELAYER),
      guardian: fc.option(fc.integer({ min: PATIENT, max: PATIENT2 }), { freq: 5, nil: null }),
    }),
    requestAccess: fc.record({
      kind: fc.constant("requestAccess" as const),
      // Providers ask far more often than anyone else.
      actor: fc.constantFrom(DOCTOR, DOCTOR, ER_DOCTOR, ER_DOCTOR, STRANGER, PATIENT),
      patient: patientIdx,
      scope: scopeArb,
      duration: fc.integer({ min: 1, max: 60 }),
    }),
    approve: fc.record({ kind: fc.constant("approve" as const), actor: whoArb, pick: pickArb }),
    approveBySig: signed("approveBySig", { pick: pickArb }),
    deny: fc.record({ kind: fc.constant("deny" as const), actor: whoArb, pick: pickArb }),
    denyBySig: signed("denyBySig", { pick: pickArb }),
    setEncryptionKeyBySig: signed("setEncryptionKeyBySig", { patient: patientIdx }),
    setKeyDirectoryBySig: signed("setKeyDirectoryBySig", { patient: patientIdx }),
    addRecordBySig: signed("addRecordBySig", {
      patient: patientIdx,
      // null: the signer signs as itself; otherwise it signs claiming another author (must be refused).
      author: fc.option(actorIdx, { freq: 4, nil: null }),
      category: fc.integer({ min: 0, max: MAX_CATEGORY }),
    }),
    breakGlass: fc.record({
      kind: fc.constant("breakGlass" as const),
      actor: fc.constantFrom(ER_DOCTOR, ER_DOCTOR, DOCTOR, STRANGER, PATIENT),
      patient: patientIdx,
      reason: fc.constantFrom(Purpose.ETREAT, Purpose.BTG, Purpose.ETREAT, Purpose.TREAT),
    }),
    replay: fc.record({ kind: fc.constant("replay" as const), pick: pickArb, relayer: actorIdx }),
    wait: fc.record({ kind: fc.constant("wait" as const), seconds: fc.integer({ min: 1, max: 30 }) }),
  };
  return fc.oneof(
    ...(Object.keys(arbitraries) as Kind[]).filter((k) => weights[k] > 0).map((k) => ({ weight: weights[k], arbitrary: arbitraries[k] })),
  );
}

/** Every kind of call, weighted so that each actor tries each action on each patient now and then. */
const AUTHORITY_MIX: Record<Kind, number> = {
  grant: 3,
  grantFor: 4,
  grantBySig: 4,
  revoke: 2,
  revokeFor: 3,
  revokeBySig: 3,
  revokeAll: 1,
  revokeAllFor: 2,
  revokeAllBySig: 2,
  setGuardian: 2,
  requestAccess: 3,
  approve: 3,
  approveBySig: 2,
  deny: 2,
  denyBySig: 1,
  setEncryptionKeyBySig: 1,
  setKeyDirectoryBySig: 1,
  addRecordBySig: 1,
  breakGlass: 2,
  replay: 1,
  wait: 2,
};

/** Mostly signatures and their replays, with just enough of the rest to move nonces, guardians and requests. */
const SIGNATURE_MIX: Record<Kind, number> = {
  grant: 1,
  grantFor: 0,
  grantBySig: 4,
  revoke: 0,
  revokeFor: 0,
  revokeBySig: 3,
  revokeAll: 0,
  revokeAllFor: 0,
  revokeAllBySig: 2,
  setGuardian: 1,
  requestAccess: 3,
  approve: 0,
  approveBySig: 3,
  deny: 0,
  denyBySig: 2,
  setEncryptionKeyBySig: 3,
  setKeyDirectoryBySig: 3,
  addRecordBySig: 4,
  breakGlass: 0,
  replay: 5,
  wait: 1,
};

// ------------------------------------------------------------------ model

/** What a call must do: succeed, or revert with this custom error and these arguments. */
type Outcome = { ok: true } | { ok: false; on: "ledger" | "recordIndex"; error: string; args: unknown[] };

interface ModelGrant {
  expiresAt: bigint;
  scope: number;
  purpose: number;
  epoch: number;
}

interface ModelRequest {
  patient: number;
  requester: number;
  scope: number;
  duration: number;
  status: bigint;
}

/** The plain model the contracts must agree with: only what authority and nonces depend on. */
class Model {
  now: bigint;
  readonly guardian = Array<number | null>(ACCOUNTS).fill(null);
  readonly epoch = Array<number>(ACCOUNTS).fill(0);
  readonly grants = new Map<string, ModelGrant>();
  readonly ledgerNonce = Array<bigint>(ACCOUNTS).fill(0n);
  readonly recordNonce = Array<bigint>(ACCOUNTS).fill(0n);
  readonly encryptionKey = Array<string>(ACCOUNTS).fill(ethers.ZeroHash);
  readonly keyDirectory = Array<string>(ACCOUNTS).fill(ethers.ZeroHash);
  readonly requests: ModelRequest[] = [];
  readonly emergencyEnabled = new Set([PATIENT]);

  constructor(now: bigint) {
    this.now = now;
  }

  isLive(p: number, g: number): boolean {
    const grant = this.grants.get(`${p}:${g}`);
    return grant !== undefined && grant.expiresAt > this.now && grant.epoch === this.epoch[p];
  }

  canWrite(p: number, author: number, category: number): boolean {
    const grant = this.grants.get(`${p}:${author}`);
    return this.isLive(p, author) && PROVIDERS.has(author) && ((grant!.scope >>> category) & 1) === 1 && (grant!.scope & WRITE) !== 0;
  }

  /** Whether a signature by `signer` with the right nonce authorises an action of `p`. */
  signs(p: number, signer: number, allowGuardian: boolean): boolean {
    return signer === p || (allowGuardian && this.guardian[p] === signer);
  }

  /** The snapshot the chain must show. */
  snapshot(addresses: readonly string[]): Snapshot {
    return {
      accounts: addresses.map((_, p) => ({
        epoch: BigInt(this.epoch[p]),
        guardian: this.guardian[p] === null ? ethers.ZeroAddress : addresses[this.guardian[p]!],
        ledgerNonce: this.ledgerNonce[p],
        recordNonce: this.recordNonce[p],
        encryptionKey: this.encryptionKey[p],
        keyDirectory: this.keyDirectory[p],
        // No provider is deactivated here, so every grant is of generation 0.
        grants: GRANTEES.map((g) => {
          const grant = this.grants.get(`${p}:${g}`);
          return grant ? `${grant.expiresAt}/${grant.scope}/${grant.purpose}/${grant.epoch}/0` : "0/0/0/0/0";
        }),
      })),
      requests: this.requests.map((r) => ({ patient: addresses[r.patient], status: r.status })),
    };
  }
}

// ------------------------------------------------------------------ chain snapshots

interface AccountState {
  epoch: bigint;
  guardian: string;
  ledgerNonce: bigint;
  recordNonce: bigint;
  encryptionKey: string;
  keyDirectory: string;
  /** grantOf(account, GRANTEES[i]) as "expiresAt/scope/purpose/epoch/providerGeneration". */
  grants: string[];
}

interface Snapshot {
  accounts: AccountState[];
  requests: { patient: string; status: bigint }[];
}

type Fixture = Awaited<ReturnType<typeof authorityFixture>>;

/** The `i`th 32-byte word of ABI-encoded return data, as an unsigned integer. */
const wordAt = (data: string, i: number): bigint => BigInt(`0x${data.slice(2 + 64 * i, 66 + 64 * i)}`);
/** The `i`th word of ABI-encoded return data, as a (checksummed) address. */
const addressAt = (data: string, i: number): string => ethers.getAddress(`0x${data.slice(26 + 64 * i, 66 + 64 * i)}`);

/**
 * Builds a reader of every account's slots. It sends pre-encoded `eth_call`s straight to the node and reads the
 * fixed-size return words itself: a snapshot is ~90 views after every step, and ethers' contract wrappers cost
 * ~4x more per call than the node does, which would take most of the test's time budget.
 */
function snapshotReader({ ledger, recordIndex, accounts }: Fixture): () => Promise<Snapshot> {
  const ledgerAddress = ledger.target as string;
  const recordIndexAddress = recordIndex.target as string;
  const call = (to: string, data: string) =>
    network.provider.request({ method: "eth_call", params: [{ to, data }, "latest"] }) as Promise<string>;
  const ledgerAbi: Interface = ledger.interface;
  const onLedger = (fn: string, args: unknown[]) => {
    const data = ledgerAbi.encodeFunctionData(fn, args);
    return () => call(ledgerAddress, data);
  };
  const views = accounts.map(({ address }) => ({
    epoch: onLedger("epochOf", [address]),
    guardian: onLedger("guardianOf", [address]),
    ledgerNonce: onLedger("nonces", [address]),
    recordNonce: (
      (data) => () =>
        call(recordIndexAddress, data)
    )(recordIndex.interface.encodeFunctionData("nonces", [address])),
    encryptionKey: onLedger("encryptionKeyOf", [address]),
    keyDirectory: onLedger("keyDirectoryOf", [address]),
    grants: GRANTEES.map((g) => onLedger("grantOf", [address, accounts[g].address])),
  }));
  const requestCount = onLedger("requestCount", []);

  return async () => {
    const states = Promise.all(
      views.map(async (v) => {
        const [epoch, guardian, ledgerNonce, recordNonce, encryptionKey, keyDirectory, grants] = await Promise.all([
          v.epoch(),
          v.guardian(),
          v.ledgerNonce(),
          v.recordNonce(),
          v.encryptionKey(),
          v.keyDirectory(),
          Promise.all(v.grants.map((read) => read())),
        ]);
        return {
          epoch: wordAt(epoch, 0),
          guardian: addressAt(guardian, 0),
          ledgerNonce: wordAt(ledgerNonce, 0),
          recordNonce: wordAt(recordNonce, 0),
          encryptionKey,
          keyDirectory,
          // Grant(expiresAt, scope, purpose, epoch, providerGeneration)
          grants: grants.map((g) => [0, 1, 2, 3, 4].map((i) => wordAt(g, i)).join("/")),
        };
      }),
    );
    const count = Number(wordAt(await requestCount(), 0));
    const requests = Promise.all(
      Array.from({ length: count }, async (_, id) => {
        // Request(requester, duration, scope, patient, purpose, status)
        const r = await onLedger("requestOf", [id])();
        return { patient: addressAt(r, 3), status: wordAt(r, 5) };
      }),
    );
    return { accounts: await states, requests: await requests };
  };
}

// ------------------------------------------------------------------ one step

/** Who a call speaks for, read from the command alone (not from the model), for the model-free checks. */
interface Authority {
  /** msg.sender, or the signer of a signed call (whose recovered address the contract must check). */
  actor: number;
  /** The patient whose grants and epoch the call writes, or the request it answers. */
  writes: { patient: number } | { request: number } | null;
  /** setGuardian: the account whose guardian it sets. */
  guardianOf: number | null;
  /** setEncryptionKeyBySig, setKeyDirectoryBySig: the account whose key or key directory it publishes. */
  keyOf: number | null;
  /** A signed ledger call: the account whose nonce it must consume, and the nonce it signed. */
  ledgerNonce: { of: number; signed: bigint } | null;
  /** addRecordBySig: the author whose RecordIndex nonce it must consume, and the nonce it signed. */
  recordNonce: { of: number; signed: bigint } | null;
  replay: boolean;
}

type Send = (from: HardhatEthersSigner) => Promise<ContractTransactionResponse>;

/** A successful signed call, kept to be submitted again. */
interface Replay {
  send: Send;
  outcome: Outcome;
  authority: Authority;
  label: string;
}

interface Plan {
  outcome: Outcome;
  send: () => Promise<ContractTransactionResponse>;
  /** The model's change if the call succeeds. */
  apply: () => void;
  authority: Authority;
  /** If the call is signed and succeeds, how it is replayed and how that must fail. */
  replay?: Omit<Replay, "authority" | "label">;
}

const ledgerError = (error: string, ...args: unknown[]): Outcome => ({ ok: false, on: "ledger", error, args });
const recordError = (error: string, ...args: unknown[]): Outcome => ({ ok: false, on: "recordIndex", error, args });
const OK: Outcome = { ok: true };

const authority = (actor: number, fields: Partial<Authority> = {}): Authority => ({
  actor,
  writes: null,
  guardianOf: null,
  keyOf: null,
  ledgerNonce: null,
  recordNonce: null,
  replay: false,
  ...fields,
});

/** Works out what `cmd`, sent at time `t`, must do, and builds the transaction (signing it if needed). */
async function plan(
  f: Fixture,
  model: Model,
  cmd: Exclude<Command, { kind: "wait" | "replay" }>,
  t: bigint,
  serial: number,
): Promise<Plan> {
  const { ledger, recordIndex, accounts } = f;
  const addr = (i: number) => accounts[i].address;
  const keyBundle = bytes32Of(`bundle:${serial}`);
  const resolve = (who: Who, p: number | undefined): number => {
    if (typeof who === "number") return who;
    const account = p === undefined ? null : who === "patient" ? (p <= RELAYER ? p : null) : model.guardian[p];
    return account ?? STRANGER;
  };

  /** The model's checks of `_checkGrant`, in the contract's order. */
  const grantError = (p: number, g: number, expiresAt: bigint): Outcome | null => {
    if (g === p) return ledgerError("ConsentLedgerGranteeIsPatient", addr(p));
    if (expiresAt <= t) return ledgerError("ConsentLedgerExpiryInPast", expiresAt, t);
    if (!PROVIDERS.has(g)) return ledgerError("ConsentLedgerGranteeNotProvider", addr(g));
    return null;
  };
  const setGrant = (p: number, g: number, scope: number, purpose: number, expiresAt: bigint) => () =>
    model.grants.set(`${p}:${g}`, { expiresAt, scope, purpose, epoch: model.epoch[p] });
  const deleteGrant = (p: number, g: number) => () => model.grants.delete(`${p}:${g}`);
  const bumpEpoch = (p: number) => () => (model.epoch[p] += 1);
  const useNonce = (p: number, apply: () => void) => () => {
    model.ledgerNonce[p] += 1n;
    apply();
  };
  const noChange = () => undefined;
  const guardianError = (p: number, actor: number) =>
    model.guardian[p] === actor ? null : ledgerError("ConsentLedgerNotGuardian", addr(p), addr(actor));
  const deadlineOf = (s: Signed) =>
    s.deadline === "expired" ? t - 1n : s.deadline === "tooFar" ? t + MAX_SIGNATURE_LIFETIME + 1n : t + DEADLINE_AHEAD;
  /** The deadline checks of `_checkDeadline`, which every *BySig runs first. */
  const deadlineError = (s: Signed, on: "ledger" | "recordIndex"): Outcome | null => {
    const name = on === "ledger" ? "ConsentLedger" : "RecordIndex";
    if (s.deadline === "expired") return { ok: false, on, error: `${name}ExpiredSignature`, args: [deadlineOf(s)] };
    if (s.deadline === "tooFar") {
      return { ok: false, on, error: `${name}DeadlineTooFar`, args: [deadlineOf(s), t + MAX_SIGNATURE_LIFETIME] };
    }
    return null;
  };
  /** Signature checks of a ledger *BySig for patient `p`, in the contract's order (deadline, then signer). */
  const sigError = (s: Signed, signer: number, p: number, allowGuardian = true): Outcome | null => {
    const late = deadlineError(s, "ledger");
    if (late) return late;
    if (s.nonceOffset !== 0 || !model.signs(p, signer, allowGuardian)) return ledgerError("ConsentLedgerInvalidSigner", addr(p));
    return null;
  };
  const request = (pick: number) => {
    const id = pick % (model.requests.length + 1); // one id past the end: an unknown request
    return { id, r: model.requests[id] as ModelRequest | undefined };
  };
  /** `_pendingRequest` checks. */
  const requestError = (id: number, r: ModelRequest | undefined): Outcome | null => {
    if (r === undefined) return ledgerError("ConsentLedgerUnknownRequest", id);
    if (r.status !== RequestStatus.Pending) return ledgerError("ConsentLedgerRequestNotPending", id);
    return null;
  };
  const replayOutcome = (p: number) => ledgerError("ConsentLedgerInvalidSigner", addr(p)); // the nonce moved on

  switch (cmd.kind) {
    case "grant": {
      const { actor, grantee, scope, expiresIn } = cmd;
      const expiresAt = t + BigInt(expiresIn);
      return {
        outcome: grantError(actor, grantee, expiresAt) ?? OK,
        apply: setGrant(actor, grantee, scope, Purpose.TREAT, expiresAt),
        send: () => ledger.connect(accounts[actor]).grant(addr(grantee), scope, Purpose.TREAT, expiresAt, keyBundle),
        authority: authority(actor, { writes: { patient: actor } }),
      };
    }
    case "grantFor": {
      const { patient, grantee, scope, expiresIn } = cmd;
      const actor = resolve(cmd.actor, patient);
      const expiresAt = t + BigInt(expiresIn);
      return {
        outcome: guardianError(patient, actor) ?? grantError(patient, grantee, expiresAt) ?? OK,
        apply: setGrant(patient, grantee, scope, Purpose.TREAT, expiresAt),
        send: () => ledger.connect(accounts[actor]).grantFor(addr(patient), addr(grantee), scope, Purpose.TREAT, expiresAt, keyBundle),
        authority: authority(actor, { writes: { patient } }),
      };
    }
    case "grantBySig": {
      const signer = resolve(cmd.signer, cmd.patient);
      const { patient, grantee, scope, expiresIn } = cmd;
      const expiresAt = t + BigInt(expiresIn);
      const nonce = model.ledgerNonce[patient] + BigInt(cmd.nonceOffset);
      const deadline = deadlineOf(cmd);
      const message = {
        patient: addr(patient),
        grantee: addr(grantee),
        scope,
        purpose: Purpose.TREAT,
        expiresAt,
        keyBundle,
        nonce,
        deadline,
      };
      const signature = await signLedger(accounts[signer], ledger, "Grant", message);
      const send: Send = (from) =>
        ledger.connect(from).grantBySig(addr(patient), addr(grantee), scope, Purpose.TREAT, expiresAt, keyBundle, deadline, signature);
      return {
        outcome: sigError(cmd, signer, patient) ?? grantError(patient, grantee, expiresAt) ?? OK,
        apply: useNonce(patient, setGrant(patient, grantee, scope, Purpose.TREAT, expiresAt)),
        send: () => send(accounts[cmd.relayer]),
        authority: authority(signer, { writes: { patient }, ledgerNonce: { of: patient, signed: nonce } }),
        replay: { send, outcome: replayOutcome(patient) },
      };
    }
    case "revoke": {
      const { actor, grantee } = cmd;
      return {
        outcome: model.isLive(actor, grantee) ? OK : ledgerError("ConsentLedgerNoGrant", addr(actor), addr(grantee)),
        apply: deleteGrant(actor, grantee),
        send: () => ledger.connect(accounts[actor]).revoke(addr(grantee)),
        authority: authority(actor, { writes: { patient: actor } }),
      };
    }
    case "revokeFor": {
      const { patient, grantee } = cmd;
      const actor = resolve(cmd.actor, patient);
      const noGrant = model.isLive(patient, grantee) ? null : ledgerError("ConsentLedgerNoGrant", addr(patient), addr(grantee));
      return {
        outcome: guardianError(patient, actor) ?? noGrant ?? OK,
        apply: deleteGrant(patient, grantee),
        send: () => ledger.connect(accounts[actor]).revokeFor(addr(patient), addr(grantee)),
        authority: authority(actor, { writes: { patient } }),
      };
    }
    case "revokeBySig": {
      const signer = resolve(cmd.signer, cmd.patient);
      const { patient, grantee } = cmd;
      const nonce = model.ledgerNonce[patient] + BigInt(cmd.nonceOffset);
      const deadline = deadlineOf(cmd);
      const signature = await signLedger(accounts[signer], ledger, "Revoke", {
        patient: addr(patient),
        grantee: addr(grantee),
        nonce,
        deadline,
      });
      const send: Send = (from) => ledger.connect(from).revokeBySig(addr(patient), addr(grantee), deadline, signature);
      const noGrant = model.isLive(patient, grantee) ? null : ledgerError("ConsentLedgerNoGrant", addr(patient), addr(grantee));
      return {
        outcome: sigError(cmd, signer, patient) ?? noGrant ?? OK,
        apply: useNonce(patient, deleteGrant(patient, grantee)),
        send: () => send(accounts[cmd.relayer]),
        authority: authority(signer, { writes: { patient }, ledgerNonce: { of: patient, signed: nonce } }),
        replay: { send, outcome: replayOutcome(patient) },
      };
    }
    case "revokeAll":
      return {
        outcome: OK,
        apply: bumpEpoch(cmd.actor),
        send: () => ledger.connect(accounts[cmd.actor]).revokeAll(),
        authority: authority(cmd.actor, { writes: { patient: cmd.actor } }),
      };
    case "revokeAllFor": {
      const { patient } = cmd;
      const actor = resolve(cmd.actor, patient);
      return {
        outcome: guardianError(patient, actor) ?? OK,
        apply: bumpEpoch(patient),
        send: () => ledger.connect(accounts[actor]).revokeAllFor(addr(patient)),
        authority: authority(actor, { writes: { patient } }),
      };
    }
    case "revokeAllBySig": {
      const signer = resolve(cmd.signer, cmd.patient);
      const { patient } = cmd;
      const nonce = model.ledgerNonce[patient] + BigInt(cmd.nonceOffset);
      const deadline = deadlineOf(cmd);
      const signature = await signLedger(accounts[signer], ledger, "RevokeAll", { patient: addr(patient), nonce, deadline });
      const send: Send = (from) => ledger.connect(from).revokeAllBySig(addr(patient), deadline, signature);
      return {
        outcome: sigError(cmd, signer, patient) ?? OK,
        apply: useNonce(patient, bumpEpoch(patient)),
        send: () => send(accounts[cmd.relayer]),
        authority: authority(signer, { writes: { patient }, ledgerNonce: { of: patient, signed: nonce } }),
        replay: { send, outcome: replayOutcome(patient) },
      };
    }
    case "setGuardian": {
      const { actor, guardian } = cmd;
      const address = guardian === null ? ethers.ZeroAddress : addr(guardian);
      return {
        outcome: guardian === actor ? ledgerError("ConsentLedgerInvalidGuardian", address) : OK,
        apply: () => (model.guardian[actor] = guardian),
        send: () => ledger.connect(accounts[actor]).setGuardian(address),
        authority: authority(actor, { guardianOf: actor }),
      };
    }
    case "requestAccess": {
      const { actor, patient, scope, duration } = cmd;
      let outcome: Outcome = OK;
      if (patient === actor) outcome = ledgerError("ConsentLedgerInvalidPatient", addr(patient));
      else if (!PROVIDERS.has(actor)) outcome = ledgerError("ConsentLedgerNotProvider", addr(actor));
      return {
        outcome,
        apply: () => model.requests.push({ patient, requester: actor, scope, duration, status: RequestStatus.Pending }),
        send: () => ledger.connect(accounts[actor]).requestAccess(addr(patient), scope, Purpose.TREAT, duration),
        authority: authority(actor),
      };
    }
    case "approve":
    case "deny": {
      const { id, r } = request(cmd.pick);
      const actor = resolve(cmd.actor, r?.patient);
      const answerer = r === undefined || actor === r.patient || actor === model.guardian[r.patient];
      const outcome = requestError(id, r) ?? (answerer ? OK : ledgerError("ConsentLedgerNotPatient", id, addr(actor)));
      const approve = cmd.kind === "approve";
      return {
        outcome,
        apply: () => {
          r!.status = approve ? RequestStatus.Approved : RequestStatus.Denied;
          if (approve) setGrant(r!.patient, r!.requester, r!.scope, Purpose.TREAT, t + BigInt(r!.duration))();
        },
        send: () => (approve ? ledger.connect(accounts[actor]).approve(id, keyBundle) : ledger.connect(accounts[actor]).deny(id)),
        authority: authority(actor, { writes: { request: id } }),
      };
    }
    case "approveBySig":
    case "denyBySig": {
      const { id, r } = request(cmd.pick);
      const approve = cmd.kind === "approveBySig";
      const nonce = (r ? model.ledgerNonce[r.patient] : 0n) + BigInt(cmd.nonceOffset);
      const deadline = deadlineOf(cmd);
      const signer = resolve(cmd.signer, r?.patient);
      const signature = approve
        ? await signLedger(accounts[signer], ledger, "Approve", { requestId: BigInt(id), keyBundle, nonce, deadline })
        : await signLedger(accounts[signer], ledger, "Deny", { requestId: BigInt(id), nonce, deadline });
      const send: Send = (from) =>
        approve
          ? ledger.connect(from).approveBySig(id, keyBundle, deadline, signature)
          : ledger.connect(from).denyBySig(id, deadline, signature);
      // The deadline is checked first, then the request, then the signature.
      const outcome = deadlineError(cmd, "ledger") ?? requestError(id, r) ?? sigError(cmd, signer, r!.patient) ?? OK;
      return {
        outcome,
        apply: () => {
          model.ledgerNonce[r!.patient] += 1n;
          r!.status = approve ? RequestStatus.Approved : RequestStatus.Denied;
          if (approve) setGrant(r!.patient, r!.requester, r!.scope, Purpose.TREAT, t + BigInt(r!.duration))();
        },
        send: () => send(accounts[cmd.relayer]),
        authority: authority(signer, {
          writes: { request: id },
          ledgerNonce: r ? { of: r.patient, signed: nonce } : null,
        }),
        // Replayed, the request is no longer pending, which the contract checks before the signature.
        replay: { send, outcome: ledgerError("ConsentLedgerRequestNotPending", id) },
      };
    }
    case "setEncryptionKeyBySig":
    case "setKeyDirectoryBySig": {
      const signer = resolve(cmd.signer, cmd.patient);
      const { kind, patient } = cmd;
      const value = bytes32Of(`${kind}:${serial}`);
      const nonce = model.ledgerNonce[patient] + BigInt(cmd.nonceOffset);
      const deadline = deadlineOf(cmd);
      const signature = await signOwnPublication(accounts[signer], ledger, kind, addr(patient), value, nonce, deadline);
      const send: Send = (from) => ledger.connect(from)[kind](addr(patient), value, deadline, signature);
      const published = kind === "setEncryptionKeyBySig" ? model.encryptionKey : model.keyDirectory;
      return {
        outcome: sigError(cmd, signer, patient, false) ?? OK, // the guardian may not publish the patient's key or key directory
        apply: useNonce(patient, () => (published[patient] = value)),
        send: () => send(accounts[cmd.relayer]),
        authority: authority(signer, { keyOf: patient, ledgerNonce: { of: patient, signed: nonce } }),
        replay: { send, outcome: replayOutcome(patient) },
      };
    }
    case "addRecordBySig": {
      const signer = resolve(cmd.signer, cmd.patient);
      const { patient, category } = cmd;
      const author = cmd.author ?? signer;
      const cid = cidOf(`authority-${serial}`);
      const recordId = bytes32Of(`record:${serial}`);
      const nonce = model.recordNonce[author] + BigInt(cmd.nonceOffset);
      const deadline = deadlineOf(cmd);
      const message = { patient: addr(patient), author: addr(author), recordId, cid, category, nonce, deadline };
      const signature = await signAddRecord(accounts[signer], recordIndex, message);
      const send: Send = (from) =>
        recordIndex.connect(from).addRecordBySig(addr(patient), addr(author), recordId, cid, category, deadline, signature);
      // In the contract's order: deadline, signer, then authority.
      const authorised = author === patient || model.guardian[patient] === author || model.canWrite(patient, author, category);
      let outcome: Outcome = OK;
      if (signer !== author || cmd.nonceOffset !== 0) outcome = recordError("RecordIndexInvalidSigner", addr(author));
      else if (!authorised) outcome = recordError("RecordIndexNotAuthorized", addr(patient), addr(author), category);
      outcome = deadlineError(cmd, "recordIndex") ?? outcome;
      return {
        outcome,
        apply: () => (model.recordNonce[author] += 1n),
        send: () => send(accounts[cmd.relayer]),
        authority: authority(signer, { recordNonce: { of: author, signed: nonce } }),
        replay: { send, outcome: recordError("RecordIndexInvalidSigner", addr(author)) },
      };
    }
    case "breakGlass": {
      const { actor, patient, reason } = cmd;
      let outcome: Outcome = OK;
      if (reason !== Purpose.ETREAT && reason !== Purpose.BTG) outcome = ledgerError("ConsentLedgerInvalidEmergencyReason", reason);
      else if (!EMERGENCY_CAPABLE.has(actor)) outcome = ledgerError("ConsentLedgerNotEmergencyProvider", addr(actor));
      else if (!model.emergencyEnabled.has(patient)) outcome = ledgerError("ConsentLedgerEmergencyDisabled", addr(patient));
      return {
        outcome,
        apply: noChange, // opens an emergency window only: no grant, epoch or nonce moves
        send: () => ledger.connect(accounts[actor]).breakGlass(addr(patient), reason),
        authority: authority(actor),
      };
    }
  }
}

// ------------------------------------------------------------------ model-free checks

/**
 * Compares two consecutive chain snapshots: whatever changed must have been changed by a successful call of
 * someone allowed to change it, and a call by anyone else must have reverted.
 */
function checkAuthority(
  before: Snapshot,
  after: Snapshot,
  auth: Authority,
  ok: boolean,
  addresses: readonly string[],
  where: string,
): void {
  const actor = addresses[auth.actor];
  const isPatientOrGuardian = (p: number) => actor === addresses[p] || actor === before.accounts[p].guardian;
  const patientOf = (id: number) => (id < before.requests.length ? addresses.indexOf(before.requests[id].patient) : -1);
  const writesFor = auth.writes === null ? null : "patient" in auth.writes ? auth.writes.patient : patientOf(auth.writes.request);

  if (auth.replay) expect(ok, `a replayed signature succeeded: ${where}`).to.equal(false);
  if (writesFor !== null && (writesFor < 0 || !isPatientOrGuardian(writesFor))) {
    expect(ok, `${NAMES[auth.actor]} acted for someone else and it succeeded: ${where}`).to.equal(false);
  }

  for (let p = 0; p < ACCOUNTS; p++) {
    const [b, a] = [before.accounts[p], after.accounts[p]];
    const whose = `${NAMES[p]}'s`;
    if (a.epoch !== b.epoch || a.grants.join() !== b.grants.join()) {
      expect(ok && writesFor === p, `${whose} grants changed by a call that does not write them: ${where}`).to.equal(true);
      expect(isPatientOrGuardian(p), `${NAMES[auth.actor]} changed ${whose} grants: ${where}`).to.equal(true);
    }
    if (a.guardian !== b.guardian) {
      // Only the patient sets their guardian: not the guardian, not anyone else.
      expect(ok && auth.guardianOf === p && auth.actor === p, `${whose} guardian changed by ${NAMES[auth.actor]}: ${where}`).to.equal(true);
    }
    if (a.encryptionKey !== b.encryptionKey) {
      expect(ok && auth.keyOf === p && auth.actor === p, `${whose} key changed by ${NAMES[auth.actor]}: ${where}`).to.equal(true);
    }
    if (a.keyDirectory !== b.keyDirectory) {
      expect(ok && auth.keyOf === p && auth.actor === p, `${whose} key directory changed by ${NAMES[auth.actor]}: ${where}`).to.equal(true);
    }
    const ledgerUsed = ok && auth.ledgerNonce?.of === p;
    expect(a.ledgerNonce, `${whose} ConsentLedger nonce: ${where}`).to.equal(b.ledgerNonce + (ledgerUsed ? 1n : 0n));
    if (ledgerUsed) expect(auth.ledgerNonce!.signed, `signed ConsentLedger nonce: ${where}`).to.equal(b.ledgerNonce);
    const recordUsed = ok && auth.recordNonce?.of === p;
    expect(a.recordNonce, `${whose} RecordIndex nonce: ${where}`).to.equal(b.recordNonce + (recordUsed ? 1n : 0n));
    if (recordUsed) expect(auth.recordNonce!.signed, `signed RecordIndex nonce: ${where}`).to.equal(b.recordNonce);
  }

  for (let id = 0; id < before.requests.length; id++) {
    if (after.requests[id].status !== before.requests[id].status) {
      const answered = ok && auth.writes !== null && "request" in auth.writes && auth.writes.request === id;
      expect(answered && isPatientOrGuardian(patientOf(id)), `request ${id} answered by ${NAMES[auth.actor]}: ${where}`).to.equal(true);
    }
  }
}

// ------------------------------------------------------------------ runner

/** Tallies of what the sequences did across all runs, so a generator that never reaches a case shows. */
interface Tally {
  guardianSucceeded: number;
  othersRefused: number;
  signedSucceeded: number;
  replaysRefused: number;
}

const newTally = (): Tally => ({ guardianSucceeded: 0, othersRefused: 0, signedSucceeded: 0, replaysRefused: 0 });

/** Requests pending before every sequence, so answering one is possible from the first step. */
const INITIAL_REQUESTS = [
  { patient: PATIENT, requester: DOCTOR, scope: 0b111, duration: 30 },
  { patient: PATIENT, requester: LAB, scope: ((1 << 4) | WRITE) >>> 0, duration: 40 },
  { patient: PATIENT2, requester: ER_DOCTOR, scope: 1 << 12, duration: 50 },
] as const;

/** The consent fixture, plus: the patient appointed the guardian and enabled break-glass; three requests pend. */
async function authorityFixture() {
  const f = await deployConsentFixture();
  const accounts = [f.patient, f.guardian, f.doctor, f.erDoctor, f.stranger, f.relayer, f.patient2, f.lab];
  await f.ledger.connect(f.patient).setGuardian(f.guardian.address);
  await f.ledger.connect(f.patient).setEmergencyPolicy(true, EMERGENCY_WINDOW, bytes32Of("summary"));
  for (const r of INITIAL_REQUESTS) {
    await f.ledger.connect(accounts[r.requester]).requestAccess(accounts[r.patient].address, r.scope, Purpose.TREAT, r.duration);
  }
  return { ...f, accounts };
}

const describeCommand = (i: number, cmd: Command) => `step ${i} ${JSON.stringify(cmd)}`;

/** Runs `commands` against the contracts and the model, checking everything after every step. */
async function runSequence(commands: Command[], tally: Tally): Promise<void> {
  const f = await loadFixture(authorityFixture);
  const addresses = f.accounts.map((a) => a.address);
  const model = new Model(BigInt(await time.latest()));
  model.guardian[PATIENT] = GUARDIAN;
  for (const r of INITIAL_REQUESTS) model.requests.push({ ...r, status: RequestStatus.Pending });
  const replays: Replay[] = [];

  const readSnapshot = snapshotReader(f);
  let before = await readSnapshot();
  expect(before).to.deep.equal(model.snapshot(addresses), "fixture state");

  for (const [i, cmd] of commands.entries()) {
    if (cmd.kind === "wait") {
      model.now += BigInt(cmd.seconds);
      await time.setNextBlockTimestamp(model.now);
      await mine();
      continue; // an empty block changes no storage
    }

    if (cmd.kind === "replay" && replays.length === 0) continue; // nothing signed yet

    // Every transaction lands exactly one second after the previous block, so the model knows its time.
    const t = model.now + 1n;
    model.now = t;
    let where = describeCommand(i, cmd);
    let step: Plan;
    if (cmd.kind === "replay") {
      const r = replays[cmd.pick % replays.length];
      where += ` replaying ${r.label}`;
      step = { outcome: r.outcome, apply: () => undefined, send: () => r.send(f.accounts[cmd.relayer]), authority: r.authority };
    } else {
      step = await plan(f, model, cmd, t, i);
      where += ` by ${NAMES[step.authority.actor]}`;
    }

    await time.setNextBlockTimestamp(t);
    const { outcome } = step;
    if (outcome.ok) {
      await (await step.send()).wait();
      step.apply();
    } else {
      await expect(step.send(), where)
        .to.be.revertedWithCustomError(outcome.on === "ledger" ? f.ledger : f.recordIndex, outcome.error)
        .withArgs(...outcome.args);
      // A reverted transaction is not mined; mine the block anyway so the clock sits at t.
      if (BigInt(await time.latest()) < t) await mine();
    }
    expect(BigInt(await time.latest())).to.equal(t, `chain clock drifted from the model: ${where}`);

    const after = await readSnapshot();
    expect(after, `state differs from the model: ${where}`).to.deep.equal(model.snapshot(addresses));
    checkAuthority(before, after, step.authority, outcome.ok, addresses, where);
    before = after;

    const auth = step.authority;
    if (outcome.ok && step.replay) replays.push({ ...step.replay, authority: { ...auth, replay: true }, label: where });
    if (auth.replay) tally.replaysRefused += 1;
    else if (outcome.ok && step.replay) tally.signedSucceeded += 1;
    const forPatient = auth.writes !== null && "patient" in auth.writes && auth.writes.patient === PATIENT;
    if (outcome.ok && forPatient && auth.actor === model.guardian[PATIENT]) tally.guardianSucceeded += 1;
    if (!outcome.ok && forPatient && auth.actor !== PATIENT && auth.actor !== model.guardian[PATIENT]) tally.othersRefused += 1;
  }
}

/** A valid, unexpired signature by `signer`, relayed by `relayer`. */
const sig = (signer: Who, relayer: number = RELAYER): Signed => ({ signer, relayer, nonceOffset: 0, deadline: "live" });

/**
 * Run first, before the random sequences: each side of the authority invariant at least once, including the
 * guardian losing its power the moment the patient replaces it.
 */
const AUTHORITY_EXAMPLE: Command[] = [
  { kind: "grantFor", actor: "guardian", patient: PATIENT, grantee: DOCTOR, scope: 0b11, expiresIn: 30 },
  { kind: "grantFor", actor: STRANGER, patient: PATIENT, grantee: LAB, scope: 0b1, expiresIn: 30 },
  { kind: "revokeBySig", patient: PATIENT, grantee: DOCTOR, ...sig(DOCTOR) }, // the grantee cannot revoke for the patient
  { kind: "setGuardian", actor: GUARDIAN, guardian: STRANGER }, // sets the guardian's own guardian, not the patient's
  { kind: "grantBySig", patient: PATIENT, grantee: LAB, scope: ((1 << 4) | WRITE) >>> 0, expiresIn: 30, ...sig("guardian", STRANGER) },
  { kind: "setGuardian", actor: PATIENT, guardian: STRANGER },
  { kind: "revokeFor", actor: GUARDIAN, patient: PATIENT, grantee: DOCTOR }, // the former guardian
  { kind: "revokeFor", actor: "guardian", patient: PATIENT, grantee: DOCTOR }, // the new one
  { kind: "approve", actor: DOCTOR, pick: 0 }, // a provider approving its own request
  { kind: "approve", actor: "guardian", pick: 0 },
  { kind: "replay", pick: 0, relayer: DOCTOR },
  { kind: "revokeAllFor", actor: "patient", patient: PATIENT }, // the patient is not their own guardian
  { kind: "revokeAll", actor: PATIENT },
];

/** Run first: one successful signature of every kind, each replayed, plus a refused guardian key and a future nonce. */
const SIGNATURE_EXAMPLE: Command[] = [
  { kind: "grantBySig", patient: PATIENT, grantee: DOCTOR, scope: 0b111, expiresIn: 30, ...sig("patient") },
  { kind: "replay", pick: 0, relayer: STRANGER },
  { kind: "approveBySig", pick: 0, ...sig("guardian") },
  { kind: "replay", pick: 1, relayer: STRANGER },
  { kind: "addRecordBySig", patient: PATIENT, author: null, category: 3, ...sig("patient") },
  { kind: "replay", pick: 2, relayer: STRANGER },
  { kind: "setEncryptionKeyBySig", patient: PATIENT, ...sig("guardian") }, // only the patient publishes their key
  { kind: "setEncryptionKeyBySig", patient: PATIENT, ...sig("patient") },
  { kind: "replay", pick: 3, relayer: STRANGER },
  { kind: "denyBySig", pick: 1, ...sig("patient") },
  { kind: "replay", pick: 4, relayer: STRANGER },
  { kind: "revokeBySig", patient: PATIENT, grantee: DOCTOR, ...sig("patient"), nonceOffset: 1 },
  { kind: "revokeAllBySig", patient: PATIENT, ...sig("guardian") },
  { kind: "replay", pick: 5, relayer: STRANGER },
  { kind: "setKeyDirectoryBySig", patient: PATIENT, ...sig("guardian") }, // only the patient publishes their directory
  { kind: "setKeyDirectoryBySig", patient: PATIENT, ...sig("patient") },
  { kind: "replay", pick: 6, relayer: STRANGER },
  { kind: "grantBySig", patient: PATIENT, grantee: DOCTOR, scope: 0b1, expiresIn: 30, ...sig("patient"), deadline: "tooFar" },
  { kind: "addRecordBySig", patient: PATIENT, author: null, category: 3, ...sig("patient"), deadline: "tooFar" },
];

/**
 * Runs `example`, then NUM_RUNS random sequences of commands drawn from `mix`, each checked step by step by
 * {@link runSequence}; returns the tally of what they reached, for the caller to check the run was not vacuous.
 */
async function checkSequences(mix: Record<Kind, number>, example: Command[]): Promise<Tally> {
  const tally = newTally();
  await fc.assert(
    fc.asyncProperty(fc.array(commandArb(mix), { minLength: MIN_STEPS, maxLength: MAX_STEPS, size: "max" }), (commands) =>
      runSequence(commands, tally),
    ),
    { numRuns: NUM_RUNS, examples: [[example]] },
  );
  return tally;
}

describe("ConsentLedger authority and nonce invariants (fast-check)", function () {
  before(function () {
    if (REPORTING_GAS) this.skip(); // random calls would make the gas snapshot differ from run to run
  });

  it("lets only the patient or their current guardian change the patient's grants, and only the patient change the guardian", async () => {
    const tally = await checkSequences(AUTHORITY_MIX, AUTHORITY_EXAMPLE);
    // The generator must reach both sides of the invariant, or the property proves nothing.
    expect(tally.guardianSucceeded, "guardian actions that succeeded").to.be.greaterThan(0);
    expect(tally.othersRefused, "actions by others that were refused").to.be.greaterThan(0);
  });

  it("consumes exactly the signed nonce on every successful signature and refuses every replay", async () => {
    const tally = await checkSequences(SIGNATURE_MIX, SIGNATURE_EXAMPLE);
    expect(tally.signedSucceeded, "signatures that succeeded").to.be.greaterThan(0);
    expect(tally.replaysRefused, "replays that were refused").to.be.greaterThan(0);
  });
});
