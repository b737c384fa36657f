export type SalesFileKind = 'products' | 'stores' | 'sales';

/** Which of the three inputs a CSV URL holds, from its file name (French or English); undefined when unclear. */
export function guessSalesKind(url: string): SalesFileKind | undefined {
  const name = url.toLowerCase().split(/[?#]/)[0]?.split('/').pop() ?? '';
  if (/produit|product/.test(name)) return 'products';
  if (/magasin|store|shop/.test(name)) return 'stores';
  if (/vente|sale/.test(name)) return 'sales';
  return undefined;
}
