import type { LedgerEvent } from "../../../lib/audit/events";
import { FOLDED_TABLES, type IndexDb } from "./indexDb";

/** Events read at a time when folding the whole index again. */
const REFOLD_PAGE = 1000;

/** The addresses (lower case) and category an event is found by. */
function keysOf(event: LedgerEvent): { a1?: string; a2?: string; category?: number } {
  const lower = (a: string): string => a.toLowerCase();
  switch (event.kind) {
    case "grant":
    case "revoke":
      return { a1: lower(event.patient), a2: lower(event.grantee) };
    case "request":
    case "approve":
    case "deny":
    case "emergency":
      return { a1: lower(event.patient), a2: lower(event.provider) };
    case "record":
      return { a1: lower(event.patient), a2: lower(event.author), category: event.category };
    case "revokeAll":
    case "emergencyPolicy":
      return { a1: lower(event.patient) };
    case "guardian":
      return { a1: lower(event.patient), a2: lower(event.guardian) };
    case "encryptionKey":
    case "keyDirectory":
      return { a1: lower(event.account) };
    case "providerVerified":
    case "providerDeactivated":
      return { a1: lower(event.provider) };
    case "roleGranted":
    case "roleRevoked":
      return { a1: lower(event.account) };
    case "anchor":
      return { a1: lower(event.gateway) };
    case "other":
      return {};
  }
}

/**
 * Writes events into the index and folds them into the list tables. Prepared once per database; every method runs
 * inside the caller's transaction, so a page of events and the cursor that follows it commit together.
 */
export class EventFold {
  private readonly insert;
  private readonly statements;

  constructor(private readonly db: IndexDb) {
    this.insert = db.prepare(
      "INSERT OR IGNORE INTO events (block, log_index, kind, a1, a2, category, body) VALUES (@block, @logIndex, @kind, @a1, @a2, @category, @body)",
    );
    this.statements = {
      grant: db.prepare(
        `INSERT INTO grant_pairs (patient, grantee, grant_seq, revoke_seq, scope, purpose, expires_at, key_bundle, tx, block)
         VALUES (@patient, @grantee, @seq, 0, @scope, @purpose, @expiresAt, @keyBundle, @tx, @block)
         ON CONFLICT (patient, grantee) DO UPDATE SET grant_seq = @seq, revoke_seq = 0, scope = @scope, purpose = @purpose,
           expires_at = @expiresAt, key_bundle = @keyBundle, tx = @tx, block = @block`,
      ),
      revoke: db.prepare("UPDATE grant_pairs SET revoke_seq = @seq WHERE patient = @patient AND grantee = @grantee"),
      revokeAll: db.prepare(
        "INSERT INTO patient_epochs (patient, revoke_all_seq) VALUES (@patient, @seq) ON CONFLICT (patient) DO UPDATE SET revoke_all_seq = @seq",
      ),
      verified: db.prepare(
        `INSERT INTO providers (address, checksummed, name, kind, emergency, active, deactivated_seq)
         VALUES (@address, @checksummed, @name, @kind, @emergency, 1, 0)
         ON CONFLICT (address) DO UPDATE SET name = @name, kind = @kind, emergency = @emergency, active = 1`,
      ),
      deactivated: db.prepare("UPDATE providers SET active = 0, deactivated_seq = @seq WHERE address = @address"),
      key: db.prepare("INSERT INTO account_keys (account, key) VALUES (@account, @key) ON CONFLICT (account) DO UPDATE SET key = @key"),
      request: db.prepare(
        `INSERT OR REPLACE INTO requests (request_id, seq, patient, provider, scope, purpose, duration, status, tx, block)
         VALUES (@requestId, @seq, @patient, @provider, @scope, @purpose, @duration, 'pending', @tx, @block)`,
      ),
      requestStatus: db.prepare("UPDATE requests SET status = @status WHERE request_id = @requestId"),
    };
  }

  /** Stores one event (once: a re-read page is ignored) and folds it; returns false when it was already indexed. */
  add(event: LedgerEvent): boolean {
    const { a1, a2, category } = keysOf(event);
    const result = this.insert.run({
      block: event.blockNumber,
      logIndex: event.logIndex,
      kind: event.kind,
      a1: a1 ?? null,
      a2: a2 ?? null,
      category: category ?? null,
      body: JSON.stringify(event),
    });
    if (result.changes === 0) return false;
    this.fold(event, Number(result.lastInsertRowid));
    return true;
  }

  /** Empties the folded tables and folds every stored event again, in chain order (after a reorg). */
  refold(): void {
    for (const table of FOLDED_TABLES) this.db.exec(`DELETE FROM ${table}`);
    // Read in pages, not through an open iterator: better-sqlite3 refuses the fold's writes while one is open on the
    // connection ("busy executing a query"), which made every rollback fail and left orphaned events listed.
    const page = this.db.prepare(
      "SELECT seq, block, log_index, body FROM events WHERE (block, log_index) > (?, ?) ORDER BY block, log_index LIMIT ?",
    );
    for (let after = { block: -1, logIndex: -1 }; ;) {
      const rows = page.all(after.block, after.logIndex, REFOLD_PAGE) as Array<{
        seq: number;
        block: number;
        log_index: number;
        body: string;
      }>;
      for (const row of rows) this.fold(JSON.parse(row.body) as LedgerEvent, row.seq);
      if (rows.length < REFOLD_PAGE) return;
      const last = rows[rows.length - 1];
      after = { block: last.block, logIndex: last.log_index };
    }
  }

  private fold(event: LedgerEvent, seq: number): void {
    const s = this.statements;
    const where = { seq, tx: event.txHash, block: event.blockNumber };
    switch (event.kind) {
      case "grant":
        s.grant.run({
          ...where,
          patient: event.patient.toLowerCase(),
          grantee: event.grantee.toLowerCase(),
          scope: event.scope,
          purpose: event.purpose,
          expiresAt: event.expiresAt,
          keyBundle: event.keyBundle,
        });
        break;
      case "revoke":
        s.revoke.run({ seq, patient: event.patient.toLowerCase(), grantee: event.grantee.toLowerCase() });
        break;
      case "revokeAll":
        s.revokeAll.run({ seq, patient: event.patient.toLowerCase() });
        break;
      case "providerVerified":
        s.verified.run({
          address: event.provider.toLowerCase(),
          checksummed: event.provider,
          name: event.name,
          kind: event.providerKind,
          emergency: event.emergencyCapable ? 1 : 0,
        });
        break;
      case "providerDeactivated":
        s.deactivated.run({ seq, address: event.provider.toLowerCase() });
        break;
      case "encryptionKey":
        s.key.run({ account: event.account.toLowerCase(), key: event.key });
        break;
      case "request":
        s.request.run({
          ...where,
          requestId: event.requestId,
          patient: event.patient.toLowerCase(),
          provider: event.provider.toLowerCase(),
          scope: event.scope,
          purpose: event.purpose,
          duration: event.duration,
        });
        break;
      case "approve":
        s.requestStatus.run({ requestId: event.requestId, status: "approved" });
        break;
      case "deny":
        s.requestStatus.run({ requestId: event.requestId, status: "denied" });
        break;
      default:
        break;
    }
  }
}
