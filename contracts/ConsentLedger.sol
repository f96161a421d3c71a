// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {IConsentLedger} from "./interfaces/IConsentLedger.sol";
import {IProviderRegistry} from "./interfaces/IProviderRegistry.sol";
import {BoundedSignatureChecker} from "./libraries/BoundedSignatureChecker.sol";
import {ConsentCodes} from "./libraries/ConsentCodes.sol";

/**
 * @title ConsentLedger
 * @notice Patient-issued, time-boxed, purpose-bound grants of access to health records, checked by the
 * gateway with {hasAccess}. Patients (or the guardian they chose) grant, revoke, answer requests and set a
 * break-glass policy; every change is an event an auditor can replay.
 * @dev No owner, no admin, no proxy: nobody but the patient or their guardian can change a patient's
 * grants, and nobody but an account itself can change its encryption key or key directory. The only external
 * calls are view calls to the provider registry and, for smart-account signers, an ERC-1271 staticcall bounded
 * to {ERC1271_GAS_LIMIT} gas (`BoundedSignatureChecker`). Signed variants (`*BySig`) use EIP-712 with the
 * domain ("ConsentLedger", "1") and the patient's sequential nonce from {Nonces}; their deadline may lie at
 * most {MAX_SIGNATURE_LIFETIME} ahead.
 */
contract ConsentLedger is IConsentLedger, EIP712, Nonces {
    using ConsentCodes for uint32;
    using ConsentCodes for uint8;

    /**
     * @dev Everything about a patient that a grant, a revocation or a signature check reads, in ONE slot
     * (160 + 32 bits): the guardian, and the epoch that {revokeAll} increments. A grant or emergency
     * window counts only while its own epoch equals this one.
     */
    struct PatientState {
        address guardian;
        uint32 epoch;
    }

    /**
     * @dev A break-glass access, in one slot (64 + 32 + 32 bits); cut by {revokeAll} like grants, and, like
     * grants, over for good once the provider is deactivated (its generation moves on).
     */
    struct EmergencyWindow {
        uint64 expiresAt;
        uint32 epoch;
        uint32 providerGeneration;
    }

    bytes32 private constant GRANT_TYPEHASH = keccak256(
        "Grant(address patient,address grantee,uint32 scope,uint8 purpose,uint64 expiresAt,bytes32 keyBundle,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant REVOKE_TYPEHASH = keccak256(
        "Revoke(address patient,address grantee,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant REVOKE_ALL_TYPEHASH = keccak256(
        "RevokeAll(address patient,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant APPROVE_TYPEHASH = keccak256(
        "Approve(uint256 requestId,bytes32 keyBundle,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant DENY_TYPEHASH = keccak256("Deny(uint256 requestId,uint256 nonce,uint256 deadline)");
    bytes32 private constant SET_ENCRYPTION_KEY_TYPEHASH = keccak256(
        "SetEncryptionKey(address account,bytes32 key,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant SET_KEY_DIRECTORY_TYPEHASH = keccak256(
        "SetKeyDirectory(address patient,bytes32 digest,uint256 nonce,uint256 deadline)"
    );

    /// @inheritdoc IConsentLedger
    uint256 public constant ERC1271_GAS_LIMIT = 100_000;
    /// @inheritdoc IConsentLedger
    uint256 public constant MAX_SIGNATURE_LIFETIME = 1 days;
    /// @notice Longest access a provider may request: 365 days.
    uint64 public constant MAX_REQUEST_DURATION = 365 days;
    /// @notice Longest break-glass window a patient may allow: one hour.
    uint32 public constant MAX_EMERGENCY_WINDOW = 1 hours;

    IProviderRegistry private immutable _registry;

    mapping(address patient => PatientState) private _patients;
    mapping(address patient => mapping(address grantee => Grant)) private _grants;
    mapping(address patient => mapping(address provider => EmergencyWindow)) private _emergencyWindows;
    mapping(address patient => EmergencyPolicy) private _emergencyPolicies;
    mapping(address account => bytes32) private _encryptionKeys;
    mapping(address account => bytes32 digest) private _keyDirectories;
    mapping(uint256 requestId => Request) private _requests;
    uint256 private _requestCount;

    /// @dev Reverts unless the caller is `patient`'s guardian.
    modifier onlyGuardianOf(address patient) {
        _checkGuardian(patient);
        _;
    }

    /// @dev Reverts once `deadline` has passed, and for a deadline more than MAX_SIGNATURE_LIFETIME ahead.
    modifier beforeDeadline(uint256 deadline) {
        _checkDeadline(deadline);
        _;
    }

    /**
     * @param registry_ The provider registry whose active providers may receive grants.
     */
    constructor(IProviderRegistry registry_) EIP712("ConsentLedger", "1") {
        _registry = registry_;
    }

    // ====================================================================== grants

    /// @inheritdoc IConsentLedger
    function grant(address grantee, uint32 scope, uint8 purpose, uint64 expiresAt, bytes32 keyBundle) external {
        uint32 generation = _checkGrant(msg.sender, grantee, scope, purpose, expiresAt);
        _grant(msg.sender, grantee, scope, purpose, expiresAt, generation, keyBundle, msg.sender);
    }

    /// @inheritdoc IConsentLedger
    function grantFor(
        address patient,
        address grantee,
        uint32 scope,
        uint8 purpose,
        uint64 expiresAt,
        bytes32 keyBundle
    ) external onlyGuardianOf(patient) {
        uint32 generation = _checkGrant(patient, grantee, scope, purpose, expiresAt);
        _grant(patient, grantee, scope, purpose, expiresAt, generation, keyBundle, msg.sender);
    }

    /// @inheritdoc IConsentLedger
    function grantBySig(
        address patient,
        address grantee,
        uint32 scope,
        uint8 purpose,
        uint64 expiresAt,
        bytes32 keyBundle,
        uint256 deadline,
        bytes calldata signature
    ) external beforeDeadline(deadline) {
        bytes32 structHash = _hashGrant(patient, grantee, scope, purpose, expiresAt, keyBundle, deadline);
        address actor = _checkSigner(patient, structHash, signature, true);
        uint32 generation = _checkGrant(patient, grantee, scope, purpose, expiresAt);
        _grant(patient, grantee, scope, purpose, expiresAt, generation, keyBundle, actor);
    }

    /// @inheritdoc IConsentLedger
    function revoke(address grantee) external {
        _revoke(msg.sender, grantee, msg.sender);
    }

    /// @inheritdoc IConsentLedger
    function revokeFor(address patient, address grantee) external onlyGuardianOf(patient) {
        _revoke(patient, grantee, msg.sender);
    }

    /// @inheritdoc IConsentLedger
    function revokeBySig(
        address patient,
        address grantee,
        uint256 deadline,
        bytes calldata signature
    ) external beforeDeadline(deadline) {
        bytes32 structHash = keccak256(abi.encode(REVOKE_TYPEHASH, patient, grantee, _useNonce(patient), deadline));
        address actor = _checkSigner(patient, structHash, signature, true);
        _revoke(patient, grantee, actor);
    }

    /// @inheritdoc IConsentLedger
    function revokeAll() external {
        _revokeAll(msg.sender, msg.sender);
    }

    /// @inheritdoc IConsentLedger
    function revokeAllFor(address patient) external onlyGuardianOf(patient) {
        _revokeAll(patient, msg.sender);
    }

    /// @inheritdoc IConsentLedger
    function revokeAllBySig(
        address patient,
        uint256 deadline,
        bytes calldata signature
    ) external beforeDeadline(deadline) {
        bytes32 structHash = keccak256(abi.encode(REVOKE_ALL_TYPEHASH, patient, _useNonce(patient), deadline));
        address actor = _checkSigner(patient, structHash, signature, true);
        _revokeAll(patient, actor);
    }

    // ====================================================================== guardian

    /// @inheritdoc IConsentLedger
    function setGuardian(address guardian) external {
        if (guardian == msg.sender) revert ConsentLedgerInvalidGuardian(guardian);
        _setGuardian(msg.sender, guardian);
    }

    // ====================================================================== requests

    /// @inheritdoc IConsentLedger
    function requestAccess(
        address patient,
        uint32 scope,
        uint8 purpose,
        uint64 duration
    ) external returns (uint256 requestId) {
        if (patient == address(0) || patient == msg.sender) revert ConsentLedgerInvalidPatient(patient);
        if (!scope.isValidScope()) revert ConsentLedgerInvalidScope(scope);
        if (!purpose.isValidPurpose()) revert ConsentLedgerInvalidPurpose(purpose);
        if (duration == 0 || duration > MAX_REQUEST_DURATION) revert ConsentLedgerInvalidDuration(duration);
        if (!_registry.isActive(msg.sender)) revert ConsentLedgerNotProvider(msg.sender);
        return _requestAccess(patient, msg.sender, scope, purpose, duration);
    }

    /// @inheritdoc IConsentLedger
    function approve(uint256 requestId, bytes32 keyBundle) external {
        Request memory request = _pendingRequest(requestId);
        _checkAnswerer(requestId, request.patient);
        _approve(requestId, request, keyBundle, msg.sender);
    }

    /// @inheritdoc IConsentLedger
    function approveBySig(
        uint256 requestId,
        bytes32 keyBundle,
        uint256 deadline,
        bytes calldata signature
    ) external beforeDeadline(deadline) {
        Request memory request = _pendingRequest(requestId);
        bytes32 structHash = keccak256(
            abi.encode(APPROVE_TYPEHASH, requestId, keyBundle, _useNonce(request.patient), deadline)
        );
        address actor = _checkSigner(request.patient, structHash, signature, true);
        _approve(requestId, request, keyBundle, actor);
    }

    /// @inheritdoc IConsentLedger
    function deny(uint256 requestId) external {
        Request memory request = _pendingRequest(requestId);
        _checkAnswerer(requestId, request.patient);
        _deny(requestId, request, msg.sender);
    }

    /// @inheritdoc IConsentLedger
    function denyBySig(
        uint256 requestId,
        uint256 deadline,
        bytes calldata signature
    ) external beforeDeadline(deadline) {
        Request memory request = _pendingRequest(requestId);
        bytes32 structHash = keccak256(abi.encode(DENY_TYPEHASH, requestId, _useNonce(request.patient), deadline));
        address actor = _checkSigner(request.patient, structHash, signature, true);
        _deny(requestId, request, actor);
    }

    // ====================================================================== keys

    /// @inheritdoc IConsentLedger
    function setEncryptionKey(bytes32 x25519PublicKey) external {
        _setEncryptionKey(msg.sender, x25519PublicKey);
    }

    /// @inheritdoc IConsentLedger
    function setEncryptionKeyBySig(
        address account,
        bytes32 key,
        uint256 deadline,
        bytes calldata signature
    ) external beforeDeadline(deadline) {
        _checkOwnSignature(SET_ENCRYPTION_KEY_TYPEHASH, account, key, deadline, signature);
        _setEncryptionKey(account, key);
    }

    /// @inheritdoc IConsentLedger
    function setKeyDirectory(bytes32 digest) external {
        _setKeyDirectory(msg.sender, digest);
    }

    /// @inheritdoc IConsentLedger
    function setKeyDirectoryBySig(
        address patient,
        bytes32 digest,
        uint256 deadline,
        bytes calldata signature
    ) external beforeDeadline(deadline) {
        _checkOwnSignature(SET_KEY_DIRECTORY_TYPEHASH, patient, digest, deadline, signature);
        _setKeyDirectory(patient, digest);
    }

    // ====================================================================== emergency

    /// @inheritdoc IConsentLedger
    function setEmergencyPolicy(bool enabled, uint32 maxWindow, bytes32 summaryCid) external {
        if (enabled && (maxWindow == 0 || maxWindow > MAX_EMERGENCY_WINDOW)) {
            revert ConsentLedgerInvalidEmergencyWindow(maxWindow);
        }
        _setEmergencyPolicy(msg.sender, enabled, maxWindow, summaryCid);
    }

    /// @inheritdoc IConsentLedger
    function breakGlass(address patient, uint8 reasonCode) external {
        if (!reasonCode.isEmergencyReason()) revert ConsentLedgerInvalidEmergencyReason(reasonCode);
        if (!_registry.isEmergencyCapable(msg.sender)) revert ConsentLedgerNotEmergencyProvider(msg.sender);
        EmergencyPolicy memory policy = _emergencyPolicies[patient];
        if (!policy.enabled) revert ConsentLedgerEmergencyDisabled(patient);
        _breakGlass(patient, msg.sender, reasonCode, policy);
    }

    // ====================================================================== views

    /// @inheritdoc IConsentLedger
    function registry() external view returns (IProviderRegistry) {
        return _registry;
    }

    /**
     * @inheritdoc IConsentLedger
     * @dev Cheapest checks first: the grant slot is read before the patient's slot, which {_isLive} reads only
     * for an unexpired grant, after the scope was found to open `category`; so a refusal for want of a grant
     * costs a single cold SLOAD. The registry call comes last.
     */
    function hasAccess(address patient, address grantee, uint8 category) external view returns (bool) {
        if (!category.isValidCategory()) return false;
        Grant memory g = _grants[patient][grantee];
        if (g.scope.covers(category) && _isLive(patient, grantee, g)) return true;
        if (category != ConsentCodes.EMERGENCY_SUMMARY) return false;
        return _isEmergencyLive(patient, grantee);
    }

    /// @inheritdoc IConsentLedger
    function hasWriteAccess(address patient, address grantee, uint8 category) external view returns (bool) {
        if (!category.isValidCategory()) return false;
        Grant memory g = _grants[patient][grantee];
        return g.scope.covers(category) && g.scope.canWrite() && _isLive(patient, grantee, g);
    }

    /// @inheritdoc IConsentLedger
    function grantOf(address patient, address grantee) external view returns (Grant memory) {
        return _grants[patient][grantee];
    }

    /// @inheritdoc IConsentLedger
    function epochOf(address patient) external view returns (uint32) {
        return _patients[patient].epoch;
    }

    /// @inheritdoc IConsentLedger
    function guardianOf(address patient) external view returns (address) {
        return _patients[patient].guardian;
    }

    /// @inheritdoc IConsentLedger
    function requestOf(uint256 requestId) external view returns (Request memory) {
        return _requests[requestId];
    }

    /// @inheritdoc IConsentLedger
    function requestCount() external view returns (uint256) {
        return _requestCount;
    }

    /// @inheritdoc IConsentLedger
    function encryptionKeyOf(address account) external view returns (bytes32) {
        return _encryptionKeys[account];
    }

    /// @inheritdoc IConsentLedger
    function keyDirectoryOf(address account) external view returns (bytes32) {
        return _keyDirectories[account];
    }

    /// @inheritdoc IConsentLedger
    function emergencyPolicyOf(address patient) external view returns (EmergencyPolicy memory) {
        return _emergencyPolicies[patient];
    }

    /// @inheritdoc IConsentLedger
    function emergencyAccessUntil(address patient, address provider) external view returns (uint64) {
        EmergencyWindow memory w = _emergencyWindows[patient][provider];
        if (w.epoch != _patients[patient].epoch) return 0;
        (, uint32 generation) = _registry.statusOf(provider);
        return generation == w.providerGeneration ? w.expiresAt : 0;
    }

    /// @inheritdoc IConsentLedger
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ====================================================================== internal: checks

    /**
     * @dev Reverts unless `grantee` may receive a grant from `patient` with these terms; returns the grantee's
     * registry generation, which the grant is stamped with. The registry call comes last: it is the only
     * external call and the most expensive check.
     */
    function _checkGrant(
        address patient,
        address grantee,
        uint32 scope,
        uint8 purpose,
        uint64 expiresAt
    ) internal view returns (uint32 generation) {
        if (grantee == patient) revert ConsentLedgerGranteeIsPatient(patient);
        if (!scope.isValidScope()) revert ConsentLedgerInvalidScope(scope);
        if (!purpose.isValidPurpose()) revert ConsentLedgerInvalidPurpose(purpose);
        if (expiresAt <= block.timestamp) revert ConsentLedgerExpiryInPast(expiresAt, uint64(block.timestamp));
        bool active;
        (active, generation) = _registry.statusOf(grantee);
        if (!active) revert ConsentLedgerGranteeNotProvider(grantee);
    }

    /// @dev Reverts if `deadline` has passed or lies more than MAX_SIGNATURE_LIFETIME ahead.
    function _checkDeadline(uint256 deadline) internal view {
        if (block.timestamp > deadline) revert ConsentLedgerExpiredSignature(deadline);
        uint256 latest = block.timestamp + MAX_SIGNATURE_LIFETIME;
        if (deadline > latest) revert ConsentLedgerDeadlineTooFar(deadline, latest);
    }

    /// @dev Reverts unless the caller is `patient`'s guardian.
    function _checkGuardian(address patient) internal view {
        // msg.sender is never zero, so an unset guardian never matches.
        if (_patients[patient].guardian != msg.sender) revert ConsentLedgerNotGuardian(patient, msg.sender);
    }

    /// @dev Reverts unless the caller is `patient` or `patient`'s guardian (for answering a request).
    function _checkAnswerer(uint256 requestId, address patient) internal view {
        if (msg.sender != patient && msg.sender != _patients[patient].guardian) {
            revert ConsentLedgerNotPatient(requestId, msg.sender);
        }
    }

    /**
     * @dev Returns who signed the EIP-712 message `structHash` for `patient`: the patient, or (if
     * `allowGuardian`) the patient's current guardian. Reverts with {ConsentLedgerInvalidSigner} otherwise.
     *
     * EOAs are tried first with one `ecrecover` against both accounts, which spares the EXTCODESIZE that
     * `SignatureChecker.isValidSignatureNow` spends on every call; only if that fails are the accounts
     * asked through ERC-1271 (smart accounts), each with at most ERC1271_GAS_LIMIT gas, so one signature check
     * spends at most twice that on wallets. `ECDSA` rejects malleable (high-s) signatures.
     */
    function _checkSigner(
        address patient,
        bytes32 structHash,
        bytes calldata signature,
        bool allowGuardian
    ) internal view returns (address) {
        bytes32 digest = _hashTypedDataV4(structHash);
        address guardian = allowGuardian ? _patients[patient].guardian : address(0);
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(digest, signature);
        if (err == ECDSA.RecoverError.NoError) {
            // `recovered` is never the zero address here, so an unset guardian never matches.
            if (recovered == patient) return patient;
            if (recovered == guardian) return guardian;
        }
        if (BoundedSignatureChecker.isValidERC1271SignatureNowCalldata(patient, digest, signature, ERC1271_GAS_LIMIT)) {
            return patient;
        }
        if (
            guardian != address(0) &&
            BoundedSignatureChecker.isValidERC1271SignatureNowCalldata(guardian, digest, signature, ERC1271_GAS_LIMIT)
        ) {
            return guardian;
        }
        revert ConsentLedgerInvalidSigner(patient);
    }

    /// @dev Returns request `requestId`, reverting if it is unknown or already answered.
    function _pendingRequest(uint256 requestId) internal view returns (Request memory request) {
        request = _requests[requestId];
        if (request.patient == address(0)) revert ConsentLedgerUnknownRequest(requestId);
        if (request.status != RequestStatus.Pending) revert ConsentLedgerRequestNotPending(requestId);
    }

    /**
     * @dev THE liveness rule of a grant, used by {hasAccess}, {hasWriteAccess} and {revoke}: unexpired (strictly:
     * gone at `expiresAt`), of `patient`'s current epoch, and `grantee` active in the registry generation the
     * grant was given under. Reads the patient's slot only for an unexpired grant and asks the registry last.
     */
    function _isLive(address patient, address grantee, Grant memory g) internal view returns (bool) {
        if (g.expiresAt <= block.timestamp || g.epoch != _patients[patient].epoch) return false;
        (bool active, uint32 generation) = _registry.statusOf(grantee);
        return active && generation == g.providerGeneration;
    }

    /**
     * @dev Whether `provider`'s break-glass window on `patient` is open: unexpired, of the patient's epoch, and
     * the provider still emergency-capable in the generation it broke the glass in.
     */
    function _isEmergencyLive(address patient, address provider) internal view returns (bool) {
        EmergencyWindow memory w = _emergencyWindows[patient][provider];
        if (w.expiresAt <= block.timestamp || w.epoch != _patients[patient].epoch) return false;
        (, uint32 generation) = _registry.statusOf(provider);
        return generation == w.providerGeneration && _registry.isEmergencyCapable(provider);
    }

    /// @dev EIP-712 struct hash of a `Grant` message; consumes `patient`'s nonce.
    function _hashGrant(
        address patient,
        address grantee,
        uint32 scope,
        uint8 purpose,
        uint64 expiresAt,
        bytes32 keyBundle,
        uint256 deadline
    ) internal returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    GRANT_TYPEHASH,
                    patient,
                    grantee,
                    scope,
                    purpose,
                    expiresAt,
                    keyBundle,
                    _useNonce(patient),
                    deadline
                )
            );
    }

    /**
     * @dev Reverts unless `signature` is `account`'s own (never its guardian's: a guardian does not hold the
     * account's keys) over a `typehash`(account, value, nonce, deadline) message, the one shape both key
     * publications sign; consumes `account`'s nonce.
     */
    function _checkOwnSignature(
        bytes32 typehash,
        address account,
        bytes32 value,
        uint256 deadline,
        bytes calldata signature
    ) internal {
        bytes32 structHash = keccak256(abi.encode(typehash, account, value, _useNonce(account), deadline));
        _checkSigner(account, structHash, signature, false);
    }

    // ====================================================================== internal: effects

    /**
     * @dev Writes (overwrites) the grant of `patient` to `grantee` under the patient's current epoch and the
     * grantee's registry `generation`.
     */
    function _grant(
        address patient,
        address grantee,
        uint32 scope,
        uint8 purpose,
        uint64 expiresAt,
        uint32 generation,
        bytes32 keyBundle,
        address actor
    ) internal {
        _grants[patient][grantee] = Grant({
            expiresAt: expiresAt,
            scope: scope,
            purpose: purpose,
            epoch: _patients[patient].epoch,
            providerGeneration: generation
        });
        emit AccessGranted(patient, grantee, scope, purpose, expiresAt, keyBundle, actor);
    }

    /// @dev Deletes a live grant (zeroing the slot earns a gas refund); reverts if none is live.
    function _revoke(address patient, address grantee, address actor) internal {
        if (!_isLive(patient, grantee, _grants[patient][grantee])) {
            revert ConsentLedgerNoGrant(patient, grantee);
        }
        delete _grants[patient][grantee];
        emit AccessRevoked(patient, grantee, actor);
    }

    /// @dev Moves `patient` to a new epoch, which cuts every earlier grant and emergency window at once.
    function _revokeAll(address patient, address actor) internal {
        uint32 newEpoch = _patients[patient].epoch + 1;
        _patients[patient].epoch = newEpoch;
        emit AllAccessRevoked(patient, newEpoch, actor);
    }

    /// @dev Sets (or, with zero, removes) `patient`'s guardian.
    function _setGuardian(address patient, address guardian) internal {
        _patients[patient].guardian = guardian;
        emit GuardianSet(patient, guardian);
    }

    /// @dev Stores a new pending request and returns its id.
    function _requestAccess(
        address patient,
        address provider,
        uint32 scope,
        uint8 purpose,
        uint64 duration
    ) internal returns (uint256 requestId) {
        requestId = _requestCount++;
        _requests[requestId] = Request({
            requester: provider,
            duration: duration,
            scope: scope,
            patient: patient,
            purpose: purpose,
            status: RequestStatus.Pending
        });
        emit AccessRequested(requestId, patient, provider, scope, purpose, duration);
    }

    /// @dev Marks `request` approved and grants its terms from now for its duration.
    function _approve(uint256 requestId, Request memory request, bytes32 keyBundle, address actor) internal {
        uint64 expiresAt = uint64(block.timestamp) + request.duration;
        uint32 generation = _checkGrant(request.patient, request.requester, request.scope, request.purpose, expiresAt);
        _requests[requestId].status = RequestStatus.Approved;
        emit RequestApproved(requestId, request.patient, request.requester);
        _grant(
            request.patient,
            request.requester,
            request.scope,
            request.purpose,
            expiresAt,
            generation,
            keyBundle,
            actor
        );
    }

    /// @dev Marks `request` denied by `actor` (the patient or the guardian).
    function _deny(uint256 requestId, Request memory request, address actor) internal {
        _requests[requestId].status = RequestStatus.Denied;
        emit RequestDenied(requestId, request.patient, request.requester, actor);
    }

    /// @dev Publishes `account`'s encryption key.
    function _setEncryptionKey(address account, bytes32 key) internal {
        _encryptionKeys[account] = key;
        emit EncryptionKeyPublished(account, key);
    }

    /// @dev Publishes the digest of `account`'s key directory.
    function _setKeyDirectory(address account, bytes32 digest) internal {
        _keyDirectories[account] = digest;
        emit KeyDirectoryPublished(account, digest);
    }

    /// @dev Stores `patient`'s break-glass policy.
    function _setEmergencyPolicy(address patient, bool enabled, uint32 maxWindow, bytes32 summaryCid) internal {
        _emergencyPolicies[patient] = EmergencyPolicy({enabled: enabled, maxWindow: maxWindow, summaryCid: summaryCid});
        emit EmergencyPolicySet(patient, enabled, maxWindow, summaryCid);
    }

    /// @dev Opens (or restarts) `provider`'s emergency window on `patient`'s EMERGENCY_SUMMARY.
    function _breakGlass(address patient, address provider, uint8 reasonCode, EmergencyPolicy memory policy) internal {
        uint64 expiresAt = uint64(block.timestamp) + policy.maxWindow;
        (, uint32 generation) = _registry.statusOf(provider);
        _emergencyWindows[patient][provider] = EmergencyWindow({
            expiresAt: expiresAt,
            epoch: _patients[patient].epoch,
            providerGeneration: generation
        });
        emit EmergencyAccess(patient, provider, reasonCode, expiresAt, policy.summaryCid);
    }
}
