import { expect } from "chai";
import { Wallet } from "ethers";
import { RelayerPeerCredentials } from "../../server/services/exchange/peerCredentials";
import { verifyPeerToken } from "../../server/services/exchange/peerToken";

describe("RelayerPeerCredentials — the fetching gateway's peer tokens", function () {
  const wallet = new Wallet(Wallet.createRandom().privateKey);
  const clinic = "http://127.0.0.1:4001/some/prefix/";
  const er = "http://127.0.0.1:4002";
  let clock: number;
  let signatures: number;
  let credentials: RelayerPeerCredentials;

  beforeEach(function () {
    clock = 1_800_000_000;
    signatures = 0;
    const counting = {
      signMessage: (message: string | Uint8Array) => {
        signatures++;
        return wallet.signMessage(message);
      },
    };
    credentials = new RelayerPeerCredentials(counting, "https://lakeside-er.example/", 60, () => clock);
  });

  function tokenOf(header: string): string {
    expect(header).to.match(/^Bearer /);
    return header.slice("Bearer ".length);
  }

  it("signs a token naming itself as origin, the peer as audience, for the configured lifetime", async function () {
    const claims = verifyPeerToken(tokenOf(await credentials.authorizationFor(clinic)), { audience: clinic, nowSeconds: clock });
    expect(claims).to.deep.equal({
      address: wallet.address,
      origin: "https://lakeside-er.example",
      audience: "http://127.0.0.1:4001",
      issuedAt: clock,
      expiresAt: clock + 60,
    });
  });

  it("reuses a peer's token until half its lifetime is left, then signs a fresh one", async function () {
    const first = await credentials.authorizationFor(clinic);
    clock += 29;
    expect(await credentials.authorizationFor(clinic)).to.equal(first);
    expect(signatures).to.equal(1);
    clock += 1;
    const second = await credentials.authorizationFor(clinic);
    expect(second).to.not.equal(first);
    expect(signatures).to.equal(2);
  });

  it("signs one token per peer, each refused by the other peer", async function () {
    const forClinic = tokenOf(await credentials.authorizationFor(clinic));
    const forEr = tokenOf(await credentials.authorizationFor(er));
    expect(forClinic).to.not.equal(forEr);
    expect(() => verifyPeerToken(forClinic, { audience: er, nowSeconds: clock }))
      .to.throw()
      .with.property("code", "WRONG_AUDIENCE");
  });
});
