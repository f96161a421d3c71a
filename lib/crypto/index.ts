/** Record crypto: envelopes, key wrapping, wallet-derived and category keys, key directories and key bundles. Isomorphic (browser, Node). */
export * from "./errors";
export * from "./bytes";
export * from "./address";
export * from "./keywrap";
export * from "./envelope";
export * from "./walletKeys";
export * from "./fields";
export * from "./contexts";
export * from "./categoryKeys";
export * from "./keyDirectory";
export * from "./keyBundle";
