/* global module */
// solidity-coverage settings for `npm run coverage`, which runs the contract tests only (test/contracts).
module.exports = {
  // Test-only helpers (probes, hostile and ERC-1271 wallets) are not part of the product.
  skipFiles: ["mocks/"],
};
