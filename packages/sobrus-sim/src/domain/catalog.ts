/** Word lists the generators draw from: real-looking Moroccan pharmacy data with the quirks scrapers trip on. */

export const FIRST_NAMES = [
  'Mohamed',
  'Fatima Zahra',
  'Abdelkader',
  'Aïcha',
  'Hanane',
  'Youssef',
  'Khadija',
  'Saïd',
  'Rachid',
  'Noureddine',
  'Zineb',
  'Meryem',
  'Hélène',
  'François',
  'Loubna',
  'Amine',
  'Ilham',
  'Brahim',
  'Soukaïna',
  'Hicham',
  'Naïma',
  'Abdellah',
  'Ghizlane',
  'Jérôme',
  'Mustapha',
  'Salma',
  'Driss',
  'Latifa',
  'Anaïs',
  'Réda',
  'Oumaïma',
  'Taïeb',
] as const;

export const LAST_NAMES = [
  'El Amrani',
  'Benjelloun',
  'Tazi',
  'Alaoui',
  'Aït Benhaddou',
  'Ouazzani',
  'Chraïbi',
  'Lahlou',
  'Bennani',
  'El Idrissi',
  'Berrada',
  'Fassi-Fihri',
  'Zniber',
  "Ben M'barek",
  "Aït M'hand",
  'L’Haj Ahmed',
  'Sefrioui',
  'Benkirane',
  'El Ghazi',
  'Naciri',
  'Kettani',
  "O'Neill",
  'Lévêque',
  'Boutaleb',
  'Hajji',
  'Skalli',
  'Mernissi',
] as const;

/** Organisations that buy on credit; the longest ones wrap in any narrow column. */
export const COMPANY_NAMES = [
  'Clinique Les Oliviers',
  'Association Marocaine de Soutien aux Malades Chroniques et à leurs Familles de la Région de Casablanca-Settat',
  'Société Marocaine de Distribution Pharmaceutique et Parapharmaceutique du Grand Casablanca S.A.R.L. (SMDPP)',
  "Centre de Santé Communal d'Aïn Chock",
  'Cabinet Dentaire Dr. Benkirane & Associés',
  'Maison de Retraite « Les Jardins d’Anfa »',
] as const;

export const ORGANISMES = ['CNSS', 'CNOPS', 'FAR', 'AMO', 'Mutuelle MGPAP', 'Saham Assurance', 'RMA Watanya'] as const;

export const EMAIL_DOMAINS = ['gmail.com', 'yahoo.fr', 'hotmail.com', 'menara.ma', 'outlook.fr'] as const;

export interface Product {
  name: string;
  /** Typical unit price in cents. */
  price: number;
}

export const PRODUCTS: readonly Product[] = [
  { name: 'DOLIPRANE 1000 MG CP B/8', price: 1_590 },
  { name: 'AUGMENTIN 1 G/125 MG ADULTES PDRE P SUSP BUV SACH B/12', price: 8_870 },
  { name: 'SPASFON LYOC 80 MG B/10', price: 2_640 },
  { name: 'SMECTA 3 G PDRE SUSP BUV SACH B/30', price: 4_120 },
  { name: 'VOLTARENE EMULGEL 1 % GEL TUBE 50 G', price: 3_950 },
  { name: 'GLUCOPHAGE 850 MG CP B/30', price: 2_230 },
  { name: 'LANTUS SOLOSTAR 100 UI/ML SOL INJ STYLO PREREMPLI 3 ML B/5', price: 61_740 },
  { name: 'HUMIRA 40 MG SOL INJ STYLO PREREMPLI 0,4 ML', price: 489_000 },
  { name: 'SERINGUE 5 ML STERILE', price: 1 },
  { name: 'COMPRESSES STERILES 10X10 B/10', price: 850 },
  { name: 'BISEPTINE SOL P APPLIC CUTANEE FL 250 ML', price: 3_210 },
  { name: 'AMOXIL 1 G CP DISPERSIBLE B/14', price: 5_460 },
  { name: 'VENTOLINE 100 µG/DOSE SUSP P INHAL FL 200 DOSES', price: 3_380 },
  { name: 'LAIT INFANTILE GUIGOZ EXPERT 1ER ÂGE 800 G', price: 17_900 },
  { name: 'THERMOMÈTRE ÉLECTRONIQUE FLEXIBLE', price: 6_500 },
  { name: 'FAUTEUIL ROULANT PLIANT ACIER — LOCATION MENSUELLE', price: 95_000 },
] as const;

export const PAYMENT_LABELS = [
  'Paiement vente',
  'Paiement espèces',
  'Paiement chèque',
  'Paiement carte bancaire',
  'Paiement par virement bancaire reçu sur le compte de la pharmacie (référence communiquée par le client au comptoir)',
  'Paiement chèque n° 4829137 — Banque Populaire, agence Casablanca Maârif (remis par le fils du client)',
  'Paiement partiel espèces',
] as const;

export const RETURN_LABELS = [
  'Retour vente',
  'Retour produit',
  'Retour produits non conformes signalés par le client : emballage endommagé et date de péremption trop proche',
] as const;

export const CREDIT_NOTE_LABELS = [
  'Avoir',
  'Avoir remise fidélité',
  'Avoir sur facture suite à une erreur de prix constatée lors du contrôle mensuel du compte client',
] as const;

export const CASH_REFUND_LABEL = 'Remboursement espèces';
