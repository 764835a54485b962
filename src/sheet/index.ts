/**
 * Reading and naming Excel sheets, with nothing of licensing in it: a cell's text as Excel
 * shows it (cells.ts), the header row of a table found among the top rows and its columns
 * told apart by their many spellings (header.ts), the sheets the audit looks for when the
 * user has not picked one (findSheet.ts), and sheet names Excel accepts (sheetNames.ts).
 * The audit reads its tables with these; the two writers name their sheets with them.
 */
export type { Cell, Grid } from "./cells";
export { cellFlag, cellText, columnLetter, errorWords, isBlankRow, isExcelError, isTrimmed, NO_RESULT } from "./cells";
export type { ColumnRole, HeaderMatch } from "./header";
export { COLUMN_SYNONYMS, findHeader, HEADER_SEARCH_ROWS, squeeze } from "./header";
export { findNamedSheet, INVENTORY_SHEET_NAMES, OWNED_SHEET_NAMES } from "./findSheet";
export { cleanSheetName, freeSheetName, MAX_SHEET_NAME } from "./sheetNames";
