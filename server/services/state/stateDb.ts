import { chmodSync, mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/** The gateway's own operational state (not the event index, which can be rebuilt from the chain). */
export type StateDb = Database.Database;

/**
 * Schema of `<dataDir>/gateway.sqlite`. Each concern owns its tables: sign-in nonces spent and sessions ended
 * (sessions.ts), relay gas spent per account and address (relayBudget.ts), uploads not yet announced and uploads
 * refused after their bytes were stored (uploads.ts), signed transactions the relayer sent (txJournal.ts).
 */
const MIGRATIONS = [
  `CREATE TABLE spent_nonces (nonce TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
   CREATE TABLE ended_sessions (jti TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
   CREATE TABLE relay_spend (subject TEXT NOT NULL, window_start INTEGER NOT NULL, gas INTEGER NOT NULL, PRIMARY KEY (subject, window_start));
   CREATE TABLE pending_uploads (cid TEXT NOT NULL, uploader TEXT NOT NULL, bytes INTEGER NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (cid, uploader));
   CREATE INDEX pending_uploads_by_uploader ON pending_uploads (uploader);
   CREATE TABLE tx_journal (hash TEXT PRIMARY KEY, sender TEXT NOT NULL, nonce INTEGER NOT NULL, raw TEXT NOT NULL, label TEXT NOT NULL,
     sent_at INTEGER NOT NULL, mined_block INTEGER);
   CREATE INDEX tx_journal_unmined ON tx_journal (mined_block, sender, nonce);`,
  `CREATE TABLE refused_uploads (uploader TEXT NOT NULL, bytes INTEGER NOT NULL, expires_at INTEGER NOT NULL);
   CREATE INDEX refused_uploads_by_uploader ON refused_uploads (uploader);`,
];

/** Opens (creating and migrating) the gateway's state database in `dataDir`; the file is readable by its owner only. */
export function openStateDb(dataDir: string): StateDb {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, "gateway.sqlite");
  const db = new Database(file);
  chmodSync(file, 0o600);
  // WAL + synchronous FULL: a committed row survives a crash of the process or the machine.
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  const version = db.pragma("user_version", { simple: true }) as number;
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return db;
}
