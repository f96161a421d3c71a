// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {IRecordIndex} from "./interfaces/IRecordIndex.sol";
import {IConsentLedger} from "./interfaces/IConsentLedger.sol";
import {BoundedSignatureChecker} from "./libraries/BoundedSignatureChecker.sol";
import {CanonicalCid} from "./libraries/CanonicalCid.sol";
import {ConsentCodes} from "./libraries/ConsentCodes.sol";

/**
 * @title RecordIndex
 * @notice Announces records added to patients' vaults, so that history from many providers gathers in
 * one place. The record bytes live encrypted on IPFS; this contract keeps who, what category and when.
 * @dev Authorisation is read from the consent ledger: the patient, the patient's guardian, or a provider
 * with write access to the category. Content is named by its canonical binary CID and indexed once per
 * patient by its sha2-256 digest, so nobody can take or block the slot of another patient's content by
 * announcing it first. Signed announcements follow the ledger's rules: deadline at most
 * {MAX_SIGNATURE_LIFETIME} ahead, ERC-1271 authors answer within {ERC1271_GAS_LIMIT} gas.
 */
contract RecordIndex is IRecordIndex, EIP712, Nonces {
    using ConsentCodes for uint8;

    bytes32 private constant ADD_RECORD_TYPEHASH = keccak256(
        "AddRecord(address patient,address author,bytes32 recordId,bytes cid,uint8 category,uint256 nonce,uint256 deadline)"
    );

    /// @inheritdoc IRecordIndex
    uint256 public constant ERC1271_GAS_LIMIT = 100_000;
    /// @inheritdoc IRecordIndex
    uint256 public constant MAX_SIGNATURE_LIFETIME = 1 days;

    IConsentLedger private immutable _ledger;

    mapping(address patient => mapping(bytes32 digest => Record)) private _records;

    /**
     * @param ledger_ The consent ledger that says who may write to a patient's vault.
     */
    constructor(IConsentLedger ledger_) EIP712("RecordIndex", "1") {
        _ledger = ledger_;
    }

    /// @inheritdoc IRecordIndex
    function addRecord(address patient, bytes32 recordId, bytes calldata cid, uint8 category) external {
        bytes32 digest = _checkRecord(patient, msg.sender, cid, category);
        _addRecord(patient, msg.sender, recordId, cid, digest, category);
    }

    /// @inheritdoc IRecordIndex
    function addRecordBySig(
        address patient,
        address author,
        bytes32 recordId,
        bytes calldata cid,
        uint8 category,
        uint256 deadline,
        bytes calldata signature
    ) external {
        _checkDeadline(deadline);
        bytes32 structHash = keccak256(
            abi.encode(
                ADD_RECORD_TYPEHASH,
                patient,
                author,
                recordId,
                keccak256(cid),
                category,
                _useNonce(author),
                deadline
            )
        );
        if (
            !BoundedSignatureChecker.isValidSignatureNowCalldata(
                author,
                _hashTypedDataV4(structHash),
                signature,
                ERC1271_GAS_LIMIT
            )
        ) {
            revert RecordIndexInvalidSigner(author);
        }
        bytes32 digest = _checkRecord(patient, author, cid, category);
        _addRecord(patient, author, recordId, cid, digest, category);
    }

    /// @inheritdoc IRecordIndex
    function ledger() external view returns (IConsentLedger) {
        return _ledger;
    }

    /// @inheritdoc IRecordIndex
    function recordOf(address patient, bytes32 digest) external view returns (Record memory) {
        return _records[patient][digest];
    }

    /// @inheritdoc IRecordIndex
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @dev Reverts if `deadline` has passed or lies more than MAX_SIGNATURE_LIFETIME ahead.
    function _checkDeadline(uint256 deadline) internal view {
        if (block.timestamp > deadline) revert RecordIndexExpiredSignature(deadline);
        uint256 latest = block.timestamp + MAX_SIGNATURE_LIFETIME;
        if (deadline > latest) revert RecordIndexDeadlineTooFar(deadline, latest);
    }

    /**
     * @dev Reverts unless `author` may add a record of `category` with `cid` to `patient`'s vault; returns
     * the digest the CID names. The ledger is asked only when the author is not the patient.
     */
    function _checkRecord(
        address patient,
        address author,
        bytes calldata cid,
        uint8 category
    ) internal view returns (bytes32 digest) {
        if (!category.isValidCategory()) revert RecordIndexInvalidCategory(category);
        bool valid;
        (valid, digest) = CanonicalCid.digestOf(cid);
        if (!valid) revert RecordIndexInvalidCid(cid);
        if (_records[patient][digest].patient != address(0)) revert RecordIndexDuplicate(patient, digest);
        if (!_isAuthorized(patient, author, category)) revert RecordIndexNotAuthorized(patient, author, category);
    }

    /// @dev The patient, the patient's guardian, or a provider with write access to `category`.
    function _isAuthorized(address patient, address author, uint8 category) internal view returns (bool) {
        if (patient == address(0)) return false;
        if (author == patient) return true;
        if (_ledger.guardianOf(patient) == author) return true;
        return _ledger.hasWriteAccess(patient, author, category);
    }

    /// @dev Indexes the record in `patient`'s vault and announces it.
    function _addRecord(
        address patient,
        address author,
        bytes32 recordId,
        bytes calldata cid,
        bytes32 digest,
        uint8 category
    ) internal {
        _records[patient][digest] = Record({patient: patient, category: category, addedAt: uint64(block.timestamp)});
        emit RecordAdded(patient, recordId, author, category, cid);
    }
}
