// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IConsentLedger} from "../interfaces/IConsentLedger.sol";

/**
 * @title AccessProbe
 * @notice TEST ONLY. Reads `hasAccess` and `hasWriteAccess` for categories 0..15 in one call, so the
 * property tests can compare a whole (patient, grantee) pair against their model with one request.
 */
contract AccessProbe {
    /// @notice Bit `c` of `read` is `hasAccess(patient, grantee, c)`; likewise `write` for `hasWriteAccess`.
    function masks(
        IConsentLedger ledger,
        address patient,
        address grantee
    ) external view returns (uint16 read, uint16 write) {
        for (uint8 c = 0; c < 16; ++c) {
            if (ledger.hasAccess(patient, grantee, c)) read |= uint16(1) << c;
            if (ledger.hasWriteAccess(patient, grantee, c)) write |= uint16(1) << c;
        }
    }
}
