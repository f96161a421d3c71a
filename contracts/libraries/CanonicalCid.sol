// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title CanonicalCid
 * @notice The one binary form of content identifiers the contracts accept: a CIDv1 of exactly 36 bytes,
 * `0x01 | codec | 0x12 0x20 | sha2-256 digest`, with codec raw (0x55) or dag-pb (0x70), as the project's
 * UnixFS store writes them.
 * @dev Anything else is refused: CIDv0 (a bare multihash), other versions, other codecs (dag-cbor 0x71, …),
 * other hashes (the identity multihash 0x00 would put content on-chain), other digest lengths. Both codec
 * bytes and the multihash header are single-byte varints, so the prefix is a fixed 4 bytes. The text form
 * (base32 `b…`) is the clients' business: the chain only ever sees these bytes.
 */
library CanonicalCid {
    /// @notice Length of a canonical binary CID: 4 prefix bytes + 32 digest bytes.
    uint256 internal constant LENGTH = 36;
    /// @notice Prefix of a raw-codec CID: version 1, codec 0x55, multihash sha2-256 (0x12) of 32 bytes (0x20).
    bytes4 internal constant RAW_PREFIX = 0x01551220;
    /// @notice Prefix of a dag-pb CID: version 1, codec 0x70, multihash sha2-256 of 32 bytes.
    bytes4 internal constant DAG_PB_PREFIX = 0x01701220;

    /**
     * @dev Whether `cid` is a canonical binary CID, and if so the sha2-256 digest it names (zero otherwise).
     * Two CIDs of the same content under the two codecs name different blocks, hence different digests.
     */
    function digestOf(bytes calldata cid) internal pure returns (bool valid, bytes32 digest) {
        if (cid.length != LENGTH) return (false, bytes32(0));
        bytes4 prefix = bytes4(cid[0:4]);
        if (prefix != RAW_PREFIX && prefix != DAG_PB_PREFIX) return (false, bytes32(0));
        return (true, bytes32(cid[4:LENGTH]));
    }
}
