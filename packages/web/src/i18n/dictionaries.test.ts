import { JOB_STAGES } from '@pharma/shared/contracts';
import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { messageValueNames as placeholders } from './format.js';
import { fr } from './fr.js';
import { ru } from './ru.js';

describe('UI dictionaries', () => {
  it.each([
    ['en', en],
    ['ru', ru],
  ] as const)('%s has every French key, none empty, with the same placeholders', (_name, dictionary) => {
    expect(Object.keys(dictionary).sort()).toEqual(Object.keys(fr).sort());
    for (const [key, text] of Object.entries(dictionary)) {
      expect(text.trim(), key).not.toBe('');
      expect(placeholders(text), key).toEqual(placeholders(fr[key as keyof typeof fr]));
    }
  });

  it('writes every job stage a service sends, with the values it comes with', () => {
    for (const [stage, params] of Object.entries(JOB_STAGES)) {
      const key = `job.stage.${stage}` as keyof typeof fr;
      expect(fr[key], key).toBeDefined();
      expect(placeholders(fr[key]), key).toEqual([...params].sort());
    }
  });

  it('really translates: Russian strings are in Cyrillic', () => {
    const cyrillic = Object.values(ru).filter((text) => /[А-Яа-яЁё]/.test(text));
    expect(cyrillic.length).toBeGreaterThan(Object.keys(ru).length * 0.9);
  });
});
