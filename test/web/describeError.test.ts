import { expect } from "chai";
import { GatewayError } from "../../lib/client/gatewayClient";
import { CryptoError } from "../../lib/crypto/errors";
import { describeError } from "../../web/src/api";

describe("describeError (every failure in words)", function () {
  it("keeps the gateway's message", function () {
    expect(describeError(new GatewayError(403, "ACCESS_DENIED", "You hold no live grant from patient 0x1."))).to.equal(
      "You hold no live grant from patient 0x1.",
    );
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
