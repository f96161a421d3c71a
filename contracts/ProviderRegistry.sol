// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IProviderRegistry} from "./interfaces/IProviderRegistry.sol";
import {ConsentCodes} from "./libraries/ConsentCodes.sol";

/**
 * @title ProviderRegistry
 * @notice Registry of healthcare providers verified by a registrar (a health authority). The consent
 * ledger only lets patients grant access to active providers, and only lets emergency-capable ones
 * break the glass.
 * @dev Deactivation moves a provider to its next generation, which ends every grant it held for good; the
 * ledger stamps grants with the generation and reads both with {statusOf}. Roles: `DEFAULT_ADMIN_ROLE` manages every role; `REGISTRAR_ROLE` verifies and deactivates
 * providers; `AUDITOR_ROLE` and `GATEWAY_ROLE` are read by the gateway and by `DisclosureAnchor`.
 * Providers are never deleted: a deactivated provider stays enumerable, for the audit trail.
 */
contract ProviderRegistry is IProviderRegistry, AccessControl {
    /// @inheritdoc IProviderRegistry
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");
    /// @inheritdoc IProviderRegistry
    bytes32 public constant AUDITOR_ROLE = keccak256("AUDITOR_ROLE");
    /// @inheritdoc IProviderRegistry
    bytes32 public constant GATEWAY_ROLE = keccak256("GATEWAY_ROLE");

    /// @notice Longest display name accepted, in bytes.
    uint256 public constant MAX_NAME_LENGTH = 128;

    mapping(address provider => Provider) private _providers;
    address[] private _providerList;

    /**
     * @param admin Receives `DEFAULT_ADMIN_ROLE` and `REGISTRAR_ROLE`.
     */
    constructor(address admin) {
        if (admin == address(0)) revert ProviderRegistryZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(REGISTRAR_ROLE, admin);
    }

    /// @inheritdoc IProviderRegistry
    function verifyProvider(
        address provider,
        bytes32 licenceHash,
        string calldata name,
        uint8 kind,
        bool emergencyCapable
    ) external onlyRole(REGISTRAR_ROLE) {
        if (provider == address(0)) revert ProviderRegistryZeroAddress();
        uint256 length = bytes(name).length;
        if (length == 0) revert ProviderRegistryEmptyName(provider);
        if (length > MAX_NAME_LENGTH) revert ProviderRegistryNameTooLong(provider, length, MAX_NAME_LENGTH);
        if (!ConsentCodes.isValidProviderKind(kind)) revert ProviderRegistryInvalidKind(provider, kind);
        _verifyProvider(provider, licenceHash, name, kind, emergencyCapable);
    }

    /// @inheritdoc IProviderRegistry
    function deactivateProvider(address provider) external onlyRole(REGISTRAR_ROLE) {
        if (!_isKnown(provider)) revert ProviderRegistryUnknownProvider(provider);
        _deactivateProvider(provider);
    }

    /// @inheritdoc IProviderRegistry
    function isActive(address provider) external view returns (bool) {
        return _providers[provider].active;
    }

    /// @inheritdoc IProviderRegistry
    function isEmergencyCapable(address provider) external view returns (bool) {
        Provider storage p = _providers[provider];
        return p.active && p.emergencyCapable;
    }

    /// @inheritdoc IProviderRegistry
    function statusOf(address provider) external view returns (bool active, uint32 generation) {
        Provider storage p = _providers[provider];
        return (p.active, p.generation);
    }

    /// @inheritdoc IProviderRegistry
    function providerOf(address provider) external view returns (Provider memory) {
        return _providers[provider];
    }

    /// @inheritdoc IProviderRegistry
    function providerCount() external view returns (uint256) {
        return _providerList.length;
    }

    /// @inheritdoc IProviderRegistry
    function providerAt(uint256 index) external view returns (address) {
        uint256 count = _providerList.length;
        if (index >= count) revert ProviderRegistryIndexOutOfBounds(index, count);
        return _providerList[index];
    }

    /// @dev Stores `provider` as active in its current generation, adding it to the enumeration the first time.
    function _verifyProvider(
        address provider,
        bytes32 licenceHash,
        string calldata name,
        uint8 kind,
        bool emergencyCapable
    ) internal {
        if (!_isKnown(provider)) _providerList.push(provider);
        Provider storage p = _providers[provider];
        uint32 generation = p.generation;
        p.active = true;
        p.emergencyCapable = emergencyCapable;
        p.kind = kind;
        p.licenceHash = licenceHash;
        p.name = name;
        emit ProviderVerified(provider, licenceHash, name, kind, emergencyCapable, generation, _msgSender());
    }

    /// @dev Marks `provider` inactive and starts its next generation; keeps the rest of its entry.
    function _deactivateProvider(address provider) internal {
        Provider storage p = _providers[provider];
        uint32 newGeneration = p.generation + 1;
        p.active = false;
        p.generation = newGeneration;
        emit ProviderDeactivated(provider, newGeneration, _msgSender());
    }

    /// @dev A provider is known once verified: verification requires a non-empty name.
    function _isKnown(address provider) internal view returns (bool) {
        return bytes(_providers[provider].name).length != 0;
    }
}
