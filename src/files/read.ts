/**
 * Reads an input file (.xlsx, .xlsm or .csv/.txt/.tsv) into grids of cells as Excel's
 * range.values would give them: numbers, strings, booleans, errors as "#N/A"-style strings,
 * rich text flattened, formulas as their cached result, dates as Excel serial numbers.
 * There is one reader per format, whatever the file's size (xlsx.ts for packages, papaparse
 * for text). No cell ever throws. Anything wrong with the FILE throws one FileInputError
 * whose message is a single line that names the file, says what it is and what to do.
 * Whatever the reader had to decide on the way (an encoding, a quote never closed, merged
 * cells) comes back as problems and warnings for the report: nothing is dropped in silence.
 */
import * as fs from "fs";
import * as path from "path";
import Papa from "papaparse";
import { columnLetter } from "../sheet";
import type { Grid } from "../sheet";
import type { Problem } from "../audit";
import { cleanRow, hasForbidden, MAX_CELL_TEXT } from "./text";
import { PackageError, readXlsxPackage } from "./xlsx";

export interface SheetGrid {
  name: string;
  grid: Grid;
  /** Hidden and very hidden sheets are never picked by default (xlsx only). */
  visibility?: "visible" | "hidden" | "veryHidden";
  /** Merged ranges ("A2:A4"): only their top-left cell holds a value (xlsx only). */
  merges?: string[];
  /** Cells whose text was cleaned (text.ts), reported when the audit uses the sheet. */
  problems?: Problem[];
}

export interface InputFile {
  kind: "xlsx" | "csv";
  path: string;
  sheets: SheetGrid[];
  /** The package as read (xlsx only): the writer adds the report sheets to it. */
  bytes?: Uint8Array;
  /** Rows the reader read with a caveat (a CSV quote never closed), by sheet row. */
  problems: Problem[];
  /** Facts about the file as a whole (an encoding guessed). */
  warnings: string[];
}

export interface ReadOptions {
  /** Called now and then while reading (bytes or rows done, of about total). */
  onProgress?: (done: number, total: number) => void;
  /** A text file's encoding; default: from its BOM, else UTF-8, else Windows-1252 with a warning. */
  encoding?: string;
}

export class FileInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FileInputError";
  }
}

const XLSX_EXTS = new Set([".xlsx", ".xlsm"]);
const CSV_EXTS = new Set([".csv", ".txt", ".tsv"]);
const OTHER_FORMATS: Record<string, string> = {
  ".xls": "an Excel 97-2003 workbook (.xls), which CALS does not read; open it in Excel and save it as .xlsx (or .csv)",
  ".xlsb": "an Excel binary workbook (.xlsb), which CALS does not read; open it in Excel and save it as .xlsx",
  ".ods": "an OpenDocument spreadsheet (.ods), which CALS does not read; save it as .xlsx from LibreOffice or Excel",
  ".numbers": "a Numbers spreadsheet, which CALS does not read; export it as .xlsx",
};

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
  checkReadable(file, display);

  if (XLSX_EXTS.has(ext)) return readXlsxFile(file, display, options);
  if (CSV_EXTS.has(ext)) {
    const csv = openCsvFile(file, options.encoding);
    const grid: string[][] = [];
    const problems = csv.eachRow((row) => grid.push(row), options.onProgress);
    dropTrailingBlankRows(grid);
    return { kind: "csv", path: file, sheets: [{ name: csv.name, grid }], problems, warnings: csv.warnings };
  }
  const other = OTHER_FORMATS[ext];
  if (other) throw new FileInputError(`Cannot read ${display}: it is ${other}`);
  throw new FileInputError(`Cannot read ${display}: unknown file type "${ext || "(none)"}"; use .xlsx or .csv`);
}

function readBytes(file: string, display: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new FileInputError(`Cannot read ${display}: ${reason(err)}`);
  }
}

function isZip(h: Uint8Array): boolean {
  return h.length >= 4 && h[0] === 0x50 && h[1] === 0x4b && (h[2] === 0x03 || h[2] === 0x05) && (h[3] === 0x04 || h[3] === 0x06);
}

function isCompoundFile(h: Uint8Array): boolean {
  const magic = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  return h.length >= 8 && magic.every((b, i) => h[i] === b);
}

/** An OLE2 compound file: an encrypted Office package keeps its streams under these names. */
function isEncryptedPackage(bytes: Buffer): boolean {
  return bytes.includes(Buffer.from("EncryptedPackage", "utf16le")) || bytes.includes(Buffer.from("EncryptionInfo", "utf16le"));
}

/** What a file that is not a zip package is, in words a person knows. */
function notAPackage(bytes: Buffer): string {
  if (bytes.length === 0) return "the file is empty (0 bytes)";
  if (isCompoundFile(bytes)) {
    if (isEncryptedPackage(bytes))
      return "the workbook is password-protected (encrypted); open it in Excel, remove the password to open (File > Info > Protect Workbook) and save a copy";
    return "it is an Excel 97-2003 workbook (.xls) renamed to .xlsx; open it in Excel and save it as .xlsx";
  }
  const head = bytes.subarray(0, 512).toString("latin1").trimStart().toLowerCase();
  if (head.startsWith("<html") || head.startsWith("<!doctype html")) return "it is a web page (HTML) renamed to .xlsx; save it from Excel as .xlsx";
  if (head.startsWith("<?xml")) return "it is an XML file (perhaps an Excel 2003 XML spreadsheet), not an .xlsx package; save it as .xlsx";
  return "it is not an .xlsx workbook (not a zip package); save it as .xlsx or .csv";
}

function readXlsxFile(file: string, display: string, options: ReadOptions): InputFile {
  const bytes = readBytes(file, display);
  if (!isZip(bytes)) throw new FileInputError(`Cannot read ${display}: ${notAPackage(bytes)}`);
  try {
    const { sheets } = readXlsxPackage(bytes, options.onProgress);
    if (sheets.length === 0) throw new FileInputError(`Cannot read ${display}: the workbook lists no sheets`);
    return { kind: "xlsx", path: file, sheets, bytes, problems: [], warnings: [] };
  } catch (err) {
    if (err instanceof PackageError) throw new FileInputError(`Cannot read ${display}: ${err.message}`);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// CSV

/** The encodings --encoding accepts, by the names people use for them. */
const ENCODINGS: Record<string, string> = {
  "utf-8": "utf-8",
  utf8: "utf-8",
  "utf-16": "utf-16le",
  "utf-16le": "utf-16le",
  "utf-16be": "utf-16be",
  "windows-1252": "windows-1252",
  cp1252: "windows-1252",
  ansi: "windows-1252",
  "latin-1": "windows-1252",
  latin1: "windows-1252",
  "iso-8859-1": "windows-1252",
  "iso-8859-15": "iso-8859-15",
  "windows-1250": "windows-1250",
  "windows-1251": "windows-1251",
  macintosh: "macintosh",
};

export const ENCODING_NAMES = ["utf-8", "utf-16le", "utf-16be", "windows-1252", "iso-8859-15", "windows-1250", "windows-1251", "macintosh"];

/** The WHATWG name for an --encoding value, or undefined. */
export function encodingName(name: string): string | undefined {
  return ENCODINGS[name.trim().toLowerCase()];
}

export interface DecodedText {
  text: string;
  encoding: string;
  /** Said when the encoding was guessed rather than marked (no BOM, not valid UTF-8). */
  warning?: string;
}

/** UTF-16 text without a BOM: most code units of plain text have one zero byte, on one side. */
function utf16WithoutBom(bytes: Buffer): "utf-16le" | "utf-16be" | undefined {
  const n = Math.min(bytes.length - (bytes.length % 2), 4096);
  if (n < 4) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const half = n / 4;
  if (oddZero > half && evenZero < half / 8) return "utf-16le";
  if (evenZero > half && oddZero < half / 8) return "utf-16be";
  return undefined;
}

/**
 * A text file's bytes as text: the encoding given, else the one its BOM marks (UTF-8,
 * UTF-16 LE/BE), else UTF-8 when the bytes are valid UTF-8, else UTF-16 recognised by its
 * zero bytes, else Windows-1252 (what Excel's "CSV (Comma delimited)" writes on Western
 * Windows). A guess comes back with a warning that says so.
 */
export function decodeBytes(bytes: Buffer, display = "the file", encoding?: string): DecodedText {
  const decode = (enc: string, from: number) => new TextDecoder(enc).decode(bytes.subarray(from));
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if (encoding) {
    const skip =
      encoding === "utf-8"
        ? bom
        : encoding === "utf-16le" && bytes[0] === 0xff && bytes[1] === 0xfe
          ? 2
          : encoding === "utf-16be" && bytes[0] === 0xfe && bytes[1] === 0xff
            ? 2
            : 0;
    return { text: decode(encoding, skip), encoding };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: decode("utf-16le", 2), encoding: "utf-16le" };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: decode("utf-16be", 2), encoding: "utf-16be" };
  if (bom) return { text: decode("utf-8", 3), encoding: "utf-8" };
  const utf16 = utf16WithoutBom(bytes);
  if (utf16) {
    return {
      text: decode(utf16, 0),
      encoding: utf16,
      warning: `${display} has no byte-order mark but reads as ${utf16.toUpperCase()} text; it was read as ${utf16.toUpperCase()} (give --encoding if that is wrong).`,
    };
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    const at = firstInvalidUtf8(bytes);
    return {
      text: decode("windows-1252", 0),
      encoding: "windows-1252",
      warning: `${display} is not valid UTF-8 (first at byte ${at}, line ${lineAt(bytes, at)}); it was read as Windows-1252, as Excel's "CSV (Comma delimited)" writes on Western Windows. If names look wrong, give --encoding.`,
    };
  }
}

/** Compatibility: the text of a file's bytes, decoded as decodeBytes does. */
export function decodeText(bytes: Buffer): string {
  return decodeBytes(bytes).text;
}

function firstInvalidUtf8(bytes: Buffer): number {
  let lo = 0;
  let hi = bytes.length;
  // the longest valid prefix, found by halving (the decoder is fast; a byte loop is not needed)
  const ok = (n: number) => {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function lineAt(bytes: Buffer, at: number): number {
  let line = 1;
  for (let i = 0; i < at - 1 && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** A CSV file's text, after the same checks as readInputFile; a zip package is refused. */
function csvText(file: string, display: string, encoding?: string): DecodedText {
  const bytes = readBytes(file, display);
  if (isZip(bytes)) throw new FileInputError(`Cannot read ${display}: it is a zip package (an .xlsx file?), not CSV text; name it .xlsx`);
  if (isCompoundFile(bytes))
    throw new FileInputError(`Cannot read ${display}: it is an Excel 97-2003 (.xls) or encrypted Office file, not CSV text; save it as .csv or .xlsx`);
  const decoded = decodeBytes(bytes, display, encoding);
  if (decoded.text.trim() === "")
    throw new FileInputError(
      `Cannot read ${display}: the file is empty${bytes.length === 0 ? " (0 bytes)" : " (only blank lines)"}; export the inventory again`,
    );
  return decoded;
}

/** The sheet name a CSV file's rows go by: the file's name without its extension. */
function csvSheetName(file: string): string {
  return path.basename(file, path.extname(file));
}

export interface CsvFile {
  name: string;
  warnings: string[];
  /** Hands on every row in order; returns the rows read with a caveat (a quote never closed). */
  eachRow: (onRow: (row: string[]) => void, onProgress?: (done: number, total: number) => void) => Problem[];
}

/**
 * A CSV file opened for reading row by row (the command's way with big inventories: a
 * million rows held at once are seven million strings for the garbage collector to copy
 * and mark). Same checks and decoding as readInputFile, done now; eachRow then parses as
 * readInputFile does and keeps no row.
 */
export function openCsvFile(file: string, encoding?: string): CsvFile {
  const display = path.basename(file);
  checkReadable(file, display);
  const decoded = csvText(file, display, encoding);
  const name = csvSheetName(file);
  return { name, warnings: decoded.warning ? [decoded.warning] : [], eachRow: (onRow, onProgress) => eachCsvRow(decoded.text, onRow, onProgress, name) };
}

/**
 * Parses in chunks of this many characters; each chunk's rows can be dropped once handed on.
 * Keep it at least 1 MB: papaparse guesses the line ending from the first 1 MB it is given,
 * so a smaller first chunk could guess differently from a whole-file parse.
 */
const CSV_CHUNK = 1 << 20;

/** Where a quote opens a field that is never closed, and where that record starts; or undefined. */
export function unclosedQuote(text: string, delimiter: string, from = 0): { quote: number; recordStart: number } | undefined {
  let recordStart = from;
  let i = from;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) return undefined;
    // record starts between i and q (outside quotes)
    const nl = text.lastIndexOf("\n", q - 1);
    if (nl >= i) recordStart = nl + 1;
    const prev = q === 0 ? "\n" : text[q - 1];
    if (q !== from && prev !== delimiter && prev !== "\n" && prev !== "\r") {
      i = q + 1; // a quote inside an unquoted field is text
      continue;
    }
    let j = q + 1;
    for (;;) {
      const close = text.indexOf('"', j);
      if (close < 0) return { quote: q, recordStart };
      if (text[close + 1] === '"') {
        j = close + 2;
        continue;
      }
      i = close + 1;
      break;
    }
  }
}

function guessNewline(text: string): "\r\n" | "\n" | "\r" {
  const head = text.slice(0, CSV_CHUNK);
  if (head.includes("\r\n")) return "\r\n";
  if (head.includes("\n")) return "\n";
  return head.includes("\r") ? "\r" : "\n";
}

/**
 * CSV text row by row: delimiter guessed among comma, semicolon and tab. Every cell a string.
 * A quote that opens a field and never closes would swallow the rest of the file into one
 * cell: that record is read with its quotes as plain text instead, reported at its row, and
 * the records after it are read as usual. Returns those reports.
 */
export function eachCsvRow(text: string, onRow: (row: string[]) => void, onProgress?: (done: number, total: number) => void, sheet = "CSV"): Problem[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const delimiter = guessDelimiter(text);
  const newline = guessNewline(text);
  const total = text.length;
  const problems: Problem[] = [];
  let rows = 0;
  // one look at the whole text; cells are checked one by one only when needed
  const forbidden = hasForbidden(text);
  const long = text.length > MAX_CELL_TEXT;
  const emit = (row: string[]) => {
    rows++;
    if (forbidden || (long && row.some((c) => c.length > MAX_CELL_TEXT))) cleanRow(row, sheet, rows, problems);
    onRow(row);
  };
  const parse = (part: string, offset: number, quoteChar = '"') => {
    // With a string and a chunk callback, papaparse parses synchronously, chunk by chunk.
    Papa.parse<string[]>(part, {
      delimiter,
      newline,
      quoteChar,
      header: false,
      dynamicTyping: false,
      skipEmptyLines: false,
      chunkSize: CSV_CHUNK,
      chunk: (results: Papa.ParseResult<string[]>) => {
        for (const row of results.data) emit(row);
        if (onProgress) onProgress(Math.min(offset + results.meta.cursor, total), total);
      },
      complete: () => undefined,
    });
  };
  if (onProgress) onProgress(0, total);
  let start = 0;
  for (;;) {
    const bad = unclosedQuote(text, delimiter, start);
    if (!bad) break;
    // the records before it, without the line break that ends the last one
    if (bad.recordStart > start) parse(text.slice(start, bad.recordStart).replace(/\r?\n$|\r$/, ""), start);
    let end = text.indexOf("\n", bad.quote);
    end = end < 0 ? text.length : end + 1;
    const record = text.slice(bad.recordStart, end);
    // the record alone, its quotes as text (a quote character that cannot occur)
    parse(record.replace(/\r?\n$/, ""), bad.recordStart, "\u0000");
    problems.push({
      sheet,
      row: rows,
      column: columnLetter(countOutsideQuotes(text.slice(bad.recordStart, bad.quote), delimiter)),
      message: `a quote opens a field at character ${bad.quote - bad.recordStart + 1} of this row and is never closed; the row was read with its quotes as text, and the rows after it as usual. Check the row in the file.`,
      severity: "warning",
    });
    start = end;
  }
  if (start < text.length) parse(start === 0 ? text : text.slice(start), start);
  if (onProgress) onProgress(total, total);
  return problems;
}

function dropTrailingBlankRows(rows: string[][]): void {
  while (rows.length > 0) {
    const last = rows[rows.length - 1];
    if (last.length === 0 || (last.length === 1 && last[0] === "")) rows.pop();
    else break;
  }
}

/**
 * CSV text to a raw grid: no header handling (the engine finds the header), delimiter
 * guessed among comma, semicolon and tab, trailing blank lines dropped. Every cell a string.
 */
export function parseCsv(text: string, onProgress?: (done: number, total: number) => void): string[][] {
  const rows: string[][] = [];
  eachCsvRow(text, (row) => rows.push(row), onProgress);
  dropTrailingBlankRows(rows);
  return rows;
}

/**
 * Which of comma, semicolon and tab splits the first lines most consistently (a European
 * Excel "CSV" uses semicolons). Quoted text is skipped so "Smith, John" does not count.
 */
export function guessDelimiter(text: string): string {
  const candidates = [",", ";", "\t"];
  // the first 20 records: a line break inside quotes does not end one
  const lines: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i <= text.length && lines.length < 20 && i - start < 1 << 20; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (i === text.length || (ch === "\n" && !quoted)) {
      const line = text.slice(start, i).replace(/\r$/, "");
      if (line.trim() !== "" && !/^#TYPE /.test(line)) lines.push(line);
      start = i + 1;
    }
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
