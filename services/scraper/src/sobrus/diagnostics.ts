import { DIAGNOSTICS_BUCKET } from '@pharma/shared/contracts';
import { type NatsContext, openObjectStore, ttlOfDays } from '@pharma/shared/messaging';
import type { LearnStep, RecipeDraft } from '../domain/learning/learn-recipe.js';
import type { ListRecipe } from '../domain/learning/recipe.js';
import { maskExchange, maskRequest } from '../domain/learning/redact.js';
import type { ListVisit } from './list-learner.js';

const KEEP_NS = ttlOfDays(30);

/**
 * What staff need to understand a site the scraper could not learn, without the pharmacy's data: masked
 * JSON traffic (field names and structure kept), masked screenshots, the recipe as far as it got, the step
 * that failed. No cookie, token or password is ever part of it.
 */
export interface DiagnosticBundle {
  kind: 'customers-list';
  jobId: string;
  site: string;
  createdAt: string;
  /** Which path finally collected the customers, or `none`. */
  path: 'api' | 'click' | 'none';
  failedStep?: LearnStep | 'visit' | 'replay' | 'click' | undefined;
  reasons: string[];
  recipe?: Partial<ListRecipe | RecipeDraft> | undefined;
  seen?: { rows: number; secondPageRows?: number; clickedRows: number; shownTotal?: number } | undefined;
  exchanges: ReturnType<typeof maskExchange>[];
  screenshots: { before?: string; after?: string };
}

export interface BundleInput {
  jobId: string;
  appUrl: string;
  path: DiagnosticBundle['path'];
  failedStep?: DiagnosticBundle['failedStep'];
  reasons: string[];
  recipe?: Partial<ListRecipe | RecipeDraft> | undefined;
  visit?: ListVisit | undefined;
  screenshots?: { before?: Buffer | undefined; after?: Buffer | undefined } | undefined;
}

export function buildBundle(input: BundleInput, now = new Date()): DiagnosticBundle {
  const observation = input.visit?.observation;
  const shots = input.screenshots ?? input.visit?.screenshots ?? {};
  return {
    kind: 'customers-list',
    jobId: input.jobId,
    site: new URL(input.appUrl).origin,
    createdAt: now.toISOString(),
    path: input.path,
    ...(input.failedStep ? { failedStep: input.failedStep } : {}),
    reasons: input.reasons,
    ...(input.recipe ? { recipe: maskRecipe(input.recipe) } : {}),
    ...(observation
      ? {
          seen: {
            rows: observation.firstRows.length,
            clickedRows: observation.clicks.length,
            ...(observation.secondRows ? { secondPageRows: observation.secondRows.length } : {}),
            ...(observation.shownTotal !== undefined ? { shownTotal: observation.shownTotal } : {}),
          },
        }
      : {}),
    exchanges: (input.visit?.exchanges ?? []).map(maskExchange),
    screenshots: {
      ...(shots.before ? { before: shots.before.toString('base64') } : {}),
      ...(shots.after ? { after: shots.after.toString('base64') } : {}),
    },
  };
}

function maskRecipe(recipe: Partial<ListRecipe | RecipeDraft>): Partial<ListRecipe | RecipeDraft> {
  return recipe.request ? { ...recipe, request: maskRequest(recipe.request) } : recipe;
}

/** Keeps a bundle for 30 days; the job result names it, the gateway serves it to staff. */
export async function keepBundle(nats: NatsContext, bundle: DiagnosticBundle) {
  const store = await openObjectStore(nats, DIAGNOSTICS_BUCKET, { ttl: KEEP_NS });
  const name = `${bundle.jobId}.json`;
  const info = await store.putBlob({ name }, new TextEncoder().encode(JSON.stringify(bundle)));
  return { bucket: DIAGNOSTICS_BUCKET, name, size: info.size };
}
