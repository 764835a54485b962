/**
 * The report as sheet layouts: what finance reads, with or without the add-in, in another
 * spreadsheet program or on paper. Pure: no Excel, no clock (the time is report.auditedAt),
 * same report in, same layouts out.
 *
 *   CAL Summary      the licence position, plans compared, what to buy, notes
 *   CAL Assignments  the ledger: who holds which CAL and the inventory rows it covers
 *   CAL Problems     rows the audit could not use or used with a caveat (only when any)
 */
import type { AuditReport, EntitlementUse, Holding, PositionLine, Problem } from "../audit";
import type { CellStyle, DataBars, LayoutValue, Rect, SheetLayout } from "./types";
import { PALETTE } from "./types";
import { MAX_SHEET_NAME } from "../sheet";
import { BuildCell, GridBuilder, num, WidthLimits } from "./builder";
import {
  calTypeName,
  compactRows,
  editionName,
  FORMAT_COUNT,
  FORMAT_MONEY,
  FORMAT_ROW,
  formatAuditTime,
  groupThousands,
  holderTypeName,
  modeName,
  textDisplayLength,
  versionLabel,
} from "./format";

type SheetRole = SheetLayout["role"];

/** The sheet names wanted; a writer that finds one taken may pass others (see LayoutOptions). */
export const SHEET_NAMES: Readonly<Record<SheetRole, string>> = {
  summary: "CAL Summary",
  assignments: "CAL Assignments",
  problems: "CAL Problems",
};

interface LayoutOptions {
  /**
   * Final sheet names, when a writer had to pick others (a user's sheet already has the name).
   * The summary's pointer line names the other sheets, so it must use the names really written.
   */
  sheetNames?: Partial<Record<SheetRole, string>>;
}

export const STATUS_WORD = { compliant: "COMPLIANT", "non-compliant": "NOT COMPLIANT" } as const;
export const LINE_STATUS_WORD = { compliant: "Compliant", shortfall: "Short", surplus: "Surplus" } as const;
export const CHOSEN_MARK = "✔ chosen";

export const POSITION_HEADERS = ["Type", "Edition", "Version", "Required", "Owned", "Shortfall", "Surplus", "Status", "Covered by"];
export const ENTITLEMENT_HEADERS = ["Owned line", "Product", "Type", "Quantity", "Reaches", "Used", "Unused", "Why"];
export const PLAN_HEADERS = ["Plan", "Standard", "Enterprise", "Standard", "Enterprise", "Per-server CALs", "Plan cost", "Cost to buy", "Chosen"];
export const TO_BUY_HEADERS = ["Type", "Edition", "Version", "Quantity", "Unit price", "Cost"];
export const ASSIGNMENT_HEADERS = ["Holder type", "Holder", "CAL type", "Edition", "Version", "Rows covered", "Row count"];
export const PROBLEM_HEADERS = ["Sheet", "Row", "Column", "Severity", "Problem"];

/** The plan table's headers: External Connectors get a column only when some plan has any. */
function planHeaders(report: AuditReport): string[] {
  if (!hasConnectors(report)) return PLAN_HEADERS;
  const h = PLAN_HEADERS.slice();
  h.splice(6, 0, "External Connectors");
  return h;
}

function hasConnectors(report: AuditReport): boolean {
  return report.plans.some((ev) => (ev.plan.connector?.standard ?? 0) > 0);
}
const SUMMARY_WIDTHS: WidthLimits = { min: 8, max: 48, padding: 2 };
const DATA_BAR_COLOR = "5B9BD5";

const HEADER_STYLE: CellStyle = {
  fill: PALETTE.header.fill,
  fontColor: PALETTE.header.fontColor,
  bold: true,
  borderBottom: true,
};
const TITLE_STYLE: CellStyle = { bold: true, fontSize: 16 };
const SECTION_STYLE: CellStyle = { bold: true, fontSize: 12 };
const NOTE_STYLE: CellStyle = { italic: true };

const LINE_STATUS_STYLE: Record<PositionLine["status"], CellStyle> = {
  compliant: { ...PALETTE.good },
  shortfall: { ...PALETTE.bad },
  surplus: { ...PALETTE.neutral },
};

function sheetName(role: SheetRole, options?: LayoutOptions): string {
  const wanted = options?.sheetNames?.[role] || SHEET_NAMES[role];
  return wanted.length > MAX_SHEET_NAME ? wanted.slice(0, MAX_SHEET_NAME) : wanted;
}

function finite(n: number): number {
  return Number.isFinite(n) ? n : 0;
}

/** Money sums rounded to cents, so a total is exactly what a reader adds up from the lines. */
function roundMoney(n: number): number {
  return Math.round(n * 100) / 100;
}

const count = (n: number) => num(n, FORMAT_COUNT);
const money = (n: number) => num(n, FORMAT_MONEY);
const sheetRow = (n: number) => num(n, FORMAT_ROW);

const PRICE_SOURCE_WORD = { given: "entered", owned: "from the owned-licences table", example: "example price" } as const;

/** All the report's sheets, in the order they go into the workbook. */
export function reportLayouts(report: AuditReport, options?: LayoutOptions): SheetLayout[] {
  const layouts = [summaryLayout(report, options), assignmentsLayout(report, options)];
  const problems = problemsLayout(report, options);
  if (problems) layouts.push(problems);
  return layouts;
}

// ---------------------------------------------------------------------------------------------
// CAL Summary
// ---------------------------------------------------------------------------------------------

/**
 * The role summary. Built twice: the first pass measures the table columns, the second wraps
 * the free text (notes, long values) to the width those columns give.
 */
function summaryLayout(report: AuditReport, options?: LayoutOptions): SheetLayout {
  const first = buildSummary(report, options, undefined);
  const widths = first.measureWidths(SUMMARY_WIDTHS);
  return buildSummary(report, options, widths).finish();
}

interface SummaryBuild {
  measureWidths(limits: WidthLimits): number[];
  finish(): SheetLayout;
}

/** The summary's grid, with the few kinds of line it is made of. */
class SummarySheet {
  readonly dataBars: DataBars[] = [];
  constructor(readonly g: GridBuilder) {}

  heading(text: string): number {
    const g = this.g;
    g.blank();
    const r = g.row([text], [0]);
    g.style({ row: r, col: 0, rows: 1, cols: 1 }, SECTION_STYLE);
    return r;
  }

  tableHeader(headers: string[]): number {
    const r = this.g.row(headers);
    this.g.style({ row: r, col: 0, rows: 1, cols: headers.length }, HEADER_STYLE);
    return r;
  }

  /** A label and a value; text values are free text (they may run across the empty cells right). */
  field(label: string, value: BuildCell, style?: CellStyle): number {
    const g = this.g;
    if (typeof value === "string") {
      return g.text(1, value, { lead: [label], style })[0];
    }
    const r = g.row([label, value]);
    if (style) g.style({ row: r, col: 1, rows: 1, cols: 1 }, style);
    return r;
  }

  bullets(items: readonly string[]): void {
    for (const item of items) this.g.text(0, `• ${item}`, { indent: "  " });
  }
}

function buildSummary(report: AuditReport, options: LayoutOptions | undefined, widths?: number[]): SummaryBuild {
  const s = new SummarySheet(new GridBuilder(Math.max(POSITION_HEADERS.length, planHeaders(report).length), widths));
  titleSection(s, report);
  pricesSection(s, report);
  statusSection(s, report);
  positionSection(s, report);
  entitlementsSection(s, report.position.entitlements ?? []);
  plansSection(s, report);
  toBuySection(s, report);
  surplusSection(s, report);
  notesSection(s, report);
  pointerSection(s, report, options);
  const { g, dataBars } = s;
  return {
    measureWidths: (limits) => g.measureWidths(limits),
    finish: () =>
      g.build(sheetName("summary", options), "summary", SUMMARY_WIDTHS, {
        freezeRows: 0,
        dataBars,
        print: { landscape: true, fitToWidth: 1 },
      }),
  };
}

/** Title and what was audited. */
function titleSection(s: SummarySheet, report: AuditReport): void {
  const g = s.g;
  const title = g.row(["Exchange CAL audit"], [0]);
  g.style({ row: title, col: 0, rows: 1, cols: 1 }, TITLE_STYLE);
  g.height(title, 24);
  s.field("Audited", formatAuditTime(report.auditedAt));
  if (report.asOf) s.field("Audit date", `${report.asOf} (SA, subscriptions and versions as on this day)`);
  s.field("Inventory sheet", report.source.sheet);
  s.field("Header row", sheetRow(report.source.headerRow));
  s.field("Rows read", count(report.source.rowsRead));
  s.field("Rows used", count(report.source.rowsUsed));
  s.field("Rows rejected", count(report.source.rowsRejected));
  if (report.owned.sheet === null) {
    s.field("Owned licences", "none: every CAL counted as to buy");
  } else {
    s.field("Owned licences", report.owned.sheet);
    s.field("Owned licence lines", count(report.owned.lines));
  }
  s.field("Mode requested", modeRequestedText(report));
  s.field("Mode chosen", modeChosenText(report));
}

/** Prices: where each came from, in words; examples are flagged. */
function pricesSection(s: SummarySheet, report: AuditReport): void {
  const g = s.g;
  const defaults = report.pricesAreDefaults !== false;
  s.field(
    "Prices used",
    defaults
      ? "EXAMPLE prices (the documented defaults), not quotes: enter your own prices for a real cost"
      : "as entered, or the unit prices in the owned-licences table",
    defaults ? { ...PALETTE.neutral } : undefined,
  );
  const p = report.prices;
  const source = (k: keyof typeof p) => PRICE_SOURCE_WORD[report.priceSources?.[k] ?? "example"];
  const price = (label: string, k: keyof typeof p) => {
    if (!Number.isFinite(p[k])) return;
    g.row([label, money(p[k]), source(k)]);
  };
  price("User CAL, Standard", "userStandard");
  price("User CAL, Enterprise", "userEnterprise");
  price("Device CAL, Standard", "deviceStandard");
  price("Device CAL, Enterprise", "deviceEnterprise");
  price("Per-server CAL", "server");
  price("External Connector", "externalConnector");
  g.text(0, "An Enterprise CAL is an add-on: it is bought on top of the Standard CAL of the same holder.", {
    style: NOTE_STYLE,
  });
}

/** The overall status: the word in a big coloured cell. */
function statusSection(s: SummarySheet, report: AuditReport): void {
  const g = s.g;
  g.blank();
  const compliant = report.status === "compliant";
  const banner = g.row([STATUS_WORD[compliant ? "compliant" : "non-compliant"]], [0]);
  const bannerRect: Rect = { row: banner, col: 0, rows: 1, cols: POSITION_HEADERS.length };
  g.merge(bannerRect);
  g.style(bannerRect, {
    ...(compliant ? PALETTE.good : PALETTE.bad),
    bold: true,
    fontSize: 20,
    align: "center",
  });
  g.height(banner, 33);
  g.text(0, statusSentence(report), { style: NOTE_STYLE });
}

/** Licence position, status colours and a data bar over Required and Owned. */
function positionSection(s: SummarySheet, report: AuditReport): void {
  const g = s.g;
  const position = report.position;
  s.heading("Licence position");
  s.tableHeader(POSITION_HEADERS);
  const lines = position.lines;
  const firstLine = g.rowCount;
  for (const line of lines) {
    g.row([
      calTypeName(line.type),
      editionName(line.edition),
      versionLabel(line.version, line.server),
      count(line.required),
      count(line.owned),
      count(line.shortfall),
      count(line.surplus),
      LINE_STATUS_WORD[line.status] ?? String(line.status),
      coveredByText(line.coveredBy),
    ]);
  }
  if (lines.length === 0) {
    g.text(0, "No CAL is required and none is owned.", { style: NOTE_STYLE });
  } else {
    // Status colours, one rect per run of the same status.
    let i = 0;
    while (i < lines.length) {
      let j = i;
      while (j + 1 < lines.length && lines[j + 1].status === lines[i].status) j++;
      const style = LINE_STATUS_STYLE[lines[i].status];
      if (style) g.style({ row: firstLine + i, col: 7, rows: j - i + 1, cols: 1 }, style);
      i = j + 1;
    }
    // One rule over Required and Owned together: the two share a scale, so they compare.
    s.dataBars.push({ rect: { row: firstLine, col: 3, rows: lines.length, cols: 2 }, color: DATA_BAR_COLOR });
    const t = report.position.totals;
    const total = g.row(["Total", null, null, count(t.required), count(t.owned), count(t.shortfall), count(t.surplus)]);
    g.style({ row: total, col: 0, rows: 1, cols: POSITION_HEADERS.length }, { bold: true });
  }
}

/** "Core CAL Suite 10; Exchange Server 2016 Standard CAL 2": what met a position line. */
function coveredByText(coveredBy: readonly { product: string; quantity: number }[] | undefined): string | null {
  if (!coveredBy || coveredBy.length === 0) return null;
  return coveredBy.map((c) => `${c.product} ${count(c.quantity)}`).join("; ");
}

/** What a line reaches, in words: "Standard and Enterprise, up to SE". */
function reachText(e: EntitlementUse): string {
  if (!e.standard && !e.enterprise) return "nothing";
  if (e.standard && e.enterprise)
    return e.standard === e.enterprise ? `Standard and Enterprise, up to ${e.standard}` : `Standard to ${e.standard}, Enterprise to ${e.enterprise}`;
  return e.standard ? `Standard, up to ${e.standard}` : `Enterprise, up to ${e.enterprise}`;
}

/** Each owned line: product, type, quantity, versions it reaches and why, used, unused. */
function entitlementsSection(s: SummarySheet, entitlements: readonly EntitlementUse[]): void {
  if (entitlements.length === 0) return;
  s.heading("Entitlements");
  s.tableHeader(ENTITLEMENT_HEADERS);
  for (const e of entitlements) {
    s.g.text(7, e.why, { lead: [sheetRow(e.row), e.product, calTypeName(e.type), count(e.quantity), reachText(e), count(e.used), count(e.unused)] });
  }
  s.g.text(0, "A suite or plan licence covers one user or device; Standard and Enterprise from one licence go to the same holder.", { style: NOTE_STYLE });
}

/** Plans compared, the chosen one in bold. */
function plansSection(s: SummarySheet, report: AuditReport): void {
  const g = s.g;
  const headers = planHeaders(report);
  const connectors = headers.length > PLAN_HEADERS.length;
  s.heading("Plans compared");
  const group = g.row([null, "User CALs", null, "Device CALs"]);
  g.merge({ row: group, col: 1, rows: 1, cols: 2 });
  g.merge({ row: group, col: 3, rows: 1, cols: 2 });
  g.style({ row: group, col: 0, rows: 1, cols: headers.length }, { ...HEADER_STYLE, borderBottom: false });
  g.style({ row: group, col: 1, rows: 1, cols: 4 }, { ...HEADER_STYLE, borderBottom: false, align: "center" });
  s.tableHeader(headers);
  if (report.plans.length === 0) {
    g.text(0, "No plan was evaluated.", { style: NOTE_STYLE });
  }
  for (const ev of report.plans) {
    const plan = ev.plan;
    const r = g.row([
      ev.label,
      count(plan.user.standard),
      count(plan.user.enterprise),
      count(plan.device.standard),
      count(plan.device.enterprise),
      count(plan.server.standard),
      ...(connectors ? [count(plan.connector?.standard ?? 0)] : []),
      money(plan.cost),
      money(ev.position.toBuyCost),
      ev.chosen ? CHOSEN_MARK : null,
    ]);
    if (ev.chosen) g.style({ row: r, col: 0, rows: 1, cols: headers.length }, { bold: true });
  }
  g.text(0, "Plan cost prices every CAL the plan needs; cost to buy counts only what is not already owned.", {
    style: NOTE_STYLE,
  });
  for (const s of report.skipped ?? []) {
    g.text(0, `Not compared: ${modeName(s.mode)}: ${s.reason}`, { style: NOTE_STYLE, indent: "  " });
  }
}

/** To buy, with a total that adds up the lines shown. */
function toBuySection(s: SummarySheet, report: AuditReport): void {
  const g = s.g;
  const position = report.position;
  const defaults = report.pricesAreDefaults !== false;
  s.heading("To buy");
  if (position.toBuy.length === 0) {
    g.text(0, "Nothing: every required CAL is owned.", { style: NOTE_STYLE });
  } else {
    s.tableHeader(TO_BUY_HEADERS);
    let qty = 0;
    let cost = 0;
    for (const b of position.toBuy) {
      g.row([calTypeName(b.type), editionName(b.edition), versionLabel(b.version, b.server), count(b.quantity), money(b.unitPrice), money(b.cost)]);
      qty += finite(b.quantity);
      cost += finite(b.cost);
    }
    const totalCost = roundMoney(cost);
    const total = g.row(["Total", null, null, count(qty), null, money(totalCost)]);
    g.style({ row: total, col: 0, rows: 1, cols: TO_BUY_HEADERS.length }, { bold: true });
    if (Math.abs(totalCost - finite(position.toBuyCost)) > 0.005) {
      g.text(0, `The audit's own to-buy total was ${money2(position.toBuyCost)}; the total above adds up the lines shown.`, {
        style: { ...PALETTE.neutral },
      });
    }
    if (defaults) g.text(0, "Costs use the example prices above.", { style: NOTE_STYLE });
  }
}

/** Surplus value. */
function surplusSection(s: SummarySheet, report: AuditReport): void {
  const g = s.g;
  const position = report.position;
  s.heading("Surplus value");
  s.field("Owned, not needed", money(position.surplusValue));
  g.text(0, "Owned CALs the chosen plan does not need, valued at the prices used.", { style: NOTE_STYLE });
}

/** Notes, warnings, exemptions. */
function notesSection(s: SummarySheet, report: AuditReport): void {
  const g = s.g;
  const position = report.position;
  if (position.notes.length) {
    s.heading("Notes");
    s.bullets(position.notes);
  }
  if (report.warnings.length) {
    s.heading("Warnings");
    s.bullets(report.warnings);
  }
  if (report.exemptions.length) {
    s.heading("Exempt and covered elsewhere");
    s.tableHeader(["Rows", "Holders", "Reason"]);
    for (const c of report.exemptions) {
      g.text(2, c.reason, { lead: [count(c.rows), count(c.holders)], indent: "  " });
    }
  }
}

/** Where the rest is: the other sheets, by the names really written. */
function pointerSection(s: SummarySheet, report: AuditReport, options: LayoutOptions | undefined): void {
  const g = s.g;
  g.blank();
  const others = [`who holds which CAL and the inventory rows each covers: sheet "${sheetName("assignments", options)}"`];
  if (report.problems.length) {
    others.push(`rows the audit could not use or used with a caveat: sheet "${sheetName("problems", options)}"`);
  }
  g.text(0, `See also: ${others.join("; ")}.`, { style: NOTE_STYLE });
}

function money2(n: number): string {
  return Number.isFinite(n) ? n.toFixed(2) : String(n);
}

function modeRequestedText(report: AuditReport): string {
  return report.requestedMode === "auto" ? "auto (the lowest cost to buy)" : modeName(report.requestedMode);
}

function modeChosenText(report: AuditReport): string {
  let chosen = modeName(report.mode);
  const label = report.plans.find((p) => p.chosen)?.label;
  if (label && label !== report.mode && label !== modeName(report.mode)) chosen += `, plan "${label}"`;
  if (report.requestedMode === "auto") return `${chosen}; auto: lowest cost to buy`;
  if (report.requestedMode === report.mode) return `${chosen}; as requested`;
  return `${chosen}; ${modeName(report.requestedMode)} was requested, see the warnings`;
}

function statusSentence(report: AuditReport): string {
  const pos = report.position;
  if (report.status === "compliant") {
    return pos.surplusValue > 0 ? "Every required CAL is owned; some owned CALs are not needed (see Surplus value)." : "Every required CAL is owned.";
  }
  let qty = 0;
  for (const b of pos.toBuy) qty += finite(b.quantity);
  const what = qty === 1 ? "1 CAL is" : `${groupThousands(qty)} CALs are`;
  return `${what} missing: see To buy.`;
}

// ---------------------------------------------------------------------------------------------
// CAL Assignments
// ---------------------------------------------------------------------------------------------

const HOLDER_ORDER: Record<string, number> = { user: 0, device: 1, server: 2 };
const EDITION_ORDER: Record<string, number> = { standard: 0, enterprise: 1 };
const ASSIGNMENT_WIDTHS: number[][] = [
  // min, max per column
  [12, 14],
  [10, 48],
  [10, 20],
  [10, 12],
  [12, 40],
  [14, 60],
  [10, 12],
];

/**
 * The ledger, one row per holding, sorted by holder type (user, device, server), then name
 * (case-insensitive, then exact), then edition (Standard before Enterprise), then version.
 * Built for ~300,000 holdings: one values array, styles and formats as whole-column rects.
 */
function assignmentsLayout(report: AuditReport, options?: LayoutOptions): SheetLayout {
  const holdings = report.plan.holdings;
  const n = holdings.length;
  // Sort keys computed once: a comparator that looks them up stays fast at 300,000 holdings.
  const lower: string[] = new Array(n);
  const typeKey = new Int8Array(n);
  const editionKey = new Int8Array(n);
  const order: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const h = holdings[i];
    lower[i] = String(h.name ?? "").toLowerCase();
    typeKey[i] = HOLDER_ORDER[h.holder] ?? 9;
    editionKey[i] = EDITION_ORDER[h.edition] ?? 9;
    order[i] = i;
  }
  order.sort((a, b) => {
    if (typeKey[a] !== typeKey[b]) return typeKey[a] - typeKey[b];
    const la = lower[a];
    const lb = lower[b];
    if (la !== lb) return la < lb ? -1 : 1;
    return compareHoldings(holdings[a], holdings[b], editionKey[a] - editionKey[b]) || a - b;
  });

  const cols = ASSIGNMENT_HEADERS.length;
  const values: LayoutValue[][] = new Array(n + 1);
  values[0] = ASSIGNMENT_HEADERS.slice();
  const longest = ASSIGNMENT_HEADERS.map((h) => h.length);
  for (let k = 0; k < n; k++) {
    const h = holdings[order[k]];
    const name = String(h.name ?? "");
    const rows = compactRows(h.rows);
    const version = versionLabel(h.version, h.server);
    const row: LayoutValue[] = [holderTypeName(h.holder), name, calTypeName(h.type), editionName(h.edition), version, rows, distinctCount(h.rows)];
    values[k + 1] = row;
    if (name.length > longest[1]) longest[1] = textDisplayLength(name);
    if (rows.length > longest[5]) longest[5] = rows.length;
    if (version.length > longest[4]) longest[4] = version.length;
    if ((row[2] as string).length > longest[2]) longest[2] = (row[2] as string).length;
  }
  // Fixed vocabularies: their longest text is known without scanning every row.
  longest[0] = Math.max(longest[0], ...(["User", "Device", "Server"] as const).map((s) => s.length));
  longest[3] = Math.max(longest[3], "Enterprise".length);
  longest[6] = Math.max(longest[6], groupThousands(maxRowCount(values)).length);
  const columnWidths = longest.map((len, c) => Math.min(ASSIGNMENT_WIDTHS[c][1], Math.max(ASSIGNMENT_WIDTHS[c][0], len + 2)));

  const header: Rect = { row: 0, col: 0, rows: 1, cols };
  const layout: SheetLayout = {
    name: sheetName("assignments", options),
    role: "assignments",
    values,
    numberFormats: [],
    styles: [{ rect: header, style: HEADER_STYLE }],
    merges: [],
    columnWidths,
    freezeRows: 1,
    print: { landscape: true, fitToWidth: 1, titleRows: header },
    dataBars: [],
  };
  if (n > 0) {
    layout.numberFormats.push({ rect: { row: 1, col: 6, rows: n, cols: 1 }, format: FORMAT_COUNT });
  }
  return layout;
}

/** Ties on holder type and lower-cased name: exact name, edition, CAL type, version, server. */
function compareHoldings(a: Holding, b: Holding, edition: number): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (edition) return edition;
  if (a.type !== b.type) return a.type < b.type ? -1 : 1;
  if (a.version !== b.version) return a.version < b.version ? -1 : 1;
  const sa = a.server ?? "";
  const sb = b.server ?? "";
  if (sa !== sb) return sa < sb ? -1 : 1;
  return 0;
}

function distinctCount(rows: readonly number[]): number {
  let sorted = true;
  for (let i = 1; i < rows.length; i++) {
    if (!(rows[i] > rows[i - 1])) {
      sorted = false;
      break;
    }
  }
  return sorted ? rows.length : new Set(rows).size;
}

function maxRowCount(values: LayoutValue[][]): number {
  let max = 0;
  for (let r = 1; r < values.length; r++) {
    const v = values[r][6];
    if (typeof v === "number" && v > max) max = v;
  }
  return max;
}

// ---------------------------------------------------------------------------------------------
// CAL Problems
// ---------------------------------------------------------------------------------------------

const SEVERITY_WORD: Record<Problem["severity"], string> = { error: "Error", warning: "Warning" };
const SEVERITY_STYLE: Record<Problem["severity"], CellStyle> = {
  error: { ...PALETTE.bad },
  warning: { ...PALETTE.neutral },
};
const PROBLEM_WIDTHS: number[][] = [
  [10, 31],
  [8, 10],
  [10, 24],
  [10, 10],
  [20, 80],
];

/** The problems, by sheet (in order of first mention) then row; null when there are none. */
function problemsLayout(report: AuditReport, options?: LayoutOptions): SheetLayout | null {
  const problems = report.problems;
  if (!problems.length) return null;
  const sheetOrder = new Map<string, number>();
  for (const p of problems) if (!sheetOrder.has(p.sheet)) sheetOrder.set(p.sheet, sheetOrder.size);
  const sorted = problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => sheetOrder.get(a.p.sheet)! - sheetOrder.get(b.p.sheet)! || a.p.row - b.p.row || a.i - b.i)
    .map((x) => x.p);

  const n = sorted.length;
  const cols = PROBLEM_HEADERS.length;
  const values: LayoutValue[][] = new Array(n + 1);
  values[0] = PROBLEM_HEADERS.slice();
  const longest = PROBLEM_HEADERS.map((h) => h.length);
  for (let k = 0; k < n; k++) {
    const p = sorted[k];
    const row: LayoutValue[] = [
      String(p.sheet ?? ""),
      Number.isFinite(p.row) ? p.row : null,
      String(p.column ?? ""),
      SEVERITY_WORD[p.severity] ?? String(p.severity),
      String(p.message ?? ""),
    ];
    values[k + 1] = row;
    for (const c of [0, 2, 4]) {
      const len = textDisplayLength(row[c] as string);
      if (len > longest[c]) longest[c] = len;
    }
    if (row[1] !== null) longest[1] = Math.max(longest[1], String(row[1]).length);
  }
  const columnWidths = longest.map((len, c) => Math.min(PROBLEM_WIDTHS[c][1], Math.max(PROBLEM_WIDTHS[c][0], len + 2)));

  const header: Rect = { row: 0, col: 0, rows: 1, cols };
  const styles: SheetLayout["styles"] = [
    { rect: header, style: HEADER_STYLE },
    // Long messages wrap in their column rather than run off the printed page.
    { rect: { row: 1, col: 4, rows: n, cols: 1 }, style: { wrap: true } },
  ];
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && sorted[j + 1].severity === sorted[i].severity) j++;
    const style = SEVERITY_STYLE[sorted[i].severity];
    if (style) styles.push({ rect: { row: 1 + i, col: 3, rows: j - i + 1, cols: 1 }, style });
    i = j + 1;
  }
  return {
    name: sheetName("problems", options),
    role: "problems",
    values,
    numberFormats: [{ rect: { row: 1, col: 1, rows: n, cols: 1 }, format: FORMAT_ROW }],
    styles,
    merges: [],
    columnWidths,
    freezeRows: 1,
    print: { landscape: true, fitToWidth: 1, titleRows: header },
    dataBars: [],
  };
}
