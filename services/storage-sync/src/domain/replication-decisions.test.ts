import { describe, expect, it } from 'vitest';
import { decideRestore, decideUpload } from './replication-decisions.js';

describe('upload decision', () => {
  it('uploads the next generation after the remote one', () => {
    expect(decideUpload({ changeSeq: 5, uploadedChangeSeq: 3, syncedGeneration: 2 }, { generation: 2 })).toEqual({
      action: 'upload',
      generation: 3,
    });
    expect(decideUpload({ changeSeq: 1, uploadedChangeSeq: 0, syncedGeneration: 0 }, undefined)).toEqual({
      action: 'upload',
      generation: 1,
    });
  });

  it('does nothing when the last upload holds every change', () => {
    expect(decideUpload({ changeSeq: 5, uploadedChangeSeq: 5, syncedGeneration: 2 }, { generation: 2 })).toEqual({
      action: 'up-to-date',
    });
    expect(decideUpload({ changeSeq: 0, uploadedChangeSeq: 0, syncedGeneration: 0 }, undefined)).toEqual({
      action: 'up-to-date',
    });
  });

  it('never uploads over a newer remote generation', () => {
    expect(decideUpload({ changeSeq: 9, uploadedChangeSeq: 3, syncedGeneration: 2 }, { generation: 4 })).toEqual({
      action: 'conflict',
      remoteGeneration: 4,
    });
  });

  it('uploads again when the remote copy disappeared', () => {
    expect(decideUpload({ changeSeq: 5, uploadedChangeSeq: 5, syncedGeneration: 2 }, undefined)).toEqual({
      action: 'upload',
      generation: 3,
    });
  });
});

describe('restore decision', () => {
  const clean = { changeSeq: 4, uploadedChangeSeq: 4, syncedGeneration: 2 };
  it.each([
    ['no remote copy', clean, undefined, 'nothing-remote'],
    ['no local file', undefined, { generation: 1 }, 'restore'],
    ['local is as new', clean, { generation: 2 }, 'keep-local'],
    ['local is older', clean, { generation: 3 }, 'restore'],
    ['local is older with unsent changes', { ...clean, changeSeq: 6 }, { generation: 3 }, 'restore-keeping-local-copy'],
  ] as const)('%s → %s', (_what, local, remote, expected) => {
    expect(decideRestore(local, remote)).toBe(expected);
  });
});
