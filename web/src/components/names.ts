import type { ProviderView } from "../../../lib/client/gatewayClient";
import { shortAddress } from "./format";

/** Who is who, for labelling addresses: the signed-in account, the provider registry, and (demo only) known names. */
export interface Directory {
  me: string;
  providers: readonly ProviderView[];
  /** Extra names, e.g. the development wallet's demo people. */
  known?: (address: string) => string | undefined;
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** "you", a registered provider's name, a known name, or the short address. */
export function nameOf(address: string, dir: Directory): string {
  if (same(address, dir.me)) return "you";
  return providerName(address, dir.providers) ?? dir.known?.(address) ?? shortAddress(address);
}

/** The registry name of a provider address, if it is one. */
export function providerName(address: string, providers: readonly ProviderView[]): string | undefined {
  return providers.find((p) => same(p.address, address))?.name;
}

/** Who wrote a record, from the point of view of the signed-in reader: "you", "the patient", or the author's name. */
export function authorLabel(author: string, patient: string, dir: Directory): string {
  if (same(author, dir.me)) return "you";
  if (same(author, patient)) return "the patient";
  return nameOf(author, dir);
}
