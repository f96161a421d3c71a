import { expect } from "chai";
import { ClientError } from "../../lib/client/errors";
import { GatewayError } from "../../lib/client/gatewayClient";
import { CryptoError } from "../../lib/crypto/errors";
import { describeError } from "../../web/src/api";

describe("describeError (every failure in words)", function () {
  it("says an SDK error code in one sentence, without the raw message's addresses and timestamps", function () {
    const raw = "You have no open break-glass window for patient 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 at 1764380000123.";
    const words = describeError(new GatewayError(403, "ACCESS_DENIED", raw));
    expect(words).to.match(/^The gateway refused: you hold no live grant from this patient/);
    expect(words).not.to.match(/0x|\d{10}/);
    expect(describeError(new ClientError("NO_LIVE_GRANT", "x"))).to.match(/no live grant from this patient/);
  });

  it("keeps the message of a code without a sentence of its own, with full addresses shortened", function () {
    expect(
      describeError(new GatewayError(400, "BAD_REQUEST", "grantee 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 is not a provider.")),
    ).to.equal("grantee 0x7099…79C8 is not a provider.");
  });

  it("says a record could not be decrypted, with the crypto code", function () {
    expect(describeError(new CryptoError("WRONG_KEY", "The key does not open this record."))).to.match(
      /^The record could not be decrypted \(WRONG_KEY\)/,
    );
  });

  it("turns the ledger's custom errors from a wallet's own transaction into sentences", function () {
    expect(
      describeError({
        code: "CALL_EXCEPTION",
        revert: { name: "ConsentLedgerNotEmergencyProvider", args: ["0x1"] },
        shortMessage: "execution reverted",
      }),
    ).to.match(/not mark you as emergency-capable/);
    expect(describeError({ code: "CALL_EXCEPTION", revert: { name: "ConsentLedgerEmergencyDisabled", args: ["0x1"] } })).to.match(
      /not turned on emergency access/,
    );
    expect(describeError({ code: "CALL_EXCEPTION", revert: { name: "SomethingNew", args: [1n, "0x2"] } })).to.equal(
      "The ledger refused: SomethingNew(1, 0x2).",
    );
  });

  it("says when the person declined in their wallet or lacks ether", function () {
    expect(describeError({ code: "ACTION_REJECTED" })).to.equal("You declined the request in your wallet.");
    expect(describeError({ code: 4001, message: "User rejected" })).to.equal("You declined the request in your wallet.");
    expect(describeError({ code: "INSUFFICIENT_FUNDS" })).to.match(/no ether/);
  });

  it("names bad JSON as such, and falls back to a short message, then the message", function () {
    let parseError: unknown;
    try {
      JSON.parse("{nope");
    } catch (err) {
      parseError = err;
    }
    expect(describeError(parseError)).to.match(/^That is not valid JSON: /);
    expect(describeError({ shortMessage: "short", message: "long" })).to.equal("short");
    expect(describeError(new Error("plain"))).to.equal("plain");
    expect(describeError("text")).to.equal("text");
  });
});
