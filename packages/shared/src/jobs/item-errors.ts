import type { Static } from '@sinclair/typebox';
import type { JobItemError } from '../contracts/jobs.js';

export type ItemError = Static<typeof JobItemError>;

/** Item errors a job lists at most; past it they are only counted. A job-wide reason is always listed. */
export const MAX_ITEM_ERRORS = 500;

/**
 * The item errors of one run of a job: the first `max` are listed (pending until written), the others only
 * counted, so `total` is every one of them.
 */
export class ItemErrors {
  private pending: ItemError[] = [];
  private listed = 0;
  private counted = 0;

  constructor(readonly max = MAX_ITEM_ERRORS) {}

  /** Counts the error and lists it while under the cap; says whether it was listed. */
  add(error: ItemError): boolean {
    this.counted += 1;
    if (this.listed >= this.max) return false;
    this.listed += 1;
    this.pending.push(error);
    return true;
  }

  get total(): number {
    return this.counted;
  }

  /** Errors counted but left off the list because of the cap. */
  get unlisted(): number {
    return this.counted - this.listed;
  }

  /** The listed errors not yet written, in the order they came; they are the caller's until given back. */
  take(): ItemError[] {
    const taken = this.pending;
    this.pending = [];
    return taken;
  }

  /** Errors taken for a write that failed: written first by the next write. */
  giveBack(errors: ItemError[]): void {
    this.pending = [...errors, ...this.pending];
  }
}
