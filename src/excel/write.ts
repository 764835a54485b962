/**
 * Writes the report's SheetLayouts into the workbook, safely:
 *
 *   1. look: which sheets exist, which of them are this add-in's report sheets from the last
 *      audit (a workbook setting names them, and each carries a worksheet custom property with
 *      that audit's run id), and what names the new sheets get (a user's own "CAL Summary"
 *      is never touched: the report becomes "CAL Summary (2)");
 *   2. write: new, hidden sheets under temporary names; values and number formats in chunks
 *      (one sync each, every request under 4 MB), then every style, merge, width, freeze pane,
 *      page setup and data bar in one batch; calculation and screen updating suspended;
 *   3. swap (one batch): delete the previous report sheets, give the new ones their names, show
 *      them, record them in the workbook settings, activate the summary.
 *
 * A failure or a Cancel before the swap deletes the temporary sheets: the workbook keeps the
 * previous report and everything else as it was. The inventory and owned-licences sheets are
 * only ever read.
 *
 * Strings stay text: every string cell gets the Text number format ("@") in the same batch,
 * BEFORE its value, so Excel stores "=1+1", "+SUM(A1)", "-3" or "@x" as the literal text
 * (written to a General cell Excel would make them a formula or a number).
 */
import type { CellStyle, LayoutValue, Rect, SheetLayout } from "../report";
import { freeSheetName } from "../sheet";
import { CancelledError } from "./errors";
import type { ExcelHost } from "./host";
import { CHUNK_TARGET_BYTES, MAX_CELLS_PER_CHUNK, rowBytes, stringBytes } from "./size";

export const REPORT_SETTING = "CALS.report";
export const REPORT_PROPERTY = "CALS.report";
const TEXT_FORMAT = "@";

/** What the workbook setting REPORT_SETTING holds: the report sheets of the last audit. */
interface ReportRecord {
  runId: string;
  sheets: { name: string; role: string; id: string }[];
}

type SheetRole = SheetLayout["role"];

interface WriteOptions {
  /** Sheets that must never be replaced, even if they were report sheets (the audit's inputs). */
  keep?: string[];
  /** Extra workbook settings to store in the same batch as the swap (the pane's settings). */
  settings?: Record<string, unknown>;
  onProgress?: (rowsWritten: number, rowsTotal: number) => void;
  signal?: { aborted: boolean };
  /** For tests: a fixed run id. */
  runId?: string;
}

export interface WriteResult {
  /** Final sheet names, in layout order. */
  sheetNames: string[];
  /** Report sheets of the previous audit that were replaced. */
  replaced: string[];
  /** Rows per values chunk, in order (one sync each). */
  chunks: number[];
  /** Estimated request bytes of each values batch. */
  batchBytes: number[];
  syncs: number;
}

/**
 * The report to write: the sheets wanted (role and name), and how to build their layouts once
 * the final names are known (the summary's "see also" line names the other sheets).
 */
export interface ReportPlan {
  wanted: { role: SheetRole; name: string }[];
  /** The layouts; a promise when they are built off this thread (the pane's worker). */
  build(names: Partial<Record<SheetRole, string>>): SheetLayout[] | Promise<SheetLayout[]>;
}

/** A plan for layouts already built (their names are the wanted ones; a clash renames the sheet only). */
export function fixedPlan(layouts: SheetLayout[]): ReportPlan {
  return { wanted: layouts.map((l) => ({ role: l.role, name: l.name })), build: () => layouts };
}

function newRunId(): string {
  return (Date.now().toString(36) + Math.random().toString(36).slice(2, 6)).slice(-8);
}

function hex(color: string): string {
  return color.startsWith("#") ? color : `#${color}`;
}

/** Excel column width in points for a width in characters of the default font (Calibri 11). */
function charsToPoints(chars: number): number {
  return Math.round((chars * 7 + 5) * 0.75 * 100) / 100;
}

function a1Rows(rect: Rect): string {
  return `$${rect.row + 1}:$${rect.row + rect.rows}`;
}

const ALIGN: Record<NonNullable<CellStyle["align"]>, "Left" | "Center" | "Right"> = {
  left: "Left",
  center: "Center",
  right: "Right",
};

// ---------------------------------------------------------------------------------------------
// Values and number formats, cut in chunks
// ---------------------------------------------------------------------------------------------

/** The number format of each cell of rows [from, from + count): "@" for strings, else the layout's. */
function formatRows(layout: SheetLayout, from: number, count: number): (string | null)[][] {
  const cols = layout.values[0]?.length ?? 0;
  const out: (string | null)[][] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = new Array(cols).fill(null);
  for (const nf of layout.numberFormats) {
    const r0 = Math.max(nf.rect.row, from);
    const r1 = Math.min(nf.rect.row + nf.rect.rows, from + count);
    for (let r = r0; r < r1; r++) {
      const row = out[r - from];
      for (let c = nf.rect.col; c < Math.min(cols, nf.rect.col + nf.rect.cols); c++) row[c] = nf.format;
    }
  }
  for (let i = 0; i < count; i++) {
    const values = layout.values[from + i];
    const row = out[i];
    for (let c = 0; c < cols; c++) {
      const v = values[c];
      if (typeof v === "string") row[c] = TEXT_FORMAT;
      else if (v === null || v === undefined) row[c] = row[c] ?? null;
      else row[c] = row[c] ?? "General";
    }
  }
  return out;
}

function formatRowBytes(values: readonly LayoutValue[], layoutFormatBytes: number): number {
  // "@" (4 bytes with quotes and comma) for strings, a layout format or "General" otherwise.
  let bytes = 2;
  for (const v of values) bytes += typeof v === "string" ? 4 : v === null ? 5 : layoutFormatBytes;
  return bytes;
}

/** A piece of one sheet's values: rows [from, from + rows). */
interface Piece {
  sheet: number;
  from: number;
  rows: number;
  bytes: number;
}

/**
 * Cuts every layout's rows into pieces and packs them into batches of at most
 * CHUNK_TARGET_BYTES (values + number formats), each batch one sync.
 */
function planBatches(layouts: SheetLayout[]): Piece[][] {
  const batches: Piece[][] = [];
  let batch: Piece[] = [];
  let batchBytes = 0;
  let batchCells = 0;
  const flush = () => {
    if (batch.length) batches.push(batch);
    batch = [];
    batchBytes = 0;
    batchCells = 0;
  };
  layouts.forEach((layout, sheet) => {
    const cols = layout.values[0]?.length ?? 0;
    if (cols === 0) return;
    let longestFormat = 9; // "General"
    for (const nf of layout.numberFormats) longestFormat = Math.max(longestFormat, stringBytes(nf.format));
    let piece: Piece | null = null;
    for (let r = 0; r < layout.values.length; r++) {
      const values = layout.values[r];
      const bytes = rowBytes(values) + formatRowBytes(values, longestFormat);
      if (batchBytes + bytes > CHUNK_TARGET_BYTES || batchCells + cols > MAX_CELLS_PER_CHUNK) {
        flush();
        piece = null;
      }
      if (!piece) {
        piece = { sheet, from: r, rows: 0, bytes: 0 };
        batch.push(piece);
      }
      piece.rows++;
      piece.bytes += bytes;
      batchBytes += bytes;
      batchCells += cols;
    }
  });
  flush();
  return batches;
}

// ---------------------------------------------------------------------------------------------
// Styles, merges, widths, freeze panes, page layout, data bars: one batch per report
// ---------------------------------------------------------------------------------------------

function applyStyle(range: Excel.Range, style: CellStyle): void {
  const f = range.format;
  if (style.fill) f.fill.color = hex(style.fill);
  if (style.fontColor) f.font.color = hex(style.fontColor);
  if (style.bold !== undefined) f.font.bold = style.bold;
  if (style.italic !== undefined) f.font.italic = style.italic;
  if (style.fontSize) f.font.size = style.fontSize;
  if (style.wrap !== undefined) f.wrapText = style.wrap;
  if (style.align) f.horizontalAlignment = ALIGN[style.align];
  if (style.borderBottom) {
    const edge = f.borders.getItem("EdgeBottom");
    edge.style = "Continuous";
    edge.color = "#808080";
  }
}

function queueLayoutFormats(host: ExcelHost, sheet: Excel.Worksheet, layout: SheetLayout): void {
  const at = (r: Rect) => sheet.getRangeByIndexes(r.row, r.col, r.rows, r.cols);
  for (const { rect, style } of layout.styles) {
    if (rect.rows > 0 && rect.cols > 0) applyStyle(at(rect), style);
  }
  for (const m of layout.merges) if (m.rows > 0 && m.cols > 0) at(m).merge(false);
  // Column widths: one call per run of equal widths.
  const widths = layout.columnWidths;
  for (let c = 0; c < widths.length;) {
    let d = c;
    while (d + 1 < widths.length && widths[d + 1] === widths[c]) d++;
    if (widths[c] > 0) sheet.getRangeByIndexes(0, c, 1, d - c + 1).format.columnWidth = charsToPoints(widths[c]);
    c = d + 1;
  }
  for (const h of layout.rowHeights ?? []) sheet.getRangeByIndexes(h.row, 0, 1, 1).format.rowHeight = h.points;
  if (layout.freezeRows > 0) sheet.freezePanes.freezeRows(layout.freezeRows);
  if (host.supports("1.9")) {
    sheet.pageLayout.orientation = "Landscape";
    sheet.pageLayout.zoom = { horizontalFitToPages: layout.print.fitToWidth, verticalFitToPages: 0 };
    if (layout.print.titleRows) sheet.pageLayout.setPrintTitleRows(a1Rows(layout.print.titleRows));
  }
  if (host.supports("1.6")) {
    for (const bars of layout.dataBars) {
      if (bars.rect.rows < 1 || bars.rect.cols < 1) continue;
      const cf = at(bars.rect).conditionalFormats.add("DataBar");
      cf.dataBar.barDirection = "LeftToRight";
      cf.dataBar.positiveFormat.fillColor = hex(bars.color);
      cf.dataBar.positiveFormat.gradientFill = false;
    }
  }
}

/**
 * Suspends calculation until the next sync (every write batch) and, when `screen`, screen
 * updating too: only for the first batch, the formats batch and the swap, since the docs warn
 * that calling it in a loop makes Excel flicker (the chunks go to hidden sheets anyway).
 */
function suspend(host: ExcelHost, context: Excel.RequestContext, screen: boolean): void {
  if (!host.supports("1.6")) return;
  context.application.suspendApiCalculationUntilNextSync();
  if (screen && host.supports("1.9") && typeof context.application.suspendScreenUpdatingUntilNextSync === "function") {
    context.application.suspendScreenUpdatingUntilNextSync();
  }
}

// ---------------------------------------------------------------------------------------------
// The report, start to end
// ---------------------------------------------------------------------------------------------

interface SheetInfo {
  name: string;
  id: string;
}

/** The previous report sheets that are really ours: named in the setting AND marked with its run id. */
async function findOwnSheets(
  host: ExcelHost,
  context: Excel.RequestContext,
  sheets: SheetInfo[],
  record: ReportRecord | null,
  keep: Set<string>,
  sync: () => Promise<void>,
): Promise<SheetInfo[]> {
  if (!record || !Array.isArray(record.sheets)) return [];
  const candidates = sheets.filter(
    (s) => !keep.has(s.name.toLowerCase()) && record.sheets.some((r) => r && typeof r.name === "string" && r.name.toLowerCase() === s.name.toLowerCase()),
  );
  if (!candidates.length) return [];
  if (!host.supports("1.12")) {
    // No custom properties here: fall back on the ids recorded with the names.
    return candidates.filter((s) => record.sheets.some((r) => r.id === s.id && r.name.toLowerCase() === s.name.toLowerCase()));
  }
  const marks = candidates.map((s) => {
    const p = context.workbook.worksheets.getItem(s.name).customProperties.getItemOrNullObject(REPORT_PROPERTY);
    p.load("value");
    return p;
  });
  await sync();
  return candidates.filter((_, i) => !marks[i].isNullObject && marks[i].value === record.runId);
}

function parseRecord(value: unknown): ReportRecord | null {
  let v = value;
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      return null;
    }
  }
  if (!v || typeof v !== "object") return null;
  const r = v as ReportRecord;
  return typeof r.runId === "string" && Array.isArray(r.sheets) ? r : null;
}

export async function writeReport(host: ExcelHost, plan: ReportPlan, options: WriteOptions = {}): Promise<WriteResult> {
  const runId = options.runId ?? newRunId();
  const keep = new Set((options.keep ?? []).map((n) => n.toLowerCase()));
  return host.run(async (context) => {
    let syncs = 0;
    const sync = async () => {
      syncs++;
      await context.sync();
    };
    const checkCancel = () => {
      if (options.signal?.aborted) throw new CancelledError();
    };

    // 1. Look.
    const worksheets = context.workbook.worksheets;
    worksheets.load("items/name,items/id");
    const setting = context.workbook.settings.getItemOrNullObject(REPORT_SETTING);
    setting.load("value");
    await sync();
    const sheets: SheetInfo[] = worksheets.items.map((w) => ({ name: w.name, id: w.id }));
    const record = setting.isNullObject ? null : parseRecord(setting.value);
    const own = await findOwnSheets(host, context, sheets, record, keep, sync);
    const ownNames = new Set(own.map((s) => s.name.toLowerCase()));
    // The new report may take any name but that of a sheet that is not ours.
    const taken = new Set(sheets.filter((s) => !ownNames.has(s.name.toLowerCase())).map((s) => s.name.toLowerCase()));
    const names: Partial<Record<SheetRole, string>> = {};
    for (const w of plan.wanted) {
      const name = freeSheetName(w.name, taken);
      taken.add(name.toLowerCase());
      names[w.role] = name;
    }
    const layouts = await plan.build(names);
    const finalNames = layouts.map((l) => {
      const name = names[l.role] ?? freeSheetName(l.name, taken);
      taken.add(name.toLowerCase());
      return name;
    });
    const tempNames = layouts.map((_, i) => {
      const name = freeSheetName(`CALS-tmp-${runId}-${i + 1}`, taken);
      taken.add(name.toLowerCase());
      return name;
    });
    checkCancel();

    // 2. Write, under temporary names, hidden.
    const temp: Excel.Worksheet[] = [];
    const batches = planBatches(layouts);
    const chunks: number[] = [];
    const batchBytes: number[] = [];
    const totalRows = layouts.reduce((n, l) => n + l.values.length, 0);
    let written = 0;
    try {
      suspend(host, context, true);
      tempNames.forEach((name, i) => {
        const ws = worksheets.add(name);
        ws.visibility = "Hidden";
        if (host.supports("1.12")) ws.customProperties.add(REPORT_PROPERTY, runId);
        temp[i] = ws;
      });
      for (let b = 0; b < batches.length; b++) {
        if (b > 0) {
          checkCancel();
          suspend(host, context, false);
        }
        let bytes = 0;
        for (const piece of batches[b]) {
          const layout = layouts[piece.sheet];
          const cols = layout.values[0].length;
          const range = temp[piece.sheet].getRangeByIndexes(piece.from, 0, piece.rows, cols);
          // Formats first: a string lands in a cell that is already Text.
          range.numberFormat = formatRows(layout, piece.from, piece.rows);
          range.values = layout.values.slice(piece.from, piece.from + piece.rows) as (string | number | boolean)[][];
          chunks.push(piece.rows);
          bytes += piece.bytes;
          written += piece.rows;
        }
        batchBytes.push(bytes);
        await sync();
        options.onProgress?.(written, totalRows);
      }
      checkCancel();
      suspend(host, context, true);
      layouts.forEach((layout, i) => {
        queueLayoutFormats(host, temp[i], layout);
        temp[i].load("id");
      });
      await sync();
      checkCancel();
    } catch (error) {
      throw withOutcome(error, (await removeSheets(host, tempNames)) ? "rolled-back" : "unknown");
    }

    // 3. Swap, in one batch: old report out, new report in, recorded.
    const newRecord: ReportRecord = {
      runId,
      sheets: layouts.map((l, i) => ({ name: finalNames[i], role: l.role, id: temp[i].id })),
    };
    try {
      suspend(host, context, true);
      for (const s of own) worksheets.getItem(s.name).delete();
      temp.forEach((ws, i) => {
        ws.name = finalNames[i];
        ws.visibility = "Visible";
      });
      context.workbook.settings.add(REPORT_SETTING, newRecord);
      for (const [key, value] of Object.entries(options.settings ?? {})) context.workbook.settings.add(key, value);
      if (temp[0]) temp[0].activate();
      await sync();
    } catch (error) {
      throw withOutcome(error, await recoverSwap(host, { own, tempNames, record: newRecord, settings: options.settings }));
    }
    return { sheetNames: finalNames, replaced: own.map((s) => s.name), chunks, batchBytes, syncs };
  });
}

/** What a failed write left behind, so the pane says exactly that and nothing more. */
type WriteOutcome = "rolled-back" | "completed" | "unknown";

/** Attaches the outcome to the error the write failed with (Office errors are plain objects). */
function withOutcome(error: unknown, outcome: WriteOutcome): unknown {
  if (error && typeof error === "object") (error as { calsOutcome?: WriteOutcome }).calsOutcome = outcome;
  return error;
}

export function outcomeOf(error: unknown): WriteOutcome | undefined {
  return error && typeof error === "object" ? (error as { calsOutcome?: WriteOutcome }).calsOutcome : undefined;
}

/** Deletes sheets by name (those that exist), in one batch; never throws; false if it failed. */
async function removeSheets(host: ExcelHost, names: string[]): Promise<boolean> {
  if (!names.length) return true;
  try {
    await host.run(async (context) => {
      const found = names.map((n) => {
        const ws = context.workbook.worksheets.getItemOrNullObject(n);
        ws.load("name");
        return ws;
      });
      await context.sync();
      for (const ws of found) if (!ws.isNullObject) ws.delete();
      await context.sync();
    });
    return true;
  } catch {
    // Nothing more can be done from here; the caller reports the original failure.
    return false;
  }
}

/**
 * The swap batch failed partway (its commands ran in order: deletes, then renames). If no
 * previous report sheet was deleted yet, remove the new sheets: back to before. Otherwise the
 * previous report is already (partly) gone, so finish the swap with the complete new report:
 * either way the workbook ends with one whole report, and nothing of the user's is touched.
 */
async function recoverSwap(
  host: ExcelHost,
  s: { own: SheetInfo[]; tempNames: string[]; record: ReportRecord; settings?: Record<string, unknown> },
): Promise<WriteOutcome> {
  try {
    return await host.run(async (context): Promise<WriteOutcome> => {
      const worksheets = context.workbook.worksheets;
      worksheets.load("items/name,items/id");
      await context.sync();
      const byName = new Map(worksheets.items.map((w) => [w.name.toLowerCase(), w.id] as const));
      const oldIntact = s.own.every((o) => byName.get(o.name.toLowerCase()) === o.id);
      const tempsLeft = s.tempNames.filter((t) => byName.has(t.toLowerCase()));
      if (oldIntact && tempsLeft.length === s.tempNames.length) {
        for (const t of tempsLeft) worksheets.getItem(t).delete();
        await context.sync();
        return "rolled-back";
      }
      for (const o of s.own) if (byName.get(o.name.toLowerCase()) === o.id) worksheets.getItem(o.name).delete();
      const taken = new Set([...byName.keys()].filter((n) => !s.own.some((o) => o.name.toLowerCase() === n)));
      s.tempNames.forEach((t, i) => {
        const entry = s.record.sheets[i];
        if (!byName.has(t.toLowerCase())) return; // already renamed
        taken.delete(t.toLowerCase());
        const name = freeSheetName(entry.name, taken);
        taken.add(name.toLowerCase());
        const ws = worksheets.getItem(t);
        ws.name = name;
        ws.visibility = "Visible";
        entry.name = name;
      });
      context.workbook.settings.add(REPORT_SETTING, s.record);
      for (const [key, value] of Object.entries(s.settings ?? {})) context.workbook.settings.add(key, value);
      await context.sync();
      return "completed";
    });
  } catch {
    // Leave it: the pane reports the failure, and a later audit replaces only marked sheets.
    return "unknown";
  }
}
