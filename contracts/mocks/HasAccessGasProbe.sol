// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IConsentLedger} from "../interfaces/IConsentLedger.sol";

/**
 * @title HasAccessGasProbe
 * @notice TEST ONLY. Measures the gas `ConsentLedger.hasAccess` executes, first with every account and slot
 * it touches cold, then again warm, within one call.
 * @dev The ledger account is warmed first, so the cold figure is what a gateway pays when it calls the
 * ledger directly (the ledger is then the transaction's `to`, hence warm): the registry account, the
 * registry's provider slot and the ledger's patient and grant slots are cold. Each figure is the gas the
 * STATICCALL consumed minus the same STATICCALL to a warm account without code, so only the ledger's own
 * execution (including the registry call it makes) is left.
 */
contract HasAccessGasProbe {
    /// @dev A codeless account: calling it costs exactly the call's own overhead.
    address private constant EMPTY = address(0xdead);

    /**
     * @notice Returns `hasAccess(patient, grantee, category)` and the execution gas it took cold and warm.
     */
    function measure(
        IConsentLedger ledger,
        address patient,
        address grantee,
        uint8 category
    ) external view returns (bool granted, uint256 cold, uint256 warm) {
        bytes memory data = abi.encodeCall(IConsentLedger.hasAccess, (patient, grantee, category));
        address target = address(ledger);
        // Warm the ledger account without running its code or touching its storage (a used EXTCODESIZE,
        // which the optimizer cannot drop), and the empty account by calling it once before measuring it.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            if iszero(extcodesize(target)) {
                revert(0, 0)
            }
        }
        _gasOfCall(EMPTY, data);
        (uint256 overhead, ) = _gasOfCall(EMPTY, data);
        uint256 result;
        (cold, result) = _gasOfCall(target, data);
        (warm, ) = _gasOfCall(target, data);
        return (result != 0, cold - overhead, warm - overhead);
    }

    /// @dev Gas consumed across one STATICCALL of `data` to `target`, and the first word it returned.
    function _gasOfCall(address target, bytes memory data) private view returns (uint256 used, uint256 word) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, 0)
            let before := gas()
            let ok := staticcall(gas(), target, add(data, 0x20), mload(data), 0x00, 0x20)
            used := sub(before, gas())
            if iszero(ok) {
                revert(0, 0)
            }
            word := mload(0x00)
        }
    }
}
