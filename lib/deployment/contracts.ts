import type { ContractRunner } from "ethers";
import {
  ConsentLedger__factory,
  DisclosureAnchor__factory,
  ProviderRegistry__factory,
  RecordIndex__factory,
  type ConsentLedger,
  type DisclosureAnchor,
  type ProviderRegistry,
  type RecordIndex,
} from "../../typechain-types";
import type { Deployment } from "./deployment";

/** Typed handles on the four deployed contracts. */
export interface DeployedContracts {
  registry: ProviderRegistry;
  ledger: ConsentLedger;
  records: RecordIndex;
  anchor: DisclosureAnchor;
}

/**
 * The four contracts of a deployment, typed by the compiler's bindings, read or sent through one runner (a provider
 * for reads, a signer to send). Node-side only: the web app builds its handles from the served ABIs instead.
 */
export function connectContracts(deployment: Deployment, runner: ContractRunner): DeployedContracts {
  const { contracts } = deployment;
  return {
    registry: ProviderRegistry__factory.connect(contracts.ProviderRegistry.address, runner),
    ledger: ConsentLedger__factory.connect(contracts.ConsentLedger.address, runner),
    records: RecordIndex__factory.connect(contracts.RecordIndex.address, runner),
    anchor: DisclosureAnchor__factory.connect(contracts.DisclosureAnchor.address, runner),
  };
}
