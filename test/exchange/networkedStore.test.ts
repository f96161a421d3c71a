import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { base32upper } from "multiformats/bases/base32";
import { CID } from "multiformats/cid";
import { StoreError, type StoreErrorCode } from "../../server/services/store/contentStore";
import { VerifiedBlock } from "../../server/services/store/cids";
import type { NetworkedStore } from "../../server/services/exchange/networkedStore";
import {
  Membership,
  networkedStoreOf,
  type Organization,
  startCountingPeer,
  startOrganization,
  startSilentPeer,
  startTamperingPeer,
} from "./organizations";

const FIVE_MIB = 5 * 1024 * 1024;
/** Slack for a loaded 2-core machine on top of a configured bound. */
const MARGIN_MS = 1_500;

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of source) parts.push(part);
  return Buffer.concat(parts);
}

/** The root and leaf CIDs of a UnixFS file as `holder` stores it (dag-pb root, raw leaves). */
async function blocksOf(holder: Organization, root: string): Promise<CID[]> {
  // ESM-only (no CommonJS export): a real dynamic import.
  const dagPb = await import("@ipld/dag-pb");
  const cid = CID.parse(root);
  const node = dagPb.decode(await holder.store.getBlock(cid));
  return [cid, ...node.Links.map((link) => link.Hash)];
}

/** Flips one byte of the block `cid` where `org`'s store keeps it (blockstore-fs: blocks/<last 2>/<key>.data). */
async function damageOnDisk(org: Organization, cid: CID): Promise<void> {
  const key = base32upper.encoder.encode(cid.multihash.bytes);
  const file = path.join(org.dir, "blocks", key.slice(-2), `${key}.data`);
  const block = await readFile(file);
  block[block.length >> 1] ^= 0x01;
  await writeFile(file, block);
}

async function heldBy(org: Organization, cids: CID[]): Promise<boolean[]> {
  return Promise.all(cids.map((cid) => org.store.hasBlock(cid)));
}

/** Runs `run`, expects a StoreError with one of `codes`, and returns it with how long it took. */
async function storeError(run: () => Promise<unknown>, codes: StoreErrorCode[]): Promise<{ error: StoreError; ms: number }> {
  const started = performance.now();
  try {
    await run();
  } catch (err) {
    expect(err, String(err)).to.be.instanceOf(StoreError);
    expect(codes, (err as Error).message).to.include((err as StoreError).code);
    return { error: err as StoreError, ms: performance.now() - started };
  }
  expect.fail(`expected a StoreError ${codes.join(" or ")}, but nothing was thrown`);
}

describe("NetworkedStore — reading another organization's content over the trustless gateway protocol", function () {
  let membership: Membership;
  let clinic: Organization;
  let er: Organization;
  let erStore: NetworkedStore;
  const opened: Array<{ close(): Promise<void> }> = [];
  const stores: NetworkedStore[] = [];

  /** A NetworkedStore of the ER asking `peers`, settled after the test. */
  async function erStoreAsking(
    peers: string[],
    options: { requestTimeoutMs: number; deadlineMs: number; blockReadConcurrency?: number },
  ): Promise<NetworkedStore> {
    const store = await networkedStoreOf(er, peers, options);
    stores.push(store);
    return store;
  }

  beforeEach(async function () {
    membership = new Membership();
    clinic = await startOrganization("clinic", membership);
    er = await startOrganization("er", membership);
    membership.add(clinic, er);
    erStore = await erStoreAsking([clinic.url], { requestTimeoutMs: 1_000, deadlineMs: 5_000 });
  });

  afterEach(async function () {
    // Every NetworkedStore of a test wraps er.store: their copies land before it closes.
    for (const store of stores.splice(0)) await store.settled();
    for (const o of opened.splice(0)) await o.close();
    await clinic.close();
    await er.close();
  });

  it("reads a 5 MiB file only the clinic holds, block by block, and keeps the blocks", async function () {
    const content = randomBytes(FIVE_MIB);
    const cid = await clinic.store.put(content);
    const blocks = await blocksOf(clinic, cid);
    expect(blocks).to.have.length(6); // a dag-pb root and five 1 MiB raw leaves
    expect(await heldBy(er, blocks)).to.deep.equal(blocks.map(() => false));

    expect((await collect(erStore.get(cid))).equals(content)).to.equal(true);
    await erStore.settled(); // the copies are written while the read goes on

    expect(await heldBy(er, blocks)).to.deep.equal(blocks.map(() => true));
    expect(await er.store.has(cid)).to.equal(true); // every block present and hashing to its CID
    expect([...clinic.requests].sort()).to.deep.equal(blocks.map((b) => `/ipfs/${b.toString()}`).sort());
  });

  it("asks for at most blockReadConcurrency blocks of a file at a time, even when one is slow", async function () {
    const content = randomBytes(FIVE_MIB);
    const cid = await clinic.store.put(content);
    const [root, ...leaves] = (await blocksOf(clinic, cid)).map(String);
    // A slow first leaf is what let the exporter's own bound (it-parallel) go: every other leaf was then asked at once.
    const peer = await startCountingPeer(clinic.store, { cid: leaves[0], slowMs: 300 });
    opened.push(peer);
    const store = await erStoreAsking([peer.url], { requestTimeoutMs: 2_000, deadlineMs: 5_000, blockReadConcurrency: 2 });

    expect((await collect(store.get(cid))).equals(content)).to.equal(true);
    expect(peer.mostAtOnce).to.equal(2);
    // Each once; the order they reach the peer is not fixed (two connections).
    expect([...peer.asked].sort()).to.deep.equal([root, ...leaves].sort());
  });

  it("reads locally first: content it holds or already fetched is not asked of the peers again", async function () {
    const own = await er.store.put(randomBytes(3000));
    const fetched = await clinic.store.put(randomBytes(2 * 1024 * 1024 + 10));
    await collect(erStore.get(fetched));
    const asked = clinic.requests.length;

    await collect(erStore.get(own));
    await collect(erStore.get(fetched));

    expect(clinic.requests).to.have.length(asked);
  });

  it("reads a document (one raw block, e.g. a key bundle) only the clinic holds, and keeps it", async function () {
    const bundle = randomBytes(700);
    const cid = await clinic.store.putDocument(bundle);
    expect(await er.store.hasBlock(CID.parse(cid))).to.equal(false);

    expect(Buffer.from(await erStore.getDocument(cid)).equals(bundle)).to.equal(true);
    await erStore.settled();

    expect(Buffer.from(await er.store.getDocument(cid)).equals(bundle)).to.equal(true);
    // Kept, not merely cached: the upload sweep's collection (everything unpinned, however recent) leaves it.
    expect(await er.store.isPinned(cid)).to.equal(true);
    await er.store.collectGarbage([], Date.now() + 60_000);
    expect(await er.store.hasBlock(CID.parse(cid))).to.equal(true);
  });

  it("pins a document it fetched from a peer, but not one it already held unpinned", async function () {
    const unpinned = await er.store.putDocument(randomBytes(300));
    await erStore.getDocument(unpinned);
    await erStore.settled();
    expect(await er.store.isPinned(unpinned)).to.equal(false);
  });

  it("replaces a fetched copy damaged on disk with a good one from the peer", async function () {
    const content = randomBytes(2 * 1024 * 1024);
    const cid = await clinic.store.put(content);
    await collect(erStore.get(cid));
    await erStore.settled();
    const [, leaf] = await blocksOf(clinic, cid);
    await damageOnDisk(er, leaf);
    expect(await er.store.has(cid)).to.equal(false);
    const asked = clinic.requests.length;

    expect((await collect(erStore.get(cid))).equals(content)).to.equal(true);
    await erStore.settled();

    expect(clinic.requests.slice(asked)).to.deep.equal([`/ipfs/${leaf.toString()}`]);
    expect(await er.store.has(cid)).to.equal(true);
  });

  it("keeps as a copy only a block verified against its CID, which altered bytes never become", async function () {
    const bytes = randomBytes(300);
    const cid = CID.parse(await clinic.store.putDocument(bytes));
    const altered = Buffer.from(bytes);
    altered[0] ^= 0x01;

    // putBlockCopy takes only a VerifiedBlock: the one hash a peer's block gets, on arrival, is what makes one.
    expect(await VerifiedBlock.of(cid, altered)).to.equal(undefined);
    expect(await er.store.hasBlock(cid)).to.equal(false);

    const genuine = await VerifiedBlock.of(cid, bytes);
    await er.store.putBlockCopy(genuine!);
    expect(Buffer.from(await er.store.getDocument(cid.toString())).equals(bytes)).to.equal(true);
  });

  it("answers CORRUPT, never UNAVAILABLE, for the dag-pb spelling of a raw leaf, held here or only by a peer", async function () {
    const held = await er.store.put(randomBytes(3000));
    const clinics = await clinic.store.put(randomBytes(3000));
    for (const raw of [held, clinics]) {
      const alias = CID.createV1(0x70, CID.parse(raw).multihash).toString();
      await storeError(() => collect(erStore.get(alias)), ["CORRUPT"]);
      await storeError(() => erStore.readPrefix(alias, 1024), ["CORRUPT"]);
    }
  });

  it("answers NOT_FOUND promptly for content no organization holds", async function () {
    const nobodys = (await er.store.putDocument(randomBytes(40))).replace(/.$/, (c) => (c === "a" ? "b" : "a"));
    const { ms } = await storeError(() => erStore.getDocument(nobodys), ["NOT_FOUND"]);
    expect(ms).to.be.lessThan(1_000 + MARGIN_MS);
    await storeError(() => collect(erStore.get(nobodys)), ["NOT_FOUND"]);
  });

  it("keeps fetched content readable once the clinic is gone; content never fetched fails within the bound", async function () {
    const fetched = randomBytes(FIVE_MIB);
    const fetchedCid = await clinic.store.put(fetched);
    const neverFetched = await clinic.store.put(randomBytes(FIVE_MIB));
    const neverFetchedDoc = await clinic.store.putDocument(randomBytes(100));
    await collect(erStore.get(fetchedCid));
    await erStore.settled();

    await clinic.stop();

    expect((await collect(erStore.get(fetchedCid))).equals(fetched)).to.equal(true);
    const file = await storeError(() => collect(erStore.get(neverFetched)), ["NOT_FOUND", "UNAVAILABLE"]);
    expect(file.ms).to.be.lessThan(1_000 + MARGIN_MS);
    expect(file.error.code).to.equal("UNAVAILABLE"); // the clinic might hold it: it cannot be asked
    const doc = await storeError(() => erStore.getDocument(neverFetchedDoc), ["UNAVAILABLE"]);
    expect(doc.ms).to.be.lessThan(1_000 + MARGIN_MS);
  });

  it("gives up on a peer that accepts the connection and never answers, after the request timeout", async function () {
    const silent = await startSilentPeer();
    opened.push(silent);
    const store = await erStoreAsking([silent.url], { requestTimeoutMs: 500, deadlineMs: 60_000 });
    const cid = await clinic.store.putDocument(randomBytes(100));

    const { error, ms } = await storeError(() => store.getDocument(cid), ["UNAVAILABLE"]);

    expect(error.message).to.contain("no answer within 500 ms");
    expect(ms)
      .to.be.at.least(450)
      .and.lessThan(500 + MARGIN_MS);
  });

  it("stops a whole read at the overall deadline even when each request may take longer", async function () {
    const silent = await startSilentPeer();
    opened.push(silent);
    const store = await erStoreAsking([silent.url], { requestTimeoutMs: 60_000, deadlineMs: 400 });
    const cid = await clinic.store.put(randomBytes(FIVE_MIB));

    const { ms } = await storeError(() => collect(store.get(cid)), ["UNAVAILABLE"]);

    expect(ms)
      .to.be.at.least(350)
      .and.lessThan(400 + MARGIN_MS);
  });

  it("refuses a peer's altered blocks (CORRUPT) and stores none of them", async function () {
    const tampering = await startTamperingPeer(clinic.store);
    opened.push(tampering);
    const store = await erStoreAsking([tampering.url], { requestTimeoutMs: 1_000, deadlineMs: 5_000 });
    const cid = await clinic.store.put(randomBytes(FIVE_MIB));
    const doc = await clinic.store.putDocument(randomBytes(500));
    const blocks = [...(await blocksOf(clinic, cid)), CID.parse(doc)];

    const file = await storeError(() => collect(store.get(cid)), ["CORRUPT"]);
    expect(file.error.message).to.contain(tampering.url);
    await storeError(() => store.getDocument(doc), ["CORRUPT"]);
    await store.settled();

    expect(await heldBy(er, blocks)).to.deep.equal(blocks.map(() => false));
  });

  it("refuses altered leaves under an intact root: no leaf is stored and the file does not read as held", async function () {
    const tampering = await startTamperingPeer(clinic.store, "raw");
    opened.push(tampering);
    const store = await erStoreAsking([tampering.url], { requestTimeoutMs: 1_000, deadlineMs: 5_000 });
    const cid = await clinic.store.put(randomBytes(FIVE_MIB));
    const [root, ...leaves] = await blocksOf(clinic, cid);

    await storeError(() => collect(store.get(cid)), ["CORRUPT"]);
    await store.settled();

    expect(await er.store.hasBlock(root)).to.equal(true); // genuine: it hashed to its CID
    expect(await heldBy(er, leaves)).to.deep.equal(leaves.map(() => false));
    expect(await er.store.has(cid)).to.equal(false);
  });

  it("takes the honest peer's blocks when another peer tampers with them", async function () {
    const tampering = await startTamperingPeer(clinic.store);
    opened.push(tampering);
    const store = await erStoreAsking([tampering.url, clinic.url], { requestTimeoutMs: 1_000, deadlineMs: 5_000 });
    const content = randomBytes(FIVE_MIB);
    const cid = await clinic.store.put(content);

    expect((await collect(store.get(cid))).equals(content)).to.equal(true);
    await store.settled();
    expect(await er.store.has(cid)).to.equal(true);
  });

  it("cannot read from an organization that does not count it as a member", async function () {
    membership.addresses.delete(er.wallet.address);
    const cid = await clinic.store.putDocument(randomBytes(100));

    const { error } = await storeError(() => erStore.getDocument(cid), ["UNAVAILABLE"]);
    await erStore.settled();

    expect(error.message).to.contain("403 FORBIDDEN");
    expect(await er.store.hasBlock(CID.parse(cid))).to.equal(false);
  });
});
