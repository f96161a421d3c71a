// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {OwnedAccountMock} from "./OwnedAccountMock.sol";

/**
 * @title ERC1271GasBurnerMock
 * @notice TEST ONLY. A smart account whose `isValidSignature` spends `burn` gas before answering as a wallet of
 * `owner` would. With a modest `burn` it plays a legitimate but costly wallet (a multisig, a passkey verifier);
 * with `type(uint256).max` it is the hostile "patient" that loops until the call runs out of gas, to make
 * every relayed call cost the relayer whatever gas it is given.
 */
contract ERC1271GasBurnerMock is IERC1271, OwnedAccountMock {
    /// @notice Gas spent before answering; `type(uint256).max` never answers.
    uint256 public immutable burn;

    constructor(address owner_, uint256 burn_) OwnedAccountMock(owner_) {
        burn = burn_;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        uint256 start = gasleft();
        uint256 stopAt = start > burn ? start - burn : 0;
        // Hashing keeps the loop from being optimised away; with stopAt 0 it runs until the gas is gone.
        bytes32 spin = hash;
        while (gasleft() > stopAt) spin = keccak256(abi.encode(spin));
        return
            _signedByOwner(hash, signature) && spin != bytes32(0)
                ? IERC1271.isValidSignature.selector
                : bytes4(0xffffffff);
    }
}
