import type { z } from "zod";
import { API, type Operation } from "../api";
import { isApiErrorCode } from "../api/errors";
import { fillPath, type RouteDef, type RouteInput, type RouteOutput } from "../api/route";
import type {
  accessRequestView,
  accountView,
  alertView,
  deploymentView,
  disclosureView,
  grantView,
  logVerificationView,
  providerView,
  vaultRecordView,
} from "../api/views";
import { ClientError, GatewayError } from "./errors";
import { formatSiweMessage } from "./siweMessage";

export { ClientError, GatewayError } from "./errors";

/** What a wallet must be able to do to use the gateway (an ethers Wallet or a BrowserProvider signer). */
export interface WalletSigner {
  getAddress(): Promise<string>;
  signMessage(message: string): Promise<string>;
  signTypedData(
    domain: object,
    types: Record<string, Array<{ name: string; type: string }>>,
    value: Record<string, unknown>,
  ): Promise<string>;
}

/** Types of the gateway's answers, inferred from the API's schemas (never written twice). */
export type ServedDeployment = z.output<typeof deploymentView>;
export type VaultRecord = z.output<typeof vaultRecordView>;
export type GrantView = z.output<typeof grantView>;
export type ProviderView = z.output<typeof providerView>;
export type AccessRequestView = z.output<typeof accessRequestView>;
export type AccountView = z.output<typeof accountView>;
export type DisclosureView = z.output<typeof disclosureView>;
export type LogVerificationView = z.output<typeof logVerificationView>;
export type AuditAlert = z.output<typeof alertView>;

/** The input of an operation: its body, query and path parameters as the API declares them. */
export type OperationInput<O extends Operation> = RouteInput<(typeof API)[O]>;
/** The answer of an operation. */
export type OperationOutput<O extends Operation> = RouteOutput<(typeof API)[O]>;
/** The operations whose whole input is a JSON body (the relays of signed messages, the record announcement). */
type BodyOperation = {
  [O in Operation]: [keyof OperationInput<O>] extends ["body"] ? ("body" extends keyof OperationInput<O> ? O : never) : never;
}[Operation];

/** A client-side sign-in statement: what the wallet shows the person. */
const SIGN_IN_STATEMENT = "Sign in to the Consent Ledger gateway. This does not grant anyone access to your records.";

/**
 * Typed client of the gateway's HTTP API, shared by the web app, scripts and tests, built from the same declarations
 * the gateway serves (`lib/api`). Every answer is parsed with the route's schema; a non-2xx answer becomes a
 * {@link GatewayError} with the gateway's own code; failures found here are {@link ClientError}s.
 *
 * @example
 * const client = new GatewayClient("http://127.0.0.1:8787");
 * await client.signIn(wallet, 31337);
 * const { records } = await client.listRecords(patientAddress);
 */
export class GatewayClient {
  private token?: string;

  constructor(
    readonly baseUrl: string,
    private readonly fetcher: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  /** An operation whose whole input is its body, as a method taking that body. */
  private withBody<O extends BodyOperation>(
    operation: O,
  ): (body: (OperationInput<O> & { body: unknown })["body"]) => Promise<OperationOutput<O>> {
    return (body) => this.call(operation, { body } as OperationInput<O>);
  }

  /** The session token after sign-in (e.g. to authenticate the development wallet's RPC calls). */
  get sessionToken(): string | undefined {
    return this.token;
  }

  /** Calls one operation of the API by name, with its declared input; resolves with its parsed answer. */
  async call<O extends Operation>(operation: O, input: OperationInput<O>, rawBody?: Uint8Array): Promise<OperationOutput<O>> {
    const route = API[operation] as RouteDef;
    const parts = input as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };
    let path = fillPath(route.path, parts.params);
    if (parts.query !== undefined) {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(parts.query)) if (value !== undefined) query.set(key, String(value));
      const text = query.toString();
      if (text !== "") path += `?${text}`;
    }
    const response = await this.send(route.method.toUpperCase(), path, rawBody ?? parts.body);
    if (!("schema" in route.response)) return new Uint8Array(await response.arrayBuffer()) as OperationOutput<O>;
    const parsed = route.response.schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new ClientError("BAD_RESPONSE", `The gateway's answer to ${operation} is not what its API declares.`);
    return parsed.data as OperationOutput<O>;
  }

  /**
   * Signs in with EIP-4361: fetches a nonce, has the wallet sign a message naming this gateway's origin (the URL the
   * client was given) and chain, and keeps the session token. The nonce's answer says which origin and chain the
   * gateway signs people in for; when they are not the client's, this fails before the wallet is asked to sign
   * (ClientError WRONG_ORIGIN or WRONG_CHAIN). The client never signs for the origin the gateway names instead of its
   * own: a sign-in message names the site it is for so that another site cannot collect it.
   */
  async signIn(signer: WalletSigner, chainId: number): Promise<string> {
    const { nonce, ...served } = await this.call("issueNonce", {});
    const url = new URL(this.baseUrl);
    if (served.domain !== url.host || served.uri !== url.origin) {
      throw new ClientError(
        "WRONG_ORIGIN",
        `The gateway at ${url.origin} signs people in as ${served.uri}: connect to it by that URL (its PUBLIC_ORIGIN).`,
      );
    }
    if (served.chainId !== chainId) {
      throw new ClientError("WRONG_CHAIN", `The gateway signs people in for chain ${served.chainId}, not chain ${chainId}.`);
    }
    const issuedAt = new Date();
    const message = formatSiweMessage({
      domain: url.host,
      address: await signer.getAddress(),
      statement: SIGN_IN_STATEMENT,
      uri: url.origin,
      chainId,
      nonce,
      issuedAt: issuedAt.toISOString(),
      expirationTime: new Date(issuedAt.getTime() + 8 * 3600_000).toISOString(),
    });
    const signature = await signer.signMessage(message);
    const { token } = await this.call("signIn", { body: { message, signature } });
    this.token = token;
    return token;
  }

  /** Ends the session on the gateway (its token is refused from now on) and forgets it. */
  async signOut(): Promise<void> {
    if (this.token === undefined) return;
    try {
      await this.call("signOut", {});
    } finally {
      this.token = undefined;
    }
  }

  deployment() {
    return this.call("deployment", {});
  }

  account(address: string) {
    return this.call("account", { params: { address } });
  }

  providers(query: OperationInput<"providers">["query"] = {}) {
    return this.call("providers", { query });
  }

  /** Uploads a record envelope (ciphertext only); returns its CID. */
  uploadRecord(envelope: Uint8Array) {
    return this.call("uploadRecord", {}, envelope);
  }

  announceRecord = this.withBody("announceRecord");

  /** A page of a patient's vault (newest first): all of it for the patient, the granted categories for a provider. */
  listRecords(patient: string, query: Omit<OperationInput<"listRecords">["query"], "patient"> = {}) {
    return this.call("listRecords", { query: { ...query, patient } });
  }

  /** Fetches a record's ciphertext; the gateway logs the disclosure first. Verify it against its CID before use. */
  fetchRecord(cid: string) {
    return this.call("fetchRecord", { params: { cid } });
  }

  uploadKeyBundle(bundle: Uint8Array) {
    return this.call("uploadKeyBundle", {}, bundle);
  }

  /** A key bundle's bytes; verify them against the digest the grant event carries before use. */
  fetchKeyBundle(digest: string) {
    return this.call("fetchKeyBundle", { params: { digest } });
  }

  uploadKeyDirectory(directory: Uint8Array) {
    return this.call("uploadKeyDirectory", {}, directory);
  }

  /** A key directory's bytes; verify them against the digest the ledger holds before use. */
  fetchKeyDirectory(digest: string) {
    return this.call("fetchKeyDirectory", { params: { digest } });
  }

  /** Each relays a signed message: the gateway's account sends the `…BySig` call and pays for it. */
  relayGrant = this.withBody("relayGrant");
  relayRevoke = this.withBody("relayRevoke");
  relayRevokeAll = this.withBody("relayRevokeAll");
  relayEncryptionKey = this.withBody("relayEncryptionKey");
  relayKeyDirectory = this.withBody("relayKeyDirectory");

  /** A page of grants issued by `patient` or held by `grantee`, with their state. */
  grants(query: OperationInput<"listGrants">["query"]) {
    return this.call("listGrants", { query });
  }

  /** A page of the disclosures of a patient's records: the patient's own, or any patient's for an auditor. */
  disclosures(patient: string | undefined, query: Omit<OperationInput<"disclosures">["query"], "patient"> = {}) {
    return this.call("disclosures", { query: { ...query, patient } });
  }

  /** The gateway's check of its disclosure log against the roots anchored on-chain (auditors and operators). */
  verifyDisclosures() {
    return this.call("verifyDisclosures", {});
  }

  requests(query: OperationInput<"listRequests">["query"]) {
    return this.call("listRequests", { query });
  }

  approveRequest(requestId: string, body: OperationInput<"approveRequest">["body"]) {
    return this.call("approveRequest", { params: { requestId }, body });
  }

  denyRequest(requestId: string, body: OperationInput<"denyRequest">["body"]) {
    return this.call("denyRequest", { params: { requestId }, body });
  }

  escrowKey() {
    return this.call("escrowKey", {});
  }

  /** While a break-glass window is open: the emergency summary's CID and its key re-wrapped for the caller (logged). */
  emergencySummaryKey(patient: string, justification: string) {
    return this.call("emergencySummaryKey", { params: { patient }, body: { justification } });
  }

  /** A patient's audit export (CSV, JSON, NDJSON, FHIR or HIPAA accounting) as a file: auditors, or the patient themself. */
  async auditExport(query: OperationInput<"auditExport">["query"]): Promise<{ blob: Blob; filename: string }> {
    const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== "") as [string, string][]);
    const response = await this.send("GET", `${API.auditExport.path}?${params.toString()}`);
    const disposition = response.headers.get("content-disposition") ?? "";
    const filename = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? `audit-${query.patient}.${query.format ?? "json"}`;
    return { blob: await response.blob(), filename };
  }

  /** Compliance alerts over the ledger's events and the gateway's disclosure log (auditors only). */
  auditAlerts() {
    return this.call("auditAlerts", {});
  }

  /**
   * Opens the live-update stream (Server-Sent Events) with the session token in the Authorization header — EventSource
   * cannot send it, so this is a fetch whose body the caller reads; see {@link readEventStream}. `since` resumes after
   * the last event id received; `signal` closes the stream.
   */
  openEventStream(since?: string, signal?: AbortSignal): Promise<Response> {
    const query = since === undefined ? "" : `?${new URLSearchParams({ since }).toString()}`;
    return this.send("GET", `${API.events.path}${query}`, undefined, signal);
  }

  /** Sends one request; a non-2xx answer becomes the gateway's own GatewayError. */
  private async send(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    let payload: BodyInit | undefined;
    if (body instanceof Uint8Array) {
      headers["content-type"] = "application/octet-stream";
      payload = body as unknown as BodyInit;
    } else if (body !== undefined) {
      headers["content-type"] = "application/json";
      payload = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await this.fetcher(new URL(path, this.baseUrl), { method, headers, body: payload, signal });
    } catch (err) {
      throw new ClientError("GATEWAY_UNREACHABLE", `The gateway at ${this.baseUrl} could not be reached: ${(err as Error).message}`);
    }
    if (response.ok) return response;
    const error = await response.json().then(
      (j: { error?: { code?: unknown; message?: unknown; field?: unknown; reason?: unknown; contractError?: unknown } }) => j.error,
      () => undefined,
    );
    if (error === undefined || !isApiErrorCode(error.code) || typeof error.message !== "string") {
      throw new ClientError("BAD_RESPONSE", `The gateway answered ${response.status} without its error body.`);
    }
    throw new GatewayError(response.status, error.code, error.message, {
      field: typeof error.field === "string" ? error.field : undefined,
      reason: typeof error.reason === "string" ? error.reason : undefined,
      contractError: typeof error.contractError === "string" ? error.contractError : undefined,
    });
  }
}
