import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/** The event index's SQLite database. */
export type IndexDb = Database.Database;

/**
 * Bumped whenever the tables or the meaning of a column change: an index of another version is rebuilt from the
 * chain (it is a cache of the ledger, never the only copy of anything).
 */
const SCHEMA_VERSION = "3";

/**
 * `events` holds every decoded event of the deployment in chain order (the source of truth of the index); the other
 * tables are folded from it, so a reorg deletes the orphaned events and refolds. `a1`/`a2` are the lower-case
 * addresses an event concerns (patient, then grantee/provider/author/account), for the per-address feed.
 */
const TABLES = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blocks (number INTEGER PRIMARY KEY, hash TEXT NOT NULL, time INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  block INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  kind TEXT NOT NULL,
  a1 TEXT,
  a2 TEXT,
  category INTEGER,
  body TEXT NOT NULL,
  UNIQUE (block, log_index)
);
CREATE INDEX IF NOT EXISTS events_by_kind_a1 ON events (kind, a1, seq);
CREATE INDEX IF NOT EXISTS events_by_a1 ON events (a1, seq);
CREATE INDEX IF NOT EXISTS events_by_a2 ON events (a2, seq);
CREATE TABLE IF NOT EXISTS grant_pairs (
  patient TEXT NOT NULL,
  grantee TEXT NOT NULL,
  grant_seq INTEGER NOT NULL,
  revoke_seq INTEGER NOT NULL DEFAULT 0,
  scope INTEGER NOT NULL,
  purpose INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  key_bundle TEXT NOT NULL,
  tx TEXT NOT NULL,
  block INTEGER NOT NULL,
  PRIMARY KEY (patient, grantee)
);
CREATE INDEX IF NOT EXISTS grants_by_patient ON grant_pairs (patient, grant_seq);
CREATE INDEX IF NOT EXISTS grants_by_grantee ON grant_pairs (grantee, grant_seq);
CREATE TABLE IF NOT EXISTS patient_epochs (patient TEXT PRIMARY KEY, revoke_all_seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS providers (
  address TEXT PRIMARY KEY,
  checksummed TEXT NOT NULL,
  name TEXT NOT NULL,
  kind INTEGER NOT NULL,
  emergency INTEGER NOT NULL,
  active INTEGER NOT NULL,
  deactivated_seq INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS providers_by_name ON providers (name, address);
CREATE TABLE IF NOT EXISTS account_keys (account TEXT PRIMARY KEY, key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS requests (
  request_id INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL,
  patient TEXT NOT NULL,
  provider TEXT NOT NULL,
  scope INTEGER NOT NULL,
  purpose INTEGER NOT NULL,
  duration INTEGER NOT NULL,
  status TEXT NOT NULL,
  tx TEXT NOT NULL,
  block INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS requests_by_patient ON requests (patient, seq);
CREATE INDEX IF NOT EXISTS requests_by_provider ON requests (provider, seq);
`;

/** The tables folded from `events` (emptied and refolded after a reorg). */
export const FOLDED_TABLES = ["grant_pairs", "patient_epochs", "providers", "account_keys", "requests"] as const;

/**
 * Opens (or creates) the index database in `dataDir`. `identity` names the ledger it indexes (chain id and contract
 * addresses): an index of another ledger or schema version is dropped and rebuilt, never mixed.
 */
export function openIndexDb(dataDir: string, identity: string): IndexDb {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, "index.sqlite"));
  // WAL: readers (list requests) never wait for the follower's writes; NORMAL sync is enough for a rebuildable cache.
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  const get = (key: string): string | undefined =>
    (db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined)?.value;
  if (get("schema") !== SCHEMA_VERSION || get("ledger") !== identity) {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{
      name: string;
    }>;
    db.transaction(() => {
      for (const { name } of tables) db.exec(`DROP TABLE "${name}"`);
    })();
  }
  db.exec(TABLES);
  db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?), ('ledger', ?)").run(SCHEMA_VERSION, identity);
  return db;
}
