export const FILE_KINDS = ['products', 'stores', 'sales'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** Canonical columns of each file, in the order the row validators read them. */
export const COLUMNS = {
  products: ['id_produit', 'nom', 'prix'],
  stores: ['id_magasin', 'ville'],
  sales: ['id_vente', 'id_produit', 'id_magasin', 'date_vente', 'quantite', 'chiffre_affaires'],
} as const satisfies Record<FileKind, readonly string[]>;

// Spellings seen in exports from tills and spreadsheets, after normalisation (see normalizeHeader).
const ALIASES: Record<string, readonly string[]> = {
  id_produit: ['idproduit', 'produitid', 'productid', 'idproduct', 'codeproduit', 'refproduit', 'produit'],
  nom: ['nom', 'name', 'nomproduit', 'productname', 'libelle', 'designation'],
  prix: ['prix', 'price', 'prixunitaire', 'unitprice', 'pu'],
  id_magasin: ['idmagasin', 'magasinid', 'storeid', 'idstore', 'shopid', 'codemagasin', 'magasin'],
  ville: ['ville', 'city', 'town'],
  id_vente: ['idvente', 'venteid', 'saleid', 'idsale', 'numerovente', 'idtransaction'],
  date_vente: ['datevente', 'date', 'saledate', 'datedevente'],
  quantite: ['quantite', 'qte', 'quantity', 'qty'],
  chiffre_affaires: ['chiffreaffaires', 'chiffredaffaires', 'ca', 'revenue', 'montant', 'amount', 'total'],
};

/** Lower case, accents stripped, and every space, underscore, dash, dot or apostrophe removed. */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s_\-.'’()]/g, '');
}

export type HeaderMapping = { ok: true; indexes: number[] } | { ok: false; missing: string[]; ambiguous: string[] };

/** Finds, for each canonical column of the kind, the index of the header that names it. */
export function mapHeaders(kind: FileKind, headers: readonly string[]): HeaderMapping {
  const normalized = headers.map(normalizeHeader);
  const indexes: number[] = [];
  const missing: string[] = [];
  const ambiguous: string[] = [];
  for (const column of COLUMNS[kind]) {
    const aliases = ALIASES[column] ?? [];
    // The most specific spelling wins, so "id_produit" beats a bare "produit" column.
    let found = -1;
    for (const alias of aliases) {
      const matches = normalized.flatMap((name, index) => (name === alias ? [index] : []));
      if (matches.length > 1) ambiguous.push(column);
      if (matches.length > 0) {
        found = matches[0]!;
        break;
      }
    }
    if (found < 0) missing.push(column);
    indexes.push(found);
  }
  return missing.length > 0 || ambiguous.length > 0 ? { ok: false, missing, ambiguous } : { ok: true, indexes };
}
