/**
 * The auditor's library: reconstruct every grant, revocation, request, emergency access and disclosure from the
 * chain and the anchored disclosure log, export them (CSV, JSON, FHIR R4, accounting of disclosures) and watch them
 * (compliance rules). Isomorphic: ethers and pure TypeScript only, usable by the CLI, the gateway and the web app.
 */
export * from "./errors";
export * from "./args";
export * from "./reconstruct";
export * from "./directory";
export * from "./disclosures";
export * from "./rows";
export * from "./exportCsv";
export * from "./exportJson";
export * from "./exportFhir";
export * from "./fhirCodes";
export * from "./accounting";
export * from "./monitor";
export * from "./query";
export * from "./watch";
export * from "./rpc";
