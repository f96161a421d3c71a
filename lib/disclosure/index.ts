export * from "./entries";
export * from "./anchoring";
