// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/**
 * @title ERC1271GasBurnerMock
 * @notice TEST ONLY. A smart account whose `isValidSignature` spends `burn` gas before answering as a wallet of
 * `owner` would. With a modest `burn` it plays a legitimate but costly wallet (a multisig, a passkey verifier);
 * with `type(uint256).max` it is the hostile "patient" that loops until the call runs out of gas, to make
 * every relayed call cost the relayer whatever gas it is given.
 */
contract ERC1271GasBurnerMock is IERC1271 {
    /// @notice The key holder whose ECDSA signatures this account accepts.
    address public immutable owner;
    /// @notice Gas spent before answering; `type(uint256).max` never answers.
    uint256 public immutable burn;

    constructor(address owner_, uint256 burn_) {
        owner = owner_;
        burn = burn_;
    }

    /**
     * @notice Calls `to` with `data` as this account, for test set-up (e.g. appointing a guardian); bubbles a revert.
     */
    function execute(address to, bytes calldata data) external {
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory returned) = to.call(data);
        if (!ok) {
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                revert(add(returned, 0x20), mload(returned))
            }
        }
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        uint256 start = gasleft();
        uint256 stopAt = start > burn ? start - burn : 0;
        // Hashing keeps the loop from being optimised away; with stopAt 0 it runs until the gas is gone.
        bytes32 spin = hash;
        while (gasleft() > stopAt) spin = keccak256(abi.encode(spin));
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(hash, signature);
        return
            err == ECDSA.RecoverError.NoError && recovered == owner && spin != bytes32(0)
                ? IERC1271.isValidSignature.selector
                : bytes4(0xffffffff);
    }
}
