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
  return {
    ...recipe,
    request: { ...recipe.request, url: url.toString(), headers, body: withoutSecrets(recipe.request.body) },
  };
}

/** A JSON or form body without the fields whose names say they may hold a credential. */
function withoutSecrets(body: string | undefined): string | undefined {
  if (body === undefined) return undefined;
  try {
    return JSON.stringify(JSON.parse(body), (key, value) => (SECRET_NAME.test(key) ? undefined : value));
  } catch {
    const form = new URLSearchParams(body);
    for (const name of [...form.keys()]) if (SECRET_NAME.test(name)) form.delete(name);
    return form.toString();
  }
}

/**
 * One key per site and pharmacy, hashed (KV keys allow few characters). Per pharmacy, because a list request
 * may carry the pharmacy's own values (an id in the path, a header): replayed with another pharmacy's session
 * it could read a list that is not that pharmacy's.
 */
export const recipeKey = (appUrl: string, pharmacyId: string) =>
  `site-${createHash('sha256')
    .update(`${new URL(appUrl).origin}\n${pharmacyId.toLowerCase()}`)
    .digest('hex')
    .slice(0, 40)}`;

/** Learned customer-list recipes, one per Sobrus site and pharmacy, kept in NATS KV for every scraper instance. */
export class RecipeStore {
  private constructor(private readonly kv: KV) {}

  static async open(nats: NatsContext): Promise<RecipeStore> {
    return new RecipeStore(await openKv(nats, RECIPES_BUCKET, { history: 3 }));
  }

  async get(appUrl: string, pharmacyId: string): Promise<ListRecipe | undefined> {
    const entry = await this.kv.get(recipeKey(appUrl, pharmacyId));
    if (entry?.operation !== 'PUT') return undefined;
    try {
      const recipe = entry.json<ListRecipe>();
      return recipe.version === RECIPE_VERSION && recipe.request && recipe.fields?.key ? recipe : undefined;
    } catch {
      return undefined;
    }
  }

  async put(appUrl: string, pharmacyId: string, recipe: ListRecipe): Promise<void> {
    await this.kv.put(recipeKey(appUrl, pharmacyId), JSON.stringify(storableRecipe(recipe)));
  }
}
