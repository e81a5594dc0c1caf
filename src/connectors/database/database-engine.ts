/**
 * What the RDS connector needs from one database engine (PostgreSQL, MariaDB): list a server's
 * databases, dump one into snapshot files, and load those files into a new database. The
 * connector (database-connector.ts) does the rest: names, metadata, snapshot, cleanup rules.
 */
import type { ConfigSecret, DatabaseEngine } from '../../config/resource-config.js';

/** One server and the login to use (the password stays a ConfigSecret until a child's env). */
export interface DatabaseServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: ConfigSecret | undefined;
}

/** A file of the snapshot (relative name) and its bytes. */
export interface DumpFile {
  readonly name: string;
  readonly open: () => AsyncIterable<Uint8Array>;
}

export interface DatabaseEngineDriver {
  readonly engine: DatabaseEngine;
  /** The user databases of the server (no templates, no system schemas). */
  listDatabases(server: DatabaseServer, signal?: AbortSignal): Promise<readonly string[]>;
  /** The files that hold `database` (main dump first); each file is read once, in order. */
  dumpFiles(server: DatabaseServer, database: string, signal: AbortSignal): readonly DumpFile[];
  /** The name of the main dump file in the snapshot. */
  dumpName(database: string): string;
  /** Creates `database` (empty, marked with `marker`); throws ConnectorError 'Refused' when it exists. */
  createDatabase(server: DatabaseServer, database: string, marker: string, signal: AbortSignal): Promise<void>;
  /** Loads the snapshot's files (by name) into the new database; removes the marker when done. */
  load(
    server: DatabaseServer,
    database: string,
    files: ReadonlyMap<string, () => AsyncIterable<Uint8Array>>,
    signal: AbortSignal,
  ): Promise<{ readonly warnings: readonly string[] }>;
  /** Drops `database` if it carries `marker` (or unconditionally when marker is undefined); true when dropped. */
  dropDatabase(server: DatabaseServer, database: string, marker: string | undefined): Promise<boolean>;
}

/** `database orders on 127.0.0.1:5432` */
export function describeTarget(server: DatabaseServer, database?: string): string {
  const where = `${server.host.includes(':') ? `[${server.host}]` : server.host}:${server.port}`;
  return database === undefined ? `server ${where}` : `database ${database} on ${where}`;
}
