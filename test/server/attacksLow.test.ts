import { expect } from "chai";
import pino from "pino";
import { addOwnRecord, checkRecord, ClientError, grantAccess, patientKeyDirectory, GatewayError } from "../../lib/client";
import { directoryEntry, utf8 } from "../../lib/crypto";
import { sealPatientRecord } from "../../lib/records/recordCrypto";
import { AccessService } from "../../server/services/access/accessService";
import { ApiError } from "../../server/errors";
import { Uploads } from "../../server/services/uploads";
import { readyActor } from "../support/actors";
import { useStack } from "../support/stack";

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (err) {
    if (err instanceof ApiError || err instanceof GatewayError || err instanceof ClientError) return err.code;
    throw err;
  }
}

describe("attacks an outside review made (issue 12, low): expiry without blocks, upload abuse, a lying gateway", function () {
  const stack = useStack({ uploadQuotaBytes: 8192 });

  it("refuses an expired grant even when no block has been mined since its expiry (the gateway's clock counts)", async function () {
    const jane = await readyActor(stack, 1);
    const chen = await readyActor(stack, 2);
    const { cid } = await addOwnRecord(jane, { plaintext: utf8('{"resourceType":"Condition"}'), category: 1 });
    const { expiresAt } = await grantAccess(jane, { grantee: chen.address, categories: [1], purpose: 1, durationSeconds: 60 });
    const { chain, headers } = stack.gateway.services;
    // The same decision, on the same head block, judged by a clock before and after the expiry.
    const before = new AccessService(chain, headers, () => (expiresAt - 30) * 1000);
    const after = new AccessService(chain, headers, () => (expiresAt + 1) * 1000);
    expect((await before.decideRecordRead(cid, chen.address)).basis).to.equal("grant");
    expect(await code(after.decideRecordRead(cid, chen.address))).to.equal("ACCESS_DENIED");
  });

  it("stops a wallet's unannounced uploads at its quota, and collects them once they expire", async function () {
    const john = await readyActor(stack, 5);
    const categoryKey = directoryEntry(await patientKeyDirectory(john, john.address), 2);
    const seal = () =>
      sealPatientRecord(new Uint8Array(3000).fill(7), { patient: john.address, patientPublicKey: john.keys.publicKey, categoryKey });
    // (John's key directory, uploaded at sign-in, counts too until it expires: 8 KiB leaves room for two uploads.)
    const first = await john.client.uploadRecord(seal().envelope);
    await john.client.uploadRecord(seal().envelope);
    expect(await code(john.client.uploadRecord(seal().envelope))).to.equal("QUOTA_EXCEEDED");
    const { state, store, chain, headers, config } = stack.gateway.services;
    // Told when to try again: when the oldest unannounced upload expires and gives its bytes back.
    const refused = await fetch(`${stack.url}/api/records`, {
      method: "POST",
      headers: { authorization: `Bearer ${john.client.sessionToken}`, "content-type": "application/octet-stream" },
      body: Buffer.from(seal().envelope),
    });
    expect(refused.status).to.equal(429);
    expect(Number(refused.headers.get("retry-after"))).to.be.within(config.uploadTtlSeconds - 120, config.uploadTtlSeconds);

    expect(await store.has(first.cid)).to.equal(true);
    // The same uploads table, swept by a clock two hours on: nothing was announced, so it is all collected.
    const later = new Uploads(
      state,
      store,
      chain,
      headers,
      { ttlSeconds: config.uploadTtlSeconds, quotaBytes: 8192 },
      pino({ level: "silent" }),
      () => Date.now() + 2 * 3600_000,
    );
    const swept = await later.sweep();
    expect(swept.pinned).to.equal(0);
    expect(await store.has(first.cid)).to.equal(false);
    expect(later.remainingQuota(john.address)).to.equal(8192);
  });

  it("lets the client refuse what a lying gateway serves: bytes that do not hash to the CID, or a record of another vault", async function () {
    const jane = await readyActor(stack, 1);
    const john = await readyActor(stack, 5);
    const janes = await addOwnRecord(jane, { plaintext: utf8('{"resourceType":"Condition"}'), category: 1 });
    const johns = await addOwnRecord(john, { plaintext: utf8('{"resourceType":"Condition"}'), category: 1 });
    const johnsBytes = await john.client.fetchRecord(johns.cid);
    // Served under Jane's CID: the hash does not match. Served under its own CID as Jane's: the ledger disagrees.
    expect(await code(checkRecord(jane, jane.address, janes.cid, johnsBytes))).to.equal("INTEGRITY");
    expect(await code(checkRecord(jane, jane.address, johns.cid, johnsBytes))).to.equal("INTEGRITY");
    expect(await code(checkRecord(john, john.address, johns.cid, johnsBytes))).to.equal("ok");
  });
});
