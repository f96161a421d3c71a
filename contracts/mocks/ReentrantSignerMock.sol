// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {OwnedAccountMock} from "./OwnedAccountMock.sol";

/**
 * @title ReentrantSignerMock
 * @notice TEST ONLY. A hostile smart account (ERC-1271): each time it is asked to validate a signature, it
 * first calls back into `target` with the state-changing call it was armed with, and it accepts the
 * signature (when its owner signed the hash) only if that re-entry FAILED. A contract that let it re-enter
 * would therefore see its signature refused, so a test whose signed call succeeds proves there was none.
 * @dev `isValidSignature` is deliberately not `view`, so it can attempt the call. Its selector is still
 * ERC-1271's. Callers that ask through STATICCALL (the contracts' `BoundedSignatureChecker`) make every state
 * change in the re-entry revert. The contracts give the check at most 100k gas, so the account checks the
 * signature first and hands the re-entry all the gas it has left but a small reserve for answering.
 */
contract ReentrantSignerMock is OwnedAccountMock {
    /// @dev Gas kept back from the re-entry to answer afterwards; a state change under STATICCALL burns the rest.
    uint256 private constant ANSWER_RESERVE = 5_000;

    /// @dev The contract `isValidSignature` calls back into (zero for none), and the calldata it sends.
    address private _target;
    bytes private _reentry;

    constructor(address owner_) OwnedAccountMock(owner_) {}

    /**
     * @notice Makes every later `isValidSignature` call `target_` with `reentry_` before answering.
     * @param target_ The contract to re-enter (zero disarms).
     * @param reentry_ The calldata to send it.
     */
    function arm(address target_, bytes calldata reentry_) external {
        _target = target_;
        _reentry = reentry_;
    }

    /**
     * @notice ERC-1271: tries the armed re-entry, then answers as a wallet of `owner` would, unless the
     * re-entry went through.
     */
    function isValidSignature(bytes32 hash, bytes calldata signature) external returns (bytes4) {
        bool signed = _signedByOwner(hash, signature);
        address target = _target;
        if (target != address(0)) {
            bytes memory reentry = _reentry;
            // solhint-disable-next-line avoid-low-level-calls
            (bool reentered, ) = target.call{gas: gasleft() - ANSWER_RESERVE}(reentry);
            if (reentered) return bytes4(0xffffffff);
        }
        return signed ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }
}
