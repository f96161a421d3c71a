import type { Deployment } from "../deployment/deployment";
import { formatSiweMessage } from "./siweMessage";
import type { DisclosureEntry, LogVerification } from "../disclosure/entries";

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

/** An error answered by the gateway: its HTTP status, stable code and message. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "GatewayError";
  }
}

/** The deployment as served by the gateway, with whether it is the local development chain. */
export interface ServedDeployment extends Deployment {
  local: boolean;
}

/** One record in a patient's vault. */
export interface VaultRecord {
  cid: string;
  recordId: string;
  category: number;
  author: string;
  addedAt: string;
  txHash: string;
}

/** One grant between a patient and a provider, as the gateway reads it from the chain. */
export interface GrantView {
  patient: string;
  grantee: string;
  scope: number;
  purpose: number;
  expiresAt: number;
  keyBundle: string;
  live: boolean;
  grantedInTx: string;
}

/** A verified provider from the registry. */
export interface ProviderView {
  address: string;
  name: string;
  active: boolean;
  emergencyCapable: boolean;
  encryptionKey: string;
}

/** An access request and its status. */
export interface AccessRequestView {
  requestId: string;
  patient: string;
  provider: string;
  scope: number;
  purpose: number;
  duration: number;
  status: "pending" | "approved" | "denied";
  requestedInTx: string;
}

/** Chain state of one account. */
export interface AccountView {
  address: string;
  ledgerNonce: string;
  recordNonce: string;
  encryptionKey: string | null;
  guardian: string;
  provider: { name: string; active: boolean; emergencyCapable: boolean; encryptionKey: string } | null;
  roles: { auditor: boolean };
  /** Timestamp of the chain head: the clock grants expire by. */
  chainTime: number;
}

/** One compliance alert from GET /api/audit/alerts. */
export interface AuditAlert {
  severity: string;
  ruleId: string;
  message: string;
  /** What to check it by: txHash, logSeq, block… as the rule found it. */
  evidence: Record<string, unknown>;
  time: string;
}

/**
 * Typed client for the gateway's HTTP API, shared by the web app, scripts and tests. It carries one session
 * token after {@link GatewayClient.signIn}; every non-2xx answer becomes a {@link GatewayError}.
 */
export class GatewayClient {
  private token?: string;

  constructor(
    private readonly baseUrl: string,
    private readonly fetcher: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  /** Signs in with EIP-4361: fetches a nonce, has the wallet sign the message, keeps the session token. */
  async signIn(signer: WalletSigner, chainId: number): Promise<string> {
    const { nonce } = await this.call<{ nonce: string }>("POST", "/api/auth/nonce");
    const url = new URL(this.baseUrl);
    const address = await signer.getAddress();
    const message = formatSiweMessage({
      domain: url.host,
      address,
      statement: "Sign in to the Consent Ledger gateway. This does not grant anyone access to your records.",
      uri: url.origin,
      chainId,
      nonce,
      issuedAt: new Date().toISOString(),
    });
    const signature = await signer.signMessage(message);
    const { token } = await this.call<{ token: string }>("POST", "/api/auth/verify", { message, signature });
    this.token = token;
    return token;
  }

  /** Forgets the session token. */
  signOut(): void {
    this.token = undefined;
  }

  deployment(): Promise<ServedDeployment> {
    return this.call("GET", "/api/deployment");
  }

  account(address: string): Promise<AccountView> {
    return this.call("GET", `/api/accounts/${address}`);
  }

  providers(): Promise<{ providers: ProviderView[] }> {
    return this.call("GET", "/api/providers");
  }

  /** Uploads a record envelope (ciphertext only); returns its CID. */
  uploadRecord(envelope: Uint8Array): Promise<{ cid: string; bytes: number }> {
    return this.call("POST", "/api/records", envelope);
  }

  announceRecord(body: {
    patient: string;
    author: string;
    recordId: string;
    cid: string;
    category: number;
    deadline: number;
    signature: string;
  }): Promise<{ txHash: string }> {
    return this.call("POST", "/api/records/announce", body);
  }

  listRecords(patient: string): Promise<{ patient: string; records: VaultRecord[] }> {
    return this.call("GET", `/api/records?patient=${encodeURIComponent(patient)}`);
  }

  /** Fetches a record's ciphertext; the gateway logs the disclosure first. */
  fetchRecord(cid: string): Promise<Uint8Array> {
    return this.call("GET", `/api/records/${encodeURIComponent(cid)}`, undefined, "bytes");
  }

  uploadKeyBundle(bundle: Uint8Array): Promise<{ cid: string; digest: string }> {
    return this.call("POST", "/api/key-bundles", bundle);
  }

  fetchKeyBundle(digest: string): Promise<Uint8Array> {
    return this.call("GET", `/api/key-bundles/${digest}`, undefined, "bytes");
  }

  relayGrant(body: {
    patient: string;
    grantee: string;
    scope: number;
    purpose: number;
    expiresAt: number;
    keyBundle: string;
    deadline: number;
    signature: string;
  }): Promise<{ txHash: string }> {
    return this.call("POST", "/api/grants", body);
  }

  relayRevoke(body: { patient: string; grantee: string; deadline: number; signature: string }): Promise<{ txHash: string }> {
    return this.call("POST", "/api/grants/revoke", body);
  }

  relayEncryptionKey(body: { account: string; key: string; deadline: number; signature: string }): Promise<{ txHash: string }> {
    return this.call("POST", "/api/accounts/encryption-key", body);
  }

  grants(filter: { patient?: string; grantee?: string }): Promise<{ now: number; grants: GrantView[] }> {
    const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined) as [string, string][]);
    return this.call("GET", `/api/grants?${query.toString()}`);
  }

  relayRevokeAll(body: { patient: string; deadline: number; signature: string }): Promise<{ txHash: string }> {
    return this.call("POST", "/api/grants/revoke-all", body);
  }

  /** Disclosures of a patient's records: the patient's own, or any patient's for an auditor. */
  disclosures(patient: string): Promise<{ disclosures: DisclosureEntry[] }> {
    return this.call("GET", `/api/disclosures?patient=${encodeURIComponent(patient)}`);
  }

  /** The gateway's check of its disclosure log against the roots anchored on-chain. */
  verifyDisclosures(): Promise<LogVerification & { anchoredThrough: number; unanchored: number }> {
    return this.call("GET", "/api/disclosures/verify");
  }

  requests(filter: { patient?: string; provider?: string }): Promise<{ requests: AccessRequestView[] }> {
    const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined) as [string, string][]);
    return this.call("GET", `/api/requests?${query.toString()}`);
  }

  approveRequest(requestId: string, body: { keyBundle: string; deadline: number; signature: string }): Promise<{ txHash: string }> {
    return this.call("POST", `/api/requests/${requestId}/approve`, body);
  }

  denyRequest(requestId: string, body: { deadline: number; signature: string }): Promise<{ txHash: string }> {
    return this.call("POST", `/api/requests/${requestId}/deny`, body);
  }

  escrowKey(): Promise<{ account: string; publicKey: string }> {
    return this.call("GET", "/api/emergency/escrow-key");
  }

  /** While a break-glass window is open: the emergency summary's CID and a key bundle re-wrapped for the caller. */
  emergencySummaryKey(patient: string): Promise<{ cid: string; keyBundle: string; expiresAt: number }> {
    return this.call("GET", `/api/emergency/${patient}`);
  }

  /** A patient's audit export (CSV, JSON, NDJSON, FHIR or HIPAA accounting) as a file: auditors, or the patient themself. */
  async auditExport(query: {
    patient: string;
    format: string;
    provider?: string;
    from?: string;
    to?: string;
  }): Promise<{ blob: Blob; filename: string }> {
    const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== "") as [string, string][]);
    const response = await this.call<Response>("GET", `/api/audit/export?${params.toString()}`, undefined, "response");
    const disposition = response.headers.get("content-disposition") ?? "";
    const filename = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? `audit-${query.patient}.${query.format}`;
    return { blob: await response.blob(), filename };
  }

  /** Compliance alerts over the chain's events and the gateway's disclosure log (auditors only). */
  auditAlerts(): Promise<{ throughBlock: number; alerts: AuditAlert[] }> {
    return this.call("GET", "/api/audit/alerts");
  }

  private async call<T>(method: string, path: string, body?: unknown, as: "json" | "bytes" | "response" = "json"): Promise<T> {
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
      response = await this.fetcher(new URL(path, this.baseUrl), { method, headers, body: payload });
    } catch (err) {
      throw new GatewayError(0, "GATEWAY_UNREACHABLE", `The gateway could not be reached: ${(err as Error).message}`);
    }
    if (!response.ok) {
      const error = await response.json().then(
        (j: { error?: { code?: string; message?: string } }) => j.error,
        () => undefined,
      );
      throw new GatewayError(
        response.status,
        error?.code ?? "HTTP_" + response.status,
        error?.message ?? `The gateway answered ${response.status}.`,
      );
    }
    if (as === "response") return response as T;
    if (as === "bytes") return new Uint8Array(await response.arrayBuffer()) as T;
    return (await response.json()) as T;
  }
}
