import { expect } from "chai";
import { timeLeft } from "../../web/src/components/timeLeft";
import { grantStatus } from "../../web/src/components/grantStatus";

describe("timeLeft (grant and break-glass countdowns)", function () {
  const now = 1_800_000_000;

  it("says expired at the very second of expiry and after it", function () {
    expect(timeLeft(now, now)).to.equal("expired");
    expect(timeLeft(now - 1, now)).to.equal("expired");
  });

  it("rounds a part minute up, so one second left reads as 1 min", function () {
    expect(timeLeft(now + 1, now)).to.equal("1 min left");
    expect(timeLeft(now + 60, now)).to.equal("1 min left");
    expect(timeLeft(now + 61, now)).to.equal("2 min left");
  });

  it("never shows 60 minutes: a part minute before the hour carries into the hours", function () {
    expect(timeLeft(now + 3599, now)).to.equal("1 h left");
    expect(timeLeft(now + 86_399, now)).to.equal("1 d 0 h left");
    expect(timeLeft(now + 23 * 3600 + 59 * 60 + 30, now)).to.equal("1 d 0 h left");
  });

  it("shows hours and minutes under a day, days and hours beyond", function () {
    expect(timeLeft(now + 3 * 3600 + 5 * 60, now)).to.equal("3 h 5 min left");
    expect(timeLeft(now + 2 * 86_400 + 4 * 3600, now)).to.equal("2 d 4 h left");
  });
});

describe("grantStatus (what a grant's state means to a person)", function () {
  const now = 1_800_000_000;

  it("counts down a live grant", function () {
    expect(grantStatus({ live: true, expiresAt: now + 900 }, now)).to.equal("15 min left");
  });

  it("calls a cleared grant slot revoked", function () {
    expect(grantStatus({ live: false, expiresAt: 0 }, now)).to.equal("revoked");
  });

  it("calls a grant past its expiry expired", function () {
    expect(grantStatus({ live: false, expiresAt: now }, now)).to.equal("expired");
  });

  it("explains an unexpired grant that is not live (revoke-everything or a deactivated provider)", function () {
    expect(grantStatus({ live: false, expiresAt: now + 60 }, now)).to.match(/^ended early/);
  });

  it("says why a grant ended when the list names its state", function () {
    expect(grantStatus({ live: false, expiresAt: now + 60, state: "revoked" }, now)).to.equal("revoked");
    expect(grantStatus({ live: false, expiresAt: now + 60, state: "revoked-all" }, now)).to.equal("ended: all access revoked");
    expect(grantStatus({ live: false, expiresAt: now + 60, state: "provider-inactive" }, now)).to.match(/deactivated/);
  });
});
