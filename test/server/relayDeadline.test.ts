import { expect } from "chai";
import { ApiError } from "../../server/errors";
import { AccessService, MAX_RELAY_DEADLINE_SECONDS } from "../../server/services/access/accessService";
import type { RecordHeaders } from "../../server/services/access/recordHeaders";
import type { ChainService, Head } from "../../server/services/chain";

const POLLED: Head = { number: 100, hash: "0x" + "aa".repeat(32), timestamp: 1_800_000_000 };
/** Two hours of chain time later (a dev chain moved forward, or a client reading a node ahead of the gateway's poll). */
const NOW: Head = { number: 7300, hash: "0x" + "bb".repeat(32), timestamp: POLLED.timestamp + 7200 };

/** A chain whose polled head is behind the head read now, as for up to HEAD_MAX_AGE_MS after blocks are mined. */
function chainBehindByTwoHours(): ChainService {
  return {
    currentHead: async () => POLLED,
    newerHead: async (than: Head) => (NOW.number > than.number ? NOW : undefined),
  } as unknown as ChainService;
}

describe("AccessService.checkDeadline (how far ahead a relayed signature may run)", function () {
  const access = new AccessService(chainBehindByTwoHours(), {} as RecordHeaders);

  it("accepts a deadline signed against a head newer than the polled one", async function () {
    await access.checkDeadline(NOW.timestamp + 600);
  });

  it("refuses, with BAD_REQUEST on body.deadline, a deadline more than an hour past the newest head", async function () {
    const refused = await access.checkDeadline(NOW.timestamp + MAX_RELAY_DEADLINE_SECONDS + 1).then(
      () => expect.fail("a deadline too far ahead was accepted"),
      (err: unknown) => err,
    );
    expect(refused).to.be.instanceOf(ApiError);
    expect([(refused as ApiError).code, (refused as ApiError).details]).to.deep.equal(["BAD_REQUEST", { field: "body.deadline" }]);
  });
});
