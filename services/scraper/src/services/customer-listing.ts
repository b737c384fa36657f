import type { BrowserHolder } from '@pharma/browser';
import { toError } from '@pharma/shared/errors';
import type { Log } from '@pharma/shared/logger';
import type { Config } from '../config.js';
import type { CustomerRecord } from '../domain/customer-list.js';
import { learnRecipe } from '../domain/learning/learn-recipe.js';
import type { ListRecipe } from '../domain/learning/recipe.js';
import type { SobrusHttp } from '../http/sobrus-http.js';
import { collectCustomersByClicks } from '../sobrus/customers-clicks.js';
import type { BundleInput } from '../sobrus/diagnostics.js';
import { type ListVisit, visitList } from '../sobrus/list-learner.js';
import { confirmTotals, replayList } from '../sobrus/list-replay.js';
import type { RecipeStore } from '../sobrus/recipe-store.js';
import type { SessionSource } from '../sobrus/session-provider.js';

/** How the customer list was read: replaying the list's API, or clicking through the pages. */
export type ListingPath = 'api' | 'click';
/** What became of the site's recipe during this listing. */
export type RecipeUse = 'remembered' | 'learned' | 'relearned' | 'abandoned' | 'none';

export interface ListingNote {
  code: 'RECIPE_STALE' | 'LEARNING_FAILED' | 'LEARNED_RECIPE_FAILED' | 'RECIPE_NOT_SAVED';
  message: string;
}

export interface CustomerListing {
  customers: CustomerRecord[];
  siteTotal: number;
  pages: number;
  path: ListingPath;
  recipe: RecipeUse;
  /** Why a remembered recipe was relearned, or why learning was abandoned. */
  notes: ListingNote[];
  diagnostics?: { bucket: string; name: string; size: number } | undefined;
  /** Milliseconds spent per step (replay of a remembered recipe, browser visit, learning, replay, clicks). */
  timings: Record<string, number>;
}

export interface ListingDeps {
  config: Config;
  browsers: BrowserHolder;
  logger: Log;
  recipes: RecipeStore;
  keepDiagnostics: (input: BundleInput) => Promise<CustomerListing['diagnostics']>;
}

export interface ListingOptions {
  jobId: string;
  signal?: AbortSignal;
  onPage?: (done: number, total: number, path: ListingPath) => void;
}

/** What a job records of its listing: how the list was read, and why a recipe was relearned or abandoned. */
export function recordListing(
  reporter: { addError(item: string, code: string, message: string): void },
  listing: CustomerListing,
) {
  for (const note of listing.notes) reporter.addError('customers-list', note.code, note.message);
  return {
    path: listing.path,
    recipe: listing.recipe,
    listTimings: listing.timings,
    ...(listing.diagnostics ? { diagnostics: listing.diagnostics } : {}),
  };
}

/** Errors no other path can get round: the session cannot be renewed, or the job was cancelled. */
const isFinalError = (error: unknown, signal?: AbortSignal) =>
  signal?.aborted ||
  ['SOBRUS_RELOGIN_REQUIRED', 'SOBRUS_SESSION_UNSTABLE'].includes((error as { code?: string }).code ?? '');

/**
 * Every customer of the pharmacy. The site's remembered recipe is replayed over HTTP; when it no longer fits
 * (or there is none) the list page is visited once to learn it again; when that fails, the pages are clicked
 * through. Each step that did not work is noted, and a diagnostic bundle is kept when learning failed.
 */
export async function listCustomers(
  deps: ListingDeps,
  sessions: SessionSource,
  http: SobrusHttp,
  options: ListingOptions,
): Promise<CustomerListing> {
  const { config } = deps;
  const appUrl = config.sobrus.appUrl;
  const log = deps.logger.child({ pharmacyId: sessions.pharmacyId });
  const notes: ListingNote[] = [];
  const timings: Record<string, number> = {};
  const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await work();
    } finally {
      timings[step] = Math.round(performance.now() - start);
    }
  };
  const replayOptions = {
    concurrency: config.customers.concurrency,
    signal: options.signal,
    onPage: (done: number, total: number) => options.onPage?.(done, total, 'api'),
  };
  if (config.customers.path === 'click')
    return timed('clickMs', () => clickThrough(deps, sessions, options, notes, timings));
  const remembered = await deps.recipes.get(appUrl, sessions.pharmacyId).catch(() => undefined);
  if (remembered) {
    try {
      const result = await timed('rememberedMs', () => replayList(http, remembered, replayOptions));
      return { ...result, path: 'api', recipe: 'remembered', notes, timings };
    } catch (error) {
      if (isFinalError(error, options.signal)) throw error;
      notes.push({ code: 'RECIPE_STALE', message: toError(error).message });
      log.warn({ reason: toError(error).message }, 'remembered customer-list recipe no longer fits, learning it again');
    }
  }

  const browserSteps = stepOptions(config, options.signal);
  const visit = await timed('visitMs', () => visitList(deps.browsers, sessions, browserSteps));
  let failure: Pick<BundleInput, 'failedStep' | 'recipe'> = { failedStep: 'visit' };
  if (visit.empty) return { customers: [], siteTotal: 0, pages: 1, path: 'click', recipe: 'none', notes, timings };
  if (visit.observation?.secondRows) {
    try {
      const fetched = new Map<number, unknown>();
      const learned = await timed('learnMs', () => learnFromVisit(http, visit, fetched, replayOptions.signal));
      if ('recipe' in learned) {
        const result = await timed('replayMs', () => replayList(http, learned.recipe, { ...replayOptions, fetched }));
        await deps.recipes.put(appUrl, sessions.pharmacyId, learned.recipe).catch((error) => {
          notes.push({ code: 'RECIPE_NOT_SAVED', message: toError(error).message });
        });
        log.info({ listPath: learned.recipe.listPath, paging: learned.recipe.paging }, 'customer-list recipe learned');
        return { ...result, path: 'api', recipe: remembered ? 'relearned' : 'learned', notes, timings };
      }
      failure = learned.failure;
      notes.push({ code: 'LEARNING_FAILED', message: learned.failure.reasons.join('; ') });
    } catch (error) {
      if (isFinalError(error, options.signal)) throw error;
      failure = { failedStep: 'replay' };
      notes.push({ code: 'LEARNED_RECIPE_FAILED', message: toError(error).message });
    }
  } else if (visit.problem) {
    notes.push({ code: 'LEARNING_FAILED', message: visit.problem });
  }
  // One page only: nothing to learn the paging from, the page itself is read (no fallback, no bundle).
  const singlePage = !!visit.observation && !visit.observation.secondRows;
  const reasons = notes.filter((note) => note.code !== 'RECIPE_NOT_SAVED').map((note) => note.message);
  const bundle = (path: 'click' | 'none', extra: string[] = [], screenshots?: BundleInput['screenshots']) =>
    deps
      .keepDiagnostics({
        jobId: options.jobId,
        appUrl,
        path,
        ...failure,
        reasons: [...reasons, ...extra],
        visit,
        screenshots: visit.screenshots.before ? visit.screenshots : screenshots,
      })
      .catch((error) => void log.warn({ err: toError(error) }, 'diagnostic bundle not kept'));
  if (!singlePage && !config.customers.clickFallback) {
    await bundle('none');
    throw new Error(`the customer list could not be learned (${reasons.join('; ')}) and the click fallback is off`);
  }
  if (!singlePage) log.warn({ reasons }, 'customer list not learned, clicking through the pages');
  try {
    const walked = await timed('clickMs', () =>
      collectCustomersByClicks(deps.browsers, sessions, {
        ...browserSteps,
        onPage: (done, total) => options.onPage?.(done, total, 'click'),
      }),
    );
    const diagnostics = singlePage ? undefined : await bundle('click', [], walked.screenshots);
    return {
      customers: walked.customers,
      siteTotal: walked.siteTotal,
      pages: walked.pages,
      path: 'click',
      recipe: singlePage ? 'none' : 'abandoned',
      notes,
      timings,
      ...(diagnostics ? { diagnostics } : {}),
    };
  } catch (error) {
    if (!isFinalError(error, options.signal)) await bundle('none', [`click fallback: ${toError(error).message}`]);
    throw error;
  }
}

const stepOptions = (config: Config, signal: AbortSignal | undefined) => ({
  appUrl: config.sobrus.appUrl,
  timeoutMs: config.customers.browserTimeoutMs,
  retries: config.http.retries,
  backoffBaseMs: config.http.backoffBaseMs,
  backoffMaxMs: config.http.backoffMaxMs,
  signal,
});

/** The list read by clicking only, as configured (no recipe, no bundle). */
async function clickThrough(
  deps: ListingDeps,
  sessions: SessionSource,
  options: ListingOptions,
  notes: ListingNote[],
  timings: Record<string, number>,
): Promise<CustomerListing> {
  const walked = await collectCustomersByClicks(deps.browsers, sessions, {
    ...stepOptions(deps.config, options.signal),
    onPage: (done, total) => options.onPage?.(done, total, 'click'),
  });
  const { customers, siteTotal, pages } = walked;
  return { customers, siteTotal, pages, path: 'click', recipe: 'none', notes, timings };
}

/** A recipe from the visit, confirmed against the site; or why none could be made. */
async function learnFromVisit(
  http: SobrusHttp,
  visit: ListVisit,
  fetched: Map<number, unknown>,
  signal?: AbortSignal,
): Promise<{ recipe: ListRecipe } | { failure: Pick<BundleInput, 'failedStep' | 'recipe' | 'reasons'> }> {
  const outcome = learnRecipe(visit.observation as NonNullable<ListVisit['observation']>);
  if (!outcome.ok) {
    return {
      failure: { failedStep: outcome.step, recipe: outcome.partial, reasons: [`${outcome.step}: ${outcome.reason}`] },
    };
  }
  const { totalsCandidates, paging, ...draft } = outcome.draft;
  const firstAnswer = visit.observation?.exchanges.find(
    (exchange) => exchange.request.url === draft.request.url && exchange.request.body === draft.request.body,
  );
  if (firstAnswer) fetched.set(1, firstAnswer.json);
  if (!paging) return { failure: { failedStep: 'paging', recipe: outcome.draft, reasons: ['paging: no rule'] } };
  const totals = await confirmTotals(http, { ...draft, paging }, totalsCandidates, signal, fetched);
  if (!totals) {
    return {
      failure: {
        failedStep: 'totals',
        recipe: outcome.draft,
        reasons: [`totals: none of the ${totalsCandidates.length} envelope numbers fits the last page`],
      },
    };
  }
  return { recipe: { ...draft, paging, totals } };
}
