import type { FastifyInstance } from 'fastify';
import type { SiteVariant } from '../../site-variants.js';
import type { SimContext } from '../context.js';

/** What one site variant adds to the origins: its list endpoint(s) and the `/customers` page that uses them. */
export interface ListVariant {
  registerApp?(app: FastifyInstance, context: SimContext): void;
  registerApi?(api: FastifyInstance, context: SimContext): void;
  /** The HTML of `/customers` for a signed-in account. */
  page(context: SimContext, account: string, pharmacyName: string): string;
}

export type ListVariants = Record<SiteVariant, ListVariant>;
