import type { Static } from '@pharma/shared/config';
import type {
  Anomaly as AnomalySchema,
  ParsedStatement as ParsedStatementSchema,
  ProductLine as ProductLineSchema,
  StatementTransaction as StatementTransactionSchema,
  TransactionKind as TransactionKindSchema,
} from '@pharma/shared/contracts';

export type TransactionKind = Static<typeof TransactionKindSchema>;
export type ProductLine = Static<typeof ProductLineSchema>;
export type StatementTransaction = Static<typeof StatementTransactionSchema>;
export type Anomaly = Static<typeof AnomalySchema>;
export type ParsedStatement = Static<typeof ParsedStatementSchema>;
export type Verdict = ParsedStatement['verdict'];
