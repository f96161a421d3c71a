/**
 * Test organizations for the exchange: each a real embedded store in its own temp folder behind a real HTTP server
 * on 127.0.0.1 (port 0) that mounts the peer exchange router, with its own relayer key.
 */
import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import express from "express";
import { Wallet } from "ethers";
import { CID } from "multiformats/cid";
import { peerExchangeRouter, RAW_BLOCK } from "../../server/routes/peerExchange";
import { NetworkedStore, type NetworkedStoreOptions } from "../../server/services/exchange/networkedStore";
import { PeerAuthenticator, type IsMember } from "../../server/services/exchange/peerAuthenticator";
import { RelayerPeerCredentials } from "../../server/services/exchange/peerCredentials";
import { EmbeddedStore } from "../../server/services/store/embeddedStore";

const RAW_CODEC = 0x55;

/** One organization: its store, its gateway's URL and relayer key, and the block requests its gateway answered. */
export interface Organization {
  name: string;
  /** Its data folder (the store is under it). */
  dir: string;
  store: EmbeddedStore;
  url: string;
  wallet: Wallet;
  /** Paths of the requests its HTTP server received, in order. */
  requests: string[];
  /** Stops its HTTP server (the store stays open and readable). */
  stop(): Promise<void>;
  /** Stops the server, closes the store and deletes the folder. */
  close(): Promise<void>;
}

/** The member gateways of a test network, by relayer address; a set the tests may change. */
export class Membership {
  readonly addresses = new Set<string>();
  /** The injected membership check (what the registry's GATEWAY_ROLE backs in the gateway). */
  readonly isMember: IsMember = async (address) => this.addresses.has(address);
  add(...organizations: Array<{ wallet: Wallet }>): void {
    for (const o of organizations) this.addresses.add(o.wallet.address);
  }
}

/** Listens on 127.0.0.1, port 0, and resolves with the server and its base URL. */
export async function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Closes a server and every connection kept alive to it, so peers see it gone at once. */
export async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

/** Starts an organization whose gateway serves its store to the members of `membership`. */
export async function startOrganization(
  name: string,
  membership: Membership,
  options: { membershipTtlMs?: number } = {},
): Promise<Organization> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `exchange-${name}-`));
  const store = await EmbeddedStore.open(dir);
  const wallet = new Wallet(Wallet.createRandom().privateKey);
  const requests: string[] = [];
  const app = express();
  app.use((req, _res, next) => {
    requests.push(req.path);
    next();
  });
  const { server, url } = await listen(app);
  const authenticator = new PeerAuthenticator({ audience: url, isMember: membership.isMember, membershipTtlMs: options.membershipTtlMs });
  app.use(peerExchangeRouter({ blocks: store, authenticator }));
  let running = true;
  const stop = async (): Promise<void> => {
    if (running) await closeServer(server);
    running = false;
  };
  return {
    name,
    dir,
    store,
    url,
    wallet,
    requests,
    stop,
    close: async () => {
      await stop();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `reader`'s store in the network: its own store, asking `peers` with its own relayer key. */
export function networkedStoreOf(
  reader: Organization,
  peers: string[],
  options: Omit<NetworkedStoreOptions, "peers" | "credentials"> = {},
): Promise<NetworkedStore> {
  return NetworkedStore.open(reader.store, { peers, credentials: new RelayerPeerCredentials(reader.wallet, reader.url), ...options });
}

/**
 * A peer that serves the blocks `source` holds with one byte flipped: every block, or only raw blocks (a file's
 * leaves, documents) so that a file's root arrives intact. It does not ask who is asking.
 */
export async function startTamperingPeer(
  source: EmbeddedStore,
  alter: "all" | "raw" = "all",
): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.get("/ipfs/:cid", async (req, res) => {
    const cid = CID.parse(String(req.params.cid));
    const bytes = Buffer.from(await source.getBlock(cid));
    if (alter === "all" || cid.code === RAW_CODEC) bytes[bytes.length >> 1] ^= 0x01;
    res.status(200).type(RAW_BLOCK).end(bytes);
  });
  const { server, url } = await listen(app);
  return { url, close: () => closeServer(server) };
}

/** What {@link startCountingPeer} saw: the blocks asked for, in order, and the most it was answering at once. */
export interface CountingPeer {
  url: string;
  asked: string[];
  mostAtOnce: number;
  close(): Promise<void>;
}

/**
 * A peer that serves the blocks `source` holds as they are, counting how many requests it is answering at once; it
 * answers the block `slow` (when given) only after `slowMs`, as a peer that is slow on one block. It does not ask who
 * is asking.
 */
export async function startCountingPeer(source: EmbeddedStore, slow?: { cid: string; slowMs: number }): Promise<CountingPeer> {
  const app = express();
  let answering = 0;
  const counted: CountingPeer = { url: "", asked: [], mostAtOnce: 0, close: async () => undefined };
  app.get("/ipfs/:cid", async (req, res) => {
    const text = String(req.params.cid);
    counted.asked.push(text);
    counted.mostAtOnce = Math.max(counted.mostAtOnce, ++answering);
    try {
      if (text === slow?.cid) await new Promise((resolve) => setTimeout(resolve, slow.slowMs));
      res
        .status(200)
        .type(RAW_BLOCK)
        .end(Buffer.from(await source.getBlock(CID.parse(text))));
    } finally {
      answering--;
    }
  });
  const { server, url } = await listen(app);
  return Object.assign(counted, { url, close: () => closeServer(server) });
}

/** A TCP server that accepts connections and never answers: a peer that hangs. */
export async function startSilentPeer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
