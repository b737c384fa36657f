import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENTS, STREAMS } from './subjects.js';
import { validatorFor } from './validation.js';

const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');

describe('the subject catalog', () => {
  it.each(Object.keys(EVENTS))('%s is documented in the README with its stream', (subject) => {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${subject}\` |`));
    expect(row, `README row for ${subject}`).toBeDefined();
    expect(row).toContain(`| ${EVENTS[subject as keyof typeof EVENTS].stream} |`);
  });

  it('routes every subject to a stream that captures it', () => {
    for (const [subject, definition] of Object.entries(EVENTS)) {
      const patterns = STREAMS[definition.stream].subjects;
      expect(
        patterns.some((pattern) => subject.startsWith(pattern.replace('>', ''))),
        subject,
      ).toBe(true);
    }
  });

  it('follows <domain>.<entity>.<event>', () => {
    for (const subject of Object.keys(EVENTS)) expect(subject).toMatch(/^[a-z]+(\.[a-z]+){2,3}$/);
  });

  it('still accepts an orchestrator.run.completed published before it carried an error', () => {
    const older = {
      runId: 'run-1',
      status: 'failed',
      counts: { DONE: 3 },
      startedAt: '2026-11-30T10:00:00.000Z',
      completedAt: '2026-11-30T10:00:05.000Z',
    };
    const validator = validatorFor(EVENTS['orchestrator.run.completed'].schema);
    expect(validator.check(older)).toBe(true);
    expect(validator.check({ ...older, error: 'STOPPED: the service stopped during the run' })).toBe(true);
  });
});
