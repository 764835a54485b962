/**
 * A small, honest in-memory stand-in for the part of the Excel JavaScript API (Office.js) that
 * src/excel uses. It is for tests only: the jest tests of the adapter use it directly, and the
 * browser test injects the same file into the pane (test/e2e) in place of Excel.
 *
 * What it models, because the adapter's correctness depends on it:
 * - Proxies and batches: setting a property or calling a method only QUEUES a command; nothing
 *   happens until context.sync(), which runs the queue in order. Reading a property that was
 *   not loaded (load + sync) throws PropertyNotLoaded, as Office.js does.
 * - A failing command fails its sync: the commands before it in the batch have been applied,
 *   the ones after it have not (Excel batches are not transactions).
 * - Payload limits: a request or a response over 5 MB fails (Excel on the web refuses them);
 *   loading the values of more than 5 million cells fails. Every sync's request and response
 *   sizes (JSON bytes of what crosses the wire) are recorded in `syncLog`.
 * - How Excel treats a string written to Range.values (the Office.js reference: "If the value
 *   starts with a plus, minus, or equal sign, Excel interprets this value as a formula"; like
 *   typing, a string that reads as a number becomes a number and "TRUE"/"#N/A" become a
 *   boolean / error). In a cell whose number format is Text ("@") nothing is interpreted: the
 *   string is stored as it is, exactly as when typing into a Text-formatted cell.
 * - Sheet names: at most 31 characters, none of : \ / ? * [ ], unique ignoring case.
 *
 * It does not calculate formulas (a formula cell keeps its formula text; `isFormula` says so)
 * and models formatting only as the list of format commands applied to rectangles.
 *
 * Self-contained on purpose (no imports): test/e2e compiles this one file for the browser.
 */

export type FakeValue = string | number | boolean;

export interface FakeRect {
  row: number;
  col: number;
  rows: number;
  cols: number;
}

/** A format command applied to a rectangle, e.g. { fill: "#C6EFCE" } or { bold: true }. */
export interface FakeStyle {
  rect: FakeRect;
  props: Record<string, unknown>;
}

export interface FakeConditionalFormat {
  rect: FakeRect;
  type: string;
  props: Record<string, unknown>;
}

export interface SyncRecord {
  requestBytes: number;
  responseBytes: number;
  commands: string[];
}

export interface FakeErrorInfo {
  code: string;
  message: string;
}

export const PAYLOAD_LIMIT_BYTES = 5 * 1024 * 1024;
export const READ_CELL_LIMIT = 5_000_000;
export const MAX_ROWS = 1_048_576;
export const MAX_COLS = 16_384;

/** An error shaped like OfficeExtension.Error: a code and a message. */
export class FakeExcelError extends Error {
  code: string;
  debugInfo: { code: string; message: string; errorLocation?: string };
  constructor(code: string, message: string, location?: string) {
    super(message);
    this.name = "RichApi.Error";
    this.code = code;
    this.debugInfo = { code, message, errorLocation: location };
  }
}

// -----------------------------------------------------------------------------------------------
// State
// -----------------------------------------------------------------------------------------------

let sheetCounter = 0;

export class FakeSheet {
  readonly id: string;
  name: string;
  visibility = "Visible";
  /** Cell values by row then column; a missing cell is empty (""). */
  readonly cells: (FakeValue | undefined)[][] = [];
  readonly formats: (string | undefined)[][] = [];
  readonly formulas = new Set<string>();
  readonly styles: FakeStyle[] = [];
  readonly merges: FakeRect[] = [];
  readonly conditionalFormats: FakeConditionalFormat[] = [];
  readonly columnWidths = new Map<number, number>();
  readonly rowHeights = new Map<number, number>();
  readonly customProperties = new Map<string, { key: string; value: string }>();
  freezeRows = 0;
  readonly pageLayout: { orientation: string; zoom: Record<string, unknown> | null; printTitleRows: string | null } = {
    orientation: "Portrait",
    zoom: null,
    printTitleRows: null,
  };
  /** How many commands changed this sheet (values, formats, name, layout, properties...). */
  changes = 0;

  constructor(name: string) {
    sheetCounter += 1;
    this.id = `{FAKE-SHEET-${String(sheetCounter).padStart(4, "0")}}`;
    this.name = name;
  }

  value(row: number, col: number): FakeValue {
    const v = this.cells[row]?.[col];
    return v === undefined ? "" : v;
  }

  numberFormat(row: number, col: number): string {
    return this.formats[row]?.[col] ?? "General";
  }

  isFormula(row: number, col: number): boolean {
    return this.formulas.has(`${row},${col}`);
  }

  /** The cells of a rectangle as a grid of values (what Range.values gives). */
  grid(rect: FakeRect): FakeValue[][] {
    const out: FakeValue[][] = new Array(rect.rows);
    for (let r = 0; r < rect.rows; r++) {
      const src = this.cells[rect.row + r];
      const row: FakeValue[] = new Array(rect.cols);
      for (let c = 0; c < rect.cols; c++) {
        const v = src?.[rect.col + c];
        row[c] = v === undefined ? "" : v;
      }
      out[r] = row;
    }
    return out;
  }

  /** Every value in the used range, from A1 (handy in tests). */
  allValues(): FakeValue[][] {
    const used = this.usedRect();
    if (!used) return [];
    return this.grid({ row: 0, col: 0, rows: used.row + used.rows, cols: used.col + used.cols });
  }

  /** Bounding box of the cells that hold a value (Worksheet.getUsedRange(true)). */
  usedRect(): FakeRect | null {
    let top = -1;
    let bottom = -1;
    let left = Infinity;
    let right = -1;
    for (let r = 0; r < this.cells.length; r++) {
      const row = this.cells[r];
      if (!row) continue;
      for (let c = 0; c < row.length; c++) {
        const v = row[c];
        if (v === undefined || v === "") continue;
        if (top < 0) top = r;
        bottom = r;
        if (c < left) left = c;
        if (c > right) right = c;
      }
    }
    if (top < 0) return null;
    return { row: top, col: left, rows: bottom - top + 1, cols: right - left + 1 };
  }

  /** The style properties in force on one cell (later commands win). */
  styleAt(row: number, col: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const s of this.styles) {
      if (inRect(s.rect, row, col)) Object.assign(out, s.props);
    }
    return out;
  }

  setCell(row: number, col: number, input: FakeValue | null): void {
    if (input === null || input === undefined) return; // null leaves the cell as it is
    const key = `${row},${col}`;
    const rowArr = (this.cells[row] ??= []);
    if (input === "") {
      rowArr[col] = undefined;
      this.formulas.delete(key);
      return;
    }
    const text = this.numberFormat(row, col) === "@";
    if (typeof input === "string" && !text) {
      const parsed = interpretTyped(input);
      rowArr[col] = parsed.value;
      if (parsed.formula) this.formulas.add(key);
      else this.formulas.delete(key);
      return;
    }
    rowArr[col] = input;
    this.formulas.delete(key);
  }

  setFormat(row: number, col: number, format: string | null): void {
    if (format === null || format === undefined) return;
    const rowArr = (this.formats[row] ??= []);
    rowArr[col] = format === "" ? undefined : format;
  }
}

function inRect(rect: FakeRect, row: number, col: number): boolean {
  return row >= rect.row && row < rect.row + rect.rows && col >= rect.col && col < rect.col + rect.cols;
}

const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?%?$/i;
const ERROR_TEXT = /^#(N\/A|NAME\?|REF!|VALUE!|DIV\/0!|NUM!|NULL!)$/i;

/** What Excel makes of a string written to a General cell (as if typed). */
export function interpretTyped(s: string): { value: FakeValue; formula: boolean } {
  const t = s.trim();
  if (NUMBER_TEXT.test(t)) {
    const pct = t.endsWith("%");
    const n = Number(pct ? t.slice(0, -1) : t);
    return { value: pct ? n / 100 : n, formula: false };
  }
  if (/^true$/i.test(t)) return { value: true, formula: false };
  if (/^false$/i.test(t)) return { value: false, formula: false };
  if (ERROR_TEXT.test(t)) return { value: t.toUpperCase(), formula: false };
  const first = s.charAt(0);
  if (first === "=" || first === "+" || first === "-" || first === "@") {
    // A formula: the fake does not calculate it; the cell keeps the formula text.
    return { value: first === "=" ? s : `=${s}`, formula: true };
  }
  return { value: s, formula: false };
}

function validSheetName(name: string): string | null {
  if (typeof name !== "string" || name.length === 0) return "A sheet name cannot be empty.";
  if (name.length > 31) return "A sheet name can have at most 31 characters.";
  if (/[:\\/?*[\]]/.test(name)) return "A sheet name cannot contain : \\ / ? * [ or ].";
  if (name.startsWith("'") || name.endsWith("'")) return "A sheet name cannot start or end with an apostrophe.";
  return null;
}

/** Rough JSON size of a value, as it would cross the wire. */
export function jsonBytes(value: unknown): number {
  if (value === undefined) return 0;
  const s = JSON.stringify(value);
  if (s === undefined) return 0;
  let bytes = s.length;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) bytes += 2;
  return bytes;
}

// -----------------------------------------------------------------------------------------------
// Address parsing (A1 style, one area)
// -----------------------------------------------------------------------------------------------

function colIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export function colLetters(col: number): string {
  let s = "";
  let n = col + 1;
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function parseAddress(address: string): FakeRect {
  const a = address.replace(/\$/g, "").replace(/^.*!/, "").trim();
  const rows = /^(\d+):(\d+)$/.exec(a);
  if (rows) {
    const r1 = Number(rows[1]) - 1;
    const r2 = Number(rows[2]) - 1;
    return { row: Math.min(r1, r2), col: 0, rows: Math.abs(r2 - r1) + 1, cols: MAX_COLS };
  }
  const cols = /^([A-Z]+):([A-Z]+)$/i.exec(a);
  if (cols) {
    const c1 = colIndex(cols[1]);
    const c2 = colIndex(cols[2]);
    return { row: 0, col: Math.min(c1, c2), rows: MAX_ROWS, cols: Math.abs(c2 - c1) + 1 };
  }
  const cells = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/i.exec(a);
  if (!cells) throw new FakeExcelError("InvalidArgument", `The address "${address}" is not valid.`);
  const c1 = colIndex(cells[1]);
  const r1 = Number(cells[2]) - 1;
  const c2 = cells[3] ? colIndex(cells[3]) : c1;
  const r2 = cells[4] ? Number(cells[4]) - 1 : r1;
  return { row: Math.min(r1, r2), col: Math.min(c1, c2), rows: Math.abs(r2 - r1) + 1, cols: Math.abs(c2 - c1) + 1 };
}

export function rectAddress(sheet: string, rect: FakeRect): string {
  const q = /^[A-Za-z_][A-Za-z0-9_]*$/.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
  if (rect.cols >= MAX_COLS) return `${q}!${rect.row + 1}:${rect.row + rect.rows}`;
  const a = `${colLetters(rect.col)}${rect.row + 1}`;
  const b = `${colLetters(rect.col + rect.cols - 1)}${rect.row + rect.rows}`;
  return `${q}!${a === b ? a : `${a}:${b}`}`;
}

// -----------------------------------------------------------------------------------------------
// The workbook and its request contexts
// -----------------------------------------------------------------------------------------------

interface Command {
  name: string;
  bytes: number;
  /** Applies the command; returns the response bytes it produced (loads). */
  run(): number | void;
}

export interface FakeWorkbookOptions {
  /** ExcelApi versions the fake claims to support, e.g. up to "1.12" (default "1.17"). */
  apiVersion?: string;
  /**
   * Answer each sync in a later task (setTimeout), as Excel's round trip to the workbook does,
   * instead of a microtask. The browser test's long-task measurement needs it: with microtask
   * syncs a whole chunked read would be one task, which no real Excel gives.
   */
  taskPerSync?: boolean;
}

export class FakeWorkbook {
  readonly sheets: FakeSheet[] = [];
  readonly settings = new Map<string, unknown>();
  activeSheetId: string | null = null;
  selection: { sheet: string; address: string } | null = null;
  syncs = 0;
  readonly syncLog: SyncRecord[] = [];
  /** Called before each command runs; return an error to make that command (and its sync) fail. */
  failWhen: ((info: { sync: number; command: string }) => FakeErrorInfo | undefined) | null = null;
  /** Called after each sync (e.g. to press Cancel in the middle of a run). */
  afterSync: ((sync: number) => void) | null = null;
  readonly apiVersion: string;
  readonly taskPerSync: boolean;

  constructor(options: FakeWorkbookOptions = {}) {
    this.apiVersion = options.apiVersion ?? "1.17";
    this.taskPerSync = options.taskPerSync ?? false;
  }

  /** Adds a sheet with values from A1 (tests' setup; not counted as a sync). */
  addSheet(name: string, values?: readonly (readonly (FakeValue | null)[])[]): FakeSheet {
    const problem = validSheetName(name);
    if (problem) throw new FakeExcelError("InvalidArgument", problem);
    if (this.sheetByName(name)) throw new FakeExcelError("ItemAlreadyExists", `A sheet named "${name}" already exists.`);
    const sheet = new FakeSheet(name);
    this.sheets.push(sheet);
    if (!this.activeSheetId) this.activeSheetId = sheet.id;
    if (values) {
      for (let r = 0; r < values.length; r++) {
        const row = values[r];
        const cells: (FakeValue | undefined)[] = (sheet.cells[r] = []);
        for (let c = 0; c < row.length; c++) {
          const v = row[c];
          if (v !== null && v !== "") cells[c] = v;
        }
      }
    }
    return sheet;
  }

  sheetByName(name: string): FakeSheet | undefined {
    const lower = String(name).toLowerCase();
    return this.sheets.find((s) => s.name.toLowerCase() === lower);
  }

  sheetById(id: string): FakeSheet | undefined {
    return this.sheets.find((s) => s.id === id);
  }

  get activeSheet(): FakeSheet | undefined {
    return this.activeSheetId ? this.sheetById(this.activeSheetId) : undefined;
  }

  supports(version: string): boolean {
    const [a, b] = version.split(".").map(Number);
    const [x, y] = this.apiVersion.split(".").map(Number);
    return x > a || (x === a && y >= b);
  }

  /** Excel.run for this workbook. */
  async run<T>(batch: (context: FakeContext) => Promise<T>): Promise<T> {
    const context = new FakeContext(this);
    const result = await batch(context);
    if (context.pending()) await context.sync();
    return result;
  }

  /** Runs one batch of commands: what context.sync() does in Excel. */
  execute(commands: Command[]): void {
    this.syncs += 1;
    const sync = this.syncs;
    const record: SyncRecord = { requestBytes: 0, responseBytes: 0, commands: commands.map((c) => c.name) };
    this.syncLog.push(record);
    for (const c of commands) record.requestBytes += c.bytes;
    if (record.requestBytes > PAYLOAD_LIMIT_BYTES) {
      throw new FakeExcelError("RequestPayloadSizeLimitExceeded", "The request payload size has exceeded the limit.");
    }
    for (const c of commands) {
      const injected = this.failWhen?.({ sync, command: c.name });
      if (injected) throw new FakeExcelError(injected.code, injected.message, c.name);
      const bytes = c.run();
      if (typeof bytes === "number") record.responseBytes += bytes;
    }
    if (record.responseBytes > PAYLOAD_LIMIT_BYTES) {
      throw new FakeExcelError("ResponsePayloadSizeLimitExceeded", "The response payload size has exceeded the limit.");
    }
  }

  /** Every sheet's state as plain data: compare before/after to prove a sheet untouched. */
  snapshot(name: string): string {
    const s = this.sheetByName(name);
    if (!s) return "missing";
    return JSON.stringify({
      id: s.id,
      name: s.name,
      visibility: s.visibility,
      cells: s.cells,
      formats: s.formats,
      formulas: [...s.formulas],
      styles: s.styles,
      merges: s.merges,
      cf: s.conditionalFormats,
      widths: [...s.columnWidths],
      heights: [...s.rowHeights],
      props: [...s.customProperties],
      freeze: s.freezeRows,
      page: s.pageLayout,
      changes: s.changes,
    });
  }
}

type Resolver<T> = () => T;

function notLoaded(name: string): never {
  throw new FakeExcelError(
    "PropertyNotLoaded",
    `The property '${name}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
  );
}

function parseLoad(spec: unknown): string[] {
  if (spec === undefined) return ["*"];
  if (typeof spec === "string")
    return spec
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(spec)) return spec.flatMap((s) => parseLoad(s));
  if (spec && typeof spec === "object") {
    const o = spec as Record<string, unknown>;
    if (typeof o.select === "string") return parseLoad(o.select);
    return Object.keys(o).filter((k) => o[k]);
  }
  return [];
}

/** Base of every proxy: load() and loaded-property bookkeeping. */
abstract class Proxy {
  protected loaded = new Map<string, unknown>();
  protected nullObject: boolean | undefined;
  constructor(readonly context: FakeContext) {}

  protected abstract snapshotProps(keys: string[]): Record<string, unknown>;

  /** Exists, or null for an *OrNullObject that found nothing. */
  protected exists(): boolean {
    return true;
  }

  load(spec?: unknown): this {
    const keys = parseLoad(spec);
    this.context.queue({
      name: `${this.constructor.name}.load(${keys.join(",")})`,
      bytes: 40,
      run: () => {
        if (!this.exists()) {
          this.nullObject = true;
          this.loaded = new Map();
          return 20;
        }
        this.nullObject = false;
        const props = this.snapshotProps(keys);
        for (const [k, v] of Object.entries(props)) this.loaded.set(k, v);
        return jsonBytes(props);
      },
    });
    return this;
  }

  get isNullObject(): boolean {
    if (this.nullObject === undefined) notLoaded("isNullObject");
    return this.nullObject;
  }

  protected get<T>(name: string): T {
    if (!this.loaded.has(name)) notLoaded(name);
    return this.loaded.get(name) as T;
  }

  toJSON(): Record<string, unknown> {
    return Object.fromEntries(this.loaded);
  }
}

export class FakeContext {
  private commands: Command[] = [];
  readonly workbook: WorkbookProxy;
  readonly application: ApplicationProxy;
  constructor(readonly wb: FakeWorkbook) {
    this.workbook = new WorkbookProxy(this);
    this.application = new ApplicationProxy(this);
  }

  queue(command: Command): void {
    this.commands.push(command);
  }

  pending(): boolean {
    return this.commands.length > 0;
  }

  async sync(): Promise<void> {
    const batch = this.commands;
    this.commands = [];
    // Excel answers asynchronously; so does the fake (lets the page repaint between syncs).
    await (this.wb.taskPerSync ? new Promise((resolve) => setTimeout(resolve, 0)) : Promise.resolve());
    try {
      this.wb.execute(batch);
    } finally {
      this.wb.afterSync?.(this.wb.syncs);
    }
  }

  /** Queues a command that changes a sheet. */
  change(name: string, sheet: Resolver<FakeSheet>, bytes: number, apply: (s: FakeSheet) => void): void {
    this.queue({
      name,
      bytes,
      run: () => {
        const s = sheet();
        apply(s);
        s.changes += 1;
      },
    });
  }
}

class ApplicationProxy {
  constructor(private readonly context: FakeContext) {}
  suspendApiCalculationUntilNextSync(): void {
    this.context.queue({ name: "application.suspendApiCalculationUntilNextSync", bytes: 40, run: () => undefined });
  }
  suspendScreenUpdatingUntilNextSync(): void {
    this.context.queue({ name: "application.suspendScreenUpdatingUntilNextSync", bytes: 40, run: () => undefined });
  }
}

class WorkbookProxy {
  readonly worksheets: WorksheetCollectionProxy;
  readonly settings: SettingCollectionProxy;
  constructor(readonly context: FakeContext) {
    this.worksheets = new WorksheetCollectionProxy(context);
    this.settings = new SettingCollectionProxy(context);
  }
}

// ---- worksheets ---------------------------------------------------------------------------------

function sheetProps(wb: FakeWorkbook, s: FakeSheet, keys: string[]): Record<string, unknown> {
  const all = keys.includes("*");
  const out: Record<string, unknown> = {};
  if (all || keys.includes("name")) out.name = s.name;
  if (all || keys.includes("id")) out.id = s.id;
  if (all || keys.includes("position")) out.position = wb.sheets.indexOf(s);
  if (all || keys.includes("visibility")) out.visibility = s.visibility;
  return out;
}

class WorksheetCollectionProxy extends Proxy {
  private items_: WorksheetProxy[] | undefined;

  protected snapshotProps(keys: string[]): Record<string, unknown> {
    const wb = this.context.wb;
    const sub = keys.map((k) => k.replace(/^items\//, "")).filter((k) => k !== "items");
    const itemKeys = sub.length ? sub : ["*"];
    this.items_ = wb.sheets.map((s) => {
      const p = new WorksheetProxy(this.context, () => s);
      p.setLoaded(sheetProps(wb, s, itemKeys));
      return p;
    });
    return { items: this.items_.map((p) => p.toJSON()) };
  }

  get items(): WorksheetProxy[] {
    if (!this.items_) notLoaded("items");
    return this.items_;
  }

  getItem(name: string): WorksheetProxy {
    return new WorksheetProxy(this.context, () => {
      const s = this.context.wb.sheetByName(name) ?? this.context.wb.sheetById(name);
      if (!s) throw new FakeExcelError("ItemNotFound", `The requested resource doesn't exist (sheet "${name}").`);
      return s;
    });
  }

  getItemOrNullObject(name: string): WorksheetProxy {
    return new WorksheetProxy(this.context, () => this.context.wb.sheetByName(name) ?? this.context.wb.sheetById(name) ?? null);
  }

  getActiveWorksheet(): WorksheetProxy {
    return new WorksheetProxy(this.context, () => {
      const s = this.context.wb.activeSheet;
      if (!s) throw new FakeExcelError("ItemNotFound", "No active sheet.");
      return s;
    });
  }

  add(name: string): WorksheetProxy {
    let created: FakeSheet | null = null;
    this.context.queue({
      name: `worksheets.add(${name})`,
      bytes: 40 + name.length,
      run: () => {
        created = this.context.wb.addSheet(name);
      },
    });
    return new WorksheetProxy(this.context, () => {
      if (!created) throw new FakeExcelError("InvalidOperation", "The sheet was not created yet.");
      return created;
    });
  }
}

class WorksheetProxy extends Proxy {
  readonly freezePanes: { freezeRows: (n: number) => void };
  readonly pageLayout: PageLayoutProxy;
  readonly customProperties: CustomPropertyCollectionProxy;
  constructor(
    context: FakeContext,
    private readonly resolveOrNull: Resolver<FakeSheet | null>,
  ) {
    super(context);
    this.freezePanes = {
      freezeRows: (n: number) => context.change(`freezePanes.freezeRows(${n})`, this.sheet, 40, (s) => (s.freezeRows = n)),
    };
    this.pageLayout = new PageLayoutProxy(context, this.sheet);
    this.customProperties = new CustomPropertyCollectionProxy(context, this.sheet);
  }

  private resolved: FakeSheet | null | undefined;

  /** Resolved once, at the first command that uses it (then kept, through renames, as in Excel). */
  private target(): FakeSheet | null {
    if (this.resolved === undefined) {
      const s = this.resolveOrNull();
      if (s === null) return null; // may still appear later (a sheet added in the same batch)
      this.resolved = s;
    }
    return this.resolved;
  }

  /** Resolves at sync time; a null object fails any command but load. */
  readonly sheet: Resolver<FakeSheet> = () => {
    const s = this.target();
    if (!s) throw new FakeExcelError("ItemNotFound", "The requested resource doesn't exist.");
    if (!this.context.wb.sheets.includes(s)) throw new FakeExcelError("ItemNotFound", "The sheet was deleted.");
    return s;
  };

  protected exists(): boolean {
    const s = this.target();
    return !!s && this.context.wb.sheets.includes(s);
  }

  setLoaded(props: Record<string, unknown>): void {
    this.nullObject = false;
    for (const [k, v] of Object.entries(props)) this.loaded.set(k, v);
  }

  protected snapshotProps(keys: string[]): Record<string, unknown> {
    return sheetProps(this.context.wb, this.sheet(), keys);
  }

  get name(): string {
    return this.get("name");
  }
  set name(value: string) {
    this.context.queue({
      name: `worksheet.name=${value}`,
      bytes: 40 + value.length,
      run: () => {
        const s = this.sheet();
        const problem = validSheetName(value);
        if (problem) throw new FakeExcelError("InvalidArgument", problem);
        const other = this.context.wb.sheetByName(value);
        if (other && other !== s) throw new FakeExcelError("ItemAlreadyExists", `A sheet named "${value}" already exists.`);
        s.name = value;
        s.changes += 1;
      },
    });
  }
  get id(): string {
    return this.get("id");
  }
  get position(): number {
    return this.get("position");
  }
  get visibility(): string {
    return this.get("visibility");
  }
  set visibility(value: string) {
    this.context.change(`worksheet.visibility=${value}`, this.sheet, 40, (s) => {
      if (value !== "Visible") {
        const visible = this.context.wb.sheets.filter((x) => x.visibility === "Visible" && x !== s);
        if (visible.length === 0) throw new FakeExcelError("InvalidOperation", "A workbook must keep at least one visible sheet.");
      }
      s.visibility = value;
    });
  }

  activate(): void {
    this.context.queue({
      name: "worksheet.activate",
      bytes: 30,
      run: () => {
        const s = this.sheet();
        if (s.visibility !== "Visible") throw new FakeExcelError("InvalidOperation", "A hidden sheet cannot be activated.");
        this.context.wb.activeSheetId = s.id;
      },
    });
  }

  delete(): void {
    this.context.queue({
      name: "worksheet.delete",
      bytes: 30,
      run: () => {
        const wb = this.context.wb;
        const s = this.sheet();
        const visible = wb.sheets.filter((x) => x.visibility === "Visible" && x !== s);
        if (visible.length === 0) throw new FakeExcelError("InvalidOperation", "A workbook must keep at least one visible sheet.");
        wb.sheets.splice(wb.sheets.indexOf(s), 1);
        if (wb.activeSheetId === s.id) wb.activeSheetId = visible[0].id;
      },
    });
  }

  getRange(address?: string): RangeProxy {
    return new RangeProxy(this.context, this.sheet, () => (address ? parseAddress(address) : { row: 0, col: 0, rows: MAX_ROWS, cols: MAX_COLS }));
  }

  getRangeByIndexes(row: number, col: number, rows: number, cols: number): RangeProxy {
    return new RangeProxy(this.context, this.sheet, () => {
      if (rows < 1 || cols < 1 || row < 0 || col < 0 || row + rows > MAX_ROWS || col + cols > MAX_COLS) {
        throw new FakeExcelError("InvalidArgument", "The range is outside the sheet.");
      }
      return { row, col, rows, cols };
    });
  }

  getUsedRangeOrNullObject(valuesOnly?: boolean): RangeProxy {
    void valuesOnly; // the fake only knows values, so every used range is values-only
    return new RangeProxy(this.context, this.sheet, () => this.sheet().usedRect(), true);
  }

  getUsedRange(valuesOnly?: boolean): RangeProxy {
    void valuesOnly;
    return new RangeProxy(this.context, this.sheet, () => this.sheet().usedRect() ?? { row: 0, col: 0, rows: 1, cols: 1 });
  }
}

class PageLayoutProxy {
  constructor(
    private readonly context: FakeContext,
    private readonly sheet: Resolver<FakeSheet>,
  ) {}
  set orientation(value: string) {
    this.context.change(`pageLayout.orientation=${value}`, this.sheet, 40, (s) => (s.pageLayout.orientation = value));
  }
  set zoom(value: Record<string, unknown>) {
    this.context.change("pageLayout.zoom", this.sheet, 60, (s) => (s.pageLayout.zoom = { ...value }));
  }
  setPrintTitleRows(address: string): void {
    this.context.change(`pageLayout.setPrintTitleRows(${address})`, this.sheet, 60, (s) => (s.pageLayout.printTitleRows = address));
  }
}

class CustomPropertyCollectionProxy {
  constructor(
    private readonly context: FakeContext,
    private readonly sheet: Resolver<FakeSheet>,
  ) {}
  add(key: string, value: string): void {
    this.context.change(`customProperties.add(${key})`, this.sheet, 40 + key.length + String(value).length, (s) => {
      if (key.length > 255) throw new FakeExcelError("InvalidArgument", "A custom property key has at most 255 characters.");
      s.customProperties.set(key.toLowerCase(), { key, value: String(value) });
    });
  }
  getItemOrNullObject(key: string): KeyValueProxy {
    return new KeyValueProxy(this.context, () => {
      const s = this.sheet();
      const p = s.customProperties.get(key.toLowerCase());
      return p ? { key: p.key, value: p.value } : null;
    });
  }
}

class KeyValueProxy extends Proxy {
  constructor(
    context: FakeContext,
    private readonly find: Resolver<{ key: string; value: unknown } | null>,
    private readonly remove?: () => void,
  ) {
    super(context);
  }
  protected exists(): boolean {
    return this.find() !== null;
  }
  protected snapshotProps(): Record<string, unknown> {
    const kv = this.find()!;
    return { key: kv.key, value: kv.value };
  }
  get key(): string {
    return this.get("key");
  }
  get value(): unknown {
    return this.get("value");
  }
  delete(): void {
    this.context.queue({ name: "setting.delete", bytes: 30, run: () => this.remove?.() });
  }
}

class SettingCollectionProxy {
  constructor(private readonly context: FakeContext) {}
  add(key: string, value: unknown): void {
    const clone = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
    this.context.queue({
      name: `settings.add(${key})`,
      bytes: 40 + key.length + jsonBytes(value),
      run: () => {
        this.context.wb.settings.set(key, clone);
      },
    });
  }
  getItemOrNullObject(key: string): KeyValueProxy {
    return new KeyValueProxy(
      this.context,
      () => (this.context.wb.settings.has(key) ? { key, value: JSON.parse(JSON.stringify(this.context.wb.settings.get(key))) } : null),
      () => this.context.wb.settings.delete(key),
    );
  }
}

// ---- ranges ------------------------------------------------------------------------------------

function isMatrix(v: unknown): v is unknown[][] {
  return Array.isArray(v) && v.every((r) => Array.isArray(r));
}

class RangeProxy extends Proxy {
  readonly format: RangeFormatProxy;
  readonly conditionalFormats: { add: (type: string) => ConditionalFormatProxy };

  constructor(
    context: FakeContext,
    readonly sheet: Resolver<FakeSheet>,
    private readonly rectOrNull: Resolver<FakeRect | null>,
    private readonly orNull = false,
  ) {
    super(context);
    this.format = new RangeFormatProxy(context, sheet, this.rect);
    this.conditionalFormats = {
      add: (type: string) => {
        const cf: FakeConditionalFormat = { rect: { row: 0, col: 0, rows: 0, cols: 0 }, type, props: {} };
        context.change(`conditionalFormats.add(${type})`, sheet, 40, (s) => {
          cf.rect = this.rect();
          s.conditionalFormats.push(cf);
        });
        return new ConditionalFormatProxy(context, sheet, cf);
      },
    };
  }

  private resolvedRect: FakeRect | null | undefined;
  private rectOnce(): FakeRect | null {
    if (this.resolvedRect === undefined) this.resolvedRect = this.rectOrNull();
    return this.resolvedRect;
  }

  readonly rect: Resolver<FakeRect> = () => {
    const r = this.rectOnce();
    if (!r) throw new FakeExcelError("ItemNotFound", "The range is a null object.");
    return r;
  };

  protected exists(): boolean {
    this.sheet();
    return !this.orNull || this.rectOnce() !== null;
  }

  protected snapshotProps(keys: string[]): Record<string, unknown> {
    const s = this.sheet();
    const r = this.rect();
    const all = keys.includes("*");
    const out: Record<string, unknown> = {};
    if (all || keys.includes("address")) out.address = rectAddress(s.name, r);
    if (all || keys.includes("rowIndex")) out.rowIndex = r.row;
    if (all || keys.includes("columnIndex")) out.columnIndex = r.col;
    if (all || keys.includes("rowCount")) out.rowCount = r.rows;
    if (all || keys.includes("columnCount")) out.columnCount = r.cols;
    if (all || keys.includes("cellCount")) out.cellCount = r.rows * r.cols;
    if (all || keys.includes("values") || keys.includes("numberFormat") || keys.includes("formulas")) {
      if (r.rows * r.cols > READ_CELL_LIMIT) {
        throw new FakeExcelError("RangeExceedsLimit", "The number of cells in the range has exceeded the maximum supported number.");
      }
    }
    if (all || keys.includes("values")) out.values = s.grid(r);
    if (all || keys.includes("numberFormat")) {
      out.numberFormat = Array.from({ length: r.rows }, (_, i) => Array.from({ length: r.cols }, (_, j) => s.numberFormat(r.row + i, r.col + j)));
    }
    return out;
  }

  get address(): string {
    return this.get("address");
  }
  get rowIndex(): number {
    return this.get("rowIndex");
  }
  get columnIndex(): number {
    return this.get("columnIndex");
  }
  get rowCount(): number {
    return this.get("rowCount");
  }
  get columnCount(): number {
    return this.get("columnCount");
  }
  get values(): FakeValue[][] {
    return this.get("values");
  }
  set values(matrix: (FakeValue | null)[][]) {
    this.context.change("range.values", this.sheet, jsonBytes(matrix), (s) => {
      const r = this.rect();
      this.checkShape(matrix, r, "values");
      for (let i = 0; i < r.rows; i++) for (let j = 0; j < r.cols; j++) s.setCell(r.row + i, r.col + j, matrix[i][j]);
    });
  }
  get numberFormat(): string[][] {
    return this.get("numberFormat");
  }
  set numberFormat(matrix: (string | null)[][]) {
    this.context.change("range.numberFormat", this.sheet, jsonBytes(matrix), (s) => {
      const r = this.rect();
      this.checkShape(matrix, r, "numberFormat");
      for (let i = 0; i < r.rows; i++) for (let j = 0; j < r.cols; j++) s.setFormat(r.row + i, r.col + j, matrix[i][j]);
    });
  }

  private checkShape(matrix: unknown, r: FakeRect, what: string): void {
    if (!isMatrix(matrix) || matrix.length !== r.rows || matrix.some((row) => row.length !== r.cols)) {
      throw new FakeExcelError("InvalidArgument", `The number of rows or columns in the ${what} array doesn't match the size of the range.`);
    }
  }

  merge(across?: boolean): void {
    this.context.change(`range.merge(${across ? "across" : ""})`, this.sheet, 30, (s) => {
      const r = this.rect();
      if (s.merges.some((m) => overlaps(m, r))) throw new FakeExcelError("MergedRangeConflict", "The range overlaps a merged range.");
      s.merges.push(r);
    });
  }

  select(): void {
    this.context.queue({
      name: "range.select",
      bytes: 30,
      run: () => {
        const s = this.sheet();
        if (this.context.wb.activeSheetId !== s.id) {
          throw new FakeExcelError("InvalidSelection", "The range to select is not on the active sheet.");
        }
        this.context.wb.selection = { sheet: s.name, address: rectAddress(s.name, this.rect()) };
      },
    });
  }
}

function overlaps(a: FakeRect, b: FakeRect): boolean {
  return a.row < b.row + b.rows && b.row < a.row + a.rows && a.col < b.col + b.cols && b.col < a.col + a.cols;
}

class RangeFormatProxy {
  readonly fill: { color: string; clear: () => void };
  readonly font: { color: string; bold: boolean; italic: boolean; size: number; name: string };
  readonly borders: { getItem: (edge: string) => { style: string; color: string; weight: string } };
  constructor(
    private readonly context: FakeContext,
    private readonly sheet: Resolver<FakeSheet>,
    private readonly rect: Resolver<FakeRect>,
  ) {
    const style = (props: Record<string, unknown>) => this.style(props);
    this.fill = {
      set color(v: string) {
        style({ fill: v });
      },
      get color(): string {
        return notLoaded("color");
      },
      clear: () => style({ fill: null }),
    };
    this.font = {
      set color(v: string) {
        style({ fontColor: v });
      },
      set bold(v: boolean) {
        style({ bold: v });
      },
      set italic(v: boolean) {
        style({ italic: v });
      },
      set size(v: number) {
        style({ fontSize: v });
      },
      set name(v: string) {
        style({ fontName: v });
      },
    } as RangeFormatProxy["font"];
    this.borders = {
      getItem: (edge: string) =>
        ({
          set style(v: string) {
            style({ [`border${edge}`]: v });
          },
          set color(v: string) {
            style({ [`border${edge}Color`]: v });
          },
          set weight(v: string) {
            style({ [`border${edge}Weight`]: v });
          },
        }) as { style: string; color: string; weight: string },
    };
  }

  private style(props: Record<string, unknown>): void {
    this.context.change(`format(${Object.keys(props).join(",")})`, this.sheet, 40 + jsonBytes(props), (s) => {
      s.styles.push({ rect: this.rect(), props });
    });
  }

  set wrapText(v: boolean) {
    this.style({ wrap: v });
  }
  set horizontalAlignment(v: string) {
    this.style({ align: v });
  }
  set verticalAlignment(v: string) {
    this.style({ valign: v });
  }
  set columnWidth(points: number) {
    this.context.change("format.columnWidth", this.sheet, 40, (s) => {
      const r = this.rect();
      for (let c = r.col; c < r.col + r.cols; c++) s.columnWidths.set(c, points);
    });
  }
  set rowHeight(points: number) {
    this.context.change("format.rowHeight", this.sheet, 40, (s) => {
      const r = this.rect();
      for (let i = r.row; i < r.row + r.rows; i++) s.rowHeights.set(i, points);
    });
  }
  autofitColumns(): void {
    this.context.change("format.autofitColumns", this.sheet, 30, (s) => {
      const r = this.rect();
      for (let c = r.col; c < r.col + Math.min(r.cols, 200); c++) {
        let longest = 8;
        for (let i = 0; i < s.cells.length; i++) longest = Math.max(longest, String(s.value(i, c)).length);
        s.columnWidths.set(c, Math.min(255, longest) * 7);
      }
    });
  }
  autofitRows(): void {
    this.context.change("format.autofitRows", this.sheet, 30, () => undefined);
  }
}

class ConditionalFormatProxy {
  readonly dataBar: Record<string, unknown>;
  constructor(context: FakeContext, sheet: Resolver<FakeSheet>, cf: FakeConditionalFormat) {
    const setter = (path: string) => (value: unknown) =>
      context.change(`dataBar.${path}`, sheet, 40, () => {
        cf.props[path] = value;
      });
    const positiveFormat = {};
    for (const k of ["fillColor", "gradientFill", "borderColor"]) {
      Object.defineProperty(positiveFormat, k, { set: setter(`positiveFormat.${k}`), enumerable: true });
    }
    const dataBar: Record<string, unknown> = { positiveFormat };
    for (const k of ["barDirection", "showDataBarOnly", "axisFormat"]) {
      Object.defineProperty(dataBar, k, { set: setter(k), enumerable: true });
    }
    this.dataBar = dataBar;
  }
}

/** What a test page installs as the pane's stand-in for Excel (see src/excel/host.ts). */
export function fakeHost(wb: FakeWorkbook): {
  run: <T>(batch: (context: unknown) => Promise<T>) => Promise<T>;
  supports: (version: string) => boolean;
  workbook: FakeWorkbook;
} {
  return {
    run: <T>(batch: (context: unknown) => Promise<T>) => wb.run((c) => batch(c)),
    supports: (version: string) => wb.supports(version),
    workbook: wb,
  };
}
