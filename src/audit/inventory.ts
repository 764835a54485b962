import { NO_CAL_ACCESS, VERSIONS, VersionId, parseVersion, versionRule } from "../licensing";
import { cellFlag, cellText, columnLetter, errorWords, isBlankRow, isExcelError, isTrimmed } from "../sheet";
import { HeaderMatch, findHeader, HEADER_SEARCH_ROWS, COLUMN_SYNONYMS } from "../sheet";
import { NameColumn, Names } from "../speed";
import { NameThread } from "../speed";
import { WORKER_MIN_ROWS, WorkerHost } from "../speed";
import type { Inventory, Problem } from "./types";
import type { Cell, ColumnRole, Grid } from "../sheet";

/** Input the audit cannot use at all (no header, unknown option): one message, says where. */
export class AuditInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuditInputError";
  }
}

/** What reading an inventory needs: where the sheet sits, the version for rows without one, progress, threads. */
export interface InventoryReading {
  sheet?: string;
  firstRow?: number;
  firstColumn?: number;
  defaultVersion?: unknown;
  onProgress?: (rowsDone: number, rowsTotal: number) => void;
  /** A second thread for the name lookups of a big inventory (see nameThread.ts). */
  workers?: WorkerHost;
}

const VERSION_INDEX = new Map<VersionId, number>(VERSIONS.map((v, i) => [v.id, i]));
const ENTERPRISE_FROM = VERSION_INDEX.get("2007")!;
const PROGRESS_EVERY = 1 << 16;
/** Row reading: no version in the row (blank), and a cell that is wrong (said by the slow path). */
const NO_VERSION = -1;
const BAD = -2;
const NO_CAL = new Set(NO_CAL_ACCESS.map((a) => a.replace(/[\s_-]+/g, "")));

/** "Exchange Server 2016 Standard CAL", "Exchange 15 Enterprise CAL" -> version and edition. */
export function parseLicenseName(text: string): { version: VersionId; enterprise: boolean } | undefined {
  const m = /^(.*?)\s+(standard|enterprise)(\s+(cal|client access licen[cs]e))?$/i.exec(text.trim());
  if (!m) return undefined;
  const version = parseVersion(m[1]);
  return version ? { version, enterprise: m[2].toLowerCase() === "enterprise" } : undefined;
}

/** Standard / Enterprise words, or a yes/no flag when the column is an "Enterprise" column. */
export function parseEdition(cell: Cell, isFlag: boolean): boolean | undefined {
  if (isFlag) return cellFlag(cell);
  const t = cellText(cell).toLowerCase();
  if (t === "" || t === "standard" || t === "std" || t === "s" || t === "standard cal") return false;
  if (t === "enterprise" || t === "ent" || t === "e" || t === "enterprise cal" || t === "standard+enterprise") return true;
  return undefined;
}

/**
 * Grid -> inventory. One row is one access: a user on a device to a server. Rows that
 * cannot be used are reported with their sheet row, column and reason; none makes it throw.
 */
export function readInventory(grid: Grid, options: InventoryReading = {}): Inventory {
  const stream = new InventoryStream(options, grid.length);
  const onProgress = options.onProgress;
  let inventory: Inventory;
  try {
    for (let r = 0; r < grid.length; r++) {
      stream.push(grid[r]);
      const h = stream.headerIndex;
      if (onProgress && h >= 0 && r > h && (r - h) % PROGRESS_EVERY === 0) onProgress(r - h, grid.length - h - 1);
    }
    inventory = stream.finish();
  } catch (e) {
    stream.abort();
    throw e;
  }
  const total = grid.length - stream.headerIndex - 1;
  onProgress?.(total, total);
  return inventory;
}

/**
 * The same reading, one row at a time, for inputs that arrive in pieces (the command's CSV
 * reader): rows can be dropped as soon as they are read, so a million-row file never has
 * to be held whole. The header is chosen once the first HEADER_SEARCH_ROWS rows are in.
 */
export class InventoryStream {
  private readonly sheet: string;
  private readonly head: (readonly Cell[])[] = [];
  private reader: RowReader | undefined;
  private rows = 0;
  /** Grid index of the header row once chosen, else -1. */
  headerIndex = -1;

  /** capacity: the number of rows expected, when known (saves growing the columns). */
  constructor(
    private readonly options: InventoryReading = {},
    private readonly capacity = 1024,
  ) {
    this.sheet = options.sheet ?? "Inventory";
  }

  push(cells: readonly Cell[] | undefined): void {
    const r = this.rows++;
    if (this.reader) return this.reader.read(cells, r);
    this.head.push(cells ?? []); // a missing row reads as blank, as it does below the header
    if (this.head.length === HEADER_SEARCH_ROWS) this.start();
  }

  finish(): Inventory {
    if (!this.reader) this.start();
    return this.reader!.finish();
  }

  /** For a read given up part way (it threw): stops the name lookups' worker, if there is one. */
  abort(): void {
    this.reader?.abort();
  }

  /** Chooses the header among the rows so far and reads the rows below it. */
  private start(): void {
    const header = findHeader(this.head);
    const sheet = this.sheet;
    if (!header) {
      throw new AuditInputError(
        `No inventory header found in the first ${HEADER_SEARCH_ROWS} rows of sheet "${sheet}": ` +
          `one row must name a user column (e.g. ${COLUMN_SYNONYMS.user.slice(0, 4).join(", ")}) or a device column (e.g. ${COLUMN_SYNONYMS.device.slice(0, 4).join(", ")}).`,
      );
    }
    // Checked in this order (header, default version, Version column), as they always were.
    let defaultVersion: VersionId | undefined;
    const dv = this.options.defaultVersion;
    if (dv !== undefined && dv !== null && dv !== "") {
      defaultVersion = parseVersion(dv);
      if (!defaultVersion) {
        throw new AuditInputError(`Unknown default version "${String(dv)}". Use one of ${VERSIONS.map((v) => v.id).join(", ")}.`);
      }
    }
    if (header.columns.version === undefined && header.columns.licenseName === undefined && !defaultVersion) {
      throw new AuditInputError(
        `Sheet "${sheet}" has no Version column (or LicenseName) and no default version was given: ` +
          `add a Version column or choose the version every row is on.`,
      );
    }
    const { firstRow = 1, firstColumn = 0 } = this.options;
    this.headerIndex = header.rowIndex;
    const estimate = Math.max(16, this.capacity - header.rowIndex);
    const host = this.options.workers;
    // The rows below the header (as many as expected: a streamed CSV's are guessed).
    const rowsBelow = this.capacity - header.rowIndex - 1;
    const thread = host && rowsBelow >= WORKER_MIN_ROWS ? new NameThread(host, 2) : undefined;
    this.reader = new RowReader(header, sheet, firstRow, firstColumn, defaultVersion, estimate, thread);
    for (let r = header.rowIndex + 1; r < this.head.length; r++) this.reader.read(this.head[r], r);
    this.head.length = 0;
  }
}

class RowReader {
  private readonly users: NameColumn;
  private readonly devices: NameColumn;
  private readonly servers = new Names();
  private readonly thread: NameThread | undefined;
  // One typed column per field, sized for every row expected (a grid's rows: no row can add
  // two), so a million rows are written without growth or per-row objects; finish() hands
  // out views.
  private row: Int32Array;
  private version: Uint8Array;
  private enterprise: Uint8Array;
  private external: Uint8Array;
  private adminOnly: Uint8Array;
  private noCal: Uint8Array;
  private cloudPlan: Int32Array;
  private readonly cloudPlans = new Names();
  private readonly problems: Problem[] = [];
  private rowsRead = 0;
  // Few distinct version / licence spellings recur a million times: parse each once.
  private readonly versionCache = new Map<string | number, number>();
  private readonly editionCache = new Map<string, number>();
  private readonly accessCache = new Map<string, number>();
  private kept = 0;
  private readonly cUser: number;
  private readonly cDevice: number;
  private readonly cServer: number;
  private readonly cVersion: number;
  private readonly cAccess: number;
  private readonly cLicenseName: number;
  private readonly cExternal: number;
  private readonly cAdminOnly: number;
  private readonly cCoveredBy: number;
  private readonly cEdition: number;
  private readonly licenseCache = new Map<string, { version: number; enterprise: boolean } | null>();

  constructor(
    private readonly header: HeaderMatch,
    private readonly sheet: string,
    private readonly firstRow: number,
    private readonly firstColumn: number,
    private readonly defaultVersion: VersionId | undefined,
    estimate: number,
    thread: NameThread | undefined,
  ) {
    this.thread = thread;
    this.users = thread ? thread.column(0) : new Names();
    this.devices = thread ? thread.column(1) : new Names();
    // Column indexes as plain number fields, -1 when absent: read() uses them millions of
    // times, and a property named in the code is a fast load where a looked-up key is not
    // (a keyed lookup by role measured a quarter of the row loop).
    const c = header.columns;
    this.cUser = c.user ?? -1;
    this.cDevice = c.device ?? -1;
    this.cServer = c.server ?? -1;
    this.cVersion = c.version ?? -1;
    this.cAccess = c.access ?? -1;
    this.cLicenseName = c.licenseName ?? -1;
    this.cExternal = c.external ?? -1;
    this.cAdminOnly = c.adminOnly ?? -1;
    this.cCoveredBy = c.coveredBy ?? -1;
    this.cEdition = c.edition ?? -1;
    this.row = new Int32Array(estimate);
    this.users.begin(estimate);
    this.devices.begin(estimate);
    this.servers.begin(estimate);
    this.version = new Uint8Array(estimate);
    this.enterprise = new Uint8Array(estimate);
    this.external = new Uint8Array(estimate);
    this.adminOnly = new Uint8Array(estimate);
    this.noCal = new Uint8Array(estimate);
    this.cloudPlan = new Int32Array(estimate);
  }

  /** Doubles every column: only a streamed input with more rows than expected gets here. */
  private grow(): void {
    const more = <T extends Int32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as { new (n: number): T })(2 * a.length);
      b.set(a);
      return b;
    };
    this.row = more(this.row);
    this.version = more(this.version);
    this.enterprise = more(this.enterprise);
    this.external = more(this.external);
    this.adminOnly = more(this.adminOnly);
    this.noCal = more(this.noCal);
    this.cloudPlan = more(this.cloudPlan);
  }

  /** A yes/no column; anything else is a warning and counts as "no", so a CAL is still counted. */
  private flag(cells: readonly Cell[], r: number, c: number, role: "external" | "adminOnly"): number {
    if (c < 0) return 0;
    const value = cellFlag(cells[c]);
    if (value === undefined) {
      this.problem(r, role, `"${cellText(cells[c])}" is not yes or no; the row is treated as "no" and still needs a CAL.`, "warning");
      return 0;
    }
    return value ? 1 : 0;
  }

  private problem(r: number, role: ColumnRole | null, message: string, severity: Problem["severity"] = "error"): void {
    const col = role ? this.header.columns[role] : undefined;
    const where = col !== undefined ? `${columnLetter(col + this.firstColumn)}${r + this.firstRow}: ` : "";
    this.problems.push({
      sheet: this.sheet,
      row: r + this.firstRow,
      column: role ? (this.header.headers[role] ?? role) : "",
      message: where + message,
      severity,
    });
  }

  /**
   * A cell as trimmed text. The common case, a string with nothing to trim, is decided here,
   * small enough for the row loop to take inline; anything else goes to cellText.
   */
  private text(cells: readonly Cell[], c: number): string {
    if (c < 0) return "";
    const v = cells[c];
    return typeof v === "string" && isTrimmed(v) ? v : cellText(v);
  }

  /**
   * Reads grid row r (0-based; the sheet row is r + firstRow). This runs a million times: the
   * common path keeps to a few calls (V8 stops inlining a function's callees past a budget,
   * and a call it does not inline costs more than the check it makes), absent columns cost
   * one comparison, and the few-valued columns are looked up by their cell value, so their
   * text is only made when a value is first seen or is wrong.
   */
  read(cells: readonly Cell[] | undefined, r: number): void {
    if (!cells) return;
    const userText = this.text(cells, this.cUser);
    const deviceText = this.text(cells, this.cDevice);
    // Only a row without a user and a device can be blank: check the rest only then.
    if (!userText && !deviceText && isBlankRow(cells)) return;
    this.rowsRead++;

    const serverText = this.text(cells, this.cServer);
    // Only a text that starts with "#" can be an Excel error: one look each on the common path.
    if (userText.charCodeAt(0) === 35 || deviceText.charCodeAt(0) === 35 || serverText.charCodeAt(0) === 35) {
      if (isExcelError(userText)) return this.problem(r, "user", `the user is ${errorWords(userText)}; fix the cell and audit again.`);
      if (isExcelError(deviceText)) return this.problem(r, "device", `the device is ${errorWords(deviceText)}; fix the cell and audit again.`);
      if (isExcelError(serverText)) return this.problem(r, "server", `the server is ${errorWords(serverText)}; fix the cell and audit again.`);
    }
    if (this.cUser >= 0 && typeof cells[this.cUser] === "boolean") {
      return this.problem(r, "user", `the user is the logical value ${userText}, not a name.`);
    }
    if (!userText && !deviceText) {
      return this.problem(r, this.cUser >= 0 ? "user" : "device", "the row names neither a user nor a device, so no CAL can be assigned.");
    }

    // Version: the Version column, else the licence name, else the default.
    let version = NO_VERSION;
    let enterprise = false;
    let editionKnown = false;
    if (this.cVersion >= 0) {
      const cell = cells[this.cVersion];
      version = this.versionOf(cell);
      if (version === BAD) return this.versionProblem(r, cell);
    }
    if (this.cLicenseName >= 0) {
      const licenseText = this.text(cells, this.cLicenseName);
      if (licenseText && !isExcelError(licenseText)) {
        const lic = this.parseLicenseCached(licenseText);
        if (!lic) {
          this.problem(r, "licenseName", `licence name "${licenseText}" is not like "Exchange Server 2016 Standard CAL"; it was ignored.`, "warning");
        } else {
          if (version < 0) version = lic.version;
          enterprise = lic.enterprise;
          editionKnown = true;
        }
      }
    }
    if (version < 0) {
      if (!this.defaultVersion) {
        return this.problem(
          r,
          this.cVersion >= 0 ? "version" : "licenseName",
          "no version: fill in the Exchange version of the server, or give a default version.",
        );
      }
      version = VERSION_INDEX.get(this.defaultVersion)!;
    }

    if (this.cEdition >= 0) {
      const cell = cells[this.cEdition];
      const parsed = this.editionOf(cell);
      if (parsed === BAD) return this.editionProblem(r, cell);
      // A licence name already said Enterprise; an edition column can only add to it.
      enterprise = editionKnown ? enterprise || parsed === 1 : parsed === 1;
    }
    if (enterprise && version < ENTERPRISE_FROM) {
      this.problem(
        r,
        this.cEdition >= 0 ? "edition" : "version",
        `Enterprise CALs start with Exchange 2007; this row is on ${versionRule(VERSIONS[version].id).name}, so it is counted as Standard.`,
        "warning",
      );
      enterprise = false;
    }

    const k = this.kept++;
    if (k === this.row.length) this.grow();
    this.external[k] = this.cExternal < 0 ? 0 : this.flag(cells, r, this.cExternal, "external");
    this.adminOnly[k] = this.cAdminOnly < 0 ? 0 : this.flag(cells, r, this.cAdminOnly, "adminOnly");
    this.noCal[k] = this.cAccess < 0 ? 0 : this.noCalOf(cells[this.cAccess]);
    this.cloudPlan[k] = this.cCoveredBy < 0 ? -1 : this.cloudPlanOf(this.text(cells, this.cCoveredBy));
    this.row[k] = r + this.firstRow;
    // Each name is packed now, while its string is in the cache; ids come in finish().
    this.users.push(userText);
    this.devices.push(deviceText);
    this.servers.push(serverText);
    this.version[k] = version;
    this.enterprise[k] = enterprise ? 1 : 0;
  }

  private cloudPlanOf(text: string): number {
    return text && !isExcelError(text) ? this.cloudPlans.id(text) : -1;
  }

  // The caches below are keyed by the cell's own value (a string or a number), so a value
  // seen before costs one lookup; the same value always gives the same answer.

  private noCalOf(cell: Cell): number {
    const key = typeof cell === "string" ? cell : undefined;
    if (key !== undefined) {
      const v = this.accessCache.get(key);
      if (v !== undefined) return v;
    }
    const text = cellText(cell);
    const v = text && NO_CAL.has(text.toLowerCase().replace(/[\s_-]+/g, "")) ? 1 : 0;
    if (key !== undefined) this.accessCache.set(key, v);
    return v;
  }

  /** 1 Enterprise, 0 Standard (or blank), BAD for an error or an unknown word. */
  private editionOf(cell: Cell): number {
    const key = typeof cell === "string" ? cell : undefined;
    if (key !== undefined) {
      const v = this.editionCache.get(key);
      if (v !== undefined) return v;
    }
    let v: number;
    if (isExcelError(cellText(cell))) v = BAD;
    else {
      const parsed = parseEdition(cell, this.header.editionIsFlag);
      v = parsed === undefined ? BAD : parsed ? 1 : 0;
    }
    if (key !== undefined) this.editionCache.set(key, v);
    return v;
  }

  private editionProblem(r: number, cell: Cell): void {
    const text = cellText(cell);
    if (isExcelError(text)) return this.problem(r, "edition", `the edition is ${errorWords(text)}.`);
    this.problem(r, "edition", this.header.editionIsFlag ? `"${text}" is not yes or no.` : `unknown edition "${text}"; use Standard or Enterprise.`);
  }

  /** Version index; NO_VERSION for a blank cell, BAD for an error or an unknown version. */
  private versionOf(cell: Cell): number {
    const key = typeof cell === "string" || typeof cell === "number" ? cell : undefined;
    if (key !== undefined) {
      const v = this.versionCache.get(key);
      if (v !== undefined) return v;
    }
    const text = cellText(cell);
    let v: number;
    if (!text) v = NO_VERSION;
    else if (isExcelError(text)) v = BAD;
    else {
      const id = parseVersion(text);
      v = id ? VERSION_INDEX.get(id)! : BAD;
    }
    if (key !== undefined) this.versionCache.set(key, v);
    return v;
  }

  private versionProblem(r: number, cell: Cell): void {
    const text = cellText(cell);
    if (isExcelError(text)) return this.problem(r, "version", `the version is ${errorWords(text)}.`);
    this.problem(r, "version", `unknown Exchange version "${text}"; use one of ${VERSIONS.map((v) => v.id).join(", ")} (or a build such as 15.1.2507.6).`);
  }

  private parseLicenseCached(text: string): { version: number; enterprise: boolean } | null {
    let v = this.licenseCache.get(text);
    if (v === undefined) {
      const lic = parseLicenseName(text);
      v = lic ? { version: VERSION_INDEX.get(lic.version)!, enterprise: lic.enterprise } : null;
      this.licenseCache.set(text, v);
    }
    return v;
  }

  abort(): void {
    this.thread?.close();
  }

  finish(): Inventory {
    const n = this.kept;
    const user = this.users.end();
    const device = this.devices.end();
    const server = this.servers.end();
    const columns: Inventory["columns"] = {};
    for (const [role, header] of Object.entries(this.header.headers)) columns[role as ColumnRole] = header;
    return {
      sheet: this.sheet,
      headerRow: this.header.rowIndex + this.firstRow,
      rowsRead: this.rowsRead,
      count: n,
      users: this.users.display,
      devices: this.devices.display,
      servers: this.servers.display,
      row: this.row.subarray(0, n),
      user,
      device,
      server,
      version: this.version.subarray(0, n),
      enterprise: this.enterprise.subarray(0, n),
      external: this.external.subarray(0, n),
      adminOnly: this.adminOnly.subarray(0, n),
      noCal: this.noCal.subarray(0, n),
      cloudPlan: this.cloudPlan.subarray(0, n),
      cloudPlans: this.cloudPlans.display,
      problems: this.problems,
      columns,
    };
  }
}
