/**
 * The small Excel calls of the pane: what sheets there are, the pane's settings saved in the
 * workbook, selecting a problem row, inserting the sample sheets. One or two syncs each.
 */
import { INVENTORY_SHEET_NAMES, OWNED_SHEET_NAMES } from "../sheet";
import { ORG_WIDE_TRIGGERS, OrgWideSettings } from "../licensing";
import { SAMPLE_INVENTORY, SAMPLE_OWNED } from "../sample";
import type { ExcelHost } from "./host";
import { freeSheetName } from "../sheet";
import { REPORT_SETTING } from "./write";

/** Workbook setting with the pane's choices, so whoever opens the workbook audits it the same way. */
export const PANE_SETTING = "CALS.pane";

export interface PaneSettings {
  inventorySheet?: string;
  /** "" = no owned-licences sheet. */
  ownedSheet?: string;
  mode?: string;
  defaultVersion?: string;
  /** The audit date as typed (YYYY-MM-DD); empty = the day of the audit. */
  asOf?: string;
  prices?: {
    userStandard?: string;
    deviceStandard?: string;
    userEnterprise?: string;
    deviceEnterprise?: string;
    server?: string;
    externalConnector?: string;
  };
  /** R6 organisation-wide settings (they cannot be seen in an access export). */
  orgWide?: OrgWideSettings;
}

export interface WorkbookState {
  sheets: string[];
  active: string | null;
  /** Sheets written by the last audit (they are reports, not inputs). */
  reportSheets: string[];
  settings: PaneSettings | null;
}

// The names the pane looks for are the command line's too (src/sheet/findSheet.ts).
const INVENTORY_NAMES = INVENTORY_SHEET_NAMES;
const OWNED_NAMES = OWNED_SHEET_NAMES;

function parseJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}

function cleanSettings(value: unknown): PaneSettings | null {
  const v = parseJson(value);
  if (!v || typeof v !== "object") return null;
  const o = v as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === "string" ? x : undefined);
  const prices = (o.prices && typeof o.prices === "object" ? o.prices : {}) as Record<string, unknown>;
  return {
    inventorySheet: str(o.inventorySheet),
    ownedSheet: str(o.ownedSheet),
    mode: str(o.mode),
    defaultVersion: str(o.defaultVersion),
    prices: {
      userStandard: str(prices.userStandard),
      deviceStandard: str(prices.deviceStandard),
      userEnterprise: str(prices.userEnterprise),
      deviceEnterprise: str(prices.deviceEnterprise),
      server: str(prices.server),
      externalConnector: str(prices.externalConnector),
    },
    orgWide: cleanOrgWide(o.orgWide),
  };
}

function cleanOrgWide(value: unknown): OrgWideSettings {
  const o = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
  const out: OrgWideSettings = {};
  for (const t of ORG_WIDE_TRIGGERS) if (o[t.id] === true) out[t.id] = true;
  return out;
}

/** Sheets, the active sheet, the last report's sheets and the saved pane settings: one sync. */
export async function readWorkbookState(host: ExcelHost): Promise<WorkbookState> {
  return host.run(async (context) => {
    const worksheets = context.workbook.worksheets;
    worksheets.load("items/name");
    const active = worksheets.getActiveWorksheet();
    active.load("name");
    const pane = context.workbook.settings.getItemOrNullObject(PANE_SETTING);
    pane.load("value");
    const report = context.workbook.settings.getItemOrNullObject(REPORT_SETTING);
    report.load("value");
    await context.sync();
    const record = report.isNullObject ? null : (parseJson(report.value) as { sheets?: { name?: unknown }[] } | null);
    const reportSheets = Array.isArray(record?.sheets) ? record.sheets.map((s) => String(s?.name ?? "")).filter(Boolean) : [];
    return {
      sheets: worksheets.items.map((w) => w.name),
      active: active.name ?? null,
      reportSheets,
      settings: pane.isNullObject ? null : cleanSettings(pane.value),
    };
  });
}

function findSheet(sheets: string[], wanted: string | undefined): string | undefined {
  if (!wanted) return undefined;
  const lower = wanted.toLowerCase();
  return sheets.find((s) => s.toLowerCase() === lower);
}

/**
 * The sheets the pane starts with: the saved choice when that sheet still exists; else the
 * inventory is a sheet named Inventory, else the active sheet (unless it is a report); the owned
 * licences are the first sheet named like OWNED_NAMES, else none ("").
 */
export function defaultSheets(state: WorkbookState): { inventory: string; owned: string } {
  const reports = new Set(state.reportSheets.map((s) => s.toLowerCase()));
  const inputs = state.sheets.filter((s) => !reports.has(s.toLowerCase()));
  const saved = state.settings;
  const inventory =
    findSheet(inputs, saved?.inventorySheet) ??
    INVENTORY_NAMES.map((n) => findSheet(inputs, n)).find(Boolean) ??
    (state.active && !reports.has(state.active.toLowerCase()) ? state.active : undefined) ??
    inputs[0] ??
    state.sheets[0] ??
    "";
  let owned: string | undefined;
  if (saved?.ownedSheet !== undefined) {
    owned = saved.ownedSheet === "" ? "" : findSheet(inputs, saved.ownedSheet);
  }
  if (owned === undefined) owned = OWNED_NAMES.map((n) => findSheet(inputs, n)).find(Boolean) ?? "";
  if (owned.toLowerCase() === inventory.toLowerCase()) owned = "";
  return { inventory, owned };
}

/** Selects the whole row `row` (1-based) of `sheet` and shows that sheet. */
export async function selectRow(host: ExcelHost, sheet: string, row: number): Promise<void> {
  await host.run(async (context) => {
    const ws = context.workbook.worksheets.getItem(sheet);
    ws.activate();
    ws.getRange(`${row}:${row}`).select();
    await context.sync();
  });
}

export type SampleKind = "inventory" | "owned";

const SAMPLE_NAME: Record<SampleKind, string> = { inventory: "Inventory", owned: "Owned Licences" };

/** Numbers where the sample means numbers; "#N/A" stays a real error cell (a failed lookup). */
function sampleCell(kind: SampleKind, col: number, text: string, header: boolean): { value: string | number; format: string | null } {
  if (header) return { value: text, format: "@" };
  if (text === "") return { value: "", format: null };
  if (text === "#N/A") return { value: text, format: null };
  const numeric = kind === "owned" ? col >= 2 : col === 4; // owned: Version, Quantity, Unit price; inventory: Version
  if (numeric && /^\d+(\.\d+)?$/.test(text)) {
    return { value: Number(text), format: kind === "owned" && col === 4 ? "#,##0.00" : "0" };
  }
  return { value: text, format: "@" };
}

/**
 * Adds a starter sheet from src/sample (never over an existing sheet: "Inventory (2)" and so
 * on), with a bold header row, frozen, and fitted columns. Two syncs. Returns its name.
 */
export async function insertSample(host: ExcelHost, kind: SampleKind): Promise<string> {
  const grid = kind === "inventory" ? SAMPLE_INVENTORY : SAMPLE_OWNED;
  return host.run(async (context) => {
    const worksheets = context.workbook.worksheets;
    worksheets.load("items/name");
    await context.sync();
    const taken = new Set(worksheets.items.map((w) => w.name.toLowerCase()));
    const name = freeSheetName(SAMPLE_NAME[kind], taken);
    const cols = grid[0].length;
    const values: (string | number)[][] = [];
    const formats: (string | null)[][] = [];
    grid.forEach((row, r) => {
      const v: (string | number)[] = [];
      const f: (string | null)[] = [];
      for (let c = 0; c < cols; c++) {
        const cell = sampleCell(kind, c, row[c] ?? "", r === 0);
        v.push(cell.value);
        f.push(cell.format);
      }
      values.push(v);
      formats.push(f);
    });
    if (host.supports("1.6")) context.application.suspendApiCalculationUntilNextSync();
    const ws = worksheets.add(name);
    const range = ws.getRangeByIndexes(0, 0, grid.length, cols);
    range.numberFormat = formats;
    range.values = values;
    const header = ws.getRangeByIndexes(0, 0, 1, cols);
    header.format.font.bold = true;
    header.format.fill.color = "#DDEBF7";
    ws.freezePanes.freezeRows(1);
    range.format.autofitColumns();
    ws.activate();
    await context.sync();
    return name;
  });
}

/** Saves the pane's settings in the workbook (the audit saves them too, with the report). */
export async function savePaneSettings(host: ExcelHost, settings: PaneSettings): Promise<void> {
  await host.run(async (context) => {
    context.workbook.settings.add(PANE_SETTING, settings);
    await context.sync();
  });
}
