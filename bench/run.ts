import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// `npm run bench -- <name>` runs bench/<name>.ts; each benchmark prints one JSON object as its last line.
const name = process.argv[2];
const folder = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(folder)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts' && !file.startsWith('_'))
  .map((file) => file.replace(/\.ts$/, ''));

if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name>\navailable: ${available.join(', ') || '(none)'}`);
  process.exit(2);
}
const file = new URL(`./${name}.ts`, import.meta.url);
if (!existsSync(file)) process.exit(2);
process.argv.splice(2, 1);
await import(file.href);
