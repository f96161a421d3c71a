// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/**
 * @title IProviderRegistry
 * @notice Types, events and errors of the registry of verified healthcare providers.
 * @dev The registry holds no encryption key: a registrar must not be able to set or overwrite the key that
 * data keys are wrapped for. Providers publish their own key in the consent ledger (`setEncryptionKey`).
 */
interface IProviderRegistry is IAccessControl {
    /**
     * @notice What the registry knows about a provider.
     * @dev `active`, `emergencyCapable`, `kind` and `generation` share the first slot (8 + 8 + 8 + 32 bits),
     * so {isActive}, {isEmergencyCapable} and {statusOf} each cost one storage read.
     * @param active Whether the provider is currently verified.
     * @param emergencyCapable Whether the registrar allowed the provider to break the glass.
     * @param kind What the provider is: `ConsentCodes.PROVIDER_CLINICIAN`, `_PHARMACY` or `_LABORATORY`.
     * @param generation How many times the provider was deactivated. The consent ledger stamps each grant with
     * it, so a grant given before a deactivation never counts again, even once the provider is re-verified.
     * @param licenceHash Hash of the provider's licence document or number (kept off-chain).
     * @param name Display name shown to patients.
     */
    struct Provider {
        bool active;
        bool emergencyCapable;
        uint8 kind;
        uint32 generation;
        bytes32 licenceHash;
        string name;
    }

    /**
     * @notice A registrar verified (or re-verified) `provider`.
     * @param provider The provider's account.
     * @param licenceHash Hash of the provider's licence.
     * @param name Display name.
     * @param kind Provider kind (1 clinician, 2 pharmacy, 3 laboratory).
     * @param emergencyCapable Whether the provider may break the glass.
     * @param generation The provider's generation, unchanged by verification.
     * @param registrar The registrar who acted.
     */
    event ProviderVerified(
        address indexed provider,
        bytes32 licenceHash,
        string name,
        uint8 kind,
        bool emergencyCapable,
        uint32 generation,
        address indexed registrar
    );

    /**
     * @notice A registrar deactivated `provider`: every grant it held is over for good (re-verification
     * starts a new generation; patients must grant again).
     * @param provider The provider's account.
     * @param newGeneration The provider's generation from now on.
     * @param registrar The registrar who acted.
     */
    event ProviderDeactivated(address indexed provider, uint32 newGeneration, address indexed registrar);

    /// @notice The zero address was given as a provider.
    error ProviderRegistryZeroAddress();

    /// @notice A provider must have a display name.
    error ProviderRegistryEmptyName(address provider);

    /// @notice A display name longer than `maxLength` bytes was given.
    error ProviderRegistryNameTooLong(address provider, uint256 length, uint256 maxLength);

    /// @notice `kind` is not a provider kind (1..`ConsentCodes.MAX_PROVIDER_KIND`).
    error ProviderRegistryInvalidKind(address provider, uint8 kind);

    /// @notice `provider` was never verified.
    error ProviderRegistryUnknownProvider(address provider);

    /// @notice `index` is not below the number of providers `count`.
    error ProviderRegistryIndexOutOfBounds(uint256 index, uint256 count);

    /**
     * @notice Verifies `provider`, or updates (and, if deactivated, reactivates) it if it is already known.
     * @dev Only accounts with `REGISTRAR_ROLE`. Keeps the provider's generation: re-verifying a deactivated
     * provider does not revive the grants it held before.
     * @param provider The provider's account; not the zero address.
     * @param licenceHash Hash of the provider's licence.
     * @param name Display name; 1 to 128 bytes.
     * @param kind Provider kind, 1..`ConsentCodes.MAX_PROVIDER_KIND`.
     * @param emergencyCapable Whether the provider may break the glass.
     */
    function verifyProvider(
        address provider,
        bytes32 licenceHash,
        string calldata name,
        uint8 kind,
        bool emergencyCapable
    ) external;

    /**
     * @notice Deactivates `provider` and starts its next generation: the grants it holds stay stored but never
     * give access again.
     * @dev Only accounts with `REGISTRAR_ROLE`. Reverts for a provider that was never verified. Deactivating an
     * inactive provider moves its generation on again, which changes nothing a grant depends on.
     * @param provider The provider's account.
     */
    function deactivateProvider(address provider) external;

    /// @notice Whether `provider` is currently verified.
    function isActive(address provider) external view returns (bool);

    /// @notice Whether `provider` is currently verified and allowed to break the glass.
    function isEmergencyCapable(address provider) external view returns (bool);

    /**
     * @notice Whether `provider` is currently verified, and its generation, in one call (the ledger's hot path).
     * @return active Whether the provider is verified.
     * @return generation The provider's generation (0 for an unknown account).
     */
    function statusOf(address provider) external view returns (bool active, uint32 generation);

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
