// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/**
 * @title BoundedSignatureChecker
 * @notice Signature checks for relayed calls whose ERC-1271 part cannot spend more than a fixed amount of gas.
 * @dev Written here rather than taken from OpenZeppelin because OpenZeppelin 5.7's `SignatureChecker` forwards
 * all remaining gas to `isValidSignature`: a contract "patient" whose check loops then makes every relayed call
 * cost the relayer the whole transaction's gas (4.8M gas was measured), again and again with the same junk
 * signature. Here the STATICCALL gets at most `gasLimit` gas, and only the first word of the answer is copied,
 * so a wallet cannot make the caller pay to copy a huge return either. ECDSA is still OpenZeppelin's
 * `tryRecoverCalldata`, which refuses malleable (high-s) signatures.
 *
 * A wallet that needs more than `gasLimit` is refused. Under the EIP-150 63/64 rule a call given less than about
 * `gasLimit * 64 / 63` gas passes the wallet less; a refused signature reverts the whole relayed call, so a
 * relayer that starves its own transaction only wastes its own gas.
 */
library BoundedSignatureChecker {
    /**
     * @dev Whether `signature` over `hash` is `signer`'s: an ECDSA signature by the key of `signer`, or else an
     * ERC-1271 approval by the account `signer` within `gasLimit` gas. ECDSA is tried first, which spares an
     * EXTCODESIZE for the common case; an account without code answers the ERC-1271 call with nothing (refused).
     */
    function isValidSignatureNowCalldata(
        address signer,
        bytes32 hash,
        bytes calldata signature,
        uint256 gasLimit
    ) internal view returns (bool) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(hash, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == signer) return true;
        return isValidERC1271SignatureNowCalldata(signer, hash, signature, gasLimit);
    }

    /**
     * @dev Whether the account `signer` approves `signature` over `hash` through ERC-1271 `isValidSignature`,
     * giving it at most `gasLimit` gas. True only if the call succeeds and returns at least one word that is
     * exactly the ERC-1271 magic value (left-aligned, the rest zero).
     */
    function isValidERC1271SignatureNowCalldata(
        address signer,
        bytes32 hash,
        bytes calldata signature,
        uint256 gasLimit
    ) internal view returns (bool result) {
        bytes memory data = abi.encodeCall(IERC1271.isValidSignature, (hash, signature));
        bytes4 magic = IERC1271.isValidSignature.selector;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            // Scratch space receives the answer's first word; nothing else of the return data is copied.
            mstore(0x00, 0)
            let success := staticcall(gasLimit, signer, add(data, 0x20), mload(data), 0x00, 0x20)
            result := and(success, and(gt(returndatasize(), 0x1f), eq(mload(0x00), magic)))
        }
    }
}
