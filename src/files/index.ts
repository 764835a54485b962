/**
 * Files, for the command line. read.ts reads an inventory or owned table: .xlsx/.xlsm through
 * one package reader for every size (xlsx.ts: fflate and saxes), CSV through papaparse with
 * the encodings and delimiters real exports use; whatever it decided on the way reaches the
 * report (problems.ts). write.ts writes the report's layouts (sheetXml.ts) into the input
 * package, keeping every other part byte for byte (package.ts), or into a new one for CSV,
 * never over the input or an existing file unasked. The only code besides src/excel that
 * touches the outside world, and it writes only what a layout says.
 */
export { decodeText, ENCODING_NAMES, encodingName, FileInputError, guessDelimiter, isCsvPath, openCsvFile, parseCsv, readInputFile } from "./read";
export type { InputFile, SheetGrid } from "./read";
export { checkOutPath, OutputPathError, planSheetNames, samePath, uniqueSheetName, wrappedLines, writeReportWorkbook } from "./write";
export type { GridSheet } from "./write";
export { mergeProblems } from "./problems";
export { checkInventoryOut, readExportFile, streamLogs, logFiles, writeInventoryFiles } from "./exports";
export type { ExportFile, LogSink, InventoryOutput } from "./exports";
