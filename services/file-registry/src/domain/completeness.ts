import { deadlineOf, formatMonth, lateFromMs, type ReportMonth } from './report-period.js';

export interface ReportKey {
  dataProvider: string;
  clientName: string;
  reportType: string;
}

export interface Arrival extends ReportKey {
  /** Earliest arrival among the files of this report (uploaded_at, or created_at when unknown). */
  firstArrivedAt: Date;
  files: number;
}

export interface ArrivedReport extends ReportKey {
  arrivedAt: string;
  files: number;
}

export interface Completeness {
  month: string;
  deadline: string;
  overdue: boolean;
  expected: number;
  received: ArrivedReport[];
  missing: ReportKey[];
  late: ArrivedReport[];
  unexpected: ArrivedReport[];
}

const keyOf = (r: ReportKey) => `${r.dataProvider}\u0000${r.clientName}\u0000${r.reportType}`;
const byKey = (a: ReportKey, b: ReportKey) =>
  a.dataProvider.localeCompare(b.dataProvider) ||
  a.clientName.localeCompare(b.clientName) ||
  a.reportType.localeCompare(b.reportType);

/**
 * Compares what was agreed for a month with what arrived: received (expected and arrived), missing (expected,
 * nothing yet), late (arrived after the deadline, expected or not), unexpected (arrived, nobody agreed on it).
 */
export function computeCompleteness(
  period: ReportMonth,
  expected: readonly ReportKey[],
  arrivals: readonly Arrival[],
  lateAfterDay: number,
  now: Date,
): Completeness {
  const lateFrom = lateFromMs(period, lateAfterDay);
  const arrivalByKey = new Map(arrivals.map((a) => [keyOf(a), a]));
  const expectedKeys = new Set(expected.map(keyOf));
  const toReport = (a: Arrival): ArrivedReport => ({
    dataProvider: a.dataProvider,
    clientName: a.clientName,
    reportType: a.reportType,
    arrivedAt: a.firstArrivedAt.toISOString(),
    files: a.files,
  });
  const received = expected.flatMap((e) => {
    const arrival = arrivalByKey.get(keyOf(e));
    return arrival ? [toReport(arrival)] : [];
  });
  const missing = expected
    .filter((e) => !arrivalByKey.has(keyOf(e)))
    .map(({ dataProvider, clientName, reportType }) => ({ dataProvider, clientName, reportType }));
  const late = arrivals.filter((a) => a.firstArrivedAt.getTime() >= lateFrom).map(toReport);
  const unexpected = arrivals.filter((a) => !expectedKeys.has(keyOf(a))).map(toReport);
  return {
    month: formatMonth(period),
    deadline: deadlineOf(period, lateAfterDay),
    overdue: now.getTime() >= lateFrom,
    expected: expected.length,
    received: received.sort(byKey),
    missing: missing.sort(byKey),
    late: late.sort(byKey),
    unexpected: unexpected.sort(byKey),
  };
}
