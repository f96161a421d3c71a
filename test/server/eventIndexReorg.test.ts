import { mkdtemp } from "node:fs/promises";
import path from "node:path";
import { expect } from "chai";
import pino from "pino";
import { httpRpc, type BatchRpc } from "../../lib/audit/rpc";
import { collectEvents } from "../../lib/audit/reconstruct";
import { CATEGORY, PURPOSE, scopeOf } from "../../lib/consent/codes";
import { demoWallet } from "../../scripts/seed";
import { EventIndex } from "../../server/services/index/eventIndex";
import { ConsentLedger__factory } from "../../typechain-types";
import { startChain, type TestChain } from "../support/stack";

/**
 * A JSON-RPC connection that, once armed, runs a hook right after the answer to its `at`-th call from then on (a
 * batch counts as one): what the node does between two reads of one sync.
 */
function hookedRpc(url: string): { rpc: BatchRpc; arm(at: number, hook: () => Promise<void>): void } {
  const rpc = httpRpc(url);
  let armed: { at: number; hook: () => Promise<void> } | undefined;
  let calls = 0;
  const after = async <T>(answer: T): Promise<T> => {
    if (armed !== undefined && ++calls === armed.at) await armed.hook();
    return answer;
  };
  return {
    rpc: {
      send: async (method, params) => after(await rpc.send(method, params)),
      batch: async (batch) => after(await rpc.batch(batch)),
    },
    arm(at, hook) {
      armed = { at, hook };
      calls = 0;
    },
  };
}

describe("the event index across a reorg during its own reads", function () {
  this.timeout(120_000);
  let chain: TestChain;

  before(async function () {
    chain = await startChain();
  });

  after(async function () {
    await chain.close();
  });

  /** The transactions of the grants the chain holds now, read from the chain alone. */
  async function grantsOnChain(): Promise<string[]> {
    const { events } = await collectEvents(chain.provider, chain.deployment);
    return events.filter((e) => e.kind === "grant").map((e) => e.txHash);
  }

  function grantsIndexed(index: EventIndex): string[] {
    return [...index.allEvents()].filter(({ event }) => event.kind === "grant").map(({ event }) => event.txHash);
  }

  // The sync's reads on Hardhat's chain: the head; the reorg check of the stored hashes; then, for the one page, its
  // last header, its logs and its block times. A reorg after any of them must not leave the index holding a chain
  // that is not the node's once it syncs again, whether the blocks it replaces were indexed by an earlier sync or are
  // first read by the sync it interrupts.
  for (const [at, replaced] of [1, 2, 3, 4].flatMap((n) => [[n, "indexed"] as const, [n, "being read"] as const])) {
    it(`holds exactly the new chain's grants after a reorg of blocks ${replaced}, after the sync's read #${at}`, async function () {
      const jane = demoWallet(1, chain.provider);
      const doctor = demoWallet(2, chain.provider).address;
      const ledger = ConsentLedger__factory.connect(chain.deployment.contracts.ConsentLedger.address, jane);
      const fork = (await chain.provider.send("evm_snapshot", [])) as string;
      // Reorganised into: a grant in the first block after the fork point, and a longer chain.
      const reorganise = async (): Promise<void> => {
        expect(await chain.provider.send("evm_revert", [fork])).to.equal(true);
        const expiresAt = (await chain.provider.getBlock("latest"))!.timestamp + 86_400;
        await (await ledger.grant(doctor, scopeOf([CATEGORY.PROBLEMS]), PURPOSE.TREAT, expiresAt, "0x" + "11".repeat(32))).wait();
        await chain.provider.send("hardhat_mine", ["0x4"]);
      };
      const node = hookedRpc(chain.rpcUrl);
      const index = EventIndex.open({
        rpc: node.rpc,
        deployment: chain.deployment,
        dataDir: await mkdtemp(path.join(chain.dir, "index-")),
        range: 2000,
        pollIntervalMs: 60_000,
        log: pino({ level: "silent" }),
      });
      try {
        const before = await grantsOnChain();
        // The old chain: three empty blocks past the fork point, indexed now or first read by the interrupted sync.
        if (replaced === "indexed") await chain.provider.send("hardhat_mine", ["0x3"]);
        await index.syncFresh();
        expect(grantsIndexed(index)).to.deep.equal(before);
        if (replaced === "being read") await chain.provider.send("hardhat_mine", ["0x3"]);
        else await chain.provider.send("hardhat_mine", ["0x1"]);
        node.arm(at, reorganise);
        await index.syncFresh(); // the reorg happens during this sync, after its read #at
        const onChain = await grantsOnChain();
        expect(onChain.length).to.equal(before.length + 1, "the new chain has the grant");
        await index.syncFresh();
        expect(grantsIndexed(index)).to.deep.equal(onChain);
      } finally {
        await index.close();
      }
    });
  }
});
