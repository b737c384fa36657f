/** Replication state a local database file carries in its `sync_meta` table. */
export interface LocalSyncState {
  changeSeq: number;
  uploadedChangeSeq: number;
  /** Generation in S3 this file was last uploaded as or restored from (0: never). */
  syncedGeneration: number;
}

export interface RemoteManifestRef {
  generation: number;
}

export type UploadDecision =
  | { action: 'up-to-date' }
  | { action: 'upload'; generation: number }
  /** S3 holds a generation this file never saw: uploading would overwrite newer data. */
  | { action: 'conflict'; remoteGeneration: number };

export function decideUpload(local: LocalSyncState, remote: RemoteManifestRef | undefined): UploadDecision {
  if (remote && remote.generation > local.syncedGeneration) {
    return { action: 'conflict', remoteGeneration: remote.generation };
  }
  const remoteMatches = remote ? remote.generation === local.syncedGeneration : local.syncedGeneration === 0;
  if (local.changeSeq === local.uploadedChangeSeq && remoteMatches) return { action: 'up-to-date' };
  return { action: 'upload', generation: Math.max(remote?.generation ?? 0, local.syncedGeneration) + 1 };
}

export type RestoreDecision = 'keep-local' | 'restore' | 'restore-keeping-local-copy' | 'nothing-remote';

/** Restores when the local file is missing or older than the manifest; local changes never uploaded are kept aside. */
export function decideRestore(
  local: LocalSyncState | undefined,
  remote: RemoteManifestRef | undefined,
): RestoreDecision {
  if (!remote) return 'nothing-remote';
  if (!local) return 'restore';
  if (local.syncedGeneration >= remote.generation) return 'keep-local';
  return local.changeSeq > local.uploadedChangeSeq ? 'restore-keeping-local-copy' : 'restore';
}
