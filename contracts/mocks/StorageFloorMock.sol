// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IConsentLedger} from "../interfaces/IConsentLedger.sol";

/**
 * @title StorageFloorMock
 * @notice BENCH ONLY (`bench/gas.ts`). The least any contract can spend to record a grant and to answer for
 * one, so the ledger's gas figures can be read as a ratio to a floor measured on the same chain, compiler
 * and settings, in the same run.
 * @dev {write} takes exactly `ConsentLedger.grant`'s arguments (so the calldata, hence its gas, is the
 * same for the same values) and does only what a grant cannot avoid: ONE SSTORE of a fresh (zero) 32-byte
 * slot keyed by (sender, grantee), and ONE `AccessGranted` event, the ledger's own (emitted through its interface; LOG4:
 * signature + patient, grantee, actor indexed; scope, purpose, expiresAt, keyBundle as 4 data words =
 * 128 bytes). No checks, no registry call, no epoch read. With the 21,000 intrinsic gas and the calldata,
 * that is the storage-bound floor of a new grant (about 48.5k gas).
 *
 * {hasAccess} has `ConsentLedger.hasAccess`'s signature and does only what an answer cannot avoid: ONE
 * SLOAD of the (patient, grantee) slot. `HasAccessGasProbe` measures it exactly like the ledger's.
 */
contract StorageFloorMock {
    mapping(address patient => mapping(address grantee => uint256)) private _slots;

    /**
     * @notice One fresh SSTORE plus the ledger's own `AccessGranted` event; nothing else.
     * @dev Only the first call per (sender, grantee) is a fresh write; the bench calls it once per pair.
     * @param grantee Second key of the slot (and an indexed topic).
     * @param scope Packed into the slot and logged.
     * @param purpose Packed into the slot and logged.
     * @param expiresAt Packed into the slot and logged.
     * @param keyBundle Logged only, as the ledger does.
     */
    function write(address grantee, uint32 scope, uint8 purpose, uint64 expiresAt, bytes32 keyBundle) external {
        _slots[msg.sender][grantee] = (uint256(expiresAt) << 64) | (uint256(scope) << 8) | purpose;
        emit IConsentLedger.AccessGranted(msg.sender, grantee, scope, purpose, expiresAt, keyBundle, msg.sender);
    }

    /**
     * @notice One SLOAD of the (patient, grantee) slot; `category` is ignored.
     * @param patient First key of the slot.
     * @param grantee Second key of the slot.
     * @return Whether the slot is non-zero.
     */
    function hasAccess(address patient, address grantee, uint8) external view returns (bool) {
        return _slots[patient][grantee] != 0;
    }
}
