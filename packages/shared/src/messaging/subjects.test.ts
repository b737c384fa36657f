import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENTS, STREAMS } from './subjects.js';

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
});
