import type Database from 'better-sqlite3';

export interface Analyses {
  runId: string;
  computedAt: string;
  salesCount: number;
  totalRevenue: number;
  quantityPerProduct: { idProduit: number; nom: string; quantite: number; chiffreAffaires: number }[];
  revenuePerCity: { ville: string; chiffreAffaires: number; ventes: number }[];
  revenuePerMonth: { mois: string; chiffreAffaires: number; quantite: number }[];
  topProducts: { idProduit: number; nom: string; chiffreAffaires: number; quantite: number }[];
  averageBasketPerStore: { idMagasin: number; ville: string; ventes: number; panierMoyen: number }[];
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** Computes every analysis from the committed tables. Amounts are rounded to the cent. */
export function computeAnalyses(db: Database.Database, runId: string, now = new Date()): Analyses {
  const totals = db
    .prepare('SELECT COUNT(*) AS count, COALESCE(SUM(chiffre_affaires), 0) AS revenue FROM ventes')
    .get() as {
    count: number;
    revenue: number;
  };
  const perProduct = db
    .prepare(
      // Aggregating ventes first keeps this one scan of ventes (it has no index on id_produit).
      `SELECT p.id_produit AS idProduit, p.nom AS nom, COALESCE(v.quantite, 0) AS quantite,
              COALESCE(v.chiffre_affaires, 0) AS chiffreAffaires
         FROM produits p
         LEFT JOIN (SELECT id_produit, SUM(quantite) AS quantite, SUM(chiffre_affaires) AS chiffre_affaires
                      FROM ventes GROUP BY id_produit) v ON v.id_produit = p.id_produit
        ORDER BY p.id_produit`,
    )
    .all() as Analyses['quantityPerProduct'];
  const perCity = db
    .prepare(
      `SELECT m.ville AS ville, SUM(v.chiffre_affaires) AS chiffreAffaires, COUNT(*) AS ventes
         FROM ventes v JOIN magasins m ON m.id_magasin = v.id_magasin
        GROUP BY m.ville ORDER BY chiffreAffaires DESC, m.ville`,
    )
    .all() as Analyses['revenuePerCity'];
  const perMonth = db
    .prepare(
      `SELECT substr(date_vente, 1, 7) AS mois, SUM(chiffre_affaires) AS chiffreAffaires, SUM(quantite) AS quantite
         FROM ventes GROUP BY mois ORDER BY mois`,
    )
    .all() as Analyses['revenuePerMonth'];
  const perStore = db
    .prepare(
      `SELECT m.id_magasin AS idMagasin, m.ville AS ville, COUNT(*) AS ventes,
              SUM(v.chiffre_affaires) / COUNT(*) AS panierMoyen
         FROM ventes v JOIN magasins m ON m.id_magasin = v.id_magasin
        GROUP BY m.id_magasin ORDER BY m.id_magasin`,
    )
    .all() as Analyses['averageBasketPerStore'];
  const quantityPerProduct = perProduct.map((row) => ({ ...row, chiffreAffaires: round2(row.chiffreAffaires) }));
  return {
    runId,
    computedAt: now.toISOString(),
    salesCount: totals.count,
    totalRevenue: round2(totals.revenue),
    quantityPerProduct,
    revenuePerCity: perCity.map((row) => ({ ...row, chiffreAffaires: round2(row.chiffreAffaires) })),
    revenuePerMonth: perMonth.map((row) => ({ ...row, chiffreAffaires: round2(row.chiffreAffaires) })),
    topProducts: [...quantityPerProduct]
      .filter((row) => row.quantite > 0)
      .sort((a, b) => b.chiffreAffaires - a.chiffreAffaires || a.idProduit - b.idProduit)
      .slice(0, 10)
      .map(({ idProduit, nom, chiffreAffaires, quantite }) => ({ idProduit, nom, chiffreAffaires, quantite })),
    averageBasketPerStore: perStore.map((row) => ({ ...row, panierMoyen: round2(row.panierMoyen) })),
  };
}
