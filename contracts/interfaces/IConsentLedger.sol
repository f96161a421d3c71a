// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IProviderRegistry} from "./IProviderRegistry.sol";

/**
 * @title IConsentLedger
 * @notice Types, events, errors and functions of the patient-owned consent ledger.
 * @dev Category, scope and purpose numbering: see `ConsentCodes`.
 *
 * A `keyBundle` is the sha2-256 digest of the key bundle that the patient's client put on IPFS as a
 * single raw block; its CID is CIDv1 with codec `raw` (0x55) and multihash sha2-256 (0x12, 32 bytes)
 * over exactly that digest, so clients rebuild the CID from these 32 bytes. Zero means "no bundle".
 *
 * Every signed variant (`*BySig`) takes a `deadline` no later than {MAX_SIGNATURE_LIFETIME} after the block
 * it lands in, and an ERC-1271 (smart-account) signer gets at most {ERC1271_GAS_LIMIT} gas to answer.
 */
interface IConsentLedger {
    // ------------------------------------------------------------------ types

    /**
     * @notice A patient's grant to one grantee.
     * @dev Packed in ONE storage slot (64 + 32 + 8 + 32 + 32 = 168 bits), so {hasAccess} reads it with a
     * single SLOAD and {revoke} frees it with a single SSTORE. A grant is live iff `expiresAt` is after the
     * current block's time, `epoch` equals the patient's current epoch (moved by {revokeAll}) and the registry
     * reports the grantee active in generation `providerGeneration` (moved by each deactivation), so a grant
     * never revives once its provider was deactivated, even if the provider is verified again.
     * @param expiresAt Unix time (seconds) at which access ends; access is live while now < expiresAt.
     * @param scope Category bitmask plus the WRITE flag (bit 31).
     * @param purpose HL7 v3 purpose-of-use code.
     * @param epoch The patient's epoch at grant time.
     * @param providerGeneration The grantee's registry generation at grant time.
     */
    struct Grant {
        uint64 expiresAt;
        uint32 scope;
        uint8 purpose;
        uint32 epoch;
        uint32 providerGeneration;
    }

    /// @notice Lifecycle of an access request.
    enum RequestStatus {
        Pending,
        Approved,
        Denied
    }

    /**
     * @notice An access request from a provider to a patient.
     * @dev Two slots: (requester 160 | duration 64 | scope 32) and (patient 160 | purpose 8 | status 8).
     * `patient` is zero for an unknown request id.
     * @param requester The provider asking.
     * @param duration Seconds of access asked for; the grant runs from approval for that long.
     * @param scope Category bitmask plus the WRITE flag.
     * @param patient The patient asked.
     * @param purpose HL7 v3 purpose-of-use code.
     * @param status Pending, Approved or Denied.
     */
    struct Request {
        address requester;
        uint64 duration;
        uint32 scope;
        address patient;
        uint8 purpose;
        RequestStatus status;
    }

    /**
     * @notice A patient's break-glass policy.
     * @param enabled Whether emergency-capable providers may break the glass.
     * @param maxWindow Seconds an emergency access lasts (1..3600).
     * @param summaryCid sha2-256 digest of the emergency summary (raw-codec CIDv1, as for key bundles).
     */
    struct EmergencyPolicy {
        bool enabled;
        uint32 maxWindow;
        bytes32 summaryCid;
    }

    // ------------------------------------------------------------------ events

    /**
     * @notice `patient` granted `grantee` access, overwriting any earlier grant to it.
     * @param patient The patient whose records are shared.
     * @param grantee The provider receiving access.
     * @param scope Category bitmask plus the WRITE flag.
     * @param purpose HL7 v3 purpose-of-use code.
     * @param expiresAt Unix time at which access ends.
     * @param keyBundle sha2-256 digest of the raw IPFS block holding the re-wrapped data keys (or zero).
     * @param actor Who acted: the patient, or the patient's guardian (directly or by signature).
     */
    event AccessGranted(
        address indexed patient,
        address indexed grantee,
        uint32 scope,
        uint8 purpose,
        uint64 expiresAt,
        bytes32 keyBundle,
        address indexed actor
    );

    /**
     * @notice `patient`'s grant to `grantee` was revoked.
     * @param actor The patient or the guardian.
     */
    event AccessRevoked(address indexed patient, address indexed grantee, address indexed actor);

    /**
     * @notice Every grant and open emergency access of `patient` was cut at once.
     * @param newEpoch The patient's epoch from now on.
     * @param actor The patient or the guardian.
     */
    event AllAccessRevoked(address indexed patient, uint32 newEpoch, address indexed actor);

    /**
     * @notice `patient` set (or, with the zero address, removed) their guardian.
     */
    event GuardianSet(address indexed patient, address indexed guardian);

    /**
     * @notice `provider` asked `patient` for access.
     * @param requestId Sequential id of the request, from 0.
     */
    event AccessRequested(
        uint256 indexed requestId,
        address indexed patient,
        address indexed provider,
        uint32 scope,
        uint8 purpose,
        uint64 duration
    );

    /// @notice A request was approved; an {AccessGranted} event follows in the same transaction.
    event RequestApproved(uint256 indexed requestId, address indexed patient, address indexed provider);

    /**
     * @notice A request was denied.
     * @param actor Who denied it: the patient or the patient's guardian (directly or by signature).
     */
    event RequestDenied(uint256 indexed requestId, address indexed patient, address indexed provider, address actor);

    /// @notice `account` published its X25519 public key (by its own call or its own signature only).
    event EncryptionKeyPublished(address indexed account, bytes32 key);

    /**
     * @notice `account` published the sha2-256 digest of its key directory (the per-category public keys that
     * authors wrap record keys for), by its own call or its own signature only.
     */
    event KeyDirectoryPublished(address indexed account, bytes32 digest);

    /// @notice `patient` set their break-glass policy.
    event EmergencyPolicySet(address indexed patient, bool enabled, uint32 maxWindow, bytes32 summaryCid);

    /**
     * @notice `provider` broke the glass on `patient`'s emergency summary.
     * @param reasonCode ETREAT (2) or BTG (3).
     * @param expiresAt Unix time at which the emergency access ends.
     * @param summaryCid The emergency summary's digest from the patient's policy.
     */
    event EmergencyAccess(
        address indexed patient,
        address indexed provider,
        uint8 reasonCode,
        uint64 expiresAt,
        bytes32 summaryCid
    );

    // ------------------------------------------------------------------ errors

    /// @notice `grantee` is not an active provider in the registry.
    error ConsentLedgerGranteeNotProvider(address grantee);

    /// @notice A patient cannot grant access to, or request access from, themselves.
    error ConsentLedgerGranteeIsPatient(address patient);

    /// @notice `patient` is not a usable patient address (zero, or the requesting provider itself).
    error ConsentLedgerInvalidPatient(address patient);

    /// @notice `scope` sets no category bit, or sets a reserved bit.
    error ConsentLedgerInvalidScope(uint32 scope);

    /// @notice `purpose` is not a purpose-of-use code (1..9).
    error ConsentLedgerInvalidPurpose(uint8 purpose);

    /// @notice `expiresAt` is not after the current block time `blockTime`.
    error ConsentLedgerExpiryInPast(uint64 expiresAt, uint64 blockTime);

    /// @notice The signature's `deadline` has passed.
    error ConsentLedgerExpiredSignature(uint256 deadline);

    /// @notice The signature's `deadline` is later than `latest`, the block time plus MAX_SIGNATURE_LIFETIME.
    error ConsentLedgerDeadlineTooFar(uint256 deadline, uint256 latest);

    /**
     * @notice The signature is by no account allowed to sign for `patient` (the patient, or for consent actions
     * their guardian), or its nonce was used, or a smart-account signer needed more than ERC1271_GAS_LIMIT gas.
     */
    error ConsentLedgerInvalidSigner(address patient);

    /// @notice `patient` has no live grant to `grantee` (none, expired, cut by revokeAll, or the grantee was
    /// deactivated since).
    error ConsentLedgerNoGrant(address patient, address grantee);

    /// @notice `sender` is not `patient`'s guardian.
    error ConsentLedgerNotGuardian(address patient, address sender);

    /// @notice A patient cannot be their own guardian.
    error ConsentLedgerInvalidGuardian(address guardian);

    /// @notice `sender` is not an active provider.
    error ConsentLedgerNotProvider(address sender);

    /// @notice `duration` is outside 1 second .. 365 days.
    error ConsentLedgerInvalidDuration(uint64 duration);

    /// @notice No request has id `requestId`.
    error ConsentLedgerUnknownRequest(uint256 requestId);

    /// @notice Request `requestId` was already approved or denied.
    error ConsentLedgerRequestNotPending(uint256 requestId);

    /// @notice `sender` is neither the patient of request `requestId` nor their guardian.
    error ConsentLedgerNotPatient(uint256 requestId, address sender);

    /// @notice `maxWindow` is outside 1..3600 seconds.
    error ConsentLedgerInvalidEmergencyWindow(uint32 maxWindow);

    /// @notice `sender` is not an active, emergency-capable provider.
    error ConsentLedgerNotEmergencyProvider(address sender);

    /// @notice `patient` has not enabled break-glass access.
    error ConsentLedgerEmergencyDisabled(address patient);

    /// @notice `reasonCode` is neither ETREAT (2) nor BTG (3).
    error ConsentLedgerInvalidEmergencyReason(uint8 reasonCode);

    // ------------------------------------------------------------------ grants

    /**
     * @notice Grants `grantee` access to the caller's records of the categories in `scope` until `expiresAt`.
     * @dev The caller is the patient. Overwrites any earlier grant to `grantee`.
     * Not allowed: a grantee that is not an active provider, the caller as grantee, an invalid scope or
     * purpose, an expiry not in the future.
     * @param grantee An active provider.
     * @param scope Category bitmask, plus bit 31 to let the grantee add records.
     * @param purpose HL7 v3 purpose-of-use code (1..9).
     * @param expiresAt Unix time at which access ends (access is gone at that very second).
     * @param keyBundle sha2-256 digest of the key bundle stored on IPFS as a single raw block
     * (CIDv1, codec raw 0x55, multihash sha2-256); may be zero.
     */
    function grant(address grantee, uint32 scope, uint8 purpose, uint64 expiresAt, bytes32 keyBundle) external;

    /**
     * @notice Same as {grant}, on behalf of `patient`, by `patient`'s guardian.
     * @param patient The patient whose guardian the caller is.
     * @param grantee An active provider.
     * @param scope Category bitmask plus WRITE flag.
     * @param purpose Purpose-of-use code.
     * @param expiresAt Unix time at which access ends.
     * @param keyBundle sha2-256 digest of the raw IPFS block of the key bundle; may be zero.
     */
    function grantFor(
        address patient,
        address grantee,
        uint32 scope,
        uint8 purpose,
        uint64 expiresAt,
        bytes32 keyBundle
    ) external;

    /**
     * @notice Same as {grant}, relayed by anyone, authorised by an EIP-712 `Grant` signature of `patient`
     * or of `patient`'s current guardian (ECDSA, or ERC-1271 for smart accounts).
     * @dev Typed data: `Grant(address patient,address grantee,uint32 scope,uint8 purpose,uint64 expiresAt,
     * bytes32 keyBundle,uint256 nonce,uint256 deadline)` with `nonce = nonces(patient)`, which it consumes.
     * @param patient The patient.
     * @param grantee An active provider.
     * @param scope Category bitmask plus WRITE flag.
     * @param purpose Purpose-of-use code.
     * @param expiresAt Unix time at which access ends.
     * @param keyBundle sha2-256 digest of the raw IPFS block of the key bundle; may be zero.
     * @param deadline Last second at which the signature may be used.
     * @param signature The signature over the typed data.
     */
    function grantBySig(
        address patient,
        address grantee,
        uint32 scope,
        uint8 purpose,
        uint64 expiresAt,
        bytes32 keyBundle,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /**
     * @notice Revokes the caller's grant to `grantee`. Reverts if there is no live grant.
     * @param grantee The provider whose access ends now.
     */
    function revoke(address grantee) external;

    /**
     * @notice Same as {revoke}, on behalf of `patient`, by `patient`'s guardian.
     * @param patient The patient whose guardian the caller is.
     * @param grantee The provider whose access ends now.
     */
    function revokeFor(address patient, address grantee) external;

    /**
     * @notice Same as {revoke}, relayed by anyone, authorised by an EIP-712 signature of the patient or
     * guardian over `Revoke(address patient,address grantee,uint256 nonce,uint256 deadline)`.
     * @param patient The patient.
     * @param grantee The provider whose access ends now.
     * @param deadline Last second at which the signature may be used.
     * @param signature The signature over the typed data.
     */
    function revokeBySig(address patient, address grantee, uint256 deadline, bytes calldata signature) external;

    /**
     * @notice Cuts every grant and every open emergency access of the caller at once (O(1)).
     * @dev Increments the caller's epoch; grants written later count again.
     */
    function revokeAll() external;

    /**
     * @notice Same as {revokeAll}, on behalf of `patient`, by `patient`'s guardian.
     * @param patient The patient whose guardian the caller is.
     */
    function revokeAllFor(address patient) external;

    /**
     * @notice Same as {revokeAll}, authorised by an EIP-712 signature of the patient or guardian over
     * `RevokeAll(address patient,uint256 nonce,uint256 deadline)`.
     * @param patient The patient.
     * @param deadline Last second at which the signature may be used.
     * @param signature The signature over the typed data.
     */
    function revokeAllBySig(address patient, uint256 deadline, bytes calldata signature) external;

    // ------------------------------------------------------------------ guardian

    /**
     * @notice Sets the caller's guardian, who may grant, revoke and answer requests for the caller.
     * @dev Only the patient: a guardian cannot change or remove the guardian. The zero address removes it.
     * @param guardian The new guardian; not the caller.
     */
    function setGuardian(address guardian) external;

    // ------------------------------------------------------------------ requests

    /**
     * @notice Asks `patient` for access. Only active providers.
     * @param patient The patient asked.
     * @param scope Category bitmask plus WRITE flag.
     * @param purpose Purpose-of-use code.
     * @param duration Seconds of access, 1 .. 365 days, counted from approval.
     * @return requestId The new request's id.
     */
    function requestAccess(
        address patient,
        uint32 scope,
        uint8 purpose,
        uint64 duration
    ) external returns (uint256 requestId);

    /**
     * @notice Approves a pending request: grants its provider access until now + duration.
     * @dev By the request's patient or their guardian. Same checks as {grant}: the provider must still be
     * active. Emits {RequestApproved} and {AccessGranted}.
     * @param requestId The request.
     * @param keyBundle sha2-256 digest of the raw IPFS block of the key bundle; may be zero.
     */
    function approve(uint256 requestId, bytes32 keyBundle) external;

    /**
     * @notice Same as {approve}, authorised by an EIP-712 signature of the request's patient or guardian
     * over `Approve(uint256 requestId,bytes32 keyBundle,uint256 nonce,uint256 deadline)`, with the nonce
     * of the request's patient.
     * @param requestId The request.
     * @param keyBundle sha2-256 digest of the key bundle block; may be zero.
     * @param deadline Last second at which the signature may be used.
     * @param signature The signature over the typed data.
     */
    function approveBySig(uint256 requestId, bytes32 keyBundle, uint256 deadline, bytes calldata signature) external;

    /**
     * @notice Denies a pending request. By the request's patient or their guardian.
     * @param requestId The request.
     */
    function deny(uint256 requestId) external;

    /**
     * @notice Same as {deny}, authorised by an EIP-712 signature of the request's patient or guardian
     * over `Deny(uint256 requestId,uint256 nonce,uint256 deadline)`.
     * @param requestId The request.
     * @param deadline Last second at which the signature may be used.
     * @param signature The signature over the typed data.
     */
    function denyBySig(uint256 requestId, uint256 deadline, bytes calldata signature) external;

    // ------------------------------------------------------------------ keys

    /**
     * @notice Publishes the caller's X25519 public key, to which data keys are wrapped. Patients and providers
     * alike publish their own key here: nobody else (no guardian, no registrar) can set it.
     * @param x25519PublicKey The key (zero clears it).
     */
    function setEncryptionKey(bytes32 x25519PublicKey) external;

    /**
     * @notice Same as {setEncryptionKey}, relayed by anyone, authorised by an EIP-712 signature of `account`
     * itself only (never its guardian) over
     * `SetEncryptionKey(address account,bytes32 key,uint256 nonce,uint256 deadline)`, with `account`'s nonce.
     * @param account The account whose key is published.
     * @param key The X25519 public key.
     * @param deadline Last second at which the signature may be used.
     * @param signature The signature over the typed data.
     */
    function setEncryptionKeyBySig(address account, bytes32 key, uint256 deadline, bytes calldata signature) external;

    /**
     * @notice Publishes the sha2-256 digest of the caller's key directory: one raw IPFS block listing the public
     * key of each record category at its current key version. Authors read it from here, fetch the block and
     * check its hash before wrapping a record key for it.
     * @param digest sha2-256 digest of the directory block (zero withdraws it).
     */
    function setKeyDirectory(bytes32 digest) external;

    /**
     * @notice Same as {setKeyDirectory}, relayed by anyone, authorised by an EIP-712 signature of `patient`
     * itself only (never its guardian, who does not hold the patient's keys) over
     * `SetKeyDirectory(address patient,bytes32 digest,uint256 nonce,uint256 deadline)`, with `patient`'s nonce.
     * @param patient The account whose directory is published.
     * @param digest sha2-256 digest of the directory block.
     * @param deadline Last second at which the signature may be used.
     * @param signature The signature over the typed data.
     */
    function setKeyDirectoryBySig(address patient, bytes32 digest, uint256 deadline, bytes calldata signature) external;

    // ------------------------------------------------------------------ emergency

    /**
     * @notice Sets the caller's break-glass policy. Only the patient.
     * @dev `maxWindow` must be 1..3600 seconds when enabling; it is not checked when disabling. Disabling
     * stops new break-glass accesses; windows already open run out (at most an hour) unless {revokeAll}.
     * @param enabled Whether emergency-capable providers may break the glass.
     * @param maxWindow Seconds each emergency access lasts.
     * @param summaryCid sha2-256 digest of the emergency summary block.
     */
    function setEmergencyPolicy(bool enabled, uint32 maxWindow, bytes32 summaryCid) external;

    /**
     * @notice Opens the EMERGENCY_SUMMARY category of `patient` to the caller for the policy's window.
     * @dev Only providers the registry marks emergency-capable, only if `patient` enabled it, only with
     * reason ETREAT (2) or BTG (3). Opens nothing else. Breaking again restarts the window.
     * @param patient The patient in need.
     * @param reasonCode ETREAT (2) or BTG (3).
     */
    function breakGlass(address patient, uint8 reasonCode) external;

    // ------------------------------------------------------------------ views

    /// @notice The provider registry this ledger trusts.
    function registry() external view returns (IProviderRegistry);

    /**
     * @notice Whether `grantee` may read `patient`'s records of `category` right now.
     * @dev True iff category <= MAX_CATEGORY and the grant's scope has the category and the grant is live
     * (unexpired: now < expiresAt; of the patient's epoch; the grantee active in the generation it was granted
     * under); or, for EMERGENCY_SUMMARY only, a live break-glass window of a provider that is still
     * emergency-capable and not deactivated since it broke the glass.
     */
    function hasAccess(address patient, address grantee, uint8 category) external view returns (bool);

    /// @notice Whether `grantee` may add records of `category` to `patient`'s vault (live grant, as for
    /// {hasAccess}, whose scope has the category and WRITE; break-glass never writes).
    function hasWriteAccess(address patient, address grantee, uint8 category) external view returns (bool);

    /// @notice The stored grant of `patient` to `grantee`, as written (may be expired or of an old epoch).
    function grantOf(address patient, address grantee) external view returns (Grant memory);

    /// @notice `patient`'s current epoch (number of revokeAll so far).
    function epochOf(address patient) external view returns (uint32);

    /// @notice `patient`'s guardian, or zero.
    function guardianOf(address patient) external view returns (address);

    /// @notice The request with id `requestId` (patient zero if unknown).
    function requestOf(uint256 requestId) external view returns (Request memory);

    /// @notice Number of requests so far; ids run from 0 to requestCount() - 1.
    function requestCount() external view returns (uint256);

    /// @notice `account`'s published X25519 public key, or zero.
    function encryptionKeyOf(address account) external view returns (bytes32);

    /// @notice sha2-256 digest of `account`'s published key directory, or zero.
    function keyDirectoryOf(address account) external view returns (bytes32);

    /// @notice `patient`'s break-glass policy.
    function emergencyPolicyOf(address patient) external view returns (EmergencyPolicy memory);

    /// @notice Unix time until which `provider` has break-glass access to `patient` (0 if none, cut by
    /// revokeAll, or the provider was deactivated since; may lie in the past).
    function emergencyAccessUntil(address patient, address provider) external view returns (uint64);

    /// @notice The EIP-712 domain separator (name "ConsentLedger", version "1").
    function DOMAIN_SEPARATOR() external view returns (bytes32);

    /// @notice Most gas an ERC-1271 signer's `isValidSignature` may use; a wallet that needs more is refused.
    function ERC1271_GAS_LIMIT() external view returns (uint256);

    /// @notice Longest a signature may stay usable: its deadline is at most this many seconds after the block.
    function MAX_SIGNATURE_LIFETIME() external view returns (uint256);
}
