/**
 * Writes report SheetLayouts into an .xlsx with ExcelJS. The layout decides everything; this
 * file only turns it into ExcelJS calls. Rules kept here:
 * - strings are written as plain strings (shared strings), never as formulas, whatever they
 *   start with ("=", "+", "-", "@"); no {formula} value is ever built;
 * - a user's sheet is never overwritten: a clashing name becomes "CAL Summary (2)" and so on;
 * - the file appears whole or not at all: written to a temp file in the same folder, then
 *   renamed over the target;
 * - the input file is never the output (refused with OutputPathError).
 */
import { columnLetter } from "../sheet";
import * as fs from "fs";
import * as path from "path";
import type ExcelJS from "exceljs";
// exceljs takes ~0.3-1 s to load: only paths that touch an xlsx pay for it
// eslint-disable-next-line @typescript-eslint/no-require-imports
const excel = (): typeof ExcelJS => require("exceljs");
import type { Cell, Grid } from "../sheet";
import type { CellStyle, LayoutValue, Rect, SheetLayout } from "../report";
import { cleanSheetName, freeSheetName } from "../sheet";

export class OutputPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutputPathError";
  }
}

/** Sheets of plain cells to start a new workbook with (CSV input: the inventory). */
interface GridSheets {
  /** headerRow: the sheet row (1-based) of the table's header, frozen, bold and repeated on print. */
  sheets: { name: string; grid: Grid; headerRow?: number }[];
}

interface WriteOptions {
  /**
   * The input workbook (its sheets are kept as they are and the report sheets added after
   * them), or grids for a new workbook (CSV input), or nothing for a report-only workbook.
   */
  base?: ExcelJS.Workbook | GridSheets | Grid;
  /** Name of the sheet when `base` is a single grid. */
  baseSheetName?: string;
  layouts: SheetLayout[];
  out: string;
  /** Input files the output must not be (refused with OutputPathError). */
  inputs?: string[];
}

interface WriteResult {
  out: string;
  /** The names the report sheets got, in layout order (after clash renaming). */
  sheetNames: string[];
}

/** True when a and b name the same file (after resolving symlinks and, on Windows/macOS, case). */
export function samePath(a: string, b: string): boolean {
  const norm = (p: string) => {
    let r = path.resolve(p);
    try {
      r = fs.realpathSync.native(r);
    } catch {
      // the file does not exist (yet): resolve its folder instead
      try {
        r = path.join(fs.realpathSync.native(path.dirname(r)), path.basename(r));
      } catch {
        /* keep the resolved path */
      }
    }
    return process.platform === "win32" || process.platform === "darwin" ? r.toLowerCase() : r;
  };
  return norm(a) === norm(b);
}

export async function writeReportWorkbook(options: WriteOptions): Promise<WriteResult> {
  const { out, layouts } = options;
  for (const input of options.inputs ?? []) {
    if (samePath(input, out)) {
      throw new OutputPathError(`Refusing to write ${path.basename(out)}: it is the input file; choose another --out (the input is never overwritten)`);
    }
  }
  const dir = path.dirname(path.resolve(out));
  if (!fs.existsSync(dir)) throw new OutputPathError(`Cannot write ${out}: folder ${dir} does not exist`);
  if (fs.existsSync(out) && fs.statSync(out).isDirectory()) throw new OutputPathError(`Cannot write ${out}: it is a folder`);

  const workbook = baseWorkbook(options.base, options.baseSheetName);
  const sheetNames = addLayouts(workbook, layouts);

  const tmp = path.join(dir, `.${path.basename(out)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    await workbook.xlsx.writeFile(tmp);
    fs.renameSync(tmp, out);
  } catch (err) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* nothing was written */
    }
    const e = err as NodeJS.ErrnoException;
    const why = e?.code === "EACCES" || e?.code === "EPERM" ? "permission denied" : e?.code === "ENOSPC" ? "disk full" : firstLine(String(e?.message ?? err));
    throw new OutputPathError(`Cannot write ${out}: ${why}`);
  }
  return { out, sheetNames };
}

function firstLine(s: string): string {
  return s.split(/\r?\n/)[0];
}

function isWorkbook(x: unknown): x is ExcelJS.Workbook {
  return !!x && typeof x === "object" && "xlsx" in x && "addWorksheet" in x;
}

/**
 * The workbook the report goes into: the input workbook itself, or a new one holding the
 * given grids as text-safe values. Call it first when the final sheet names are needed
 * before the layouts are built (planSheetNames), then pass the result as `base`.
 */
export function baseWorkbook(base: WriteOptions["base"], baseSheetName?: string): ExcelJS.Workbook {
  if (isWorkbook(base)) return base;
  const workbook = new (excel().Workbook)();
  workbook.creator = "CALS";
  workbook.created = new Date();
  if (!base) return workbook;
  const sheets: GridSheets["sheets"] = Array.isArray(base) ? [{ name: baseSheetName ?? "Inventory", grid: base as Grid }] : (base as GridSheets).sheets;
  for (const s of sheets) {
    const ws = workbook.addWorksheet(uniqueSheetName(workbook, s.name));
    writeTextSafeGrid(ws, s.grid, s.headerRow ?? 1);
  }
  return workbook;
}

/**
 * Cells as they came (CSV: all text), written so nothing is ever evaluated: strings stay
 * strings (so "=1+1" is the text =1+1, "00123" keeps its zeros), numbers stay numbers.
 */
function writeTextSafeGrid(ws: ExcelJS.Worksheet, grid: Grid, headerRow: number): void {
  let widest = 0;
  for (let r = 0; r < grid.length; r++) {
    const src = grid[r];
    if (!src || src.length === 0) continue;
    widest = Math.max(widest, src.length);
    const row = ws.getRow(r + 1);
    for (let c = 0; c < src.length; c++) {
      const v = plainValue(src[c]);
      if (v !== null) row.getCell(c + 1).value = v;
    }
  }
  // readable default widths from the first rows
  for (let c = 0; c < widest; c++) {
    let w = 8;
    for (let r = 0; r < Math.min(grid.length, 200); r++) {
      const v = grid[r]?.[c];
      if (v !== null && v !== undefined) w = Math.max(w, String(v).length + 2);
    }
    ws.getColumn(c + 1).width = Math.min(w, 50);
  }
  if (grid.length >= headerRow && headerRow >= 1) {
    ws.views = [{ state: "frozen", ySplit: headerRow, xSplit: 0 }];
    ws.getRow(headerRow).font = { name: "Calibri", size: 11, bold: true };
    ws.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`;
  }
  ws.pageSetup = { ...ws.pageSetup, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 };
}

function plainValue(v: Cell | LayoutValue): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v === "" ? null : v;
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  if (typeof v === "boolean") return v;
  return String(v);
}

// ---------------------------------------------------------------------------------------------
// Sheet names

/** `wanted` made acceptable, or "wanted (2)", "wanted (3)"... the first that no sheet has (case-insensitive). */
export function uniqueSheetName(workbook: ExcelJS.Workbook | readonly string[], wanted: string): string {
  const names = Array.isArray(workbook) ? (workbook as readonly string[]) : (workbook as ExcelJS.Workbook).worksheets.map((ws) => ws.name);
  return freeSheetName(cleanSheetName(wanted), new Set(names.map((n) => n.toLowerCase())));
}

/**
 * The names the report sheets will get when added, in order, to a workbook with these
 * sheets: the layouts can then name each other correctly (LayoutOptions.sheetNames).
 */
export function planSheetNames(existing: ExcelJS.Workbook | readonly string[], wanted: readonly string[]): string[] {
  const taken = Array.isArray(existing) ? [...(existing as readonly string[])] : (existing as ExcelJS.Workbook).worksheets.map((ws) => ws.name);
  return wanted.map((w) => {
    const name = uniqueSheetName(taken, w);
    taken.push(name);
    return name;
  });
}

// ---------------------------------------------------------------------------------------------
// Layouts

function addLayouts(workbook: ExcelJS.Workbook, layouts: SheetLayout[]): string[] {
  const names: string[] = [];
  for (const layout of layouts) {
    const name = uniqueSheetName(workbook, layout.name);
    const ws = workbook.addWorksheet(name);
    writeLayout(ws, layout);
    names.push(name);
  }
  return names;
}

function* cellsOf(rect: Rect): Generator<[number, number]> {
  for (let r = rect.row; r < rect.row + rect.rows; r++) for (let c = rect.col; c < rect.col + rect.cols; c++) yield [r, c];
}

function rangeRef(rect: Rect): string {
  const tl = colName(rect.col) + (rect.row + 1);
  const br = colName(rect.col + rect.cols - 1) + (rect.row + rect.rows);
  return tl === br ? tl : `${tl}:${br}`;
}

const colName = columnLetter;

function argb(hex: string): string {
  const h = hex.replace(/^#/, "").toUpperCase();
  if (/^[0-9A-F]{8}$/.test(h)) return h;
  if (/^[0-9A-F]{6}$/.test(h)) return "FF" + h;
  if (/^[0-9A-F]{3}$/.test(h)) return "FF" + h.replace(/./g, (ch) => ch + ch);
  return "FF000000";
}

/** Writes one layout into an empty worksheet. Exported for tests. */
function writeLayout(ws: ExcelJS.Worksheet, layout: SheetLayout): void {
  // 1. values (before merges: after a merge, writing a covered cell writes the merge's master)
  const values = layout.values;
  for (let r = 0; r < values.length; r++) {
    const src = values[r];
    if (!src) continue;
    let row: ExcelJS.Row | null = null;
    for (let c = 0; c < src.length; c++) {
      const v = plainValue(src[c]);
      if (v === null) continue;
      row ??= ws.getRow(r + 1);
      // A string is assigned as a string: ExcelJS stores it as a shared string, never a formula.
      row.getCell(c + 1).value = v;
    }
  }

  // 2. merges (before styles, so covered cells keep the borders and fills the layout gives them)
  for (const m of layout.merges) {
    if (m.rows <= 0 || m.cols <= 0 || (m.rows === 1 && m.cols === 1)) continue;
    ws.mergeCells(m.row + 1, m.col + 1, m.row + m.rows, m.col + m.cols);
  }

  // 3. styles, merged per cell in order (later wins, property by property), then number formats
  const merged = new Map<number, { r: number; c: number; style: CellStyle; numFmt?: string }>();
  const key = (r: number, c: number) => r * 16384 + c;
  const at = (r: number, c: number) => {
    const k = key(r, c);
    let e = merged.get(k);
    if (!e) merged.set(k, (e = { r, c, style: {} }));
    return e;
  };
  for (const { rect, style } of layout.styles) {
    for (const [r, c] of cellsOf(rect)) Object.assign(at(r, c).style, definedOnly(style));
  }
  for (const { rect, format } of layout.numberFormats) {
    for (const [r, c] of cellsOf(rect)) at(r, c).numFmt = format;
  }
  // identical styles share one object (ExcelJS dedupes them into one xf on save anyway)
  const fontCache = new Map<string, Partial<ExcelJS.Font>>();
  for (const { r, c, style, numFmt } of merged.values()) {
    const cell = ws.getCell(r + 1, c + 1);
    if (style.fill) cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: argb(style.fill) }, bgColor: { argb: argb(style.fill) } };
    if (style.fontColor || style.bold || style.italic || style.fontSize) {
      const fk = `${style.fontColor}|${style.bold}|${style.italic}|${style.fontSize}`;
      let font = fontCache.get(fk);
      if (!font) {
        font = { name: "Calibri", size: style.fontSize ?? 11 };
        if (style.fontColor) font.color = { argb: argb(style.fontColor) };
        if (style.bold) font.bold = true;
        if (style.italic) font.italic = true;
        fontCache.set(fk, font);
      }
      cell.font = font;
    }
    if (style.wrap || style.align) {
      const alignment: Partial<ExcelJS.Alignment> = {};
      if (style.wrap) {
        alignment.wrapText = true;
        alignment.vertical = "top";
      }
      if (style.align) alignment.horizontal = style.align;
      cell.alignment = alignment;
    }
    if (style.borderBottom) cell.border = { bottom: { style: "thin", color: { argb: "FF808080" } } };
    if (numFmt) cell.numFmt = numFmt;
  }

  // 4. columns, then heights for rows whose wrapped text needs more than one line: Excel
  // fits those on open, but other programs (LibreOffice, viewers, printing) keep one line.
  layout.columnWidths.forEach((w, i) => {
    if (Number.isFinite(w) && w > 0) ws.getColumn(i + 1).width = w;
  });
  const lines = new Map<number, number>();
  for (const { r, c, style } of merged.values()) {
    if (!style.wrap) continue;
    const v = values[r]?.[c];
    if (typeof v !== "string" || v === "") continue;
    const width = layout.columnWidths[c] ?? 8.43;
    const scale = (style.fontSize ?? 11) / 11;
    const n = wrappedLines(v, Math.max(1, Math.floor(width / scale) - 1));
    if (n > 1) lines.set(r, Math.max(lines.get(r) ?? 1, n * scale));
  }
  for (const [r, n] of lines) {
    const row = ws.getRow(r + 1);
    row.height = Math.ceil(n * 15);
    // a tall row reads from the top: its one-line neighbours sit beside the wrapped text's
    // first line rather than at the bottom (Excel's default)
    for (let c = 0; c < (values[r]?.length ?? 0); c++) {
      const cell = row.getCell(c + 1);
      // eslint-disable-next-line office-addins/call-sync-before-read -- an ExcelJS cell, not Office.js
      cell.alignment = { ...(cell.alignment ?? {}), vertical: "top" };
    }
  }
  if (layout.freezeRows > 0) ws.views = [{ state: "frozen", ySplit: layout.freezeRows, xSplit: 0, topLeftCell: `A${layout.freezeRows + 1}`, activeCell: "A1" }];
  ws.pageSetup = {
    ...ws.pageSetup,
    orientation: layout.print.landscape ? "landscape" : "portrait",
    fitToPage: true,
    fitToWidth: layout.print.fitToWidth,
    fitToHeight: 0,
  };
  const t = layout.print.titleRows;
  if (t && t.rows > 0) ws.pageSetup.printTitlesRow = `${t.row + 1}:${t.row + t.rows}`;

  // 5. data bars
  layout.dataBars.forEach((bar, i) => {
    if (bar.rect.rows <= 0 || bar.rect.cols <= 0) return;
    const rule = {
      type: "dataBar",
      priority: i + 1,
      gradient: false,
      border: false,
      showValue: true,
      minLength: 0,
      maxLength: 100,
      cfvo: [{ type: "num", value: 0 }, { type: "max" }],
      color: { argb: argb(bar.color) },
    } as unknown as ExcelJS.ConditionalFormattingRule;
    ws.addConditionalFormatting({ ref: rangeRef(bar.rect), rules: [rule] });
  });
}

/** Lines a text takes when word-wrapped at `width` characters (an estimate, as Excel would). */
export function wrappedLines(text: string, width: number): number {
  let total = 0;
  for (const para of text.split(/\r?\n/)) {
    let line = 0;
    let n = 1;
    for (const word of para.split(/\s+/)) {
      if (word === "") continue;
      let len = word.length;
      if (line > 0 && line + 1 + len > width) {
        n++;
        line = 0;
      }
      while (len > width) {
        n++;
        len -= width;
      }
      line += (line > 0 ? 1 : 0) + len;
    }
    total += n;
  }
  return Math.max(1, total);
}

function definedOnly(style: CellStyle): CellStyle {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(style)) if (v !== undefined) out[k] = v;
  return out as CellStyle;
}
