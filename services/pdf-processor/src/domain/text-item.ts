/** One run of text as placed on a page, in points, origin at the bottom-left (PDF user space). */
export interface TextItem {
  str: string;
  x: number;
  /** Baseline. */
  y: number;
  width: number;
  /** Font size as drawn (0 when the producer gives no usable size). */
  height: number;
}

export interface PageText {
  /** 1-based. */
  page: number;
  width: number;
  height: number;
  items: TextItem[];
}
