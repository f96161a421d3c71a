import { Contract, Interface, ZeroHash, type Provider } from "ethers";
import type { ConsentLedger, ProviderRegistry, RecordIndex } from "../../typechain-types";
import type { Deployment } from "../deployment/deployment";
import { ClientError } from "./errors";

/**
 * Read-only access to the ledger's contracts over a chain connection the client chooses (its wallet's RPC, or a node
 * URL), so that what the client acts on — someone's public key, a key directory's digest, a grant, a record's place in
 * a vault — comes from the chain, not from the gateway's word. Built from the deployment's ABIs (no bytecode, so the
 * browser bundle stays small). In the browser without a wallet RPC this goes through the gateway's /api/rpc, which
 * the README's threat model states.
 */
export class ChainReader {
  readonly ledger: ConsentLedger;
  readonly records: RecordIndex;
  readonly registry: ProviderRegistry;

  constructor(
    readonly provider: Provider,
    readonly deployment: Deployment,
  ) {
    const { contracts } = deployment;
    this.ledger = new Contract(contracts.ConsentLedger.address, contracts.ConsentLedger.abi as never, provider) as unknown as ConsentLedger;
    this.records = new Contract(contracts.RecordIndex.address, contracts.RecordIndex.abi as never, provider) as unknown as RecordIndex;
    this.registry = new Contract(
      contracts.ProviderRegistry.address,
      contracts.ProviderRegistry.abi as never,
      provider,
    ) as unknown as ProviderRegistry;
  }

  /** The chain's time: the latest block's timestamp (grants expire and signatures lapse by it, not by the client's clock). */
  async chainTime(): Promise<number> {
    const block = await this.provider.getBlock("latest");
    if (block === null) throw new ClientError("WRONG_CHAIN", "The chain returned no latest block.");
    return block.timestamp;
  }

  /** An account's published X25519 encryption key (0x-hex), from the ledger; NO_ENCRYPTION_KEY when none. */
  async encryptionKeyOf(account: string): Promise<string> {
    const key = await this.ledger.encryptionKeyOf(account);
    if (key === ZeroHash) throw new ClientError("NO_ENCRYPTION_KEY", `${account} has published no encryption key on the ledger.`);
    return key;
  }

  /** The digest of a patient's key directory, from the ledger; NO_ENCRYPTION_KEY when none is published. */
  async keyDirectoryOf(patient: string): Promise<string> {
    const digest = await this.ledger.keyDirectoryOf(patient);
    if (digest === ZeroHash) throw new ClientError("NO_ENCRYPTION_KEY", `${patient} has published no key directory on the ledger.`);
    return digest;
  }

  /**
   * Checks that transaction `txHash` carries an AccessGranted event of this ledger for (patient, grantee) with the
   * given key bundle digest, and that it is the grant in force (same terms as the ledger's grant slot now). Throws
   * INTEGRITY otherwise: the gateway pointed at a bundle the patient did not grant.
   */
  async verifyGrantBundle(txHash: string, patient: string, grantee: string, keyBundle: string): Promise<void> {
    const receipt = await this.provider.getTransactionReceipt(txHash);
    const iface = new Interface(this.deployment.contracts.ConsentLedger.abi as never);
    const ledger = this.deployment.contracts.ConsentLedger.address.toLowerCase();
    const slot = await this.ledger.grantOf(patient, grantee);
    for (const log of receipt?.logs ?? []) {
      if (log.address.toLowerCase() !== ledger) continue;
      const event = iface.parseLog(log);
      if (event?.name !== "AccessGranted") continue;
      const [p, g, scope, purpose, expiresAt, bundle] = event.args as unknown as [string, string, bigint, bigint, bigint, string];
      const same =
        p.toLowerCase() === patient.toLowerCase() &&
        g.toLowerCase() === grantee.toLowerCase() &&
        bundle.toLowerCase() === keyBundle.toLowerCase() &&
        scope === slot.scope &&
        purpose === slot.purpose &&
        expiresAt === slot.expiresAt;
      if (same) return;
    }
    throw new ClientError("INTEGRITY", `The key bundle ${keyBundle} is not the one the patient's grant in force carries on the ledger.`);
  }
}
