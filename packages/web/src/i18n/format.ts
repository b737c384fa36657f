/** The values a message takes by name. */
export type MessageValues = Record<string, string | number>;

const CHOICE = /\{(\w+), (plural|select),((?:\s*[=\w]+\s*\{[^{}]*\})+)\s*\}/g;
const BRANCH = /([=\w]+)\s*\{([^{}]*)\}/g;

/**
 * Writes a dictionary message: `{name}` takes a value; `{n, plural, one {# fichier} other {# fichiers}}` picks the
 * branch of the language's plural rules for n (an exact `=0` first), `#` being n written by `formatNumber`;
 * `{kind, select, products {produits} other {ventes}}` picks the branch named by the value (else `other`).
 * A value that is missing is left as `{name}`, so a gap shows instead of vanishing.
 */
export function formatMessage(
  template: string,
  values: MessageValues,
  plurals: Intl.PluralRules,
  formatNumber: (n: number) => string = String,
): string {
  const withChoices = template.replace(CHOICE, (whole, name: string, kind: string, body: string) => {
    const value = values[name];
    const branches = new Map([...body.matchAll(BRANCH)].map((m) => [m[1] as string, m[2] as string]));
    if (kind === 'select')
      return value === undefined ? whole : (branches.get(String(value)) ?? branches.get('other') ?? '');
    if (typeof value !== 'number') return whole;
    const branch = branches.get(`=${value}`) ?? branches.get(plurals.select(value)) ?? branches.get('other') ?? '';
    return branch.replaceAll('#', formatNumber(value));
  });
  return withChoices.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value) : value;
  });
}

/** The names a message takes (plain, plural and select), to check that every language asks for the same values. */
export function messageValueNames(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(CHOICE)) names.add(match[1] as string);
  for (const match of template.replace(CHOICE, '').matchAll(/\{(\w+)\}/g)) names.add(match[1] as string);
  return [...names].sort();
}
