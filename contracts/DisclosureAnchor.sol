// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IDisclosureAnchor} from "./interfaces/IDisclosureAnchor.sol";
import {IProviderRegistry} from "./interfaces/IProviderRegistry.sol";

/**
 * @title DisclosureAnchor
 * @notice Gateways post the Merkle roots of their append-only, hash-chained disclosure logs here, so an
 * auditor can prove that a log shown later is the one that existed then.
 * @dev Per gateway, anchored ranges are contiguous from sequence number 0. Gateways are the accounts that
 * hold `GATEWAY_ROLE` in the provider registry, checked at each call.
 */
contract DisclosureAnchor is IDisclosureAnchor {
    IProviderRegistry private immutable _registry;
    bytes32 private immutable _gatewayRole;

    mapping(address gateway => uint64) private _nextSeq;
    mapping(address gateway => Anchor[]) private _anchors;

    /**
     * @param registry_ The registry whose `GATEWAY_ROLE` holders may anchor.
     */
    constructor(IProviderRegistry registry_) {
        _registry = registry_;
        _gatewayRole = registry_.GATEWAY_ROLE();
    }

    /// @inheritdoc IDisclosureAnchor
    function anchor(uint64 fromSeq, uint64 toSeq, bytes32 merkleRoot) external {
        if (!_registry.hasRole(_gatewayRole, msg.sender)) revert DisclosureAnchorNotGateway(msg.sender);
        uint64 expected = _nextSeq[msg.sender];
        if (fromSeq != expected) revert DisclosureAnchorNonContiguous(msg.sender, expected, fromSeq);
        if (toSeq < fromSeq || toSeq == type(uint64).max) revert DisclosureAnchorInvalidRange(fromSeq, toSeq);
        if (merkleRoot == bytes32(0)) revert DisclosureAnchorEmptyRoot();
        _anchor(msg.sender, fromSeq, toSeq, merkleRoot);
    }

    /// @inheritdoc IDisclosureAnchor
    function registry() external view returns (IProviderRegistry) {
        return _registry;
    }

    /// @inheritdoc IDisclosureAnchor
    function nextSeqOf(address gateway) external view returns (uint64) {
        return _nextSeq[gateway];
    }

    /// @inheritdoc IDisclosureAnchor
    function anchorCount(address gateway) external view returns (uint256) {
        return _anchors[gateway].length;
    }

    /// @inheritdoc IDisclosureAnchor
    function anchorAt(address gateway, uint256 index) external view returns (Anchor memory) {
        uint256 count = _anchors[gateway].length;
        if (index >= count) revert DisclosureAnchorIndexOutOfBounds(gateway, index, count);
        return _anchors[gateway][index];
    }

    /// @dev Appends the batch to `gateway`'s list and moves its next sequence number past it.
    function _anchor(address gateway, uint64 fromSeq, uint64 toSeq, bytes32 merkleRoot) internal {
        uint256 index = _anchors[gateway].length;
        _anchors[gateway].push(
            Anchor({fromSeq: fromSeq, toSeq: toSeq, anchoredAt: uint64(block.timestamp), merkleRoot: merkleRoot})
        );
        _nextSeq[gateway] = toSeq + 1;
        emit DisclosureRootAnchored(gateway, index, fromSeq, toSeq, merkleRoot);
    }
}
