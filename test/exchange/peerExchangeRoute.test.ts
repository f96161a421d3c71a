import { expect } from "chai";
import { createHash, randomBytes } from "node:crypto";
import { base36 } from "multiformats/bases/base36";
import { base58btc } from "multiformats/bases/base58";
import { base32upper } from "multiformats/bases/base32";
import { CID } from "multiformats/cid";
import * as Digest from "multiformats/hashes/digest";
import { Wallet } from "ethers";
import express from "express";
import { peerExchangeRouter, RAW_BLOCK } from "../../server/routes/peerExchange";
import { PeerAuthenticator } from "../../server/services/exchange/peerAuthenticator";
import { signPeerToken } from "../../server/services/exchange/peerToken";
import { closeServer, listen, Membership, type Organization, startOrganization } from "./organizations";

const now = (): number => Math.floor(Date.now() / 1000);

/** A peer token from `wallet` for `audience`, issued `ago` seconds ago, living `lifetime` seconds. */
function token(wallet: Wallet, audience: string, { ago = 0, lifetime = 60, origin = "http://127.0.0.1:1" } = {}): Promise<string> {
  return signPeerToken(wallet, { origin, audience, issuedAt: now() - ago, lifetimeSeconds: lifetime });
}

async function errorOf(response: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  return { status: response.status, code: body.error.code, message: body.error.message };
}

describe("GET /ipfs/{cid} — raw blocks for member gateways (trustless gateway protocol)", function () {
  let membership: Membership;
  let clinic: Organization;
  let er: Organization;
  let documentCid: string;
  let documentBytes: Buffer;

  before(async function () {
    membership = new Membership();
    clinic = await startOrganization("clinic", membership, { membershipTtlMs: 0 });
    er = await startOrganization("er", membership);
    membership.add(clinic, er);
    documentBytes = randomBytes(900);
    documentCid = await clinic.store.putDocument(documentBytes);
  });

  after(async function () {
    await clinic.close();
    await er.close();
  });

  /** A request to the clinic's gateway from the ER, with its token unless `authorization` says otherwise. */
  async function ask(
    path: string,
    init: { authorization?: string | null; accept?: string | null; method?: string } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    const authorization = init.authorization === undefined ? `Bearer ${await token(er.wallet, clinic.url)}` : init.authorization;
    if (authorization !== null) headers.authorization = authorization;
    const accept = init.accept === undefined ? RAW_BLOCK : init.accept;
    if (accept !== null) headers.accept = accept;
    return fetch(`${clinic.url}${path}`, { headers, method: init.method ?? "GET" });
  }

  describe("for a member", function () {
    it("answers one verified raw block with the trustless gateway's headers", async function () {
      const response = await ask(`/ipfs/${documentCid}`);
      expect(response.status).to.equal(200);
      expect(response.headers.get("content-type")).to.equal(RAW_BLOCK);
      expect(response.headers.get("etag")).to.equal(`"${documentCid}.raw"`);
      expect(response.headers.get("content-disposition")).to.equal(`attachment; filename="${documentCid}.bin"`);
      expect(response.headers.get("x-content-type-options")).to.equal("nosniff");
      expect(response.headers.get("cache-control")).to.match(/^private/);
      const body = Buffer.from(await response.arrayBuffer());
      expect(body.equals(documentBytes)).to.equal(true);
      const digest = createHash("sha256").update(body).digest();
      expect(Buffer.from(CID.parse(documentCid).multihash.digest).equals(digest)).to.equal(true);
    });

    it("serves a UnixFS file's dag-pb root block as it is stored", async function () {
      const root = await clinic.store.put(randomBytes(3 * 1024 * 1024));
      const response = await ask(`/ipfs/${root}?format=raw`, { accept: null });
      expect(response.status).to.equal(200);
      const body = new Uint8Array(await response.arrayBuffer());
      expect(Buffer.from(body).equals(Buffer.from(await clinic.store.getBlock(CID.parse(root))))).to.equal(true);
    });

    it("answers HEAD with the headers and no body", async function () {
      const response = await ask(`/ipfs/${documentCid}`, { method: "HEAD" });
      expect(response.status).to.equal(200);
      expect(response.headers.get("content-length")).to.equal(String(documentBytes.byteLength));
      expect((await response.arrayBuffer()).byteLength).to.equal(0);
    });

    it("answers 404 CONTENT_NOT_FOUND for a block its store does not hold", async function () {
      const elsewhere = await er.store.putDocument(randomBytes(50));
      expect(await errorOf(await ask(`/ipfs/${elsewhere}`))).to.include({ status: 404, code: "CONTENT_NOT_FOUND" });
    });

    it("negotiates raw blocks only: format=raw wins over Accept, and a request naming neither is refused", async function () {
      expect((await ask(`/ipfs/${documentCid}?format=raw`, { accept: "application/vnd.ipld.car" })).status).to.equal(200);
      expect((await ask(`/ipfs/${documentCid}`, { accept: `text/html, ${RAW_BLOCK};q=0.9` })).status).to.equal(200);
      expect(await errorOf(await ask(`/ipfs/${documentCid}`, { accept: null }))).to.include({ status: 400, code: "BAD_REQUEST" });
      expect(await errorOf(await ask(`/ipfs/${documentCid}`, { accept: "application/vnd.ipld.car" }))).to.include({
        status: 400,
        code: "BAD_REQUEST",
      });
      expect(await errorOf(await ask(`/ipfs/${documentCid}?format=car`))).to.include({ status: 400, code: "BAD_REQUEST" });
    });

    it("refuses every non-canonical spelling of a CID, naming the canonical one", async function () {
      const cid = CID.parse(documentCid);
      const spellings = [cid.toString(base32upper), cid.toString(base58btc), cid.toString(base36)];
      const root = CID.parse(await clinic.store.put(randomBytes(2 * 1024 * 1024)));
      spellings.push(root.toV0().toString()); // CIDv0 (Qm…) of the same dag-pb block
      for (const spelling of spellings) {
        const refused = await errorOf(await ask(`/ipfs/${spelling}`));
        expect(refused, spelling).to.include({ status: 400, code: "BAD_REQUEST" });
        expect(refused.message, spelling).to.contain(spelling.startsWith("Qm") ? root.toString() : documentCid);
      }
    });

    it("refuses CIDs of other codecs and hashes (dag-cbor, sha2-512, identity) as not canonical", async function () {
      const sha256 = CID.parse(documentCid).multihash;
      const others = [
        CID.createV1(0x71, sha256), // dag-cbor
        CID.createV1(0x55, Digest.create(0x13, createHash("sha512").update(documentBytes).digest())), // sha2-512
        CID.createV1(0x55, Digest.create(0x00, Buffer.from("inline"))), // identity: the "content" is in the CID
      ];
      for (const other of others) {
        expect(await errorOf(await ask(`/ipfs/${other.toString()}`)), other.toString()).to.include({ status: 400, code: "BAD_REQUEST" });
      }
      expect(await errorOf(await ask(`/ipfs/not-a-cid`))).to.include({ status: 400, code: "BAD_REQUEST" });
    });

    it("reads the bearer scheme in any case (RFC 9110 §11.1)", async function () {
      const response = await ask(`/ipfs/${documentCid}`, { authorization: `bearer ${await token(er.wallet, clinic.url)}` });
      expect(response.status).to.equal(200);
    });
  });

  describe("for anyone else", function () {
    it("refuses a request without a token (401 UNAUTHENTICATED), before looking at the CID", async function () {
      expect(await errorOf(await ask(`/ipfs/${documentCid}`, { authorization: null }))).to.include({
        status: 401,
        code: "UNAUTHENTICATED",
      });
      expect(await errorOf(await ask(`/ipfs/not-a-cid`, { authorization: null }))).to.include({ status: 401, code: "UNAUTHENTICATED" });
      expect(await errorOf(await ask(`/ipfs/${documentCid}`, { authorization: "Bearer nonsense" }))).to.include({
        status: 401,
        code: "UNAUTHENTICATED",
      });
    });

    it("refuses a well-signed token from a gateway that is not a member (403 FORBIDDEN)", async function () {
      const outsider = new Wallet(Wallet.createRandom().privateKey);
      const refused = await errorOf(await ask(`/ipfs/${documentCid}`, { authorization: `Bearer ${await token(outsider, clinic.url)}` }));
      expect(refused).to.include({ status: 403, code: "FORBIDDEN" });
      expect(refused.message).to.contain(outsider.address);
    });

    it("refuses a member's token replayed after its lifetime (401 SESSION_EXPIRED)", async function () {
      const stale = await token(er.wallet, clinic.url, { ago: 61, lifetime: 60 });
      expect(await errorOf(await ask(`/ipfs/${documentCid}`, { authorization: `Bearer ${stale}` }))).to.include({
        status: 401,
        code: "SESSION_EXPIRED",
      });
    });

    it("refuses a member's token meant for another gateway, or signed to live too long (401 UNAUTHENTICATED)", async function () {
      for (const bad of [await token(er.wallet, er.url), await token(er.wallet, clinic.url, { lifetime: 3600 })]) {
        expect(await errorOf(await ask(`/ipfs/${documentCid}`, { authorization: `Bearer ${bad}` }))).to.include({
          status: 401,
          code: "UNAUTHENTICATED",
        });
      }
    });

    it("refuses a member's token whose statement was changed after signing: it no longer recovers the member", async function () {
      const [statement, signature] = (await token(er.wallet, clinic.url)).split(".");
      const altered = Buffer.from(statement, "base64url")
        .toString("utf8")
        .replace("origin: http://127.0.0.1:1", "origin: http://127.0.0.1:2");
      const forged = `${Buffer.from(altered, "utf8").toString("base64url")}.${signature}`;
      expect(await errorOf(await ask(`/ipfs/${documentCid}`, { authorization: `Bearer ${forged}` }))).to.include({
        status: 403,
        code: "FORBIDDEN",
      });
      const truncated = `${statement}.${signature.slice(0, 40)}`;
      expect(await errorOf(await ask(`/ipfs/${documentCid}`, { authorization: `Bearer ${truncated}` }))).to.include({
        status: 401,
        code: "BAD_SIGNATURE",
      });
    });

    it("refuses a gateway whose membership was revoked, from its next request on", async function () {
      const member = new Wallet(Wallet.createRandom().privateKey);
      membership.addresses.add(member.address);
      const authorization = `Bearer ${await token(member, clinic.url)}`;
      expect((await ask(`/ipfs/${documentCid}`, { authorization })).status).to.equal(200);
      membership.addresses.delete(member.address);
      expect(await errorOf(await ask(`/ipfs/${documentCid}`, { authorization }))).to.include({ status: 403, code: "FORBIDDEN" });
    });
  });

  it("fails closed with 503 CHAIN_UNAVAILABLE when membership cannot be decided", async function () {
    const app = express();
    const { server, url } = await listen(app);
    try {
      const authenticator = new PeerAuthenticator({
        audience: url,
        isMember: () => Promise.reject(new Error("chain unreachable")),
      });
      app.use(peerExchangeRouter({ blocks: clinic.store, authenticator }));
      const response = await fetch(`${url}/ipfs/${documentCid}`, {
        headers: { accept: RAW_BLOCK, authorization: `Bearer ${await token(er.wallet, url)}` },
      });
      expect(await errorOf(response)).to.include({ status: 503, code: "CHAIN_UNAVAILABLE" });
    } finally {
      await closeServer(server);
    }
  });
});
