// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IConsentLedger} from "./IConsentLedger.sol";

/**
 * @title IRecordIndex
 * @notice Types, events, errors and functions of the index of records in patients' vaults.
 */
interface IRecordIndex {
    /**
     * @notice An indexed record, keyed by the keccak256 of its CID string.
     * @dev One slot (160 + 8 + 64 bits). `patient` is zero for an unknown CID.
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
     * @param cid The IPFS CID of the record's ciphertext.
     */
    event RecordAdded(
        address indexed patient,
        bytes32 indexed recordId,
        address indexed author,
        uint8 category,
        string cid
    );

    /// @notice `sender` may not add records of `category` to `patient`'s vault.
    error RecordIndexNotAuthorized(address patient, address sender, uint8 category);

    /// @notice `category` is above `ConsentCodes.MAX_CATEGORY`.
    error RecordIndexInvalidCategory(uint8 category);

    /// @notice A CID must be 1 to `maxLength` bytes long; `length` is not.
    error RecordIndexInvalidCid(uint256 length, uint256 maxLength);

    /// @notice A record with this CID (hash `cidHash`) is already indexed.
    error RecordIndexDuplicate(bytes32 cidHash);

    /// @notice The signature's `deadline` has passed.
    error RecordIndexExpiredSignature(uint256 deadline);

    /// @notice The signature is not by `author` (or its nonce was already used).
    error RecordIndexInvalidSigner(address author);

    /**
     * @notice Adds a record to `patient`'s vault.
     * @dev Allowed for the patient, the patient's guardian, and providers with `hasWriteAccess` for
     * `category` in the consent ledger. Not allowed: an unknown category, an empty CID or one longer than
     * 128 bytes, a CID already indexed.
     * @param patient The patient.
     * @param recordId The client's identifier of the record.
     * @param cid The IPFS CID of the record's ciphertext.
     * @param category The record's category.
     */
    function addRecord(address patient, bytes32 recordId, string calldata cid, uint8 category) external;

    /**
     * @notice Same as {addRecord}, relayed by anyone, authorised by `author`'s EIP-712 signature over
     * `AddRecord(address patient,address author,bytes32 recordId,string cid,uint8 category,uint256 nonce,
     * uint256 deadline)` (domain "RecordIndex", "1"; `cid` hashed as keccak256(bytes(cid)); nonce =
     * `nonces(author)`). `author` must be allowed as for {addRecord}.
     * @param patient The patient.
     * @param author The signer: the patient, the guardian, or a provider with write access.
     * @param recordId The client's identifier of the record.
     * @param cid The IPFS CID of the record's ciphertext.
     * @param category The record's category.
     * @param deadline Last second at which the signature may be used.
     * @param signature `author`'s signature (ECDSA, or ERC-1271 for smart accounts).
     */
    function addRecordBySig(
        address patient,
        address author,
        bytes32 recordId,
        string calldata cid,
        uint8 category,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice The consent ledger consulted for authorisation.
    function ledger() external view returns (IConsentLedger);

    /// @notice The record whose CID hashes (keccak256) to `cidHash` (patient zero if unknown).
    function recordOf(bytes32 cidHash) external view returns (Record memory);

    /// @notice The record with CID `cid` (patient zero if unknown).
    function recordOfCid(string calldata cid) external view returns (Record memory);

    /// @notice The EIP-712 domain separator (name "RecordIndex", version "1").
    function DOMAIN_SEPARATOR() external view returns (bytes32);
}
