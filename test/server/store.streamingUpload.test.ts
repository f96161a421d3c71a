import { expect } from "chai";
import { createHash } from "node:crypto";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import pino from "pino";
import {
  encodeEnvelopeHeader,
  ENVELOPE_VERSION,
  generateEncryptionKeyPair,
  newDataKey,
  newRecordId,
  openRecordStream,
  sealRecord,
  sealRecordStream,
  wrapCategoryKey,
  wrapOwnerKey,
  type EnvelopeHeaderInput,
} from "../../lib/crypto";
import { GatewayClient } from "../../lib/client/gatewayClient";
import { demoWallet } from "../../scripts/seed";
import { Uploads } from "../../server/services/uploads";
import { useStack, type TestStack } from "../support/stack";

interface Answer {
  status: number;
  code?: string;
  message?: string;
  body: Record<string, unknown>;
}

/** POSTs `body` to /api/records with the given content type; an async iterable is sent chunked, as a stream. */
async function upload(
  stack: TestStack,
  token: string,
  body: Uint8Array | AsyncIterable<Uint8Array>,
  contentType: string | null = "application/octet-stream",
  extraHeaders: Record<string, string> = {},
): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...extraHeaders };
  if (contentType !== null) headers["content-type"] = contentType;
  // fetch (undici) sends an async iterable as a chunked stream, pulling it only as the socket drains.
  const response = await fetch(`${stack.url}/api/records`, {
    method: "POST",
    headers,
    body: body as unknown as BodyInit,
    duplex: "half",
  } as RequestInit);
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown> & { error?: { code: string; message: string } };
  return { status: response.status, code: json.error?.code, message: json.error?.message, body: json };
}

/** A header for a record of the demo patient, with the data key wrapped for a throwaway owner key. */
function recordHeader(patient: string, dataKey: Uint8Array): EnvelopeHeaderInput {
  const recordId = newRecordId();
  return {
    recordId,
    category: 3,
    patient,
    categoryKeyVersion: 0,
    ownerKey: wrapOwnerKey(dataKey, generateEncryptionKeyPair().publicKey, recordId, patient),
    categoryKey: wrapCategoryKey(dataKey, generateEncryptionKeyPair().publicKey, recordId, patient, 3, 0),
  };
}

/** `total` bytes of cheap, non-repeating plaintext in 1 MiB pieces, generated as they are pulled. */
async function* plaintextPieces(total: number): AsyncGenerator<Uint8Array> {
  const piece = 1024 * 1024;
  for (let offset = 0, n = 0; offset < total; offset += piece, n++) {
    const bytes = new Uint8Array(Math.min(piece, total - offset));
    new DataView(bytes.buffer).setUint32(0, n);
    bytes.fill(n & 0xff, 4);
    yield bytes;
  }
}

async function signIn(stack: TestStack, index = 1): Promise<{ token: string; patient: string }> {
  const wallet = demoWallet(index, stack.provider);
  const token = await new GatewayClient(stack.url).signIn(wallet, stack.deployment.chainId);
  return { token, patient: wallet.address };
}

describe("POST /api/records streams the envelope into the store", function () {
  let token: string;
  let patient: string;

  const stack = useStack();

  before(async function () {
    ({ token, patient } = await signIn(stack));
  });

  it("stores a 20 MB envelope sent as a stream and gives back the same bytes, which decrypt", async function () {
    const dataKey = newDataKey();
    const plainHash = createHash("sha256");
    const sentHash = createHash("sha256");
    let sent = 0;
    const plaintext = async function* (): AsyncGenerator<Uint8Array> {
      for await (const piece of plaintextPieces(20 * 1024 * 1024)) {
        plainHash.update(piece);
        yield piece;
      }
    };
    const envelope = async function* (): AsyncGenerator<Uint8Array> {
      for await (const piece of sealRecordStream(plaintext(), recordHeader(patient, dataKey), dataKey)) {
        sentHash.update(piece);
        sent += piece.length;
        yield piece;
      }
    };

    const answer = await upload(stack, token, envelope());
    expect(answer.status, answer.message).to.equal(201);
    expect(answer.body).to.include({ bytes: sent, category: 3, patient });
    const cid = answer.body.cid as string;

    const store = stack.gateway.services.store;
    expect(await store.isPinned(cid)).to.equal(false, "an upload is pinned only once announced (until then it expires)");
    const storedHash = createHash("sha256");
    let stored = 0;
    for await (const part of store.get(cid)) {
      storedHash.update(part);
      stored += part.length;
    }
    expect(stored).to.equal(sent);
    expect(storedHash.digest("hex")).to.equal(sentHash.digest("hex"));
    const openedHash = createHash("sha256");
    for await (const part of openRecordStream(store.get(cid), dataKey)) openedHash.update(part);
    expect(openedHash.digest("hex")).to.equal(plainHash.digest("hex"));
  });

  it("answers 415 UNSUPPORTED_MEDIA_TYPE for another content type, none, or a compressed body", async function () {
    const dataKey = newDataKey();
    const envelope = sealRecord(new Uint8Array(10), recordHeader(patient, dataKey), dataKey);
    for (const [type, headers] of [
      ["text/plain", {}],
      [null, {}],
      ["application/octet-stream", { "content-encoding": "gzip" }],
    ] as const) {
      const r = await upload(stack, token, envelope, type, headers);
      expect([r.status, r.code], `${type} ${JSON.stringify(headers)}`).to.deep.equal([415, "UNSUPPORTED_MEDIA_TYPE"]);
    }
  });

  it("answers 400 BAD_ENVELOPE, with the reason, for a body that is not an envelope or ends too soon", async function () {
    const dataKey = newDataKey();
    const header = recordHeader(patient, dataKey);
    const headerBytes = encodeEnvelopeHeader({ ...header, version: ENVELOPE_VERSION, chunkSize: 65536 });
    const full = sealRecord(new Uint8Array(100), header, dataKey);
    const cases: [string, Uint8Array, RegExp][] = [
      ["an empty body", new Uint8Array(0), /0 bytes, too short to hold a header/],
      ["three bytes of the magic", Buffer.from("CLE"), /too short to hold a header/],
      ["plaintext FHIR JSON", Buffer.from('{"resourceType":"Condition","code":{"text":"Asthma"}}'), /magic is not CLE1/],
      ["a cut inside the fixed header", full.subarray(0, 30), /cut short/],
      ["a cut inside the owner key", headerBytes.subarray(0, headerBytes.length - 1), /cut short/],
      ["a header and nonce prefix with no chunk", full.subarray(0, headerBytes.length + 16), /cut short/],
      ["a last piece shorter than a chunk tag", full.subarray(0, headerBytes.length + 16 + 10), /cut short/],
    ];
    for (const [label, body, reason] of cases) {
      const r = await upload(stack, token, body);
      expect([r.status, r.code], label).to.deep.equal([400, "BAD_ENVELOPE"]);
      expect(r.message, label).to.match(reason);
    }
    // The same garbage arriving as a stream of small pieces is refused the same way.
    const r = await upload(
      stack,
      token,
      (async function* () {
        for (let i = 0; i < 100; i++) yield Buffer.from("not an envelope ");
      })(),
    );
    expect([r.status, r.code]).to.deep.equal([400, "BAD_ENVELOPE"]);
  });
});

describe("POST /api/records enforces maxRecordBytes while streaming", function () {
  const LIMIT = 64 * 1024;
  let token: string;
  let patient: string;

  const stack = useStack({ maxRecordBytes: LIMIT });

  before(async function () {
    ({ token, patient } = await signIn(stack));
  });

  /** An envelope of exactly `size` bytes, one 64 KiB chunk (header + nonce prefix + plaintext + tag). */
  function envelopeOfSize(size: number): Uint8Array {
    const dataKey = newDataKey();
    const header = recordHeader(patient, dataKey);
    const overhead = sealRecord(new Uint8Array(0), header, dataKey).length;
    const envelope = sealRecord(new Uint8Array(size - overhead), header, dataKey);
    expect(envelope.length).to.equal(size);
    return envelope;
  }

  it("accepts an envelope of exactly the limit", async function () {
    const r = await upload(stack, token, envelopeOfSize(LIMIT));
    expect(r.status, r.message).to.equal(201);
    expect(r.body.bytes).to.equal(LIMIT);
  });

  it("answers 413 PAYLOAD_TOO_LARGE for a declared length one byte over the limit, without reading it", async function () {
    const r = await upload(stack, token, envelopeOfSize(LIMIT + 1));
    expect([r.status, r.code]).to.deep.equal([413, "PAYLOAD_TOO_LARGE"]);
    expect(r.message).to.include(`at most ${LIMIT} bytes`);
  });

  it("answers 413 PAYLOAD_TOO_LARGE for a streamed envelope once it passes the limit, and keeps none of it pinned", async function () {
    const dataKey = newDataKey();
    const envelope = sealRecord(new Uint8Array(1024 * 1024), { ...recordHeader(patient, dataKey), chunkSize: 16 * 1024 }, dataKey);
    const r = await upload(
      stack,
      token,
      (async function* () {
        for (let offset = 0; offset < envelope.length; offset += 8192) yield envelope.subarray(offset, offset + 8192);
      })(),
    );
    expect([r.status, r.code]).to.deep.equal([413, "PAYLOAD_TOO_LARGE"]);
    // Whatever blocks were written before the limit tripped are orphans: not pinned, and no file under the full CID.
    const cidOfAll = await stack.gateway.services.store.put(envelope);
    expect(await stack.gateway.services.store.isPinned(cidOfAll)).to.equal(false);
  });
});

describe("POST /api/records counts refused uploads against the quota: no wallet parks more than it", function () {
  const QUOTA = 32 * 1024;
  const stack = useStack({ uploadQuotaBytes: QUOTA });

  /** Bytes of block files in the embedded store. */
  async function storeBytes(): Promise<number> {
    const { config } = stack.gateway.services;
    const blocks = path.join(config.storeDir ?? path.join(config.dataDir, "ipfs"), "blocks");
    let total = 0;
    for (const entry of await readdir(blocks, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
    }
    return total;
  }

  /** A sealed envelope of 1 KiB chunks (so it can be cut anywhere), about 10.7 KB, cut 5 bytes into its eleventh chunk. */
  function cutShortEnvelope(patient: string): Uint8Array {
    const dataKey = newDataKey();
    const full = sealRecord(new Uint8Array(12 * 1024).fill(9), { ...recordHeader(patient, dataKey), chunkSize: 1024 }, dataKey);
    const bodyOffset = full.length - 12 * (1024 + 16);
    return full.subarray(0, bodyOffset + 10 * (1024 + 16) + 5);
  }

  it("charges the bytes of uploads refused after they were stored (cut short), until they expire and are collected", async function () {
    const { token, patient } = await signIn(stack, 1);
    const { uploads, state, store, chain, headers, config } = stack.gateway.services;
    const before = await storeBytes();
    const answers: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await upload(stack, token, cutShortEnvelope(patient));
      answers.push(`${r.status} ${r.code}`);
    }
    // Refused as cut short while the quota lasts, then refused up front: before, all ten were stored, uncounted.
    expect(answers.slice(0, 3)).to.deep.equal(Array(3).fill("400 BAD_ENVELOPE"));
    expect(answers.slice(3)).to.deep.equal(Array(7).fill("429 QUOTA_EXCEEDED"));
    const grown = (await storeBytes()) - before;
    expect(grown).to.be.above(0).and.at.most(QUOTA);
    expect(QUOTA - uploads.remainingQuota(patient)).to.be.at.least(grown, "what the refusals left in the store is charged");
    // And a good envelope does not fit beside them.
    const dataKey = newDataKey();
    const good = await upload(stack, token, sealRecord(new Uint8Array(1024), recordHeader(patient, dataKey), dataKey));
    expect([good.status, good.code]).to.deep.equal([429, "QUOTA_EXCEEDED"]);

    // Swept by a clock past the upload lifetime: the charge is gone and so are the refused uploads' blocks.
    const later = new Uploads(
      state,
      store,
      chain,
      headers,
      { ttlSeconds: config.uploadTtlSeconds, quotaBytes: QUOTA },
      pino({ level: "silent" }),
      () => Date.now() + (config.uploadTtlSeconds + 60) * 1000,
    );
    const swept = await later.sweep();
    expect(swept.bytes).to.be.at.least(grown);
    expect(later.remainingQuota(patient)).to.equal(QUOTA);
    expect(await storeBytes()).to.be.at.most(before);
  });

  it("cuts off a streamed upload (no Content-Length) once it passes the quota, and charges what it stored", async function () {
    const { token, patient } = await signIn(stack, 2);
    const { uploads } = stack.gateway.services;
    const dataKey = newDataKey();
    const envelope = sealRecord(new Uint8Array(4 * QUOTA).fill(3), recordHeader(patient, dataKey), dataKey);
    const before = await storeBytes();
    for (let attempt = 0; attempt < 3; attempt++) {
      const r = await upload(
        stack,
        token,
        (async function* () {
          for (let offset = 0; offset < envelope.length; offset += 4096) yield envelope.subarray(offset, offset + 4096);
        })(),
      );
      expect([r.status, r.code], `attempt ${attempt}`).to.deep.equal([429, "QUOTA_EXCEEDED"]);
    }
    // Before, each attempt stored the whole envelope (4 times the quota) before the quota was looked at.
    const grown = (await storeBytes()) - before;
    expect(grown).to.be.at.most(QUOTA);
    expect(QUOTA - uploads.remainingQuota(patient)).to.be.at.least(grown);
  });
});
