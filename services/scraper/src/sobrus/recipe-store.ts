import { createHash } from 'node:crypto';
import { type KV, type NatsContext, openKv } from '@pharma/shared/messaging';
import { type ListRecipe, RECIPE_VERSION } from '../domain/learning/recipe.js';
import { SECRET_NAME } from '../domain/learning/redact.js';

export const RECIPES_BUCKET = 'scraper-recipes';

/** Headers a client library sets by itself, or that only made sense on the page's own connection. */
const TRANSPORT_HEADER =
  /^(:|host$|content-length$|connection$|accept-encoding$|keep-alive$|transfer-encoding$|te$|upgrade$)/i;

/** The headers the page sent that a replay may send again (cookies come from the session). */
export function replayableHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !TRANSPORT_HEADER.test(name) && name.toLowerCase() !== 'cookie'),
  );
}

/** A recipe fit to keep: no header or query parameter whose name says it may hold a credential. */
export function storableRecipe(recipe: ListRecipe): ListRecipe {
  const url = new URL(recipe.request.url);
  for (const name of [...url.searchParams.keys()]) if (SECRET_NAME.test(name)) url.searchParams.delete(name);
  const headers = Object.fromEntries(
    Object.entries(replayableHeaders(recipe.request.headers)).filter(([name]) => !SECRET_NAME.test(name)),
  );
  return { ...recipe, request: { ...recipe.request, url: url.toString(), headers } };
}

/** One key per site: the app's origin, hashed (KV keys allow few characters). */
export const siteKey = (appUrl: string) =>
  `site-${createHash('sha256').update(new URL(appUrl).origin).digest('hex').slice(0, 32)}`;

/** Learned customer-list recipes, one per Sobrus site, kept in NATS KV for every scraper instance. */
export class RecipeStore {
  private constructor(private readonly kv: KV) {}

  static async open(nats: NatsContext): Promise<RecipeStore> {
    return new RecipeStore(await openKv(nats, RECIPES_BUCKET, { history: 3 }));
  }

  async get(appUrl: string): Promise<ListRecipe | undefined> {
    const entry = await this.kv.get(siteKey(appUrl));
    if (entry?.operation !== 'PUT') return undefined;
    try {
      const recipe = entry.json<ListRecipe>();
      return recipe.version === RECIPE_VERSION && recipe.request && recipe.fields?.key ? recipe : undefined;
    } catch {
      return undefined;
    }
  }

  async put(appUrl: string, recipe: ListRecipe): Promise<void> {
    await this.kv.put(siteKey(appUrl), JSON.stringify(storableRecipe(recipe)));
  }

  async forget(appUrl: string): Promise<void> {
    await this.kv.delete(siteKey(appUrl));
  }
}
