// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/**
 * @title OwnedAccountMock
 * @notice TEST ONLY. What the test smart accounts that act on the contracts have in common: a key holder whose
 * ECDSA signatures the account accepts, and an `execute` through which tests act as the account.
 * @dev Adds no function beyond `owner` and `execute`, so each account's ABI stays what its tests expect.
 */
abstract contract OwnedAccountMock {
    /// @notice The key holder whose ECDSA signatures this account accepts.
    address public immutable owner;

    constructor(address owner_) {
        owner = owner_;
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

    /// @dev Whether `signature` is a valid (low-s) ECDSA signature of `hash` by `owner`.
    function _signedByOwner(bytes32 hash, bytes calldata signature) internal view returns (bool) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(hash, signature);
        return err == ECDSA.RecoverError.NoError && recovered == owner;
    }
}
