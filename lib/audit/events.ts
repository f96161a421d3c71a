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

/** Completes a base into a typed event, in place (type-checked field by field against the event's interface). */
function extend<E extends LedgerEvent>(base: EventBase, fields: Omit<E, keyof EventBase>): E {
  return Object.assign(base, fields) as E;
}

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v as bigint));
const str = (v: unknown): string => String(v);
/** The canonical text of an on-chain binary CID (the contract accepts only canonical ones; anything else stays visible as hex). */
const cidText = (hex: string): string => {
  try {
    return cidFromBytes(hex);
  } catch {
    return `invalid-cid:${hex}`;
  }
};

/**
 * How each known event's decoded values (in ABI order) become a typed event. They extend the freshly made base
 * object in place: an export decodes every log once, and a copy per log is measurable garbage at 100k events.
 */
const BUILDERS: Record<string, Build> = {
  "ConsentLedger.AccessGranted": (v, b) =>
    extend<GrantEvent>(b, {
      kind: "grant",
      patient: str(v[0]),
      grantee: str(v[1]),
      scope: num(v[2]),
      purpose: num(v[3]),
      expiresAt: num(v[4]),
      keyBundle: str(v[5]),
      actor: str(v[6]),
    }),
  "ConsentLedger.AccessRevoked": (v, b) =>
    extend<RevokeEvent>(b, { kind: "revoke", patient: str(v[0]), grantee: str(v[1]), actor: str(v[2]) }),
  "ConsentLedger.AllAccessRevoked": (v, b) =>
    extend<RevokeAllEvent>(b, { kind: "revokeAll", patient: str(v[0]), newEpoch: num(v[1]), actor: str(v[2]) }),
  "ConsentLedger.GuardianSet": (v, b) => extend<GuardianEvent>(b, { kind: "guardian", patient: str(v[0]), guardian: str(v[1]) }),
  "ConsentLedger.AccessRequested": (v, b) =>
    extend<RequestEvent>(b, {
      kind: "request",
      requestId: num(v[0]),
      patient: str(v[1]),
      provider: str(v[2]),
      scope: num(v[3]),
      purpose: num(v[4]),
      duration: num(v[5]),
    }),
  "ConsentLedger.RequestApproved": (v, b) =>
    extend<ApproveEvent>(b, { kind: "approve", requestId: num(v[0]), patient: str(v[1]), provider: str(v[2]) }),
  "ConsentLedger.RequestDenied": (v, b) =>
    extend<DenyEvent>(b, { kind: "deny", requestId: num(v[0]), patient: str(v[1]), provider: str(v[2]), actor: str(v[3]) }),
  "ConsentLedger.EncryptionKeyPublished": (v, b) =>
    extend<EncryptionKeyEvent>(b, { kind: "encryptionKey", account: str(v[0]), key: str(v[1]) }),
  "ConsentLedger.KeyDirectoryPublished": (v, b) =>
    extend<KeyDirectoryEvent>(b, { kind: "keyDirectory", account: str(v[0]), digest: str(v[1]) }),
  "ConsentLedger.EmergencyPolicySet": (v, b) =>
    extend<EmergencyPolicyEvent>(b, {
      kind: "emergencyPolicy",
      patient: str(v[0]),
      enabled: Boolean(v[1]),
      maxWindow: num(v[2]),
      summaryCid: str(v[3]),
    }),
  "ConsentLedger.EmergencyAccess": (v, b) =>
    extend<EmergencyEvent>(b, {
      kind: "emergency",
      patient: str(v[0]),
      provider: str(v[1]),
      reasonCode: num(v[2]),
      expiresAt: num(v[3]),
      summaryCid: str(v[4]),
    }),
  "RecordIndex.RecordAdded": (v, b) =>
    extend<RecordEvent>(b, {
      kind: "record",
      patient: str(v[0]),
      recordId: str(v[1]),
      author: str(v[2]),
      category: num(v[3]),
      cid: cidText(str(v[4])),
    }),
  "ProviderRegistry.ProviderVerified": (v, b) =>
    extend<ProviderVerifiedEvent>(b, {
      kind: "providerVerified",
      provider: str(v[0]),
      licenceHash: str(v[1]),
      name: str(v[2]),
      providerKind: num(v[3]),
      emergencyCapable: Boolean(v[4]),
      generation: num(v[5]),
      registrar: str(v[6]),
    }),
  "ProviderRegistry.ProviderDeactivated": (v, b) =>
    extend<ProviderDeactivatedEvent>(b, {
      kind: "providerDeactivated",
      provider: str(v[0]),
      newGeneration: num(v[1]),
      registrar: str(v[2]),
    }),
  "ProviderRegistry.RoleGranted": (v, b) =>
    extend<RoleEvent>(b, { kind: "roleGranted", role: str(v[0]), account: str(v[1]), sender: str(v[2]) }),
  "ProviderRegistry.RoleRevoked": (v, b) =>
    extend<RoleEvent>(b, { kind: "roleRevoked", role: str(v[0]), account: str(v[1]), sender: str(v[2]) }),
  "DisclosureAnchor.DisclosureRootAnchored": (v, b) =>
    extend<AnchorEvent>(b, {
      kind: "anchor",
      gateway: str(v[0]),
      index: num(v[1]),
      fromSeq: num(v[2]),
      toSeq: num(v[3]),
      merkleRoot: str(v[4]),
    }),
};

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
      byTopic.set(fragment.topicHash, {
        contract,
        iface,
        fragment,
        build: BUILDERS[`${contract}.${fragment.name}`],
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
