/**
 * Files, for the command line: reads an inventory or owned table from .xlsx, .xls, .ods or
 * CSV (read.ts: ExcelJS and papaparse, with the encodings and delimiters real exports use)
 * and writes the report's layouts to a workbook (write.ts), never over the input. The only
 * code besides src/excel that touches the outside world, and it writes only what a layout says.
 */
export { cellValue, decodeText, FileInputError, guessDelimiter, isCsvPath, openCsvFile, parseCsv, readInputFile } from "./read";
export type { InputFile, SheetGrid } from "./read";
export { baseWorkbook, OutputPathError, planSheetNames, samePath, uniqueSheetName, wrappedLines, writeReportWorkbook } from "./write";
