import type { PrintOptions } from '../simulation.js';
import type { SimContext } from './context.js';

/** How a statement prints right now for this account and customer, given the faults in force. */
export function printOptionsFor(context: SimContext, account: string, customerId: string): PrintOptions {
  const faults = context.faults.effective(account);
  return {
    ...(faults.pdfPageSize ? { pageSize: faults.pdfPageSize } : {}),
    inconsistent: context.faults.appliesTo(faults.inconsistentCustomers, customerId),
  };
}
