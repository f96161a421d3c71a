// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IConsentLedger} from "./IConsentLedger.sol";

/**
 * @title IRecordIndex
 * @notice Types, events, errors and functions of the index of records in patients' vaults.
 * @dev Content is named by its binary CIDv1 (36 bytes, raw or dag-pb, sha2-256; see `CanonicalCid`) and
 * records are keyed per patient by the CID's sha2-256 digest: the same content may sit in two patients'
 * vaults, and a patient's vault holds it once. Announcing someone else's CID in one's own vault takes
 * nothing from them (the gateway decides whose content it is from the envelope header).
 */
interface IRecordIndex {
    /**
     * @notice An indexed record of one patient.
     * @dev One slot (160 + 8 + 64 bits). `patient` is zero for a digest not in that patient's vault.
     * @param patient The patient whose vault holds the record.
     * @param category The record's category (see `ConsentCodes`).
     * @param addedAt Unix time at which it was added.
     */
    struct Record {
        address patient;
        uint8 category;
        uint64 addedAt;
    }

    /**
     * @notice `author` added a record to `patient`'s vault.
     * @param patient The patient.
     * @param recordId The client's identifier of the record (stable across re-encryptions).
     * @param author The patient, their guardian, or a provider with write access.
     * @param category The record's category.
     * @param cid The binary CIDv1 (36 bytes) of the record's ciphertext.
     */
    event RecordAdded(
        address indexed patient,
        bytes32 indexed recordId,
        address indexed author,
        uint8 category,
        bytes cid
    );

    /// @notice `sender` may not add records of `category` to `patient`'s vault.
    error RecordIndexNotAuthorized(address patient, address sender, uint8 category);

    /// @notice `category` is above `ConsentCodes.MAX_CATEGORY`.
    error RecordIndexInvalidCategory(uint8 category);

    /// @notice `cid` is not a canonical binary CIDv1 (36 bytes, codec raw or dag-pb, sha2-256).
    error RecordIndexInvalidCid(bytes cid);

    /// @notice `patient`'s vault already holds content with this sha2-256 `digest`.
    error RecordIndexDuplicate(address patient, bytes32 digest);

    /// @notice The signature's `deadline` has passed.
    error RecordIndexExpiredSignature(uint256 deadline);

    /// @notice The signature's `deadline` is later than `latest`, the block time plus MAX_SIGNATURE_LIFETIME.
    error RecordIndexDeadlineTooFar(uint256 deadline, uint256 latest);

    /**
     * @notice The signature is not by `author`, its nonce was already used, or a smart-account author needed
     * more than ERC1271_GAS_LIMIT gas.
     */
    error RecordIndexInvalidSigner(address author);

    /**
     * @notice Adds a record to `patient`'s vault.
     * @dev Allowed for the patient, the patient's guardian, and providers with `hasWriteAccess` for
     * `category` in the consent ledger. Not allowed: an unknown category, a CID that is not canonical, content
     * (by digest) already in this patient's vault.
     * @param patient The patient.
     * @param recordId The client's identifier of the record.
     * @param cid The binary CIDv1 of the record's ciphertext (36 bytes).
     * @param category The record's category.
     */
    function addRecord(address patient, bytes32 recordId, bytes calldata cid, uint8 category) external;

    /**
     * @notice Same as {addRecord}, relayed by anyone, authorised by `author`'s EIP-712 signature over
     * `AddRecord(address patient,address author,bytes32 recordId,bytes cid,uint8 category,uint256 nonce,
     * uint256 deadline)` (domain "RecordIndex", "1"; `cid` hashed as keccak256(cid) as EIP-712 does for
     * `bytes`; nonce = `nonces(author)`). `author` must be allowed as for {addRecord}.
     * @param patient The patient.
     * @param author The signer: the patient, the guardian, or a provider with write access.
     * @param recordId The client's identifier of the record.
     * @param cid The binary CIDv1 of the record's ciphertext (36 bytes).
     * @param category The record's category.
     * @param deadline Last second at which the signature may be used; at most MAX_SIGNATURE_LIFETIME ahead.
     * @param signature `author`'s signature (ECDSA, or ERC-1271 within ERC1271_GAS_LIMIT gas).
     */
    function addRecordBySig(
        address patient,
        address author,
        bytes32 recordId,
        bytes calldata cid,
        uint8 category,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice The consent ledger consulted for authorisation.
    function ledger() external view returns (IConsentLedger);

    /// @notice `patient`'s record of the content with sha2-256 `digest` (patient zero if not in that vault).
    function recordOf(address patient, bytes32 digest) external view returns (Record memory);

    /// @notice The EIP-712 domain separator (name "RecordIndex", version "1").
    function DOMAIN_SEPARATOR() external view returns (bytes32);

    /// @notice Most gas an ERC-1271 author's `isValidSignature` may use; a wallet that needs more is refused.
    function ERC1271_GAS_LIMIT() external view returns (uint256);

    /// @notice Longest a signature may stay usable: its deadline is at most this many seconds after the block.
    function MAX_SIGNATURE_LIFETIME() external view returns (uint256);
}
