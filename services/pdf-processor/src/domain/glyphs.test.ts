import { describe, expect, it } from 'vitest';
import { joinWrapped, normalizeGlyphs } from './glyphs.js';

describe('text as producers write it', () => {
  it('undoes ligatures and full-width forms', () => {
    expect(normalizeGlyphs('Solde \ufb01nal')).toBe('Solde final');
    expect(normalizeGlyphs('a\ufb00aire \ufb02acon e\ufb03cace su\ufb04e')).toBe('affaire flacon efficace suffle');
    expect(normalizeGlyphs('\uff11\uff12\uff13,\uff14\uff15')).toBe('123,45');
  });

  it('makes every space a plain space and drops zero-width characters', () => {
    expect(normalizeGlyphs('1\u00a0234\u202f567\u2009890\u2007,12')).toBe('1 234 567 890 ,12');
    expect(normalizeGlyphs('Ven\u200bte\ufeff')).toBe('Vente');
  });

  it('keeps what a compatibility form would change in meaning', () => {
    expect(normalizeGlyphs('VENTOLINE 100 µG/DOSE, 2 m², n° 4')).toBe('VENTOLINE 100 µG/DOSE, 2 m², n° 4');
  });

  it('leaves plain ASCII as it is (same string)', () => {
    const text = 'Paiement vente 1 234,56';
    expect(normalizeGlyphs(text)).toBe(text);
  });

  it('joins wrapped pieces with a space, or into one word after a soft hyphen', () => {
    expect(joinWrapped(['Retour vente —', ' commande', '', 'groupée'])).toBe('Retour vente — commande groupée');
    expect(joinWrapped(['régulari\u00ad', 'sation après inven\u00adtaire'])).toBe('régularisation après inventaire');
  });
});
