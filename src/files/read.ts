/**
 * Reads an input file (.xlsx or .csv) into grids of cells as Excel's range.values would give
 * them: numbers, strings, booleans, errors as "#N/A"-style strings, rich text flattened,
 * formulas as their cached result, hyperlinks as their text, dates as Excel serial numbers.
 * No cell ever throws. Anything wrong with the FILE throws one FileInputError whose message
 * is a single line that names the file and says what is wrong.
 */
import * as fs from "fs";
import * as path from "path";
import type ExcelJS from "exceljs";
// exceljs takes ~0.3-1 s to load: only paths that touch an xlsx pay for it
// eslint-disable-next-line @typescript-eslint/no-require-imports
const excel = (): typeof ExcelJS => require("exceljs");
import Papa from "papaparse";
import type { Cell, Grid } from "../sheet";

export interface SheetGrid {
  name: string;
  grid: Grid;
}

export interface InputFile {
  kind: "xlsx" | "csv";
  path: string;
  sheets: SheetGrid[];
  /** The whole workbook as ExcelJS read it; only when asked for with keepWorkbook (xlsx only). */
  workbook?: ExcelJS.Workbook;
}

interface ReadOptions {
  /**
   * Load the whole workbook (ExcelJS.Workbook) and keep it, so a writer can add sheets to it.
   * Without it an xlsx is read with the streaming reader (less memory, faster on big files).
   */
  keepWorkbook?: boolean;
  /** Force (true) or forbid (false) the streaming xlsx reader; default: files above 2 MB. */
  stream?: boolean;
  /** Called now and then while reading rows (bytes or rows done, of about total). */
  onProgress?: (done: number, total: number) => void;
}

export class FileInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FileInputError";
  }
}

const STREAM_ABOVE_BYTES = 2 * 1024 * 1024;
const XLSX_EXTS = new Set([".xlsx", ".xlsm"]);
const CSV_EXTS = new Set([".csv", ".txt", ".tsv"]);

/** One line, no stack: why a file could not be opened, in words a person knows. */
function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "it is a folder, not a file";
    case "EMFILE":
      return "too many open files";
  }
  const msg = e instanceof Error ? e.message : String(err);
  return firstLine(msg);
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/)[0].trim();
  return line.length > 160 ? line.slice(0, 160) + "…" : line;
}

/** The file exists, is a file and can be read; else one FileInputError that says which. */
function checkReadable(file: string, display: string): fs.Stats {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    throw new FileInputError(`Cannot read ${display}: ${reason(err)}`);
  }
  if (stat.isDirectory()) throw new FileInputError(`Cannot read ${display}: it is a folder, not a file`);
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch (err) {
    throw new FileInputError(`Cannot read ${display}: ${reason(err)}`);
  }
  return stat;
}

export function isCsvPath(file: string): boolean {
  return CSV_EXTS.has(path.extname(file).toLowerCase());
}

/** Reads FILE into sheets of cells. Throws FileInputError on any problem with the file. */
export async function readInputFile(file: string, options: ReadOptions = {}): Promise<InputFile> {
  const display = path.basename(file);
  const ext = path.extname(file).toLowerCase();
  const stat = checkReadable(file, display);

  if (XLSX_EXTS.has(ext)) {
    if (!looksLikeZip(file)) {
      const what = looksLikeOldXls(file) ? "an old .xls (Excel 97-2003) file renamed to .xlsx; save it as .xlsx" : "not an xlsx file (it is not a zip package)";
      throw new FileInputError(`Cannot read ${display}: ${what}`);
    }
    try {
      // The streaming reader is ~2.5x faster and needs half the memory, but it loses the
      // cached result of formulas that evaluate to an error or a logical; small files (the
      // usual case) take the exact whole-workbook path.
      const stream = !options.keepWorkbook && (options.stream ?? stat.size > STREAM_ABOVE_BYTES);
      return stream ? await readXlsxStream(file, stat.size, options) : await readXlsxWhole(file, options);
    } catch (err) {
      if (err instanceof FileInputError) throw err;
      throw new FileInputError(`Cannot read ${display}: not a readable xlsx file (${reason(err)})`);
    }
  }
  if (CSV_EXTS.has(ext)) {
    const grid = parseCsv(csvText(file, display), options.onProgress);
    return { kind: "csv", path: file, sheets: [{ name: csvSheetName(file), grid }] };
  }
  if (ext === ".xls") throw new FileInputError(`Cannot read ${display}: .xls (Excel 97-2003) is not supported; save it as .xlsx or .csv`);
  throw new FileInputError(`Cannot read ${display}: unknown file type "${ext || "(none)"}"; use .xlsx or .csv`);
}

function readHead(file: string, n: number): Buffer {
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(n);
    const got = fs.readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}

function looksLikeZip(file: string): boolean {
  const h = readHead(file, 4);
  return h.length === 4 && h[0] === 0x50 && h[1] === 0x4b && h[2] === 0x03 && h[3] === 0x04;
}

function looksLikeOldXls(file: string): boolean {
  const h = readHead(file, 8);
  return h.length === 8 && h.readUInt32BE(0) === 0xd0cf11e0 && h.readUInt32BE(4) === 0xa1b11ae1;
}

// ---------------------------------------------------------------------------------------------
// CSV

/** UTF-8 (BOM or not) and UTF-16 with a BOM (what Windows PowerShell's Out-File writes). */
export function decodeText(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString("utf16le");
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString("utf16le");
  }
  let text = bytes.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

/** A CSV file's text, after the same checks as readInputFile; a zip package is refused. */
function csvText(file: string, display: string): string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new FileInputError(`Cannot read ${display}: ${reason(err)}`);
  }
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    throw new FileInputError(`Cannot read ${display}: it is a zip package (an .xlsx file?), not CSV text`);
  }
  return decodeText(bytes);
}

/** The sheet name a CSV file's rows go by: the file's name without its extension. */
function csvSheetName(file: string): string {
  return path.basename(file, path.extname(file));
}

/**
 * A CSV file opened for reading row by row (the command's way with big inventories: a
 * million rows held at once are seven million strings for the garbage collector to copy
 * and mark). Same checks and decoding as readInputFile, done now; eachRow then parses as
 * readInputFile does and keeps no row.
 */
export function openCsvFile(file: string): {
  name: string;
  eachRow: (onRow: (row: string[]) => void, onProgress?: (done: number, total: number) => void) => void;
} {
  const display = path.basename(file);
  checkReadable(file, display);
  const text = csvText(file, display);
  return { name: csvSheetName(file), eachRow: (onRow, onProgress) => eachCsvRow(text, onRow, onProgress) };
}

/**
 * Parses in chunks of this many characters; each chunk's rows can be dropped once handed on.
 * Keep it at least 1 MB: papaparse guesses the line ending from the first 1 MB it is given,
 * so a smaller first chunk could guess differently from a whole-file parse.
 */
const CSV_CHUNK = 1 << 20;

/** CSV text row by row: delimiter guessed among comma, semicolon and tab. Every cell a string. */
function eachCsvRow(text: string, onRow: (row: string[]) => void, onProgress?: (done: number, total: number) => void): void {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const delimiter = guessDelimiter(text);
  const total = text.length;
  if (onProgress) onProgress(0, total);
  // With a string and a chunk callback, papaparse parses synchronously, chunk by chunk.
  Papa.parse<string[]>(text, {
    delimiter,
    header: false,
    dynamicTyping: false,
    skipEmptyLines: false,
    chunkSize: CSV_CHUNK,
    chunk: (results: Papa.ParseResult<string[]>) => {
      for (const row of results.data) onRow(row);
      if (onProgress) onProgress(Math.min(results.meta.cursor, total), total);
    },
    complete: () => undefined,
  });
  if (onProgress) onProgress(total, total);
}

/**
 * CSV text to a raw grid: no header handling (the engine finds the header), delimiter
 * guessed among comma, semicolon and tab, trailing blank lines dropped. Every cell a string.
 */
export function parseCsv(text: string, onProgress?: (done: number, total: number) => void): string[][] {
  const rows: string[][] = [];
  eachCsvRow(text, (row) => rows.push(row), onProgress);
  while (rows.length > 0) {
    const last = rows[rows.length - 1];
    if (last.length === 0 || (last.length === 1 && last[0] === "")) rows.pop();
    else break;
  }
  return rows;
}

/**
 * Which of comma, semicolon and tab splits the first lines most consistently (a European
 * Excel "CSV" uses semicolons). Quoted text is skipped so "Smith, John" does not count.
 */
export function guessDelimiter(text: string): string {
  const candidates = [",", ";", "\t"];
  const lines: string[] = [];
  let start = 0;
  while (lines.length < 20 && start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, "");
    if (line.trim() !== "" && !/^#TYPE /.test(line)) lines.push(line);
    start = end + 1;
  }
  let best = ",";
  let bestScore = -1;
  for (const d of candidates) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    const withIt = counts.filter((c) => c > 0);
    if (withIt.length === 0) continue;
    // lines that agree with the most common count, weighted by how many fields it makes
    const freq = new Map<number, number>();
    for (const c of withIt) freq.set(c, (freq.get(c) ?? 0) + 1);
    let mode = 0;
    let modeN = 0;
    for (const [c, n] of freq) if (n > modeN || (n === modeN && c > mode)) [mode, modeN] = [c, n];
    const score = modeN * 1000 + mode;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === d) n++;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// XLSX

/** Days between Excel's 1900 epoch (as Excel counts, with its 1900 leap-year bug) and 1970. */
const EXCEL_EPOCH_OFFSET = 25569;

/** A Date as the serial number Excel's range.values gives (ExcelJS read it as UTC). */
function dateToSerial(d: Date): number | string {
  const t = d.getTime();
  if (!Number.isFinite(t)) return "";
  const serial = t / 86_400_000 + EXCEL_EPOCH_OFFSET;
  // keep ~millisecond precision without float noise
  return Math.round(serial * 86_400_000) / 86_400_000;
}

/** One ExcelJS cell value as range.values would give it. Never throws. */
export function cellValue(value: unknown, depth = 0): Cell {
  try {
    if (value === null || value === undefined) return null;
    switch (typeof value) {
      case "string":
        return value;
      case "number":
        return Number.isFinite(value) ? value : "#NUM!";
      case "boolean":
        return value;
      case "bigint":
        return Number(value);
      case "object":
        break;
      default:
        return String(value);
    }
    if (value instanceof Date) return dateToSerial(value);
    if (depth > 4) return "";
    const v = value as Record<string, unknown>;
    if (typeof v.error === "string") return v.error;
    if (Array.isArray(v.richText)) {
      return (v.richText as { text?: unknown }[]).map((r) => (typeof r?.text === "string" ? r.text : "")).join("");
    }
    if ("formula" in v || "sharedFormula" in v || "result" in v) {
      // No stored result: the file was saved without calculating, or (streaming reader) the
      // result was an Excel error. Either way the cell is not a value: flag it, never blank.
      if (v.result === undefined) return "#VALUE!";
      return cellValue(v.result, depth + 1);
    }
    if ("hyperlink" in v || "text" in v) {
      return cellValue(v.text ?? v.hyperlink ?? "", depth + 1);
    }
    if (typeof v.sharedString === "number") return "";
    return String(value);
  } catch {
    return "";
  }
}

/** Rows from an ExcelJS worksheet as a dense grid (row 0 = sheet row 1). */
function worksheetGrid(ws: ExcelJS.Worksheet): Cell[][] {
  const grid: Cell[][] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: Cell[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      cells[col - 1] = cellValue(cell.value);
    });
    fillHoles(cells);
    grid[rowNumber - 1] = cells;
  });
  fillRows(grid);
  return grid;
}

function fillHoles(cells: Cell[]): void {
  for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = null;
}

function fillRows(grid: Cell[][]): void {
  for (let i = 0; i < grid.length; i++) if (grid[i] === undefined) grid[i] = [];
}

async function readXlsxWhole(file: string, options: ReadOptions): Promise<InputFile> {
  const workbook = new (excel().Workbook)();
  await workbook.xlsx.readFile(file);
  const sheets: SheetGrid[] = [];
  const total = workbook.worksheets.reduce((n, ws) => n + ws.rowCount, 0);
  let done = 0;
  for (const ws of workbook.worksheets) {
    sheets.push({ name: ws.name, grid: worksheetGrid(ws) });
    done += ws.rowCount;
    options.onProgress?.(done, total);
  }
  return { kind: "xlsx", path: file, sheets, workbook };
}

interface StreamRow {
  number: number;
  values: unknown; // sparse array, index = column number (1-based)
}

async function readXlsxStream(file: string, size: number, options: ReadOptions): Promise<InputFile> {
  const reader = new (excel().stream.xlsx.WorkbookReader)(file, {
    worksheets: "emit",
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "cache", // needed to tell dates from numbers
    entries: "ignore",
  });
  const found: { id: number; name: string; grid: Cell[][] }[] = [];
  let rowsDone = 0;
  // Rows per byte is unknown up front; ~40 bytes of compressed xml per row is a fair guess.
  const guessTotal = Math.max(1, Math.round(size / 40));
  for await (const worksheet of reader as unknown as AsyncIterable<AsyncIterable<StreamRow> & { id: number; name: string }>) {
    const grid: Cell[][] = [];
    for await (const row of worksheet) {
      const values = row.values as unknown[];
      const cells: Cell[] = new Array(Math.max(0, values.length - 1));
      for (let c = 1; c < values.length; c++) cells[c - 1] = values[c] === undefined ? null : cellValue(values[c]);
      grid[row.number - 1] = cells;
      if (options.onProgress && ++rowsDone % 10_000 === 0) options.onProgress(rowsDone, Math.max(guessTotal, rowsDone));
    }
    fillRows(grid);
    found.push({ id: worksheet.id, name: worksheet.name, grid });
  }
  // Tab order as the workbook lists its sheets (the zip may hold them in another order).
  const model = (reader as unknown as { model?: { sheets?: { id: number; name: string }[] } }).model;
  const order = new Map<string, number>();
  (model?.sheets ?? []).forEach((s, i) => order.set(s.name, i));
  found.sort((a, b) => (order.get(a.name) ?? 1e9 + a.id) - (order.get(b.name) ?? 1e9 + b.id));
  if (found.length === 0) throw new FileInputError(`Cannot read ${path.basename(file)}: the workbook has no worksheets`);
  options.onProgress?.(rowsDone, rowsDone);
  return { kind: "xlsx", path: file, sheets: found.map(({ name, grid }) => ({ name, grid })) };
}
