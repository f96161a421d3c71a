/** Content identifiers: the one canonical CID form, its on-chain bytes, and checks of bytes against CIDs. Isomorphic. */
export * from "./errors";
export * from "./cid";
export * from "./verifyContent";
