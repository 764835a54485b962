/**
 * Worksheet XML for the sheets CALS adds: a report SheetLayout, or a grid of plain cells
 * (a CSV inventory). Written as text in chunks so Excel's largest sheet never becomes one
 * string or an object per cell. Rules kept here:
 * - strings are inline strings, never formulas, whatever they start with ("=", "+", "@");
 * - characters XML cannot hold never reach the file (the readers already replaced and
 *   reported them; this is the last guard), and "_xHHHH_" in text is escaped so Excel shows
 *   it as typed;
 * - text longer than Excel's 32,767 characters is cut with a visible mark.
 */
import { columnLetter, isTrimmed } from "../sheet";
import type { Cell, Grid } from "../sheet";
import type { CellStyle, LayoutValue, SheetLayout } from "../report";
import { cutToCellLimit, hasForbidden, XML_FORBIDDEN } from "./text";

/** Gives the cellXfs index of a style in the package being written. */
export interface StyleSink {
  xf(style: CellStyle, numFmt?: string): number;
}

/** Receives the sheet's XML as UTF-8 bytes; the buffer is reused once it returns. */
export type Sink = (chunk: Uint8Array) => void;

/** Extra workbook-level facts about a written sheet (defined names). */
export interface SheetExtras {
  /** "$1:$3": rows repeated at the top of each printed page. */
  printTitleRows?: string;
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[&<>"\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]|_x/;

export function escapeXml(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  let t = s;
  if (hasForbidden(t)) t = t.replace(XML_FORBIDDEN, "\ufffd");
  if (t.includes("_x")) t = t.replace(/_(x[0-9A-Fa-f]{4}_)/g, "_x005F_$1");
  return t.replace(/[&<>"]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;"));
}

function cellXml(ref: string, v: Cell | LayoutValue, s: number): string {
  const sa = s > 0 ? ` s="${s}"` : "";
  if (v === null || v === undefined || v === "") return s > 0 ? `<c r="${ref}"${sa}/>` : "";
  if (typeof v === "number") return Number.isFinite(v) ? `<c r="${ref}"${sa}><v>${v}</v></c>` : stringCell(ref, String(v), sa);
  if (typeof v === "boolean") return `<c r="${ref}"${sa} t="b"><v>${v ? 1 : 0}</v></c>`;
  return stringCell(ref, String(v), sa);
}

function stringCell(ref: string, text: string, sa: string): string {
  const t = cutToCellLimit(text);
  // xml:space only where whitespace at an end would otherwise be dropped
  const space = isTrimmed(t) ? "" : ' xml:space="preserve"';
  return `<c r="${ref}"${sa} t="inlineStr"><is><t${space}>${escapeXml(t)}</t></is></c>`;
}

function colsXml(widths: number[]): string {
  const cols = widths
    .map((w, i) => (Number.isFinite(w) && w > 0 ? `<col min="${i + 1}" max="${i + 1}" width="${Math.round(w * 100) / 100}" customWidth="1"/>` : ""))
    .join("");
  return cols ? `<cols>${cols}</cols>` : "";
}

function viewsXml(freezeRows: number): string {
  if (freezeRows <= 0) return `<sheetViews><sheetView workbookViewId="0"/></sheetViews>`;
  const tl = `A${freezeRows + 1}`;
  return `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${freezeRows}" topLeftCell="${tl}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="${tl}" sqref="${tl}"/></sheetView></sheetViews>`;
}

function pageXml(landscape: boolean, fitToWidth: number): string {
  return (
    `<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>` +
    `<pageSetup orientation="${landscape ? "landscape" : "portrait"}" fitToWidth="${fitToWidth}" fitToHeight="0"/>`
  );
}

/** Writes strings as UTF-8 into a reused 1 MB buffer, handed on whenever it fills. */
function chunker(sink: Sink): { put: (s: string) => void; flush: () => void } {
  const size = 1 << 20;
  let buf = Buffer.allocUnsafe(size);
  let at = 0;
  const flush = () => {
    if (at > 0) sink(buf.subarray(0, at));
    at = 0;
  };
  return {
    put(s) {
      if (at + s.length * 3 > buf.length) {
        flush();
        if (s.length * 3 > buf.length) buf = Buffer.allocUnsafe(s.length * 3);
      }
      at += buf.write(s, at, "utf8");
    },
    flush,
  };
}

/**
 * A grid of cells written as they came (CSV: all text), so nothing is ever evaluated:
 * strings stay strings ("=1+1" is the text =1+1, "00123" keeps its zeros). The header row
 * is bold, frozen and repeated on print.
 */
export function gridSheetXml(grid: Grid, headerRow: number, styles: StyleSink, sink: Sink): SheetExtras {
  const out = chunker(sink);
  let widest = 0;
  for (let r = 0; r < grid.length; r++) widest = Math.max(widest, grid[r]?.length ?? 0);
  const widths: number[] = [];
  for (let c = 0; c < widest; c++) {
    let w = 8;
    for (let r = 0; r < Math.min(grid.length, 200); r++) {
      const v = grid[r]?.[c];
      if (v !== null && v !== undefined) w = Math.max(w, String(v).length + 2);
    }
    widths.push(Math.min(w, 50));
  }
  const hasHeader = headerRow >= 1 && grid.length >= headerRow;
  const bold = hasHeader ? styles.xf({ bold: true }) : 0;
  out.put(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet ${NS}><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>`);
  out.put(viewsXml(hasHeader ? headerRow : 0) + `<sheetFormatPr defaultRowHeight="15"/>` + colsXml(widths) + "<sheetData>");
  const letters = Array.from({ length: widest }, (_, c) => columnLetter(c));
  for (let r = 0; r < grid.length; r++) {
    const src = grid[r];
    if (!src || src.length === 0) continue;
    const s = hasHeader && r === headerRow - 1 ? bold : 0;
    out.put(`<row r="${r + 1}">`);
    for (let c = 0; c < src.length; c++) {
      const cell = cellXml(letters[c] + (r + 1), src[c], s);
      if (cell) out.put(cell);
    }
    out.put("</row>");
  }
  out.put("</sheetData>" + pageXml(true, 1) + "</worksheet>");
  out.flush();
  return hasHeader ? { printTitleRows: `$${headerRow}:$${headerRow}` } : {};
}

/** Rects applied in order (later wins), swept row by row so a million-row sheet stays cheap. */
interface Sweep<T> {
  at(row: number): { col: number; cols: number; value: T; order: number }[];
}

function sweep<T>(items: { rect: { row: number; col: number; rows: number; cols: number }; value: T }[]): Sweep<T> {
  const sorted = items
    .map((it, order) => ({ ...it, order }))
    .filter((it) => it.rect.rows > 0 && it.rect.cols > 0)
    .sort((a, b) => a.rect.row - b.rect.row || a.order - b.order);
  let next = 0;
  let active: typeof sorted = [];
  let lastRow = -1;
  return {
    at(row) {
      if (row !== lastRow) {
        lastRow = row;
        active = active.filter((it) => it.rect.row + it.rect.rows > row);
        let added = false;
        while (next < sorted.length && sorted[next].rect.row <= row) {
          if (sorted[next].rect.row + sorted[next].rect.rows > row) {
            active.push(sorted[next]);
            added = true;
          }
          next++;
        }
        if (added) active.sort((a, b) => a.order - b.order);
      }
      return active.map((it) => ({ col: it.rect.col, cols: it.rect.cols, value: it.value, order: it.order }));
    },
  };
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

function rectRef(rect: { row: number; col: number; rows: number; cols: number }): string {
  const tl = columnLetter(rect.col) + (rect.row + 1);
  const br = columnLetter(rect.col + rect.cols - 1) + (rect.row + rect.rows);
  return tl === br ? tl : `${tl}:${br}`;
}

/** A colour as OOXML's ARGB: "1F4E78" -> "FF1F4E78". */
export function argb(hex: string): string {
  const h = hex.replace(/^#/, "").toUpperCase();
  if (/^[0-9A-F]{8}$/.test(h)) return h;
  if (/^[0-9A-F]{6}$/.test(h)) return "FF" + h;
  return "FF000000";
}

/** One report layout as worksheet XML. */
export function layoutSheetXml(layout: SheetLayout, styles: StyleSink, sink: Sink): SheetExtras {
  const out = chunker(sink);
  const values = layout.values;
  const width = values.reduce((n, r) => Math.max(n, r?.length ?? 0), 0);
  const styleSweep = sweep(layout.styles.map((s) => ({ rect: s.rect, value: s.style })));
  const fmtSweep = sweep(layout.numberFormats.map((f) => ({ rect: f.rect, value: f.format })));
  const heights = new Map<number, number>();
  for (const h of layout.rowHeights ?? []) heights.set(h.row, h.points);
  const rowCount = Math.max(values.length, ...layout.styles.map((s) => s.rect.row + s.rect.rows), ...layout.merges.map((m) => m.row + m.rows));
  const xfCache = new Map<string, number>();
  const letters = Array.from({ length: Math.max(width, ...layout.styles.map((s) => s.rect.col + s.rect.cols)) }, (_, c) => columnLetter(c));

  out.put(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet ${NS}><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>`);
  out.put(viewsXml(layout.freezeRows) + `<sheetFormatPr defaultRowHeight="15"/>` + colsXml(layout.columnWidths) + "<sheetData>");
  for (let r = 0; r < rowCount; r++) {
    const src = values[r] ?? [];
    const rowStyles = styleSweep.at(r);
    const rowFmts = fmtSweep.at(r);
    let cells = "";
    let lines = 1;
    let wrapped = false;
    for (let c = 0; c < letters.length; c++) {
      const v = c < src.length ? src[c] : null;
      let key = "";
      for (const s of rowStyles) if (c >= s.col && c < s.col + s.cols) key += s.order + ",";
      let fmt: string | undefined;
      for (const f of rowFmts) if (c >= f.col && c < f.col + f.cols) fmt = f.value;
      if (fmt) key += "|" + fmt;
      let xf = 0;
      let style: CellStyle = {};
      if (key) {
        for (const s of rowStyles) if (c >= s.col && c < s.col + s.cols) Object.assign(style, definedOnly(s.value));
        const cached = xfCache.get(key);
        xf = cached ?? styles.xf(style, fmt);
        if (cached === undefined) xfCache.set(key, xf);
      } else style = {};
      if (style.wrap && typeof v === "string" && v !== "") {
        const w = layout.columnWidths[c] ?? 8.43;
        const scale = (style.fontSize ?? 11) / 11;
        const n = wrappedLines(v, Math.max(1, Math.floor(w / scale) - 1)) * scale;
        if (n > 1) wrapped = true;
        lines = Math.max(lines, n);
      }
      cells += cellXml(letters[c] + (r + 1), v ?? null, xf);
    }
    const given = heights.get(r);
    const ht = given ?? (wrapped ? Math.ceil(lines * 15) : undefined);
    if (cells || ht !== undefined) out.put(`<row r="${r + 1}"${ht !== undefined ? ` ht="${ht}" customHeight="1"` : ""}>${cells}</row>`);
  }
  out.put("</sheetData>");
  const merges = layout.merges.filter((m) => m.rows > 0 && m.cols > 0 && (m.rows > 1 || m.cols > 1));
  if (merges.length) out.put(`<mergeCells count="${merges.length}">${merges.map((m) => `<mergeCell ref="${rectRef(m)}"/>`).join("")}</mergeCells>`);
  layout.dataBars.forEach((bar, i) => {
    if (bar.rect.rows <= 0 || bar.rect.cols <= 0) return;
    out.put(
      `<conditionalFormatting sqref="${rectRef(bar.rect)}"><cfRule type="dataBar" priority="${i + 1}"><dataBar showValue="1">` +
        `<cfvo type="num" val="0"/><cfvo type="max"/><color rgb="${argb(bar.color)}"/></dataBar></cfRule></conditionalFormatting>`,
    );
  });
  out.put(pageXml(layout.print.landscape, layout.print.fitToWidth) + "</worksheet>");
  out.flush();
  const t = layout.print.titleRows;
  return t && t.rows > 0 ? { printTitleRows: `$${t.row + 1}:$${t.row + t.rows}` } : {};
}

function definedOnly(style: CellStyle): CellStyle {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(style)) if (v !== undefined) out[k] = v;
  return out as CellStyle;
}
