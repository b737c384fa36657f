const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const FRENCH = /^(\d{2})\/(\d{2})\/(\d{4})$/;

/** A printed date (YYYY-MM-DD or DD/MM/YYYY) as YYYY-MM-DD, or undefined when it is not a real date. */
export function parseDate(text: string): string | undefined {
  const compact = text.trim();
  const iso = ISO.exec(compact);
  const french = iso ? undefined : FRENCH.exec(compact);
  const [year, month, day] = iso
    ? [iso[1], iso[2], iso[3]]
    : french
      ? [french[3], french[2], french[1]]
      : [undefined, undefined, undefined];
  if (!year || !month || !day) return undefined;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) return undefined;
  return `${year}-${month}-${day}`;
}
