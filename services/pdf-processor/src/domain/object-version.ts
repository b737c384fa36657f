// What a stored version of a statement PDF says about the event that announced it. Pure.

/** The object store's digest (`SHA-256=<base64url>`) of a version, as the hex the events carry. */
export function digestHex(digest: string): string | undefined {
  const prefix = 'SHA-256=';
  if (!digest.startsWith(prefix)) return undefined;
  return Buffer.from(digest.slice(prefix.length), 'base64url').toString('hex');
}

/**
 * The object holds other bytes than the event announced because the same download was put again after the event
 * went out (a job taken up again after a crash reuses the object's name): that later version has an event of its
 * own. Both times come from the scraper's clock, `mtime` set at the end of the put and `downloadedAt` after it.
 */
export function replacedSinceAnnounced(stored: { mtime: string }, payload: { downloadedAt: string }): boolean {
  return Date.parse(stored.mtime) > Date.parse(payload.downloadedAt);
}
