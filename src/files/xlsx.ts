/**
 * The one .xlsx reader: whatever the file's size, the package is opened with fflate and each
 * part the audit needs (workbook, its relationships, shared strings, worksheets) is parsed
 * with saxes, a streaming XML parser, so a million-row sheet never becomes an object tree.
 * Every other part (charts, drawings, comments, tables, pivot caches, VBA, custom XML) is
 * never inflated, so nothing there can stop a read.
 *
 * What the grid holds is what Excel's range.values gives (see read.ts), with these rules:
 * - sheets in tab order, named and found through the workbook's relationships, whose
 *   targets may be relative ("worksheets/sheet1.xml") or absolute ("/xl/worksheets/sheet1.xml");
 * - merged cells: the value stays in the top-left cell only, the others read blank (as
 *   Office.js gives them), and each merged range is reported in `merges`;
 * - a formula saved without its result reads as NO_RESULT, never as a value or a blank.
 */
import * as path from "path";
import * as zlib from "zlib";
import { unzipSync, UnzipFileInfo } from "fflate";
import { SaxesParser } from "saxes";
import { NO_RESULT } from "../sheet";
import type { Cell } from "../sheet";
import type { Problem } from "../audit";
import { cleanRow, hasForbidden, MAX_CELL_TEXT } from "./text";

export interface XlsxSheet {
  name: string;
  visibility: "visible" | "hidden" | "veryHidden";
  grid: Cell[][];
  /** Merged ranges as "A2:A4", in the order the sheet lists them. */
  merges: string[];
  /** Cells whose text was cleaned (text.ts), at their cell. */
  problems: Problem[];
}

/** Something about the package that stops the read: the message says what the file is. */
export class PackageError extends Error {}

const REL_OFFICE_DOCUMENT = /\/officeDocument$/;
const REL_WORKSHEET = /\/worksheet$/;
const REL_SHARED_STRINGS = /\/sharedStrings$/;

type Parts = Record<string, Uint8Array>;

function damaged(why: string): PackageError {
  return new PackageError(`the file is damaged or incomplete (${why}); copy or download it again`);
}

/**
 * The named parts of the package, inflated; a zip that cannot be opened is a PackageError.
 * fflate reads the zip's directory (and refuses a damaged one); the parts are inflated by
 * Node's zlib, natively, which is several times faster on a million-row sheet.
 */
function inflate(data: Uint8Array, filter: (f: UnzipFileInfo) => boolean): Parts {
  const wanted = new Set<string>();
  try {
    unzipSync(data, {
      filter: (f) => {
        if (filter(f)) wanted.add(f.name);
        return false;
      },
    });
  } catch (err) {
    throw damaged((err as Error).message || "bad zip data");
  }
  const parts: Parts = {};
  if (wanted.size === 0) return parts;
  for (const entry of centralDirectory(data)) {
    if (!wanted.has(entry.name)) continue;
    const at = entry.localHeader;
    if (at + 30 > data.length || u32(data, at) !== 0x04034b50) throw damaged(`no local header for ${entry.name}`);
    const start = at + 30 + u16(data, at + 26) + u16(data, at + 28);
    const raw = data.subarray(start, start + entry.compressedSize);
    if (raw.length !== entry.compressedSize) throw damaged(`${entry.name} is cut short`);
    try {
      parts[entry.name] =
        entry.method === 0
          ? raw
          : entry.method === 8
            ? zlib.inflateRawSync(raw, { chunkSize: Math.max(64 * 1024, Math.min(entry.size + 64, 1 << 30)) })
            : unsupported(entry.method);
    } catch (err) {
      if (err instanceof PackageError) throw err;
      throw damaged(`${entry.name}: ${(err as Error).message}`);
    }
  }
  return parts;
}

function unsupported(method: number): never {
  throw new PackageError(`a part is compressed with method ${method}, which is not deflate; open the file in Excel and save it again`);
}

const u16 = (d: Uint8Array, i: number) => d[i] | (d[i + 1] << 8);
const u32 = (d: Uint8Array, i: number) => (d[i] | (d[i + 1] << 8) | (d[i + 2] << 16) | (d[i + 3] << 24)) >>> 0;

/** The zip's central directory (already checked by fflate): name, method, sizes, offset. */
function* centralDirectory(d: Uint8Array): Generator<{ name: string; method: number; compressedSize: number; size: number; localHeader: number }> {
  let eocd = d.length - 22;
  while (eocd >= 0 && u32(d, eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw damaged("no zip directory");
  const count = u16(d, eocd + 10);
  let at = u32(d, eocd + 16);
  const decoder = new TextDecoder("utf-8");
  for (let i = 0; i < count; i++) {
    if (u32(d, at) !== 0x02014b50) throw damaged("bad zip directory");
    const nameLen = u16(d, at + 28);
    const extraLen = u16(d, at + 30);
    const commentLen = u16(d, at + 32);
    yield {
      name: decoder.decode(d.subarray(at + 46, at + 46 + nameLen)),
      method: u16(d, at + 10),
      compressedSize: u32(d, at + 20),
      size: u32(d, at + 24),
      localHeader: u32(d, at + 42),
    };
    at += 46 + nameLen + extraLen + commentLen;
  }
}

/** All entry names of the package (nothing inflated). */
function entryNames(data: Uint8Array): string[] {
  const names: string[] = [];
  inflate(data, (f) => {
    names.push(f.name);
    return false;
  });
  return names;
}

/** A part's name as the zip holds it, from a relationship target relative to `base`'s folder. */
export function resolveTarget(base: string, target: string): string {
  const t = target.replace(/\\/g, "/");
  if (t.startsWith("/")) return t.slice(1);
  return path.posix.normalize(path.posix.join(path.posix.dirname(base), t)).replace(/^(\.\.\/)+/, "");
}

/** The relationships part of `part`: xl/workbook.xml -> xl/_rels/workbook.xml.rels. */
export function relsPath(part: string): string {
  return path.posix.join(path.posix.dirname(part), "_rels", path.posix.basename(part) + ".rels");
}

function localName(name: string): string {
  const i = name.indexOf(":");
  return i < 0 ? name : name.slice(i + 1);
}

/** Element attributes by local name ("r:id" -> "id"), as a small XML part lists them. */
function eachElement(xml: Uint8Array | string, on: (name: string, attrs: Record<string, string>) => void): void {
  const parser = new SaxesParser({ position: false });
  parser.on("opentag", (tag) => {
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attrs[localName(k)] = String(v);
    on(localName(tag.name), attrs);
  });
  parseAll(parser, xml);
}

function parseAll(parser: SaxesParser, xml: Uint8Array | string, onChunk?: (done: number) => void): void {
  try {
    if (typeof xml === "string") {
      parser.write(xml);
    } else {
      const bytes = Buffer.from(xml.buffer, xml.byteOffset, xml.length);
      const step = 1 << 22;
      for (let i = 0; i < bytes.length;) {
        let end = Math.min(bytes.length, i + step);
        // never split a UTF-8 sequence: back up over continuation bytes
        while (end < bytes.length && (bytes[end] & 0xc0) === 0x80) end--;
        parser.write(bytes.toString("utf8", i, end));
        onChunk?.(end);
        i = end;
      }
    }
    parser.close();
  } catch (err) {
    throw new PackageError(`the file is damaged (${firstLine((err as Error).message)}); open it in Excel and save it again`);
  }
}

function firstLine(s: string): string {
  return s.split(/\r?\n/)[0].slice(0, 120);
}

interface Relationship {
  type: string;
  target: string;
  external: boolean;
}

function readRels(parts: Parts, name: string): Map<string, Relationship> {
  const rels = new Map<string, Relationship>();
  const xml = parts[name];
  if (!xml) return rels;
  eachElement(xml, (el, a) => {
    if (el === "Relationship" && a.Id) rels.set(a.Id, { type: a.Type ?? "", target: a.Target ?? "", external: a.TargetMode === "External" });
  });
  return rels;
}

/** Excel escapes characters XML cannot hold as _xHHHH_ in cell text. */
function unescapeText(s: string): string {
  if (s.indexOf("_x") < 0) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** 0-based column of a cell reference ("AB12" -> 27), or -1. */
function columnOf(ref: string): number {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const ch = ref.charCodeAt(i);
    if (ch >= 65 && ch <= 90) col = col * 26 + (ch - 64);
    else if (ch >= 97 && ch <= 122) col = col * 26 + (ch - 96);
    else break;
  }
  return i === 0 ? -1 : col - 1;
}

/** Days between Excel's 1900 epoch (as Excel counts, with its 1900 leap-year bug) and 1970. */
const EXCEL_EPOCH_OFFSET = 25569;

function isoToSerial(text: string): Cell {
  const t = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(text) || !text.includes("T") ? text : text + "Z");
  if (!Number.isFinite(t)) return text;
  return Math.round((t / 86_400_000 + EXCEL_EPOCH_OFFSET) * 86_400_000) / 86_400_000;
}

/** Shared strings; `flagged` gets the indices whose text needs cleaning (text.ts). */
function readSharedStrings(xml: Uint8Array | undefined, flagged: Set<number>): string[] {
  const strings: string[] = [];
  if (!xml) return strings;
  const parser = new SaxesParser({ position: false });
  let inSi = false;
  let inT = false;
  let skip = 0; // inside <rPh> (phonetic hints) or <phoneticPr>: not part of the text
  let text = "";
  parser.on("opentag", (tag) => {
    const n = localName(tag.name);
    if (n === "si") {
      inSi = true;
      text = "";
    } else if (n === "rPh") skip++;
    else if (n === "t" && inSi && skip === 0) inT = true;
  });
  parser.on("text", (t) => {
    if (inT) text += t;
  });
  parser.on("closetag", (tag) => {
    const n = localName(tag.name);
    if (n === "t") inT = false;
    else if (n === "rPh") skip--;
    else if (n === "si") {
      const t = unescapeText(text);
      if (t.length > MAX_CELL_TEXT || (t !== text && hasForbidden(t))) flagged.add(strings.length);
      strings.push(t);
      inSi = false;
    }
  });
  parseAll(parser, xml);
  return strings;
}

/** One worksheet part into a grid, with its merged ranges. */
function readSheet(
  xml: Uint8Array,
  strings: string[],
  flagged: Set<number>,
  onChunk?: (done: number) => void,
): { grid: Cell[][]; merges: string[]; dirty: number[] } {
  const grid: Cell[][] = [];
  const merges: string[] = [];
  const dirty: number[] = [];
  const parser = new SaxesParser({ position: false });
  let row: Cell[] = [];
  let rowIndex = -1;
  let col = -1;
  let type = "";
  let hasFormula = false;
  let value: string | null = null;
  let inValue = false; // inside <v>, or <t> of an inline string
  let skip = 0;
  parser.on("opentag", (tag) => {
    switch (localName(tag.name)) {
      case "row": {
        const r = tag.attributes.r;
        rowIndex = r !== undefined ? Number(r) - 1 : rowIndex + 1;
        row = grid[rowIndex] ?? [];
        grid[rowIndex] = row;
        col = -1;
        break;
      }
      case "c": {
        const r = tag.attributes.r;
        col = r !== undefined ? columnOf(String(r)) : col + 1;
        type = String(tag.attributes.t ?? "n");
        hasFormula = false;
        value = null;
        break;
      }
      case "f":
        hasFormula = true;
        break;
      case "v":
        inValue = true;
        value ??= "";
        break;
      case "rPh":
        skip++;
        break;
      case "t":
        if (skip === 0) {
          inValue = true;
          value ??= "";
        }
        break;
      case "mergeCell":
        if (tag.attributes.ref) merges.push(String(tag.attributes.ref));
        break;
    }
  });
  parser.on("text", (t) => {
    if (inValue) value += t;
  });
  parser.on("closetag", (tag) => {
    switch (localName(tag.name)) {
      case "v":
      case "t":
        inValue = false;
        break;
      case "rPh":
        skip--;
        break;
      case "c":
        if (col >= 0) {
          const v = cellOf(type, value, hasFormula, strings);
          row[col] = v;
          if (
            typeof v === "string" &&
            ((type === "s" && flagged.has(Number(value))) || v.length > MAX_CELL_TEXT || (value !== null && value.includes("_x") && hasForbidden(v)))
          )
            dirty.push(rowIndex);
        }
        break;
    }
  });
  parseAll(parser, xml, onChunk);
  for (let r = 0; r < grid.length; r++) {
    const cells = grid[r];
    if (cells === undefined) grid[r] = [];
    else for (let c = 0; c < cells.length; c++) if (cells[c] === undefined) cells[c] = null;
  }
  blankMergedCells(grid, merges);
  return { grid, merges, dirty };
}

function cellOf(type: string, value: string | null, hasFormula: boolean, strings: string[]): Cell {
  if (value === null) return hasFormula ? NO_RESULT : null;
  switch (type) {
    case "s": {
      const s = strings[Number(value)];
      return s === undefined ? null : s;
    }
    case "str":
    case "inlineStr":
      return unescapeText(value);
    case "b":
      return value.trim() === "1" || value.trim().toLowerCase() === "true";
    case "e":
      return value.trim();
    case "d":
      return isoToSerial(value.trim());
    default: {
      if (value === "") return hasFormula ? NO_RESULT : null;
      const n = Number(value);
      return Number.isFinite(n) ? n : value;
    }
  }
}

/** Parses "B2:C4" into 0-based bounds. */
export function rangeBounds(ref: string): { r0: number; c0: number; r1: number; c1: number } | undefined {
  const m = /^\$?([A-Za-z]+)\$?(\d+)(?::\$?([A-Za-z]+)\$?(\d+))?$/.exec(ref.trim());
  if (!m) return undefined;
  const c0 = columnOf(m[1]);
  const r0 = Number(m[2]) - 1;
  const c1 = m[3] ? columnOf(m[3]) : c0;
  const r1 = m[4] ? Number(m[4]) - 1 : r0;
  return { r0: Math.min(r0, r1), c0: Math.min(c0, c1), r1: Math.max(r0, r1), c1: Math.max(c0, c1) };
}

/** The documented merge rule: only the top-left cell of a merged range holds its value. */
function blankMergedCells(grid: Cell[][], merges: string[]): void {
  for (const ref of merges) {
    const b = rangeBounds(ref);
    if (!b) continue;
    for (let r = b.r0; r <= b.r1 && r < grid.length; r++) {
      const cells = grid[r];
      for (let c = b.c0; c <= b.c1 && c < cells.length; c++) if (r !== b.r0 || c !== b.c0) cells[c] = null;
    }
  }
}

/** What an unreadable package is, said so a person knows what to do. */
function notAWorkbook(names: string[]): string | undefined {
  const has = (n: string) => names.includes(n);
  if (has("mimetype") && names.some((n) => n === "content.xml"))
    return "an OpenDocument spreadsheet (.ods) renamed to .xlsx; open it in LibreOffice or Excel and save it as .xlsx";
  if (names.some((n) => /\.bin$/i.test(n) && /workbook/i.test(n))) return "an Excel binary workbook (.xlsb); save it as .xlsx";
  if (has("word/document.xml")) return "a Word document, not a workbook";
  if (has("ppt/presentation.xml")) return "a PowerPoint file, not a workbook";
  if (!has("[Content_Types].xml")) return "a zip file but not an Office package; save the workbook as .xlsx";
  return undefined;
}

export interface XlsxRead {
  sheets: XlsxSheet[];
  /** The workbook part and its relationships part, as the zip names them (for the writer). */
  workbookPart: string;
}

/** Reads an .xlsx/.xlsm package held in memory. Throws PackageError for a file that is not one. */
export function readXlsxPackage(data: Uint8Array, onProgress?: (done: number, total: number) => void): XlsxRead {
  const names = entryNames(data);
  const wrong = notAWorkbook(names);
  if (wrong) throw new PackageError(`it is ${wrong}`);
  const small = inflate(data, (f) => f.name === "_rels/.rels");
  const root = readRels(small, "_rels/.rels");
  const officeDoc = [...root.values()].find((r) => REL_OFFICE_DOCUMENT.test(r.type));
  const workbookPart = officeDoc ? resolveTarget("", officeDoc.target) : "xl/workbook.xml";
  const wbParts = inflate(data, (f) => f.name === workbookPart || f.name === relsPath(workbookPart));
  if (!wbParts[workbookPart]) {
    const wrong2 = names.some((n) => /\.bin$/i.test(n)) ? "an Excel binary workbook (.xlsb); save it as .xlsx" : "an Office package without a workbook";
    throw new PackageError(`it is ${wrong2}`);
  }
  const rels = readRels(wbParts, relsPath(workbookPart));
  const listed: { name: string; visibility: XlsxSheet["visibility"]; part?: string }[] = [];
  eachElement(wbParts[workbookPart], (el, a) => {
    if (el !== "sheet") return;
    const rel = a.id !== undefined ? rels.get(a.id) : undefined;
    const part = rel && REL_WORKSHEET.test(rel.type) && !rel.external ? resolveTarget(workbookPart, rel.target) : undefined;
    const state = a.state === "hidden" || a.state === "veryHidden" ? a.state : "visible";
    listed.push({ name: unescapeText(a.name ?? ""), visibility: state, part });
  });
  const sstRel = [...rels.values()].find((r) => REL_SHARED_STRINGS.test(r.type));
  const sstPart = sstRel ? resolveTarget(workbookPart, sstRel.target) : undefined;
  const flagged = new Set<number>();
  const strings = sstPart ? readSharedStrings(inflate(data, (f) => f.name === sstPart)[sstPart], flagged) : [];

  const sizes = new Map<string, number>();
  inflate(data, (f) => {
    sizes.set(f.name, f.originalSize);
    return false;
  });
  const total = listed.reduce((n, s) => n + (s.part ? (sizes.get(s.part) ?? 0) : 0), 0);
  let before = 0;
  const sheets: XlsxSheet[] = [];
  for (const s of listed) {
    const xml = s.part ? inflate(data, (f) => f.name === s.part)[s.part] : undefined;
    // a chart sheet or dialog sheet has no cells: it is listed, empty
    const { grid, merges, dirty } = xml
      ? readSheet(xml, strings, flagged, onProgress ? (d) => onProgress(before + d, total) : undefined)
      : { grid: [], merges: [], dirty: [] };
    before += xml?.length ?? 0;
    const problems: Problem[] = [];
    for (const r of new Set(dirty)) cleanRow(grid[r], s.name, r + 1, problems);
    sheets.push({ name: s.name, visibility: s.visibility, grid, merges, problems });
  }
  onProgress?.(total, total);
  return { sheets, workbookPart };
}
