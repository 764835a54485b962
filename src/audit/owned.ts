import { CalType, isAmbiguousAmount, offers, parseAmount, parseVersion, versionRule } from "../licensing";
import { cellFlag, cellText, columnLetter, errorWords, isBlankRow, isExcelError } from "../sheet";
import { squeeze } from "../sheet";
import { parseEdition, parseLicenseName } from "./inventory";
import type { OwnedLicence, OwnedLicences, Problem } from "./types";
import type { Cell, Grid } from "../sheet";

type OwnedRole = "type" | "edition" | "version" | "quantity" | "unitPrice" | "server" | "licenseName" | "subscription";

const OWNED_SYNONYMS: Record<OwnedRole, string[]> = {
  type: ["type", "caltype", "licencetype", "licensetype", "kind", "cal"],
  edition: ["edition", "caledition"],
  version: ["version", "exchangeversion", "calversion"],
  quantity: ["quantity", "qty", "count", "owned", "number", "licenses", "licences", "seats"],
  unitPrice: ["unitprice", "price", "priceperunit", "unitcost", "costperunit", "cost"],
  server: ["server", "servername", "exchangeserver"],
  licenseName: ["licensename", "licencename", "product", "productname", "sku"],
  subscription: [
    "subscriptionorsaactive",
    "subscriptionorsa",
    "saorsubscriptionactive",
    "saactive",
    "subscriptionactive",
    "softwareassurance",
    "sa",
    "activesa",
    "subscription",
  ],
};

const ROLE_LABEL: Record<OwnedRole, string> = {
  type: "Type",
  edition: "Edition",
  version: "Version",
  quantity: "Quantity",
  unitPrice: "Unit price",
  server: "Server",
  licenseName: "Licence name",
  subscription: "Subscription or SA active",
};

const ROLE_BY_NAME = new Map<string, OwnedRole>();
for (const [role, names] of Object.entries(OWNED_SYNONYMS) as [OwnedRole, string[]][]) {
  for (const n of names) ROLE_BY_NAME.set(n, role);
}

const TYPE_WORDS: Record<string, CalType> = {
  user: "user",
  usercal: "user",
  peruser: "user",
  users: "user",
  device: "device",
  devicecal: "device",
  perdevice: "device",
  devices: "device",
  seat: "device",
  perseat: "device",
  seatcal: "device",
  server: "server",
  perserver: "server",
  servercal: "server",
  connector: "connector",
  externalconnector: "connector",
  externalconnectorlicense: "connector",
  externalconnectorlicence: "connector",
};

const KIND_NAMES: Record<CalType, string> = {
  user: "user CALs",
  device: "device CALs",
  server: "per-server CALs",
  connector: "External Connectors",
};

function listKinds(kinds: CalType[]): string {
  const names = kinds.map((k) => KIND_NAMES[k]);
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

function parseCalType(cell: Cell): CalType | undefined {
  return TYPE_WORDS[squeeze(cellText(cell))];
}

function findOwnedHeader(
  grid: Grid,
): { rowIndex: number; columns: Partial<Record<OwnedRole, number>>; headers: Partial<Record<OwnedRole, string>> } | undefined {
  for (let r = 0; r < Math.min(grid.length, 20); r++) {
    if (isBlankRow(grid[r])) continue;
    const columns: Partial<Record<OwnedRole, number>> = {};
    const headers: Partial<Record<OwnedRole, string>> = {};
    grid[r].forEach((cell, c) => {
      const text = cellText(cell);
      const role = ROLE_BY_NAME.get(squeeze(text));
      if (role && columns[role] === undefined) {
        columns[role] = c;
        headers[role] = text;
      }
    });
    if (columns.quantity !== undefined && (columns.type !== undefined || columns.licenseName !== undefined)) {
      return { rowIndex: r, columns, headers };
    }
  }
  return undefined;
}

/** Where the owned-licences table sits: its sheet, and the sheet row and column of grid[0][0]. */
export interface OwnedPlace {
  sheet?: string;
  firstRow?: number;
  firstColumn?: number;
}

/** A table whose header was found: where it sits, its columns, and the problems found so far. */
interface OwnedTable {
  sheet: string;
  firstRow: number;
  firstColumn: number;
  columns: Partial<Record<OwnedRole, number>>;
  headers: Partial<Record<OwnedRole, string>>;
  problems: Problem[];
}

/** One usable line of the table, and whether it is Subscription Edition assumed active for want of a column. */
interface OwnedLine {
  licence: OwnedLicence;
  assumedActive: boolean;
}

/**
 * The owned-licences table: Type (User, Device, Server), Edition, Version, Quantity,
 * optional Unit price and Server. Bad rows are problems with their sheet row; a table
 * without the needed columns is one problem, and nothing counts as owned.
 */
export function readOwned(grid: Grid, place: OwnedPlace = {}): OwnedLicences {
  const sheet = place.sheet ?? "Owned Licenses";
  const firstRow = place.firstRow ?? 1;
  const firstColumn = place.firstColumn ?? 0;
  const licences: OwnedLicence[] = [];
  const problems: Problem[] = [];
  const notes: string[] = [];
  const header = findOwnedHeader(grid);
  const unusable = headerProblem(header, sheet, firstRow);
  if (!header || unusable) {
    problems.push(unusable!);
    return { sheet, licences, problems, notes };
  }
  const table: OwnedTable = { sheet, firstRow, firstColumn, columns: header.columns, headers: header.headers, problems };
  let seAssumedActive = 0;
  for (let r = header.rowIndex + 1; r < grid.length; r++) {
    const cells = grid[r];
    if (isBlankRow(cells)) continue;
    const line = readOwnedLine(table, cells, r + firstRow);
    if (!line) continue;
    if (line.assumedActive) seAssumedActive += line.licence.quantity;
    licences.push(line.licence);
  }
  if (seAssumedActive > 0) {
    notes.push(
      `${seAssumedActive} owned Subscription Edition CALs were counted as active: the owned table has no "Subscription or SA active" column, and SE CALs count only while it is active (R8).`,
    );
  }
  return { sheet, licences, problems, notes };
}

/** Why nothing in the table can be counted (no header, or no Type column), or undefined when it can. */
function headerProblem(header: ReturnType<typeof findOwnedHeader>, sheet: string, firstRow: number): Problem | undefined {
  if (!header) {
    return {
      sheet,
      row: firstRow,
      column: "",
      message: `No owned-licences header found: one of the first 20 rows must name Type (User, Device or Server) and Quantity columns. Nothing was counted as owned.`,
      severity: "error",
    };
  }
  const { columns, headers } = header;
  if (columns.type === undefined) {
    return {
      sheet,
      row: header.rowIndex + firstRow,
      column: headers.licenseName ?? "",
      message:
        "The owned-licences table has no Type column (User, Device, Server or External Connector): a licence name such as " +
        '"Exchange Server 2016 Standard CAL" does not say whether the CALs are user or device CALs. Nothing was counted as owned.',
      severity: "error",
    };
  }
  return undefined;
}

/** One row of the table as a licence line, or undefined (with its problem said) when it cannot be counted. */
function readOwnedLine(table: OwnedTable, cells: readonly Cell[], row: number): OwnedLine | undefined {
  const { sheet, firstColumn, columns, headers, problems } = table;
  const text = (cells: readonly Cell[], role: OwnedRole) => (columns[role] === undefined ? "" : cellText(cells[columns[role]!]));
  const fail = (role: OwnedRole, message: string): undefined => {
    const c = columns[role];
    problems.push({
      sheet,
      row,
      column: headers[role] ?? ROLE_LABEL[role],
      message: `${c !== undefined ? `${columnLetter(c + firstColumn)}${row}: ` : ""}${message} This row was not counted.`,
      severity: "error",
    });
    return undefined;
  };
  const bad = (Object.keys(columns) as OwnedRole[]).find((role) => isExcelError(text(cells, role)));
  if (bad) return fail(bad, `the ${bad === "unitPrice" ? "unit price" : bad} is ${errorWords(text(cells, bad))}.`);
  // A product name ("Exchange Server 2016 Enterprise CAL") can stand in for version and edition.
  const lic = text(cells, "licenseName") ? parseLicenseName(text(cells, "licenseName")) : undefined;
  const typeText = text(cells, "type");
  const type = columns.type !== undefined ? parseCalType(cells[columns.type]) : undefined;
  if (!type) {
    return fail(
      "type",
      typeText
        ? `unknown CAL type "${typeText}"; use User, Device, Server or External Connector.`
        : "the CAL type is empty; use User, Device, Server or External Connector.",
    );
  }
  const versionText = text(cells, "version");
  const version = versionText ? parseVersion(versionText) : lic?.version;
  if (!version) {
    const noColumn = columns.version === undefined && columns.licenseName === undefined;
    return fail(
      columns.version === undefined && columns.licenseName !== undefined ? "licenseName" : "version",
      versionText
        ? `unknown Exchange version "${versionText}".`
        : noColumn
          ? "the table has no Version column, so the version of these CALs is unknown."
          : "the version is empty.",
    );
  }
  let enterprise = lic?.enterprise ?? false;
  if (columns.edition !== undefined) {
    const e = parseEdition(cells[columns.edition], false);
    if (e === undefined) {
      return fail("edition", `unknown edition "${text(cells, "edition")}"; use Standard or Enterprise.`);
    }
    enterprise = enterprise || e;
  }
  const edition = enterprise ? "enterprise" : "standard";
  const rule = versionRule(version);
  if (!offers(version, { calType: type })) {
    return fail("type", `${rule.name} has no ${KIND_NAMES[type]} (it sells ${listKinds(rule.calTypes)}).`);
  }
  if (!offers(version, { edition })) {
    return fail("edition", `Enterprise CALs start with Exchange 2007; ${rule.name} has none.`);
  }

  const qtyCell = columns.quantity !== undefined ? cells[columns.quantity] : undefined;
  const quantity = parseAmount(typeof qtyCell === "number" ? qtyCell : cellText(qtyCell), "count") ?? NaN;
  if (cellText(qtyCell) === "" || !Number.isSafeInteger(quantity) || quantity < 0) {
    return fail("quantity", `quantity "${cellText(qtyCell)}" is not a whole number of licences.`);
  }

  let unitPrice: number | undefined;
  const priceText = text(cells, "unitPrice");
  if (priceText) {
    const cell = cells[columns.unitPrice!];
    const p = parseAmount(typeof cell === "number" ? cell : priceText, "money") ?? NaN;
    if (!Number.isFinite(p) || p < 0) {
      const why = isAmbiguousAmount(priceText)
        ? `is ambiguous: one separator before three digits may be a decimal mark or a thousands separator; write ${priceText.replace(/[.,]/, "")} or a price with two decimals`
        : "is not a price (write it like 82.50 or 82,50)";
      return fail("unitPrice", `unit price "${priceText}" ${why}.`);
    }
    unitPrice = p;
  }

  const server = text(cells, "server") || undefined;
  if (type === "server" && !server) {
    return fail("server", "a per-server CAL belongs to one server: fill in the Server column.");
  }
  // R8: Subscription Edition CALs count only while the subscription or SA is active.
  let assumedActive = false;
  if (rule.needsSubscription) {
    if (columns.subscription === undefined) assumedActive = true;
    else if (!subscriptionActive(table, cells, row, rule.name, quantity)) return undefined;
  }
  return { licence: { type, edition, version, quantity, unitPrice, server: type === "server" ? server : undefined, row }, assumedActive };
}

/** R8: whether a Subscription Edition line's subscription or SA is active; a warning when it is lapsed or unsaid. */
function subscriptionActive(table: OwnedTable, cells: readonly Cell[], row: number, versionName: string, quantity: number): boolean {
  const { sheet, firstColumn, columns, headers, problems } = table;
  const column = columns.subscription!;
  const active = cellFlag(cells[column]);
  if (active === true) return true;
  const said = cellText(cells[column]);
  problems.push({
    sheet,
    row,
    column: headers.subscription!,
    message: `${columnLetter(column + firstColumn)}${row}: ${quantity} ${versionName} CALs ${active === false ? "have a lapsed subscription or Software Assurance" : `do not say whether the subscription or SA is active ("${said}")`}; SE CALs count only while it is active (R8), so they were not counted.`,
    severity: "warning",
  });
  return false;
}
