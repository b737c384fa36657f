/**
 * Shapes of the customer list the simulator can serve. The DOM, the list URL, the statement endpoint and the
 * truth are the same in all of them; what differs is how the page script loads its rows. Code fitted to one
 * shape fails on the others, which is the point: Sobrus's real shape is unknown.
 */
export const SITE_VARIANTS = ['classic', 'search-post', 'offset-rest', 'html-only', 'split-names'] as const;
export type SiteVariant = (typeof SITE_VARIANTS)[number];

export const DEFAULT_SITE: SiteVariant = 'classic';

export interface SiteTraits {
  /** Customers per page unless the `pageSize` option or the `listPageSize` fault says otherwise. */
  pageSize: number;
  /** `/customers?page=N` is honoured and the page puts its number into the URL. */
  pageUrls: boolean;
  /** `.sob-v2-table-total` exists and shows the customer count. */
  showsTotal: boolean;
  /** After the password the accounts origin goes through an authorize page, and the app exchanges the code by script. */
  signInHop: boolean;
}

export const SITE_TRAITS: Record<SiteVariant, SiteTraits> = {
  classic: { pageSize: 20, pageUrls: true, showsTotal: true, signInHop: false },
  'search-post': { pageSize: 25, pageUrls: false, showsTotal: false, signInHop: true },
  'offset-rest': { pageSize: 50, pageUrls: false, showsTotal: true, signInHop: true },
  'html-only': { pageSize: 20, pageUrls: false, showsTotal: false, signInHop: false },
  'split-names': { pageSize: 20, pageUrls: false, showsTotal: false, signInHop: false },
};

export function isSiteVariant(value: string): value is SiteVariant {
  return (SITE_VARIANTS as readonly string[]).includes(value);
}
