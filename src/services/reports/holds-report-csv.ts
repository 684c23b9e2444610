import { toCsv } from '../csv';
import type { HoldsReport, HoldsReportRow } from './holds-report';

// The holds report for a spreadsheet: the rows of both lists in one table, the first column
// naming the list a row belongs to (as the JSON does, so a filter reads the same in both);
// library columns hold codes, as staff write them; times are UTC ISO 8601 as in the JSON.

export const holdsReportCsvHeader = [
  'Kind',
  'Hold',
  'Patron barcode',
  'Patron',
  'Home library',
  'Title',
  'Lending library',
  'Pickup library',
  'Placed',
  'Filled',
  'Cancelled',
  'Cancel reason',
] as const;

export type HoldsReportSection = 'placedByOurPatrons' | 'placedByOtherPatrons';

function csvRow(kind: HoldsReportSection, row: HoldsReportRow): string[] {
  return [
    kind,
    String(row.holdId),
    row.patron.barcode,
    row.patron.name,
    row.homeLibrary.code,
    row.title,
    row.lendingLibrary?.code ?? '',
    row.pickupLibrary.code,
    row.placedAt ?? '',
    row.filledAt ?? '',
    row.cancelledAt ?? '',
    row.cancelReason ?? '',
  ];
}

export function holdsReportCsv(report: HoldsReport): string {
  return toCsv(holdsReportCsvHeader, [
    ...report.placedByOurPatrons.map((row) => csvRow('placedByOurPatrons', row)),
    ...report.placedByOtherPatrons.map((row) => csvRow('placedByOtherPatrons', row)),
  ]);
}

export function holdsReportFileName(report: HoldsReport): string {
  return `holds-${report.library.code}-${report.from}-${report.to}.csv`;
}
