import type Database from 'better-sqlite3';

/**
 * Prepares a repository's statements once per database connection, on first use: a connection compiles each SQL
 * text once, however many events it stores. Entries go with their connection.
 */
export function preparedPerConnection<T>(prepare: (sqlite: Database.Database) => T): (sqlite: Database.Database) => T {
  const cache = new WeakMap<Database.Database, T>();
  return (sqlite) => {
    let prepared = cache.get(sqlite);
    if (!prepared) {
      prepared = prepare(sqlite);
      cache.set(sqlite, prepared);
    }
    return prepared;
  };
}
