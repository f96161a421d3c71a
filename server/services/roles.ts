import type { ChainService } from "./chain";

/** The registry roles the gateway cares about, for one account. */
export interface AccountRoles {
  auditor: boolean;
  registrar: boolean;
  gateway: boolean;
}

/**
 * Reads the registry's AccessControl roles. The role ids are constants of the contract, read once; membership is
 * read at the block asked (never cached: a revoked auditor loses access at once).
 */
export class Roles {
  private ids?: Promise<{ auditor: string; registrar: string; gateway: string }>;

  constructor(private readonly chain: ChainService) {}

  /** The roles `account` holds at `block` (default: the head). */
  async of(account: string, block?: number): Promise<AccountRoles> {
    const ids = await this.roleIds();
    const at = { blockTag: block ?? (await this.chain.headNumber()) };
    const [auditor, registrar, gateway] = await this.chain.read(() =>
      Promise.all([
        this.chain.registry.hasRole(ids.auditor, account, at),
        this.chain.registry.hasRole(ids.registrar, account, at),
        this.chain.registry.hasRole(ids.gateway, account, at),
      ]),
    );
    return { auditor, registrar, gateway };
  }

  /** True when `account` holds the registry's AUDITOR_ROLE now. */
  async isAuditor(account: string): Promise<boolean> {
    const ids = await this.roleIds();
    return this.chain.read(() => this.chain.registry.hasRole(ids.auditor, account));
  }

  private roleIds(): Promise<{ auditor: string; registrar: string; gateway: string }> {
    this.ids ??= this.chain
      .read(async () => {
        const [auditor, registrar, gateway] = await Promise.all([
          this.chain.registry.AUDITOR_ROLE(),
          this.chain.registry.REGISTRAR_ROLE(),
          this.chain.registry.GATEWAY_ROLE(),
        ]);
        return { auditor, registrar, gateway };
      })
      .catch((err: unknown) => {
        this.ids = undefined;
        throw err;
      });
    return this.ids;
  }
}
