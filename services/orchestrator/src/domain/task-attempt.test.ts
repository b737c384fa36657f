import { describe, expect, it } from 'vitest';
import {
  type AttemptEvent,
  claimedAttempt,
  type EndedAttempt,
  loadedTaskRunEnd,
  nextAttempt,
  type TaskAttempt,
  taskRunEnd,
} from './task-attempt.js';

const lookedUp = (over: Partial<Extract<AttemptEvent, { type: 'looked-up' }>> = {}): AttemptEvent => ({
  type: 'looked-up',
  script: '/scripts/Сеть/A/convert.ts',
  hasClient: true,
  source: 'file',
  sourcePath: '/intake/Сети/2025/06/A/Продажи/june.csv',
  ...over,
});
const scriptEnded = (over: Partial<Extract<AttemptEvent, { type: 'script-ended' }>> = {}): AttemptEvent => ({
  type: 'script-ended',
  exitCode: 0,
  timedOut: false,
  durationMs: 12,
  stdout: 'out',
  stderr: '',
  stopping: false,
  timeoutMs: 600_000,
  ...over,
});
const checked = (over: Partial<{ ok: boolean; reason: string; detail: string }> = {}): AttemptEvent => ({
  type: 'output-checked',
  output:
    over.ok === false
      ? { ok: false, reason: over.reason ?? 'BAD_HEADER', detail: over.detail, outputFile: '/final/A_id1.csv' }
      : { ok: true, outputFile: '/final/A_id1.csv', readyFile: '/ready/A_id1.csv' },
});

const run = (...events: AttemptEvent[]): TaskAttempt => events.reduce(nextAttempt, claimedAttempt());
const script = '/scripts/Сеть/A/convert.ts';
const scriptFacts = { script, scriptMs: 12, exitCode: 0, stdoutTail: 'out', stderrTail: '' };

describe('a task attempt', () => {
  it.each<[string, AttemptEvent[], TaskAttempt]>([
    ['claimed', [], { step: 'claimed', facts: {} }],
    ['script found, source there → script', [lookedUp()], { step: 'script', facts: { script } }],
    ['script ended well → output', [lookedUp(), scriptEnded()], { step: 'output', facts: scriptFacts }],
    [
      'output checked and moved → load',
      [lookedUp(), scriptEnded(), checked()],
      { step: 'load', facts: { ...scriptFacts, outputFile: '/final/A_id1.csv', readyFile: '/ready/A_id1.csv' } },
    ],
  ])('%s', (_name, events, expected) => {
    expect(run(...events)).toEqual(expected);
  });

  it.each<[string, AttemptEvent[], Pick<EndedAttempt, 'outcome' | 'write'>]>([
    [
      'no script',
      [lookedUp({ script: undefined })],
      { outcome: { status: 'PROCESSING', reason: 'NO_SCRIPT_FOUND' }, write: 'in-task' },
    ],
    [
      'no client name',
      [lookedUp({ hasClient: false })],
      { outcome: { status: 'PROCESSING', reason: 'NO_SCRIPT_FOUND' }, write: 'in-task' },
    ],
    [
      'source outside the intake root',
      [lookedUp({ source: 'outside-root' })],
      {
        outcome: { status: 'ERROR', reason: 'NO_SOURCE_FILE', detail: 'path outside the intake root' },
        write: 'in-task',
      },
    ],
    [
      'source missing',
      [lookedUp({ source: 'missing' })],
      {
        outcome: { status: 'ERROR', reason: 'NO_SOURCE_FILE', detail: '/intake/Сети/2025/06/A/Продажи/june.csv' },
        write: 'in-task',
      },
    ],
    [
      'script never started (stop)',
      [lookedUp(), scriptEnded({ notStarted: true, lost: true, error: 'stopping' })],
      { outcome: { status: 'ABANDONED', reason: 'STOPPED', detail: 'stopping' }, write: 'forget' },
    ],
    [
      'script killed by a stop',
      [lookedUp(), scriptEnded({ lost: true, stopping: true, error: 'terminated' })],
      {
        outcome: { status: 'ABANDONED', reason: 'STOPPED', detail: 'the service stopped: terminated' },
        write: 'run-only',
      },
    ],
    [
      'script host lost',
      [lookedUp(), scriptEnded({ lost: true, error: 'host died' })],
      { outcome: { status: 'ERROR', reason: 'RUNNER_LOST', detail: 'host died' }, write: 'in-task' },
    ],
    [
      'timeout',
      [lookedUp(), scriptEnded({ timedOut: true, exitCode: 137, timeoutMs: 500 })],
      { outcome: { status: 'ERROR', reason: 'TIMEOUT', detail: 'no end after 500 ms' }, write: 'in-task' },
    ],
    [
      'exit code 3',
      [lookedUp(), scriptEnded({ exitCode: 3, error: 'boom' })],
      { outcome: { status: 'ERROR', reason: 'RETURN_CODE_3', detail: 'boom' }, write: 'in-task' },
    ],
    [
      'no output checked',
      [lookedUp(), scriptEnded(), { type: 'output-checked' }],
      {
        outcome: { status: 'ERROR', reason: 'INTERNAL', detail: 'the script runner checked no output' },
        write: 'in-task',
      },
    ],
    [
      'bad header',
      [lookedUp(), scriptEnded(), checked({ ok: false, reason: 'BAD_HEADER', detail: 'missing: tms' })],
      { outcome: { status: 'ERROR', reason: 'BAD_HEADER', detail: 'missing: tms' }, write: 'in-task' },
    ],
    [
      'loaded',
      [lookedUp(), scriptEnded(), checked(), { type: 'loaded', rows: 2 }],
      { outcome: { status: 'CREATED' }, write: 'with-load' },
    ],
    [
      'load failed',
      [lookedUp(), scriptEnded(), checked(), { type: 'load-failed', error: 'invalid input syntax' }],
      { outcome: { status: 'ERROR', reason: 'LOAD_FAILED', detail: 'invalid input syntax' }, write: 'relock' },
    ],
    [
      'crash during a step',
      [lookedUp(), { type: 'crashed', error: 'worker gone' }],
      { outcome: { status: 'ERROR', reason: 'INTERNAL', detail: 'worker gone' }, write: 'in-task' },
    ],
  ])('ends: %s', (_name, events, expected) => {
    const ended = run(...events) as EndedAttempt;
    expect(ended.step).toBe('ended');
    expect({ outcome: ended.outcome, write: ended.write }).toEqual(expected);
  });

  it('keeps what it learnt for the task run', () => {
    const failed = run(lookedUp(), scriptEnded({ exitCode: 2, stderr: 'trace' })) as EndedAttempt;
    expect(taskRunEnd(failed, 40.4)).toEqual({
      script,
      scriptMs: 12,
      exitCode: 2,
      stdoutTail: 'out',
      stderrTail: 'trace',
      status: 'ERROR',
      reason: 'RETURN_CODE_2',
      detail: undefined,
      durationMs: 40.4,
    });
    const loadFailed = run(lookedUp(), scriptEnded(), checked(), { type: 'load-failed', error: 'x' }) as EndedAttempt;
    expect(loadFailed.facts).toMatchObject({ readyFile: '/ready/A_id1.csv', rowsLoaded: 0 });
  });

  it('the end written with the last batch is the loaded end', () => {
    const load = run(lookedUp(), scriptEnded(), checked()) as Extract<TaskAttempt, { step: 'load' }>;
    expect(loadedTaskRunEnd(load, 5, 30)).toEqual({
      ...scriptFacts,
      outputFile: '/final/A_id1.csv',
      readyFile: '/ready/A_id1.csv',
      rowsLoaded: 5,
      status: 'CREATED',
      reason: undefined,
      detail: undefined,
      durationMs: 30,
    });
  });

  it.each<[string, AttemptEvent[], AttemptEvent]>([
    ['a load before the script', [], { type: 'loaded', rows: 1 }],
    ['a second lookup', [lookedUp()], lookedUp()],
    ['an event after the end', [lookedUp({ script: undefined })], { type: 'crashed', error: 'x' }],
  ])('refuses %s', (_name, events, event) => {
    expect(() => nextAttempt(run(...events), event)).toThrow();
  });
});
