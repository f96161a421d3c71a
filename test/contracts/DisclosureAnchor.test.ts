import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployConsentFixture } from "./fixtures";

const ROOT_A = ethers.id("root:a");
const ROOT_B = ethers.id("root:b");
const MAX_UINT64 = 2n ** 64n - 1n;

describe("DisclosureAnchor", () => {
  it("points at the registry", async () => {
    const { anchor, registry } = await loadFixture(deployConsentFixture);
    expect(await anchor.registry()).to.equal(await registry.getAddress());
  });

  it("anchors a gateway's first batch from sequence 0 and records it", async () => {
    const { anchor, gateway } = await loadFixture(deployConsentFixture);
    await expect(anchor.connect(gateway).anchor(0, 9, ROOT_A))
      .to.emit(anchor, "DisclosureRootAnchored")
      .withArgs(gateway.address, 0, 0, 9, ROOT_A);
    const at = await time.latest();
    expect(await anchor.nextSeqOf(gateway.address)).to.equal(10n);
    expect(await anchor.anchorCount(gateway.address)).to.equal(1n);
    const a = await anchor.anchorAt(gateway.address, 0);
    expect([a.fromSeq, a.toSeq, a.anchoredAt, a.merkleRoot]).to.deep.equal([0n, 9n, BigInt(at), ROOT_A]);
  });

  it("accepts contiguous batches, including a batch of a single entry", async () => {
    const { anchor, gateway } = await loadFixture(deployConsentFixture);
    await anchor.connect(gateway).anchor(0, 9, ROOT_A);
    await expect(anchor.connect(gateway).anchor(10, 10, ROOT_B))
      .to.emit(anchor, "DisclosureRootAnchored")
      .withArgs(gateway.address, 1, 10, 10, ROOT_B);
    expect(await anchor.nextSeqOf(gateway.address)).to.equal(11n);
    expect((await anchor.anchorAt(gateway.address, 1)).merkleRoot).to.equal(ROOT_B);
  });

  it("keeps each gateway's sequence separate", async () => {
    const { anchor, registry, gateway, relayer } = await loadFixture(deployConsentFixture);
    await registry.grantRole(await registry.GATEWAY_ROLE(), relayer.address);
    await anchor.connect(gateway).anchor(0, 4, ROOT_A);
    await expect(anchor.connect(relayer).anchor(0, 2, ROOT_B))
      .to.emit(anchor, "DisclosureRootAnchored")
      .withArgs(relayer.address, 0, 0, 2, ROOT_B);
    expect(await anchor.nextSeqOf(gateway.address)).to.equal(5n);
    expect(await anchor.nextSeqOf(relayer.address)).to.equal(3n);
  });

  it("refuses an account without GATEWAY_ROLE", async () => {
    const { anchor, stranger } = await loadFixture(deployConsentFixture);
    await expect(anchor.connect(stranger).anchor(0, 1, ROOT_A))
      .to.be.revertedWithCustomError(anchor, "DisclosureAnchorNotGateway")
      .withArgs(stranger.address);
  });

  it("stops a gateway whose role was revoked", async () => {
    const { anchor, registry, gateway } = await loadFixture(deployConsentFixture);
    await anchor.connect(gateway).anchor(0, 1, ROOT_A);
    await registry.revokeRole(await registry.GATEWAY_ROLE(), gateway.address);
    await expect(anchor.connect(gateway).anchor(2, 3, ROOT_B))
      .to.be.revertedWithCustomError(anchor, "DisclosureAnchorNotGateway")
      .withArgs(gateway.address);
  });

  // Refused ranges: the batch anchored first (if any), the refused one, and the error's arguments for this gateway.
  const NON_CONTIGUOUS = "DisclosureAnchorNonContiguous";
  const INVALID_RANGE = "DisclosureAnchorInvalidRange";
  for (const [what, first, refused, error, args] of [
    ["a gap", [0, 9], [11, 12], NON_CONTIGUOUS, (gw: string) => [gw, 10, 11]],
    ["an overlap", [0, 9], [9, 12], NON_CONTIGUOUS, (gw: string) => [gw, 10, 9]],
    ["a first batch that does not start at 0", null, [1, 2], NON_CONTIGUOUS, (gw: string) => [gw, 0, 1]],
    ["a range that ends before it starts", [0, 4], [5, 4], INVALID_RANGE, () => [5, 4]],
    ["a range ending at the largest uint64", null, [0, MAX_UINT64], INVALID_RANGE, () => [0, MAX_UINT64]],
  ] as const) {
    it(`refuses ${what}`, async () => {
      const { anchor, gateway } = await loadFixture(deployConsentFixture);
      if (first) await anchor.connect(gateway).anchor(first[0], first[1], ROOT_A);
      await expect(anchor.connect(gateway).anchor(refused[0], refused[1], ROOT_B))
        .to.be.revertedWithCustomError(anchor, error)
        .withArgs(...args(gateway.address));
    });
  }

  it("refuses a zero root", async () => {
    const { anchor, gateway } = await loadFixture(deployConsentFixture);
    await expect(anchor.connect(gateway).anchor(0, 1, ethers.ZeroHash)).to.be.revertedWithCustomError(anchor, "DisclosureAnchorEmptyRoot");
  });

  it("refuses an anchor index past the end", async () => {
    const { anchor, gateway } = await loadFixture(deployConsentFixture);
    await anchor.connect(gateway).anchor(0, 1, ROOT_A);
    await expect(anchor.anchorAt(gateway.address, 1))
      .to.be.revertedWithCustomError(anchor, "DisclosureAnchorIndexOutOfBounds")
      .withArgs(gateway.address, 1, 1);
  });
});
