import { compareEvents, refOf, type EventRef, type LedgerEvent } from "./events";

/** One change of a provider's registry entry. */
export interface ProviderStatusChange {
  active: boolean;
  emergencyCapable: boolean;
  /** Display name in force after the change. */
  name: string;
  at: EventRef;
}

/** A provider as the registry's events describe it over time. */
export interface ProviderHistory {
  address: string;
  /** Changes in chain order (verifications and deactivations). */
  changes: ProviderStatusChange[];
}

/** Position "at block B": the state after every event of block B. */
const AFTER_BLOCK = Number.MAX_SAFE_INTEGER;

/**
 * The provider registry rebuilt from `ProviderVerified` / `ProviderDeactivated` events: names for exports and the
 * active / emergency-capable state at any block, which access checks need.
 *
 * @example
 * const directory = ProviderDirectory.fromEvents(events);
 * directory.nameOf("0xAbc…");            // "Dr. Alice Chen (family medicine)"
 * directory.isActiveAt("0xAbc…", 1234);   // false after a deactivation in block ≤ 1234
 */
export class ProviderDirectory {
  private constructor(private readonly byAddress: Map<string, ProviderHistory>) {}

  /** Builds the directory from any event stream (other kinds are ignored). */
  static fromEvents(events: Iterable<LedgerEvent>): ProviderDirectory {
    const byAddress = new Map<string, ProviderHistory>();
    for (const event of events) {
      if (event.kind !== "providerVerified" && event.kind !== "providerDeactivated") continue;
      const key = event.provider.toLowerCase();
      let history = byAddress.get(key);
      if (history === undefined) byAddress.set(key, (history = { address: event.provider, changes: [] }));
      const previous = history.changes.at(-1);
      history.changes.push(
        event.kind === "providerVerified"
          ? { active: true, emergencyCapable: event.emergencyCapable, name: event.name, at: refOf(event) }
          : { active: false, emergencyCapable: previous?.emergencyCapable ?? false, name: previous?.name ?? "", at: refOf(event) },
      );
    }
    for (const history of byAddress.values()) history.changes.sort((a, b) => compareEvents(a.at, b.at));
    return new ProviderDirectory(byAddress);
  }

  /** Every provider ever verified, in address order. */
  all(): ProviderHistory[] {
    return [...this.byAddress.values()].sort((a, b) => a.address.localeCompare(b.address));
  }

  /** The history of one provider (undefined if never in the registry). */
  historyOf(address: string): ProviderHistory | undefined {
    return this.byAddress.get(address.toLowerCase());
  }

  /** The registry entry in force after block `block` (or now), if the provider was verified by then. */
  stateAt(address: string, block = AFTER_BLOCK, logIndex = AFTER_BLOCK): ProviderStatusChange | undefined {
    const changes = this.byAddress.get(address.toLowerCase())?.changes;
    if (changes === undefined) return undefined;
    let state: ProviderStatusChange | undefined;
    for (const change of changes) {
      if (change.at.blockNumber > block || (change.at.blockNumber === block && change.at.logIndex > logIndex)) break;
      state = change;
    }
    return state;
  }

  /** Display name (latest, or as of `block`); "unregistered" when the registry never knew the address. */
  nameOf(address: string, block?: number): string {
    const state = this.stateAt(address, block) ?? this.stateAt(address);
    return state?.name || "unregistered";
  }

  /** Whether the provider was verified and active after block `block`. */
  isActiveAt(address: string, block: number): boolean {
    return this.stateAt(address, block)?.active ?? false;
  }

  /** Whether the provider was active and allowed to break the glass after block `block`. */
  isEmergencyCapableAt(address: string, block: number): boolean {
    const state = this.stateAt(address, block);
    return state !== undefined && state.active && state.emergencyCapable;
  }

  /** The deactivation in force after block `block`, if the provider was deactivated then. */
  deactivationAt(address: string, block: number): EventRef | undefined {
    const state = this.stateAt(address, block);
    return state !== undefined && !state.active ? state.at : undefined;
  }
}
