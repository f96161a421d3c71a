import { nameOf, type Directory } from "./names";

/** A person by name (registry, demo cast, "you"); the address itself on demand, in the tooltip, never in the text. */
export function Person({ address, dir }: { address: string; dir: Directory }) {
  return (
    <span className="person" title={address} data-address={address}>
      {nameOf(address, dir)}
    </span>
  );
}
