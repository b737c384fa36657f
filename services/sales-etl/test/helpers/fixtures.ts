export const PRODUCTS_CSV = ['id_produit,nom,prix', '1,Doliprane 1000,2.5', '2,Vitamine C,4.00', '3,Sérum,10'].join(
  '\n',
);

export const STORES_CSV = ['id_magasin,ville', '10,Casablanca', '20,Rabat'].join('\n');

// Revenues: 10 + 8 + 30 + 2.5 + 40 = 90.5
export const SALES_CSV = [
  'id_vente,id_produit,id_magasin,date_vente,quantite,chiffre_affaires',
  '100,1,10,2024-01-15,4,10.00',
  '101,2,10,2024-01-20,2,8.00',
  '102,3,20,2024-02-03,3,30.00',
  '103,1,20,2024-02-10,1,2.50',
  '104,3,10,2024-03-01,4,40',
].join('\n');
