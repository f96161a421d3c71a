import { readdir } from "node:fs/promises";
import { expect } from "chai";
import { Wallet } from "ethers";
import { CID } from "multiformats/cid";
import { base36 } from "multiformats/bases/base36";
import { base58btc } from "multiformats/bases/base58";
import { base64url } from "multiformats/bases/base64";
import { utf8 } from "../../lib/crypto";
import { addOwnRecord, connectActor, grantAccess, publishKeys, rotateKeys, signAction, type ActorContext } from "../../lib/client";
import { cidToBytes, rawCidFromDigest } from "../../lib/ids/cid";
import { readyActor, signedInActor } from "../support/actors";
import { startStack, useStack } from "../support/stack";
import { statusOf } from "../support/answers";

/** Every other spelling of one CID: other multibases, upper case, and CIDv0 where the codec allows it. */
function otherSpellings(cid: string): string[] {
  const parsed = CID.parse(cid);
  const spellings = [
    parsed.toString(base58btc),
    parsed.toString(base36),
    parsed.toString(base64url),
    cid.toUpperCase(),
    "B" + cid.slice(1).toUpperCase(),
  ];
  if (parsed.code === 0x70) spellings.push(parsed.toV0().toString());
  return spellings;
}

async function post(
  url: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; body: { error?: { code: string; message: string } } }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string } } };
}

describe("attacks an outside review made (issue 12), each now refused", function () {
  let jane: ActorContext;
  let attacker: ActorContext;

  const stack = useStack();

  before(async function () {
    jane = await readyActor(stack, 1);
    // A fresh wallet with no ether and no registration: all it has is a session.
    attacker = await connectActor({ gatewayUrl: stack.url, signer: Wallet.createRandom().connect(stack.provider) });
  });

  it("refuses every other spelling of a record's CID at fetch and announce, and never lets a stranger claim the content", async function () {
    const { cid, recordId } = await addOwnRecord(jane, { plaintext: utf8('{"resourceType":"Condition"}'), category: 1 });
    for (const spelling of otherSpellings(cid)) {
      expect(await statusOf(attacker.client.fetchRecord(spelling)), spelling).to.match(/^400 BAD_REQUEST$/);
      const signed = await signAction(
        attacker,
        "AddRecord",
        { patient: attacker.address, author: attacker.address, recordId, cid: cidToBytes(cid), category: 1 } as never,
        attacker.address,
      );
      const announce = {
        patient: attacker.address,
        author: attacker.address,
        recordId,
        cid: spelling,
        category: 1,
        deadline: signed.deadline,
        signature: signed.signature,
      };
      expect(await statusOf(attacker.client.announceRecord(announce)), spelling).to.equal("400 BAD_REQUEST");
    }
    // The canonical spelling into the attacker's own vault: the envelope names Jane, so the gateway refuses to relay.
    const signed = await signAction(
      attacker,
      "AddRecord",
      { patient: attacker.address, author: attacker.address, recordId, cid: cidToBytes(cid), category: 1 } as never,
      attacker.address,
    );
    const claim = await statusOf(
      attacker.client.announceRecord({
        patient: attacker.address,
        author: attacker.address,
        recordId,
        cid,
        category: 1,
        deadline: signed.deadline,
        signature: signed.signature,
      }),
    );
    expect(claim).to.equal("403 FORBIDDEN");
    expect(await statusOf(attacker.client.fetchRecord(cid))).to.equal("403 ACCESS_DENIED");
    expect(stack.gateway.services.disclosures.list((e) => e.reader === attacker.address)).to.have.length(0);
  });

  it("does not serve key bundles through the record route, whatever their CID", async function () {
    const doctor = await readyActor(stack, 2);
    const { keyBundle } = await grantAccess(jane, { grantee: doctor.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    const bundleCid = rawCidFromDigest(keyBundle);
    expect(await statusOf(attacker.client.fetchRecord(bundleCid))).to.match(/^4\d\d /);
    expect(await statusOf(doctor.client.fetchRecord(bundleCid))).to.match(/^4\d\d /);
  });

  it("forwards no caller-chosen code on /api/rpc: calls only to the ledger's contracts, signed in, gas-capped", async function () {
    const rpc = `${stack.url}/api/rpc`;
    // The 88-byte loop of the report, as init code of a contract creation (no `to`) and as a call to nowhere.
    const loop = "0x5b600056";
    const anonymous = await post(rpc, { jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ data: loop, gas: "0xffffffff" }, "latest"] });
    expect([anonymous.status, anonymous.body.error?.code]).to.deep.equal([401, "UNAUTHENTICATED"]);
    const token = attacker.client.sessionToken!;
    const creation = await post(rpc, { jsonrpc: "2.0", id: 1, method: "eth_estimateGas", params: [{ data: loop }] }, token);
    expect([creation.status, creation.body.error?.code]).to.deep.equal([403, "FORBIDDEN"]);
    const elsewhere = await post(
      rpc,
      { jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ to: Wallet.createRandom().address, data: loop }, "latest"] },
      token,
    );
    expect([elsewhere.status, elsewhere.body.error?.code]).to.deep.equal([403, "FORBIDDEN"]);
    const overrides = await post(
      rpc,
      {
        jsonrpc: "2.0",
        id: 1,
        method: "eth_call",
        params: [{ to: stack.deployment.contracts.ConsentLedger.address, data: "0x" }, "latest", { code: loop }],
      },
      token,
    );
    expect(overrides.status).to.equal(400);
    const nested = await post(
      rpc,
      { jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ to: { a: { b: { c: [1, [2, [3]]] } } } }] },
      token,
    );
    expect([nested.status, nested.body.error?.code]).to.deep.equal([400, "BAD_REQUEST"]);
    for (const method of ["eth_getLogs", "eth_sign", "personal_unlockAccount", "anvil_setBalance", "hardhat_mine", "debug_traceCall"]) {
      const r = await post(rpc, { jsonrpc: "2.0", id: 1, method, params: [] }, token);
      expect(r.status, method).to.be.within(400, 403);
    }
    // A legitimate wallet read still works.
    const ok = await post(
      rpc,
      {
        jsonrpc: "2.0",
        id: 1,
        method: "eth_call",
        params: [{ to: stack.deployment.contracts.ConsentLedger.address, data: "0x84b0196e" }, "latest"],
      },
      token,
    );
    expect(ok.status).to.equal(200);
  });

  it("relays only for the signed-in wallet (or its ward) and stops at the account's gas budget with 429", async function () {
    // Jane's signed revocation, relayed by someone else's session: refused before any gas is spent.
    const signed = await signAction(jane, "Revoke", { patient: jane.address, grantee: attacker.address }, jane.address);
    const body = { patient: jane.address, grantee: attacker.address, deadline: signed.deadline, signature: signed.signature };
    expect(await statusOf(attacker.client.relayRevoke(body))).to.equal("403 FORBIDDEN");
    // Each account's relayed gas is budgeted: a wallet that keeps asking is stopped with 429 and a code.
    const small = await startStack({ relayGasPerAccountHour: 100_000 });
    try {
      const john = await signedInActor(small, 5);
      const seen: string[] = [];
      for (let i = 0; i < 12 && !seen.includes("429 RELAY_BUDGET_EXCEEDED"); i++)
        seen.push(await statusOf(i === 0 ? publishKeys(john) : rotateKeys(john, [1 + (i % 5)])));
      expect(seen[0]).to.equal("200");
      expect(seen.at(-1)).to.equal("429 RELAY_BUDGET_EXCEEDED");
    } finally {
      await small.close();
    }
  });

  it("refuses a signature deadline more than an hour ahead of chain time", async function () {
    const s = await signAction(jane, "Revoke", { patient: jane.address, grantee: attacker.address }, jane.address);
    const far = s.deadline + 7 * 24 * 3600;
    const r = await statusOf(
      jane.client.relayRevoke({ patient: jane.address, grantee: attacker.address, deadline: far, signature: s.signature }),
    );
    expect(r).to.equal("400 BAD_REQUEST");
  });

  it("keeps no escrow secret and no session secret readable in the data folder but the session key (0600)", async function () {
    const files = (await readdir(stack.gateway.services.config.dataDir, { recursive: true })).map(String);
    expect(files.some((f) => /escrow/i.test(f))).to.equal(false);
  });

  it("ends a session on sign-out, on the server", async function () {
    const sam = await readyActor(stack, 4);
    const token = sam.client.sessionToken!;
    await sam.client.signOut();
    const after = await fetch(`${stack.url}/api/auth/session`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).to.equal(401);
  });

  it("reads the bearer scheme in any case (RFC 9110 §11.1), but the token only exactly as issued", async function () {
    const sam = await readyActor(stack, 4);
    const token = sam.client.sessionToken!;
    const statusWith = async (authorization: string): Promise<number> =>
      (await fetch(`${stack.url}/api/auth/session`, { headers: { authorization } })).status;
    expect(await statusWith(`bearer ${token}`)).to.equal(200);
    expect(await statusWith(`BEARER ${token}`)).to.equal(200);
    // The scheme's case is free; the token's is not.
    const changed = token.replace(/[a-z]/, (c) => c.toUpperCase());
    expect(await statusWith(`bearer ${changed}`)).to.equal(401);
  });

  it("lets only auditors and operators verify the disclosure log", async function () {
    const anonymous = await fetch(`${stack.url}/api/disclosures/verify`);
    expect(anonymous.status).to.equal(401);
    expect(await statusOf(jane.client.verifyDisclosures())).to.equal("403 FORBIDDEN");
  });
});
