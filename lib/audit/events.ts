import { Interface, getAddress, type EventFragment, type InterfaceAbi } from "ethers";
import { CONTRACT_NAMES, type ContractName, type Deployment } from "../deployment/deployment";
import { cidFromBytes } from "../ids/cid";

/** Where an event sits on the chain: enough to cite it and to order it against other events. */
export interface EventRef {
  blockNumber: number;
  /** Unix seconds of the block. */
  timestamp: number;
  txHash: string;
  logIndex: number;
}

/** Fields every decoded event carries. */
export interface EventBase extends EventRef {
  /** The contract that emitted it. */
  contract: ContractName;
  blockHash: string;
}

/** `ConsentLedger.AccessGranted`: a grant was written (directly, by guardian, by signature or by approving a request). */
export interface GrantEvent extends EventBase {
  kind: "grant";
  patient: string;
  grantee: string;
  /** Category bitmask plus the WRITE flag (bit 31), unsigned. */
  scope: number;
  purpose: number;
  /** Unix seconds at which access ends (gone at that very second). */
  expiresAt: number;
  /** sha2-256 digest of the key bundle block (0x-hex, 32 bytes; all zero when none). */
  keyBundle: string;
  /** The patient, or the patient's guardian. */
  actor: string;
}

/** `ConsentLedger.AccessRevoked`. */
export interface RevokeEvent extends EventBase {
  kind: "revoke";
  patient: string;
  grantee: string;
  actor: string;
}

/** `ConsentLedger.AllAccessRevoked`: every grant and emergency window of the patient cut at once. */
export interface RevokeAllEvent extends EventBase {
  kind: "revokeAll";
  patient: string;
  newEpoch: number;
  actor: string;
}

/** `ConsentLedger.GuardianSet` (guardian is the zero address when removed). */
export interface GuardianEvent extends EventBase {
  kind: "guardian";
  patient: string;
  guardian: string;
}

/** `ConsentLedger.AccessRequested`. */
export interface RequestEvent extends EventBase {
  kind: "request";
  requestId: number;
  patient: string;
  provider: string;
  scope: number;
  purpose: number;
  /** Seconds of access asked for, counted from approval. */
  duration: number;
}

/** `ConsentLedger.RequestApproved` (an AccessGranted follows in the same transaction). */
export interface ApproveEvent extends EventBase {
  kind: "approve";
  requestId: number;
  patient: string;
  provider: string;
}

/** `ConsentLedger.RequestDenied`. */
export interface DenyEvent extends EventBase {
  kind: "deny";
  requestId: number;
  patient: string;
  provider: string;
  /** The patient, or the patient's guardian. */
  actor: string;
}

/** `ConsentLedger.EncryptionKeyPublished`. */
export interface EncryptionKeyEvent extends EventBase {
  kind: "encryptionKey";
  account: string;
  key: string;
}

/** `ConsentLedger.EmergencyPolicySet`. */
export interface EmergencyPolicyEvent extends EventBase {
  kind: "emergencyPolicy";
  patient: string;
  enabled: boolean;
  maxWindow: number;
  summaryCid: string;
}

/** `ConsentLedger.EmergencyAccess`: a provider broke the glass. */
export interface EmergencyEvent extends EventBase {
  kind: "emergency";
  patient: string;
  provider: string;
  /** ETREAT (2) or BTG (3). */
  reasonCode: number;
  expiresAt: number;
  summaryCid: string;
}

/** `RecordIndex.RecordAdded`. */
export interface RecordEvent extends EventBase {
  kind: "record";
  patient: string;
  recordId: string;
  author: string;
  category: number;
  cid: string;
}

/** `ProviderRegistry.ProviderVerified` (also on re-verification and updates). */
export interface ProviderVerifiedEvent extends EventBase {
  kind: "providerVerified";
  provider: string;
  licenceHash: string;
  name: string;
  /** PROVIDER_CLINICIAN (1), PROVIDER_PHARMACY (2) or PROVIDER_LABORATORY (3). */
  providerKind: number;
  emergencyCapable: boolean;
  /** The provider's registry generation: grants given under another generation do not count. */
  generation: number;
  registrar: string;
}

/** `ProviderRegistry.ProviderDeactivated`: the provider's generation moves on, ending every grant it held. */
export interface ProviderDeactivatedEvent extends EventBase {
  kind: "providerDeactivated";
  provider: string;
  newGeneration: number;
  registrar: string;
}

/** `ConsentLedger.KeyDirectoryPublished`: a patient's per-category public keys (digest of the directory document). */
export interface KeyDirectoryEvent extends EventBase {
  kind: "keyDirectory";
  account: string;
  digest: string;
}

/** `ProviderRegistry.RoleGranted` / `RoleRevoked` (OpenZeppelin AccessControl). */
export interface RoleEvent extends EventBase {
  kind: "roleGranted" | "roleRevoked";
  role: string;
  account: string;
  sender: string;
}

/** `DisclosureAnchor.DisclosureRootAnchored`. */
export interface AnchorEvent extends EventBase {
  kind: "anchor";
  gateway: string;
  index: number;
  fromSeq: number;
  toSeq: number;
  merkleRoot: string;
}

/** Any other event of the four contracts (RoleAdminChanged, EIP712DomainChanged, …), kept so nothing is dropped. */
export interface OtherEvent extends EventBase {
  kind: "other";
  name: string;
  args: Record<string, string>;
}

/** Every event of the four contracts, decoded: discriminate on `kind`. */
export type LedgerEvent =
  | GrantEvent
  | RevokeEvent
  | RevokeAllEvent
  | GuardianEvent
  | RequestEvent
  | ApproveEvent
  | DenyEvent
  | EncryptionKeyEvent
  | KeyDirectoryEvent
  | EmergencyPolicyEvent
  | EmergencyEvent
  | RecordEvent
  | ProviderVerifiedEvent
  | ProviderDeactivatedEvent
  | RoleEvent
  | AnchorEvent
  | OtherEvent;

/** The `kind` of a {@link LedgerEvent}. */
export type LedgerEventKind = LedgerEvent["kind"];

/** One log as `eth_getLogs` returns it (hex quantities). */
export interface RawLog {
  address: string;
  topics: readonly string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  logIndex: string;
  removed?: boolean;
  /** Some nodes (Geth ≥ 1.14.? and the newer JSON-RPC spec) include the block time; used when present. */
  blockTimestamp?: string;
}

/** Turns raw logs of the deployment's four contracts into {@link LedgerEvent}s. */
export interface EventDecoder {
  /** The addresses to ask `eth_getLogs` for. */
  readonly addresses: string[];
  /** Decodes one raw log given its block's timestamp; undefined for a log of another contract or an unknown topic. */
  decode(log: RawLog, timestamp: number): LedgerEvent | undefined;
}

type Values = ReadonlyArray<unknown>;
type Build = (v: Values, base: EventBase) => LedgerEvent;

/** How a known event differs from its ABI: its `kind`, and the few fields named or read otherwise. */
interface Shape {
  kind: Exclude<LedgerEventKind, "other">;
  /** ABI parameter name → field name, where the ABI's name would clash with the event's own (`kind`). */
  rename?: Readonly<Record<string, string>>;
  /** ABI parameter name → how its value is read, where the ABI type alone does not say (a binary CID). */
  read?: Readonly<Record<string, (v: unknown) => unknown>>;
}

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v as bigint));
const str = (v: unknown): string => String(v);
/** The canonical text of an on-chain binary CID (the contract accepts only canonical ones; anything else stays visible as hex). */
const cidText = (hex: unknown): string => {
  try {
    return cidFromBytes(str(hex));
  } catch {
    return `invalid-cid:${str(hex)}`;
  }
};

/**
 * Every known event, keyed `Contract.Event`. Field names and order come from the contract ABI (the event
 * interfaces above spell the same names), so a field is written once, in the contract, and read here by rule.
 */
const SHAPES: Readonly<Record<string, Shape>> = {
  "ConsentLedger.AccessGranted": { kind: "grant" },
  "ConsentLedger.AccessRevoked": { kind: "revoke" },
  "ConsentLedger.AllAccessRevoked": { kind: "revokeAll" },
  "ConsentLedger.GuardianSet": { kind: "guardian" },
  "ConsentLedger.AccessRequested": { kind: "request" },
  "ConsentLedger.RequestApproved": { kind: "approve" },
  "ConsentLedger.RequestDenied": { kind: "deny" },
  "ConsentLedger.EncryptionKeyPublished": { kind: "encryptionKey" },
  "ConsentLedger.KeyDirectoryPublished": { kind: "keyDirectory" },
  "ConsentLedger.EmergencyPolicySet": { kind: "emergencyPolicy" },
  "ConsentLedger.EmergencyAccess": { kind: "emergency" },
  "RecordIndex.RecordAdded": { kind: "record", read: { cid: cidText } },
  "ProviderRegistry.ProviderVerified": { kind: "providerVerified", rename: { kind: "providerKind" } },
  "ProviderRegistry.ProviderDeactivated": { kind: "providerDeactivated" },
  "ProviderRegistry.RoleGranted": { kind: "roleGranted" },
  "ProviderRegistry.RoleRevoked": { kind: "roleRevoked" },
  "DisclosureAnchor.DisclosureRootAnchored": { kind: "anchor" },
};

/** How a value of an ABI type reads into an event field: uints as numbers, bools as booleans, the rest as text. */
function readerOf(type: string): (v: unknown) => unknown {
  if (type.startsWith("uint")) return num;
  if (type === "bool") return Boolean;
  return str;
}

/**
 * The builder of one known event: decoded values (in ABI order) become its fields. It extends the freshly made
 * base object in place: an export decodes every log once, and a copy per log is measurable garbage at 100k events.
 */
function builderOf(shape: Shape, fragment: EventFragment): Build {
  const names = fragment.inputs.map((input) => shape.rename?.[input.name] ?? input.name);
  const reads = fragment.inputs.map((input) => shape.read?.[input.name] ?? readerOf(input.type));
  return (v, base) => {
    const event = base as unknown as Record<string, unknown>;
    event.kind = shape.kind;
    for (let i = 0; i < names.length; i++) event[names[i]] = reads[i](v[i]);
    return event as unknown as LedgerEvent;
  };
}

/**
 * Builds the decoder for a deployment (or some of its contracts) from the ABIs in its deployments file, never
 * from pasted ABIs. `generic` forces ethers' ABI coder for every event (the fast path is checked against it).
 *
 * @example
 * const decoder = createEventDecoder(deployment);
 * const event = decoder.decode(rawLog, blockTimestamp); // { kind: "grant", patient: "0x…", … }
 */
export function createEventDecoder(
  deployment: Deployment,
  only?: readonly ContractName[],
  options: { generic?: boolean } = {},
): EventDecoder {
  type Entry = { contract: ContractName; iface: Interface; fragment: EventFragment; build?: Build; plan?: FieldPlan[] };
  /** address (lower case) → topic0 → how to decode. */
  const byAddress = new Map<string, Map<string, Entry>>();
  const addresses: string[] = [];
  for (const contract of only ?? CONTRACT_NAMES) {
    const deployed = deployment.contracts[contract];
    if (deployed === undefined) continue;
    const address = deployed.address.toLowerCase();
    addresses.push(getAddress(deployed.address));
    const iface = new Interface(deployed.abi as InterfaceAbi);
    const byTopic = new Map<string, Entry>();
    byAddress.set(address, byTopic);
    iface.forEachEvent((fragment) => {
      const shape = SHAPES[`${contract}.${fragment.name}`];
      byTopic.set(fragment.topicHash, {
        contract,
        iface,
        fragment,
        build: shape === undefined ? undefined : builderOf(shape, fragment),
        plan: options.generic ? undefined : planOf(fragment),
      });
    });
  }
  return {
    addresses,
    decode(log, timestamp) {
      if (log.removed === true || log.topics.length === 0) return undefined;
      const byTopic = byAddress.get(log.address) ?? byAddress.get(log.address.toLowerCase());
      const entry = byTopic?.get(log.topics[0]) ?? byTopic?.get(log.topics[0].toLowerCase());
      if (entry === undefined) return undefined;
      const values =
        entry.plan !== undefined
          ? decodeWithPlan(entry.plan, log.topics, log.data)
          : entry.iface.decodeEventLog(entry.fragment, log.data, log.topics as string[]);
      const base: EventBase = {
        contract: entry.contract,
        blockNumber: Number(log.blockNumber),
        blockHash: log.blockHash,
        txHash: log.transactionHash,
        logIndex: Number(log.logIndex),
        timestamp,
      };
      if (entry.build !== undefined) return entry.build(values, base);
      const args: Record<string, string> = {};
      entry.fragment.inputs.forEach((input, i) => (args[input.name || String(i)] = String(values[i])));
      return { ...base, kind: "other", name: entry.fragment.name, args };
    },
  };
}

/** Orders two events as the chain did: by block, then by position in the block. */
export function compareEvents(a: EventRef, b: EventRef): number {
  return a.blockNumber - b.blockNumber || a.logIndex - b.logIndex;
}

/** A compact reference to an event (for evidence, identifiers and joins). */
export function refOf(event: EventRef): EventRef {
  return { blockNumber: event.blockNumber, timestamp: event.timestamp, txHash: event.txHash, logIndex: event.logIndex };
}

/** How one event parameter is read: from the next topic (indexed) or the next head word of the data. */
interface FieldPlan {
  indexed: boolean;
  type: "address" | "uint" | "bool" | "bytes32" | "string" | "bytes";
  /** For uints: whether the value always fits a JS number exactly (≤ 48 bits). */
  small?: boolean;
}

/**
 * A direct decoding plan for events whose parameters are only address, uintN, bool, bytes32 and (non-indexed)
 * string — every event of the four contracts. Decoding by plan skips ethers' generic coder and checksums each
 * address once per run instead of once per log, which is most of the cost of a large export. Anything else
 * (and any future event with other types) falls back to ethers.
 */
function planOf(fragment: EventFragment): FieldPlan[] | undefined {
  const plan: FieldPlan[] = [];
  for (const input of fragment.inputs) {
    const t = input.type;
    if (t === "address" || t === "bool" || t === "bytes32") plan.push({ indexed: input.indexed === true, type: t });
    else if (/^uint(\d+)$/.test(t)) plan.push({ indexed: input.indexed === true, type: "uint", small: Number(t.slice(4)) <= 48 });
    else if ((t === "string" || t === "bytes") && input.indexed !== true) plan.push({ indexed: false, type: t });
    else return undefined;
  }
  return plan;
}

const checksums = new Map<string, string>();

/** EIP-55 address of a 40-hex-digit body, memoised (a history names few distinct accounts, many times). */
function checksummed(body: string): string {
  let address = checksums.get(body);
  if (address === undefined) {
    if (checksums.size > 50_000) checksums.clear();
    address = getAddress("0x" + body);
    checksums.set(body, address);
  }
  return address;
}

const utf8 = new TextDecoder("utf-8");
/** The 48 leading hex digits of a word holding a value below 2^64. */
const ZERO_HIGH_WORDS = "0".repeat(48);

function decodeWithPlan(plan: readonly FieldPlan[], topics: readonly string[], data: string): unknown[] {
  const hex = data.startsWith("0x") ? data.slice(2) : data;
  const word = (i: number): string => {
    const w = hex.slice(i * 64, i * 64 + 64);
    if (w.length !== 64) throw new Error(`event data too short: word ${i} missing`);
    return w;
  };
  const values: unknown[] = [];
  let topic = 1;
  let head = 0;
  for (const field of plan) {
    const w = field.indexed ? topics[topic++]?.slice(2) : word(head++);
    if (w === undefined || w.length !== 64) throw new Error("event topics do not match the ABI");
    switch (field.type) {
      case "address":
        values.push(checksummed(w.slice(24).toLowerCase()));
        break;
      case "uint":
        // Up to 64 bits (every uint of these events but request ids and anchor indexes, which stay small) reads as a
        // double without BigInt: exact below 2^53, as Number(BigInt) would round above it.
        values.push(field.small ? parseInt(w.slice(52), 16) : w.startsWith(ZERO_HIGH_WORDS) ? parseInt(w.slice(48), 16) : BigInt("0x" + w));
        break;
      case "bool":
        values.push(w.charCodeAt(63) !== 48);
        break;
      case "bytes32":
        values.push("0x" + w.toLowerCase());
        break;
      case "string":
      case "bytes": {
        const offset = Number(BigInt("0x" + w)) / 32;
        if (!Number.isInteger(offset)) throw new Error("event string offset is not word-aligned");
        const length = Number(BigInt("0x" + word(offset)));
        const start = (offset + 1) * 64;
        const body = hex.slice(start, start + length * 2);
        if (body.length !== length * 2) throw new Error("event string runs past the data");
        if (field.type === "bytes") {
          values.push("0x" + body.toLowerCase());
          break;
        }
        const bytes = new Uint8Array(length);
        for (let i = 0; i < length; i++) bytes[i] = parseInt(body.slice(i * 2, i * 2 + 2), 16);
        values.push(utf8.decode(bytes));
        break;
      }
    }
  }
  return values;
}
