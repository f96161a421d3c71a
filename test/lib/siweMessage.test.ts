import { expect } from "chai";
import { Wallet } from "ethers";
import { SiweMessage } from "siwe";
import { formatSiweMessage } from "../../lib/client/siweMessage";

describe("formatSiweMessage (the browser's EIP-4361 formatter)", function () {
  const fields = {
    domain: "127.0.0.1:8787",
    address: Wallet.createRandom().address.toLowerCase(),
    statement: "Sign in to the Consent Ledger gateway. This does not grant anyone access to your records.",
    uri: "http://127.0.0.1:8787",
    chainId: 31337,
    nonce: "a1b2c3d4e5f6a7b8c9d0e1f2",
    issuedAt: "2026-11-25T15:00:00.000Z",
  };

  it("produces a message the siwe package parses field for field, with a checksummed address", function () {
    const parsed = new SiweMessage(formatSiweMessage(fields));
    expect(parsed.domain).to.equal(fields.domain);
    expect(parsed.address.toLowerCase()).to.equal(fields.address);
    expect(parsed.address).to.not.equal(fields.address, "EIP-55 checksum applied");
    expect([parsed.statement, parsed.uri, parsed.version, parsed.chainId, parsed.nonce, parsed.issuedAt]).to.deep.equal([
      fields.statement,
      fields.uri,
      "1",
      fields.chainId,
      fields.nonce,
      fields.issuedAt,
    ]);
    expect(parsed.prepareMessage()).to.equal(formatSiweMessage(fields));
  });

  it("carries an expiration time when given one", function () {
    const parsed = new SiweMessage(formatSiweMessage({ ...fields, expirationTime: "2026-11-25T16:00:00.000Z" }));
    expect(parsed.expirationTime).to.equal("2026-11-25T16:00:00.000Z");
  });
});
