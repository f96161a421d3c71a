/** Record crypto: envelopes, key wrapping, wallet-derived keys and key bundles. Isomorphic (browser, Node). */
export * from "./errors";
export * from "./bytes";
export * from "./address";
export * from "./keywrap";
export * from "./envelope";
export * from "./walletKeys";
export * from "./keyBundle";
