// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {IRecordIndex} from "./interfaces/IRecordIndex.sol";
import {IConsentLedger} from "./interfaces/IConsentLedger.sol";
import {ConsentCodes} from "./libraries/ConsentCodes.sol";

/**
 * @title RecordIndex
 * @notice Announces records added to patients' vaults, so that history from many providers gathers in
 * one place. The record bytes live encrypted on IPFS; this contract keeps who, what category and when.
 * @dev Authorisation is read from the consent ledger: the patient, the patient's guardian, or a provider
 * with write access to the category. Each CID is indexed once.
 */
contract RecordIndex is IRecordIndex, EIP712, Nonces {
    using ConsentCodes for uint8;

    bytes32 private constant ADD_RECORD_TYPEHASH = keccak256(
        "AddRecord(address patient,address author,bytes32 recordId,string cid,uint8 category,uint256 nonce,uint256 deadline)"
    );

    /// @notice Longest CID accepted, in bytes.
    uint256 public constant MAX_CID_LENGTH = 128;

    IConsentLedger private immutable _ledger;

    mapping(bytes32 cidHash => Record) private _records;

    /**
     * @param ledger_ The consent ledger that says who may write to a patient's vault.
     */
    constructor(IConsentLedger ledger_) EIP712("RecordIndex", "1") {
        _ledger = ledger_;
    }

    /// @inheritdoc IRecordIndex
    function addRecord(address patient, bytes32 recordId, string calldata cid, uint8 category) external {
        bytes32 cidHash = _checkRecord(patient, msg.sender, cid, category);
        _addRecord(patient, msg.sender, recordId, cid, cidHash, category);
    }

    /// @inheritdoc IRecordIndex
    function addRecordBySig(
        address patient,
        address author,
        bytes32 recordId,
        string calldata cid,
        uint8 category,
        uint256 deadline,
        bytes calldata signature
    ) external {
        if (block.timestamp > deadline) revert RecordIndexExpiredSignature(deadline);
        bytes32 structHash = keccak256(
            abi.encode(
                ADD_RECORD_TYPEHASH,
                patient,
                author,
                recordId,
                keccak256(bytes(cid)),
                category,
                _useNonce(author),
                deadline
            )
        );
        if (!SignatureChecker.isValidSignatureNowCalldata(author, _hashTypedDataV4(structHash), signature)) {
            revert RecordIndexInvalidSigner(author);
        }
        bytes32 cidHash = _checkRecord(patient, author, cid, category);
        _addRecord(patient, author, recordId, cid, cidHash, category);
    }

    /// @inheritdoc IRecordIndex
    function ledger() external view returns (IConsentLedger) {
        return _ledger;
    }

    /// @inheritdoc IRecordIndex
    function recordOf(bytes32 cidHash) external view returns (Record memory) {
        return _records[cidHash];
    }

    /// @inheritdoc IRecordIndex
    function recordOfCid(string calldata cid) external view returns (Record memory) {
        return _records[keccak256(bytes(cid))];
    }

    /// @inheritdoc IRecordIndex
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /**
     * @dev Reverts unless `author` may add a record of `category` with `cid` to `patient`'s vault; returns
     * the CID's hash. The ledger is asked only when the author is not the patient.
     */
    function _checkRecord(
        address patient,
        address author,
        string calldata cid,
        uint8 category
    ) internal view returns (bytes32 cidHash) {
        if (!category.isValidCategory()) revert RecordIndexInvalidCategory(category);
        uint256 length = bytes(cid).length;
        if (length == 0 || length > MAX_CID_LENGTH) revert RecordIndexInvalidCid(length, MAX_CID_LENGTH);
        cidHash = keccak256(bytes(cid));
        if (_records[cidHash].patient != address(0)) revert RecordIndexDuplicate(cidHash);
        if (!_isAuthorized(patient, author, category)) revert RecordIndexNotAuthorized(patient, author, category);
    }

    /// @dev The patient, the patient's guardian, or a provider with write access to `category`.
    function _isAuthorized(address patient, address author, uint8 category) internal view returns (bool) {
        if (patient == address(0)) return false;
        if (author == patient) return true;
        if (_ledger.guardianOf(patient) == author) return true;
        return _ledger.hasWriteAccess(patient, author, category);
    }

    /// @dev Indexes the record and announces it.
    function _addRecord(
        address patient,
        address author,
        bytes32 recordId,
        string calldata cid,
        bytes32 cidHash,
        uint8 category
    ) internal {
        _records[cidHash] = Record({patient: patient, category: category, addedAt: uint64(block.timestamp)});
        emit RecordAdded(patient, recordId, author, category, cid);
    }
}
