import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { Wallet } from "ethers";
import { SiweMessage } from "siwe";
import { ApiError } from "../../server/errors";
import { SessionService } from "../../server/services/sessions";
import { openStateDb, type StateDb } from "../../server/services/state/stateDb";

const ORIGIN = "http://127.0.0.1:8787";
const DOMAIN = "127.0.0.1:8787";
const SECRET = new Uint8Array(32).fill(7);
const T0 = 1_700_000_000_000;

interface MessageFields {
  domain: string;
  uri: string;
  chainId: number;
  issuedAt: string;
  expirationTime?: string;
}

async function signedMessage(
  wallet: Pick<Wallet, "address" | "signMessage">,
  nonce: string,
  overrides: Partial<MessageFields> = {},
  clock = T0,
) {
  const message = new SiweMessage({
    domain: overrides.domain ?? DOMAIN,
    address: wallet.address,
    uri: overrides.uri ?? ORIGIN,
    version: "1",
    chainId: overrides.chainId ?? 31337,
    nonce,
    issuedAt: overrides.issuedAt ?? new Date(clock).toISOString(),
    expirationTime: overrides.expirationTime,
  }).prepareMessage();
  return { message, signature: await wallet.signMessage(message) };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiError) return err.code;
    throw err;
  }
  return "no error";
}

describe("Sign-In with Ethereum sessions", function () {
  let clock: number;
  let dir: string;
  let db: StateDb;
  let sessions: SessionService;
  const wallet = Wallet.createRandom();
  const open = (secret = SECRET): SessionService =>
    new SessionService({
      chainId: 31337,
      publicOrigin: () => ORIGIN,
      secret,
      nonceTtlSeconds: 300,
      sessionTtlSeconds: 900,
      db,
      now: () => clock,
    });

  beforeEach(async function () {
    clock = T0;
    dir = await mkdtemp(path.join(os.tmpdir(), "sessions-"));
    db = openStateDb(dir);
    sessions = open();
  });

  afterEach(async function () {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("opens a session for a correctly signed message and authenticates its token", async function () {
    const { message, signature } = await signedMessage(wallet, sessions.issueNonce());
    const { token, session } = await sessions.signIn(message, signature);
    expect(session.address).to.equal(wallet.address);
    expect((await sessions.authenticate(token)).address).to.equal(wallet.address);
  });

  it("keeps a session across a gateway restart and on a replica with the same secret, but not with another secret", async function () {
    const { message, signature } = await signedMessage(wallet, sessions.issueNonce());
    const { token } = await sessions.signIn(message, signature);
    expect((await open().authenticate(token)).address).to.equal(wallet.address);
    expect(await codeOf(open(new Uint8Array(32).fill(8)).authenticate(token))).to.equal("UNAUTHENTICATED");
  });

  it("ends a session on sign-out, for this service and any other reading the same state", async function () {
    const { message, signature } = await signedMessage(wallet, sessions.issueNonce());
    const { token } = await sessions.signIn(message, signature);
    sessions.signOut(await sessions.authenticate(token));
    expect(await codeOf(sessions.authenticate(token))).to.equal("UNAUTHENTICATED");
    expect(await codeOf(open().authenticate(token))).to.equal("UNAUTHENTICATED");
  });

  it("refuses a remembered token at once when another replica signs the session out", async function () {
    const { message, signature } = await signedMessage(wallet, sessions.issueNonce());
    const { token } = await sessions.signIn(message, signature);
    expect((await sessions.authenticate(token)).address).to.equal(wallet.address);
    const replica = open();
    replica.signOut(await replica.authenticate(token));
    expect(await codeOf(sessions.authenticate(token))).to.equal("UNAUTHENTICATED");
  });

  it("remembers only the exact token it verified: one changed character is verified again and refused", async function () {
    const { message, signature } = await signedMessage(wallet, sessions.issueNonce());
    const { token } = await sessions.signIn(message, signature);
    await sessions.authenticate(token);
    // A character inside the signature (the last one carries padding bits a decoder may ignore).
    const at = token.length - 5;
    const altered = token.slice(0, at) + (token[at] === "A" ? "g" : "A") + token.slice(at + 1);
    expect(await codeOf(sessions.authenticate(altered))).to.equal("UNAUTHENTICATED");
    expect((await sessions.authenticate(token)).address).to.equal(wallet.address);
  });

  it("refuses a remembered token once the gateway is reached at another origin than the one it was issued for", async function () {
    let origin = ORIGIN;
    const moving = new SessionService({
      chainId: 31337,
      publicOrigin: () => origin,
      secret: SECRET,
      nonceTtlSeconds: 300,
      sessionTtlSeconds: 900,
      db,
      now: () => clock,
    });
    const { message, signature } = await signedMessage(wallet, moving.issueNonce());
    const { token } = await moving.signIn(message, signature);
    await moving.authenticate(token);
    origin = "http://127.0.0.1:9999";
    expect(await codeOf(moving.authenticate(token))).to.equal("UNAUTHENTICATED");
  });

  it("refuses a session token once it expires", async function () {
    const { message, signature } = await signedMessage(wallet, sessions.issueNonce());
    const { token } = await sessions.signIn(message, signature);
    clock += 899_000;
    expect((await sessions.authenticate(token)).address).to.equal(wallet.address);
    clock += 1_000;
    expect(await codeOf(sessions.authenticate(token))).to.equal("SESSION_EXPIRED");
  });

  it("never lets a session outlive the expirationTime of the message it came from", async function () {
    const expirationTime = new Date(T0 + 60_000).toISOString();
    const { message, signature } = await signedMessage(wallet, sessions.issueNonce(), { expirationTime });
    const { token, session } = await sessions.signIn(message, signature);
    expect(session.expiresAt).to.equal(T0 + 60_000);
    clock += 60_000;
    expect(await codeOf(sessions.authenticate(token))).to.equal("SESSION_EXPIRED");
  });

  it("refuses a nonce after its lifetime, a nonce it never issued, and a nonce used once already", async function () {
    const nonce = sessions.issueNonce();
    clock += 300_001;
    const late = await signedMessage(wallet, nonce, {}, clock);
    expect(await codeOf(sessions.signIn(late.message, late.signature))).to.equal("NONCE_INVALID");
    const invented = await signedMessage(wallet, "a".repeat(68), {}, clock);
    expect(await codeOf(sessions.signIn(invented.message, invented.signature))).to.equal("NONCE_INVALID");
    const fresh = sessions.issueNonce();
    const first = await signedMessage(wallet, fresh, {}, clock);
    await sessions.signIn(first.message, first.signature);
    expect(await codeOf(sessions.signIn(first.message, first.signature))).to.equal("NONCE_INVALID");
  });

  it("names the line of a message that is not EIP-4361, e.g. an address not in EIP-55 form", async function () {
    const { message, signature } = await signedMessage(wallet, sessions.issueNonce());
    const lowerCase = message.replace(wallet.address, wallet.address.toLowerCase());
    const refusal = await sessions.signIn(lowerCase, signature).then(
      () => undefined,
      (err: ApiError) => err,
    );
    expect([refusal?.code, refusal?.message]).to.deep.equal([
      "BAD_REQUEST",
      `message is not a valid EIP-4361 (Sign-In with Ethereum) message: line 2: invalid EIP-55 address - ${wallet.address.toLowerCase()}.`,
    ]);
  });

  it("refuses a message signed for another site: another domain, another URI, another chain", async function () {
    const otherDomain = await signedMessage(wallet, sessions.issueNonce(), { domain: "evil.example" });
    expect(await codeOf(sessions.signIn(otherDomain.message, otherDomain.signature))).to.equal("BAD_SIGNATURE");
    const otherUri = await signedMessage(wallet, sessions.issueNonce(), { uri: "https://evil.example/login" });
    expect(await codeOf(sessions.signIn(otherUri.message, otherUri.signature))).to.equal("BAD_SIGNATURE");
    const otherChain = await signedMessage(wallet, sessions.issueNonce(), { chainId: 1 });
    expect(await codeOf(sessions.signIn(otherChain.message, otherChain.signature))).to.equal("BAD_SIGNATURE");
  });

  it("takes the URI only as PUBLIC_ORIGIN itself or a path under it, spelled as the origin is", async function () {
    // Each of these parses (WHATWG) to the same origin, but is not the origin as written: no userinfo, no other spelling.
    for (const uri of ["http://evil@127.0.0.1:8787/", "http://0x7f000001:8787/", "HTTP://127.0.0.1:8787", "http://127.0.0.1:8787?x=1"]) {
      const signed = await signedMessage(wallet, sessions.issueNonce(), { uri });
      expect(await codeOf(sessions.signIn(signed.message, signed.signature)), uri).to.equal("BAD_SIGNATURE");
    }
    for (const uri of [ORIGIN, `${ORIGIN}/`, `${ORIGIN}/app/sign-in`]) {
      const signed = await signedMessage(wallet, sessions.issueNonce(), { uri });
      const { token } = await sessions.signIn(signed.message, signed.signature);
      expect(token, uri).to.be.a("string");
    }
  });

  it("refuses a message issued too far from the gateway's clock, or already expired", async function () {
    const stale = await signedMessage(wallet, sessions.issueNonce(), { issuedAt: new Date(T0 - 301_000).toISOString() });
    expect(await codeOf(sessions.signIn(stale.message, stale.signature))).to.equal("BAD_SIGNATURE");
    const future = await signedMessage(wallet, sessions.issueNonce(), { issuedAt: new Date(T0 + 301_000).toISOString() });
    expect(await codeOf(sessions.signIn(future.message, future.signature))).to.equal("BAD_SIGNATURE");
    const expired = await signedMessage(wallet, sessions.issueNonce(), { expirationTime: new Date(T0 - 1).toISOString() });
    expect(await codeOf(sessions.signIn(expired.message, expired.signature))).to.equal("BAD_SIGNATURE");
  });

  it("refuses a signature by another wallet, and spends the nonce doing so", async function () {
    const nonce = sessions.issueNonce();
    const { message } = await signedMessage(wallet, nonce);
    const forged = await Wallet.createRandom().signMessage(message);
    expect(await codeOf(sessions.signIn(message, forged))).to.equal("BAD_SIGNATURE");
    const honest = await wallet.signMessage(message);
    expect(await codeOf(sessions.signIn(message, honest))).to.equal("NONCE_INVALID");
  });
});
