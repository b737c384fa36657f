import { UnavailableError, ValidationError } from '@pharma/shared/errors';
import { createLogger } from '@pharma/shared/logger';
import { describe, expect, it } from 'vitest';
import { untilNatsAnswers } from './nats-retry.js';

const log = createLogger({ service: 'test', level: 'silent' });

/** A step that fails `failures` times with `error`, then answers `value`. */
function flaky<T>(failures: number, error: Error, value: T) {
  let calls = 0;
  const step = async () => {
    calls += 1;
    if (calls <= failures) throw error;
    return value;
  };
  return { step, calls: () => calls };
}

describe('untilNatsAnswers', () => {
  it('retries a step that times out until NATS answers', async () => {
    const { step, calls } = flaky(3, new Error('TIMEOUT'), 'stored');
    await expect(untilNatsAnswers(step, { what: 'put', log })).resolves.toBe('stored');
    expect(calls()).toBe(4);
  });

  it('retries retryable platform errors too', async () => {
    const { step, calls } = flaky(1, new UnavailableError('NATS_DOWN', 'disconnected'), 1);
    await expect(untilNatsAnswers(step, { what: 'publish', log })).resolves.toBe(1);
    expect(calls()).toBe(2);
  });

  it('lets a permanent error through at once', async () => {
    const { step, calls } = flaky(5, new ValidationError('payload violates schema'), 'never');
    await expect(untilNatsAnswers(step, { what: 'publish', log })).rejects.toThrow('payload violates schema');
    expect(calls()).toBe(1);
  });

  it('gives up once its budget is spent', async () => {
    const { step, calls } = flaky(1_000, new Error('TIMEOUT'), 'never');
    await expect(untilNatsAnswers(step, { what: 'put', log, budgetMs: 600 })).rejects.toThrow('TIMEOUT');
    expect(calls()).toBeGreaterThan(1);
  });

  it('stops when the job is cancelled', async () => {
    const controller = new AbortController();
    const { step } = flaky(1_000, new Error('TIMEOUT'), 'never');
    const waiting = untilNatsAnswers(step, { what: 'put', log, signal: controller.signal });
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow();
  });
});
