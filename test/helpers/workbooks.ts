import ExcelJS from 'exceljs';

/** A cell of a test workbook: a value, or a value with its number format. */
export type TestCell = ExcelJS.CellValue | { value: ExcelJS.CellValue; numFmt: string };

/** A .xlsx file of these sheets (name → rows), written by exceljs (in memory: small workbooks). */
export async function workbook(sheets: Record<string, TestCell[][]>, options: { date1904?: boolean } = {}): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  if (options.date1904) book.properties.date1904 = true;
  for (const [name, rows] of Object.entries(sheets)) {
    const sheet = book.addWorksheet(name);
    rows.forEach((cells, r) =>
      cells.forEach((cell, c) => {
        if (cell === undefined) return;
        const target = sheet.getCell(r + 1, c + 1);
        if (cell !== null && typeof cell === 'object' && 'numFmt' in cell) {
          target.value = cell.value;
          target.numFmt = cell.numFmt;
        } else target.value = cell;
      }),
    );
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * The records of a `;` CSV text as a workbook's first sheet, typed as a spreadsheet holds them:
 * plain decimals as numbers, ISO dates as date cells, the rest as text.
 */
export function csvRows(csv: string): TestCell[][] {
  return csv
    .split(/\r?\n/)
    .filter((line) => line !== '')
    .map((line) =>
      line.split(';').map((cell): TestCell => {
        if (/^(0|[1-9]\d*)(\.\d+)?$/.test(cell)) return Number(cell);
        const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(cell);
        const day = iso ? new Date(Date.UTC(+iso[1], +iso[2] - 1, +iso[3])) : null;
        // An impossible date (2013-13-01) stays text, as a spreadsheet keeps it.
        if (day && day.toISOString().startsWith(cell)) return { value: day, numFmt: 'dd/mm/yyyy' };
        return cell === '' ? null : cell;
      }),
    );
}
