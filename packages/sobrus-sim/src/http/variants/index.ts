import type { SiteVariant } from '../../site-variants.js';
import { classic } from './classic.js';
import { htmlOnly } from './html-only.js';
import type { ListVariant, ListVariants } from './list-variant.js';
import { offsetRest } from './offset-rest.js';
import { searchPost } from './search-post.js';
import { splitNames } from './split-names.js';

const VARIANTS: ListVariants = {
  classic,
  'search-post': searchPost,
  'offset-rest': offsetRest,
  'html-only': htmlOnly,
  'split-names': splitNames,
};

export function listVariant(site: SiteVariant): ListVariant {
  return VARIANTS[site];
}
