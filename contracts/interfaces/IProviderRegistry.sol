// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/**
 * @title IProviderRegistry
 * @notice Types, events and errors of the registry of verified healthcare providers.
 */
interface IProviderRegistry is IAccessControl {
    /**
     * @notice What the registry knows about a provider.
     * @dev `active` and `emergencyCapable` share the first slot so that {isActive} and
     * {isEmergencyCapable} cost one storage read.
     * @param active Whether the provider is currently verified.
     * @param emergencyCapable Whether the registrar allowed the provider to break the glass.
     * @param licenceHash Hash of the provider's licence document or number (kept off-chain).
     * @param encryptionKey The provider's X25519 public key, used to wrap data keys for it.
     * @param name Display name shown to patients.
     */
    struct Provider {
        bool active;
        bool emergencyCapable;
        bytes32 licenceHash;
        bytes32 encryptionKey;
        string name;
    }

    /**
     * @notice A registrar verified (or re-verified) `provider`.
     * @param provider The provider's account.
     * @param licenceHash Hash of the provider's licence.
     * @param name Display name.
     * @param encryptionKey X25519 public key.
     * @param emergencyCapable Whether the provider may break the glass.
     * @param registrar The registrar who acted.
     */
    event ProviderVerified(
        address indexed provider,
        bytes32 licenceHash,
        string name,
        bytes32 encryptionKey,
        bool emergencyCapable,
        address indexed registrar
    );

    /**
     * @notice A registrar deactivated `provider`; every grant to it stops working until it is re-verified.
     * @param provider The provider's account.
     * @param registrar The registrar who acted.
     */
    event ProviderDeactivated(address indexed provider, address indexed registrar);

    /// @notice The zero address was given as a provider.
    error ProviderRegistryZeroAddress();

    /// @notice A provider must have a display name.
    error ProviderRegistryEmptyName(address provider);

    /// @notice A display name longer than `maxLength` bytes was given.
    error ProviderRegistryNameTooLong(address provider, uint256 length, uint256 maxLength);

    /// @notice `provider` was never verified.
    error ProviderRegistryUnknownProvider(address provider);

    /// @notice `index` is not below the number of providers `count`.
    error ProviderRegistryIndexOutOfBounds(uint256 index, uint256 count);

    /**
     * @notice Verifies `provider`, or updates and reactivates it if it is already known.
     * @dev Only accounts with `REGISTRAR_ROLE`.
     * @param provider The provider's account; not the zero address.
     * @param licenceHash Hash of the provider's licence.
     * @param name Display name; 1 to 128 bytes.
     * @param encryptionKey The provider's X25519 public key.
     * @param emergencyCapable Whether the provider may break the glass.
     */
    function verifyProvider(
        address provider,
        bytes32 licenceHash,
        string calldata name,
        bytes32 encryptionKey,
        bool emergencyCapable
    ) external;

    /**
     * @notice Deactivates `provider`. Its grants stay stored but give no access while it is inactive.
     * @dev Only accounts with `REGISTRAR_ROLE`. Reverts for a provider that was never verified.
     * @param provider The provider's account.
     */
    function deactivateProvider(address provider) external;

    /// @notice Whether `provider` is currently verified.
    function isActive(address provider) external view returns (bool);

    /// @notice Whether `provider` is currently verified and allowed to break the glass.
    function isEmergencyCapable(address provider) external view returns (bool);

    /// @notice Everything known about `provider` (all zero if unknown).
    function providerOf(address provider) external view returns (Provider memory);

    /// @notice How many providers were ever verified (active or not).
    function providerCount() external view returns (uint256);

    /// @notice The `index`-th provider ever verified, in order of first verification.
    function providerAt(uint256 index) external view returns (address);

    /// @notice Role that verifies and deactivates providers.
    function REGISTRAR_ROLE() external view returns (bytes32);

    /// @notice Role of auditors (recognised by the gateway).
    function AUDITOR_ROLE() external view returns (bytes32);

    /// @notice Role of gateways, which anchor disclosure logs.
    function GATEWAY_ROLE() external view returns (bytes32);
}
