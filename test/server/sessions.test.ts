import { expect } from "chai";
import { Wallet } from "ethers";
import { SiweMessage } from "siwe";
import { ApiError } from "../../server/errors";
import { SessionService } from "../../server/services/sessions";

const DOMAIN = "127.0.0.1:8787";

async function signedMessage(
  wallet: { address: string; signMessage(m: string): Promise<string> },
  nonce: string,
  overrides: Partial<{ domain: string; chainId: number }> = {},
) {
  const message = new SiweMessage({
    domain: overrides.domain ?? DOMAIN,
    address: wallet.address,
    uri: `http://${DOMAIN}`,
    version: "1",
    chainId: overrides.chainId ?? 31337,
    nonce,
  }).prepareMessage();
  return { message, signature: await wallet.signMessage(message) };
}

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (err) {
    if (err instanceof ApiError) return err.code;
    throw err;
  }
  return "no error";
}

describe("Sign-In with Ethereum sessions", function () {
  let clock: number;
  let sessions: SessionService;
  const wallet = Wallet.createRandom();

  beforeEach(function () {
    clock = 1_700_000_000_000;
    sessions = new SessionService({ chainId: 31337, nonceTtlSeconds: 300, sessionTtlSeconds: 900, now: () => clock });
  });

  it("opens a session for a correctly signed message and authenticates its token", async function () {
    const { message, signature } = await signedMessage(wallet, sessions.issueNonce());
    const { token, session } = await sessions.signIn(message, signature, DOMAIN);
    expect(session.address).to.equal(wallet.address);
    expect(sessions.authenticate(token).address).to.equal(wallet.address);
  });

  it("refuses a session token one millisecond after it expires", async function () {
    const { message, signature } = await signedMessage(wallet, sessions.issueNonce());
    const { token } = await sessions.signIn(message, signature, DOMAIN);
    clock += 900_000;
    expect(sessions.authenticate(token).address).to.equal(wallet.address);
    clock += 1;
    expect(await codeOf(() => sessions.authenticate(token))).to.equal("SESSION_EXPIRED");
  });

  it("refuses a nonce after its lifetime, and a nonce it never issued", async function () {
    const nonce = sessions.issueNonce();
    clock += 300_001;
    const late = await signedMessage(wallet, nonce);
    expect(await codeOf(sessions.signIn(late.message, late.signature, DOMAIN))).to.equal("NONCE_INVALID");
    const invented = await signedMessage(wallet, "aaaaaaaaaaaaaaaaaaaaaaaa");
    expect(await codeOf(sessions.signIn(invented.message, invented.signature, DOMAIN))).to.equal("NONCE_INVALID");
  });

  it("refuses a message for another domain or another chain", async function () {
    const otherDomain = await signedMessage(wallet, sessions.issueNonce(), { domain: "evil.example" });
    expect(await codeOf(sessions.signIn(otherDomain.message, otherDomain.signature, DOMAIN))).to.equal("BAD_SIGNATURE");
    const otherChain = await signedMessage(wallet, sessions.issueNonce(), { chainId: 1 });
    expect(await codeOf(sessions.signIn(otherChain.message, otherChain.signature, DOMAIN))).to.equal("BAD_SIGNATURE");
  });

  it("refuses a signature by another wallet, and spends the nonce doing so", async function () {
    const nonce = sessions.issueNonce();
    const { message } = await signedMessage(wallet, nonce);
    const forged = await Wallet.createRandom().signMessage(message);
    expect(await codeOf(sessions.signIn(message, forged, DOMAIN))).to.equal("BAD_SIGNATURE");
    const honest = await wallet.signMessage(message);
    expect(await codeOf(sessions.signIn(message, honest, DOMAIN))).to.equal("NONCE_INVALID");
  });
});
