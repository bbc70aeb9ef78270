import { stringify } from 'csv-stringify/sync';
import type { Workbook } from 'exceljs';

/** A sheet of text cells: money stays exact decimal text (a spreadsheet may convert it; the file never rounds it). */
export interface Sheet {
  name: string;
  columns: string[];
  rows: Array<Array<string | number | null>>;
}

async function workbook(sheets: Sheet[]): Promise<Workbook> {
  // Loaded on first use, so the CLI and the pages' start do not pay for it.
  const { Workbook } = await import('exceljs');
  const book = new Workbook();
  book.creator = 'Alliance Ledger';
  for (const sheet of sheets) {
    const ws = book.addWorksheet(sheet.name.slice(0, 31));
    ws.addRow(sheet.columns).font = { bold: true };
    for (const row of sheet.rows) ws.addRow(row.map((cell) => cell ?? ''));
    ws.columns.forEach((column, index) => (column.width = Math.min(60, Math.max(10, sheet.columns[index].length + 2))));
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return book;
}

export async function xlsx(sheets: Sheet[]): Promise<Buffer> {
  return Buffer.from(await (await workbook(sheets)).xlsx.writeBuffer());
}

/**
 * CSV of one sheet, written by csv-stringify: quoting and escaping are the library's, and so is the
 * UTF-8 byte order mark it starts with. Excel on Windows reads a CSV without one in the machine's
 * ANSI code page, garbling "£" and accented names; other readers skip it (pandas needs
 * `encoding="utf-8-sig"`). A text cell a spreadsheet would run as a formula (starting = + - @, a
 * tab or a carriage return, or their full-width forms) is written with a leading apostrophe, which
 * spreadsheets show as text. A plain decimal (`-1234.56`) is left as it is, so amounts read back
 * exactly; it cannot be a formula.
 */
export function csv(sheet: Sheet): Buffer {
  return Buffer.from(stringify([sheet.columns, ...sheet.rows], { bom: true, cast: { string: inert } }));
}

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

export function inert(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_DECIMAL.test(text) ? `'${text}` : text;
}
