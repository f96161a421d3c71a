// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IProviderRegistry} from "./IProviderRegistry.sol";

/**
 * @title IDisclosureAnchor
 * @notice Types, events, errors and functions of the anchor of gateways' disclosure logs.
 */
interface IDisclosureAnchor {
    /**
     * @notice One anchored batch of a gateway's disclosure log: entries `fromSeq..toSeq` (inclusive).
     * @dev Two slots: (fromSeq 64 | toSeq 64 | anchoredAt 64) and merkleRoot.
     * @param fromSeq Sequence number of the first entry covered.
     * @param toSeq Sequence number of the last entry covered.
     * @param anchoredAt Unix time of anchoring.
     * @param merkleRoot Merkle root over the entries.
     */
    struct Anchor {
        uint64 fromSeq;
        uint64 toSeq;
        uint64 anchoredAt;
        bytes32 merkleRoot;
    }

    /**
     * @notice `gateway` anchored the Merkle root of its log entries `fromSeq..toSeq`.
     * @param gateway The gateway.
     * @param index Position of this anchor in the gateway's list.
     */
    event DisclosureRootAnchored(
        address indexed gateway,
        uint256 indexed index,
        uint64 fromSeq,
        uint64 toSeq,
        bytes32 merkleRoot
    );

    /// @notice `sender` does not hold the registry's `GATEWAY_ROLE`.
    error DisclosureAnchorNotGateway(address sender);

    /// @notice `gateway`'s next batch must start at `expectedFromSeq`, not `fromSeq`.
    error DisclosureAnchorNonContiguous(address gateway, uint64 expectedFromSeq, uint64 fromSeq);

    /// @notice `toSeq` is below `fromSeq`, or is the largest uint64 (no next sequence number).
    error DisclosureAnchorInvalidRange(uint64 fromSeq, uint64 toSeq);

    /// @notice The Merkle root must not be zero.
    error DisclosureAnchorEmptyRoot();

    /// @notice `index` is not below `gateway`'s anchor count `count`.
    error DisclosureAnchorIndexOutOfBounds(address gateway, uint256 index, uint256 count);

    /**
     * @notice Anchors the Merkle root of the caller's log entries `fromSeq..toSeq` (inclusive).
     * @dev Only accounts with the registry's `GATEWAY_ROLE`. Batches of one gateway are contiguous: the
     * first starts at 0 and each next one at the previous `toSeq + 1`. Gaps and overlaps are not allowed.
     * @param fromSeq Sequence number of the first entry; must equal `nextSeqOf(caller)`.
     * @param toSeq Sequence number of the last entry; at least `fromSeq`.
     * @param merkleRoot Merkle root over the entries; not zero.
     */
    function anchor(uint64 fromSeq, uint64 toSeq, bytes32 merkleRoot) external;

    /// @notice The registry whose `GATEWAY_ROLE` may anchor.
    function registry() external view returns (IProviderRegistry);

    /// @notice The sequence number `gateway`'s next batch must start at.
    function nextSeqOf(address gateway) external view returns (uint64);

    /// @notice How many batches `gateway` anchored.
    function anchorCount(address gateway) external view returns (uint256);

    /// @notice `gateway`'s `index`-th anchored batch.
    function anchorAt(address gateway, uint256 index) external view returns (Anchor memory);
}
