/**
 * Where everything sits on a statement page, in points from the top-left. A parser can rely on this:
 * transaction rows start with a date at DATE_X; product lines never have anything left of PRODUCT_X.
 */
export const MARGIN_X = 30;
export const TOP_Y = 30;
export const FOOTER_GAP = 28;
export const BOTTOM_GAP = 45;

export const TITLE_SIZE = 14;
export const TEXT_SIZE = 8;
export const PRODUCT_SIZE = 7;
export const ROW_GAP = 2.5;

export const DATE_X = MARGIN_X;
export const REFERENCE_X = 90;
export const LABEL_X = 165;
export const LABEL_WIDTH = 215;
export const TOTAL_RIGHT = 470;
export const BALANCE_RIGHT = 565;

export const PRODUCT_X = 90;
export const PRODUCT_WIDTH = 195;
export const QUANTITY_RIGHT = 320;
export const UNIT_PRICE_RIGHT = 375;
export const DISCOUNT_RIGHT = 420;
export const DISCOUNTED_PRICE_RIGHT = 475;
export const LINE_TOTAL_RIGHT = 530;

export const PAGE_SIZES = {
  A4: [595.28, 841.89],
  LETTER: [612, 792],
  LEGAL: [612, 1008],
} as const;
export type PdfPageSize = keyof typeof PAGE_SIZES;
