// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title ConsentCodes
 * @notice The numbering shared by the contracts, the gateway and the web client: record categories,
 * the write flag of a grant's scope, and the purpose-of-use codes.
 *
 * @dev A grant's `scope` is a `uint32` bitmask. Bit `i` (for `i` in `0..MAX_CATEGORY`) opens record
 * category `i`; bit {WRITE_BIT} (31) lets the grantee add records of the granted categories to the
 * patient's vault. Bits 13..30 are reserved: a scope that sets any of them, or that sets no category
 * bit at all, is invalid.
 *
 * Purposes are the HL7 v3 `PurposeOfUse` codes below; `0` and anything above {MAX_PURPOSE} are invalid.
 *
 * Provider kinds say what a verified provider is (the registry stores one per provider); `0` and anything
 * above {MAX_PROVIDER_KIND} are invalid.
 */
library ConsentCodes {
    // ---------------------------------------------------------------- record categories (bit indexes)

    /// @notice Name, birth date, sex, contact details.
    uint8 internal constant DEMOGRAPHICS = 0;
    /// @notice Problem list, diagnoses.
    uint8 internal constant PROBLEMS = 1;
    /// @notice Allergies and intolerances.
    uint8 internal constant ALLERGIES = 2;
    /// @notice Medication statements and prescriptions.
    uint8 internal constant MEDICATIONS = 3;
    /// @notice Laboratory results.
    uint8 internal constant LABS = 4;
    /// @notice Imaging studies and reports.
    uint8 internal constant IMAGING = 5;
    /// @notice Immunizations.
    uint8 internal constant IMMUNIZATIONS = 6;
    /// @notice Clinical notes.
    uint8 internal constant NOTES = 7;
    /// @notice Mental health (sensitive).
    uint8 internal constant MENTAL_HEALTH = 8;
    /// @notice Sexual and reproductive health (sensitive).
    uint8 internal constant SEXUAL_REPRODUCTIVE = 9;
    /// @notice Genetic data (sensitive).
    uint8 internal constant GENETIC = 10;
    /// @notice Substance use (sensitive, 42 CFR Part 2).
    uint8 internal constant SUBSTANCE_USE = 11;
    /// @notice Emergency summary (International Patient Summary); the only category break-glass opens.
    uint8 internal constant EMERGENCY_SUMMARY = 12;
    /// @notice Highest valid category index.
    uint8 internal constant MAX_CATEGORY = 12;

    // ---------------------------------------------------------------- scope flags

    /// @notice Bit index of the write flag in a scope.
    uint8 internal constant WRITE_BIT = 31;
    /// @notice The write flag as a mask: the grantee may add records of the granted categories.
    uint32 internal constant WRITE = uint32(1) << WRITE_BIT;
    /// @notice Mask of all category bits (0..MAX_CATEGORY).
    uint32 internal constant CATEGORY_MASK = (uint32(1) << (MAX_CATEGORY + 1)) - 1;
    /// @notice Mask of every bit a valid scope may set.
    uint32 internal constant VALID_SCOPE_MASK = CATEGORY_MASK | WRITE;

    // ---------------------------------------------------------------- purpose of use (HL7 v3)

    /// @notice Treatment.
    uint8 internal constant TREAT = 1;
    /// @notice Emergency treatment.
    uint8 internal constant ETREAT = 2;
    /// @notice Break the glass.
    uint8 internal constant BTG = 3;
    /// @notice Healthcare payment.
    uint8 internal constant HPAYMT = 4;
    /// @notice Healthcare operations.
    uint8 internal constant HOPERAT = 5;
    /// @notice Healthcare research.
    uint8 internal constant HRESCH = 6;
    /// @notice Patient requested.
    uint8 internal constant PATRQT = 7;
    /// @notice Care management.
    uint8 internal constant CAREMGT = 8;
    /// @notice Public health.
    uint8 internal constant PUBHLTH = 9;
    /// @notice Highest valid purpose code.
    uint8 internal constant MAX_PURPOSE = 9;

    // ---------------------------------------------------------------- provider kinds

    /// @notice A clinician (physician, nurse practitioner, ER): reads and, with WRITE, adds clinical records.
    uint8 internal constant PROVIDER_CLINICIAN = 1;
    /// @notice A pharmacy: receives prescriptions, records dispenses.
    uint8 internal constant PROVIDER_PHARMACY = 2;
    /// @notice A laboratory: receives orders, adds results.
    uint8 internal constant PROVIDER_LABORATORY = 3;
    /// @notice Highest valid provider kind.
    uint8 internal constant MAX_PROVIDER_KIND = 3;

    // ---------------------------------------------------------------- helpers

    /// @dev True iff `scope` sets at least one category bit and no reserved bit.
    function isValidScope(uint32 scope) internal pure returns (bool) {
        return scope & CATEGORY_MASK != 0 && scope & ~VALID_SCOPE_MASK == 0;
    }

    /// @dev True iff `purpose` is one of the codes 1..MAX_PURPOSE.
    function isValidPurpose(uint8 purpose) internal pure returns (bool) {
        return purpose != 0 && purpose <= MAX_PURPOSE;
    }

    /// @dev True iff `category` is a defined category index.
    function isValidCategory(uint8 category) internal pure returns (bool) {
        return category <= MAX_CATEGORY;
    }

    /// @dev True iff `scope` opens `category`. Does not check that `category` is valid.
    function covers(uint32 scope, uint8 category) internal pure returns (bool) {
        return (scope >> category) & 1 == 1;
    }

    /// @dev True iff `scope` carries the write flag.
    function canWrite(uint32 scope) internal pure returns (bool) {
        return scope & WRITE != 0;
    }

    /// @dev True iff `reasonCode` may open break-glass access (ETREAT or BTG).
    function isEmergencyReason(uint8 reasonCode) internal pure returns (bool) {
        return reasonCode == ETREAT || reasonCode == BTG;
    }

    /// @dev True iff `kind` is one of the provider kinds 1..MAX_PROVIDER_KIND.
    function isValidProviderKind(uint8 kind) internal pure returns (bool) {
        return kind != 0 && kind <= MAX_PROVIDER_KIND;
    }
}
