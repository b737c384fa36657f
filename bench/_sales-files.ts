import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';

// The sales files of the benchmarks: products, stores and a sales CSV whose every row is valid and references
// existing products and stores, written to a folder and served over local HTTP by a separate process.
export const SALES_PRODUCTS = 2_000;
export const SALES_STORES = 200;

async function writeCsv(file: string, header: string, rows: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(file);
  let chunk = `${header}\n`;
  for (let i = 1; i <= rows; i++) {
    chunk += `${line(i)}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

const price = (product: number) => 1 + (product % 97) * 0.25;

/** Writes `produits.csv`, `magasins.csv` and `ventes.csv` (`salesRows` rows) into `dir`. */
export async function writeSalesFiles(dir: string, salesRows: number): Promise<{ salesFile: string; bytes: number }> {
  await writeCsv(
    join(dir, 'produits.csv'),
    'id_produit,nom,prix',
    SALES_PRODUCTS,
    (i) => `${i},Produit ${i},${price(i)}`,
  );
  await writeCsv(join(dir, 'magasins.csv'), 'id_magasin,ville', SALES_STORES, (i) => `${i},Ville ${i % 37}`);
  const salesFile = join(dir, 'ventes.csv');
  await writeCsv(salesFile, 'id_vente,id_produit,id_magasin,date_vente,quantite,chiffre_affaires', salesRows, (i) => {
    const product = (i % SALES_PRODUCTS) + 1;
    const quantity = (i % 9) + 1;
    const day = new Date(Date.UTC(2023, 0, 1) + (i % 730) * 86_400_000).toISOString().slice(0, 10);
    return `${i},${product},${(i % SALES_STORES) + 1},${day},${quantity},${(quantity * price(product)).toFixed(2)}`;
  });
  return { salesFile, bytes: statSync(salesFile).size };
}

const serverSource = `
const { createServer } = require('node:http');
const { createReadStream, statSync } = require('node:fs');
const { join } = require('node:path');
const dir = process.argv[1];
const server = createServer((req, res) => {
  const file = join(dir, req.url.slice(1));
  res.writeHead(200, { 'content-type': 'text/csv', 'content-length': statSync(file).size });
  createReadStream(file, { highWaterMark: 1 << 20 }).pipe(res);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

export interface SalesFileServer {
  pid: number;
  urls: { products: string; stores: string; sales: string };
  close(): void;
}

/**
 * Serves the folder from a separate process, as a remote server would, so the serving does not share the
 * importer's CPU. The server also dies with this process.
 */
export async function serveSalesFiles(dir: string): Promise<SalesFileServer> {
  const server = spawn(process.execPath, ['-e', serverSource, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const close = () => {
    server.kill();
  };
  process.once('exit', close);
  const [portLine] = (await once(server.stdout!, 'data')) as [Buffer];
  const base = `http://127.0.0.1:${portLine.toString().trim()}`;
  return {
    pid: server.pid!,
    urls: { products: `${base}/produits.csv`, stores: `${base}/magasins.csv`, sales: `${base}/ventes.csv` },
    close,
  };
}
