import { expect } from "chai";
import { randomBytes } from "node:crypto";
import http from "node:http";
import net from "node:net";
import type { StoreErrorCode } from "../../server/services/store/contentStore";
import { StoreError } from "../../server/services/store/contentStore";
import { documentCid } from "../../server/services/store/cids";
import { KuboStore } from "../../server/services/store/kuboStore";
import { expectCodedErrorAsync } from "../support/codedErrors";

function storeError(run: () => Promise<unknown>, code: StoreErrorCode): Promise<StoreError> {
  return expectCodedErrorAsync(StoreError, run, [code]);
}

async function drain(source: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const _ of source) void _;
}

/** Listens on a free loopback port with `handler`; returns its URL and a close function. */
async function serve(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback URL where nothing listens (the port was just freed). */
async function deadUrl(): Promise<string> {
  const { url, close } = await serve(() => undefined);
  await close();
  return url;
}

// These run without a Kubo daemon: the node is down, hangs, or answers with bytes that are not what was asked for.
describe("KuboStore when the node is down, stalls or lies", function () {
  it("answers UNAVAILABLE, naming the node, for every operation when nothing listens", async function () {
    const url = await deadUrl();
    const store = await KuboStore.open(url);
    const cid = (await documentCid(randomBytes(8))).toString();
    const ping = await storeError(() => store.ping(), "UNAVAILABLE");
    expect(ping.message).to.include(url);
    await storeError(() => store.put(randomBytes(1000)), "UNAVAILABLE");
    await storeError(() => drain(store.get(cid)), "UNAVAILABLE");
    await storeError(() => store.has(cid), "UNAVAILABLE");
    await storeError(() => store.putDocument(randomBytes(100)), "UNAVAILABLE");
    await storeError(() => store.getDocument(cid), "UNAVAILABLE");
    await storeError(() => store.pin(cid), "UNAVAILABLE");
    await store.close();
  });

  it("gives up on a node that accepts connections but never answers", async function () {
    const hung = await serve(() => undefined);
    try {
      const store = await KuboStore.open(hung.url, { pingTimeoutMs: 200, requestTimeoutMs: 300 });
      const cid = (await documentCid(randomBytes(8))).toString();
      await storeError(() => store.ping(), "UNAVAILABLE");
      const read = await storeError(() => store.getDocument(cid), "UNAVAILABLE");
      expect(read.message).to.match(/in time/);
    } finally {
      await hung.close();
    }
  });

  it("refuses bytes that do not hash to the requested CID (CORRUPT), for documents and files", async function () {
    const lying = await serve((req, res) => {
      req.resume();
      req.on("end", () => res.end(Buffer.from("not the block you asked for")));
    });
    try {
      const store = await KuboStore.open(lying.url);
      const cid = (await documentCid(randomBytes(64))).toString();
      await storeError(() => store.getDocument(cid), "CORRUPT");
      const received: Uint8Array[] = [];
      await storeError(async () => {
        for await (const part of store.get(cid)) received.push(part);
      }, "CORRUPT");
      expect(received).to.have.length(0);
      expect(await store.has(cid)).to.equal(false);
    } finally {
      await lying.close();
    }
  });

  it("maps the node's 'not found locally' answer to NOT_FOUND", async function () {
    const empty = await serve((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ Message: "block was not found locally (offline): ipld: could not find bafk…", Code: 0, Type: "error" }));
      });
    });
    try {
      const store = await KuboStore.open(empty.url);
      const cid = (await documentCid(randomBytes(8))).toString();
      await storeError(() => store.getDocument(cid), "NOT_FOUND");
      await storeError(() => drain(store.get(cid)), "NOT_FOUND");
      expect(await store.has(cid)).to.equal(false);
    } finally {
      await empty.close();
    }
  });
});
