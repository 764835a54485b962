import {
  CalType,
  ENTERPRISE_FROM,
  isAmbiguousAmount,
  Product,
  entitlementReach,
  offers,
  parseAmount,
  parseProduct,
  parseVersion,
  productById,
  versionRule,
} from "../licensing";
import { cellFlag, cellText, columnLetter, errorWords, isBlankRow, isExcelError, squeeze } from "../sheet";
import type { Cell, Grid } from "../sheet";
import { parseDate } from "./dates";
import { parseEdition, parseLicenseName } from "./inventory";
import type { OwnedLicence, OwnedLicences, Problem } from "./types";

type OwnedRole = "product" | "type" | "edition" | "version" | "quantity" | "unitPrice" | "server" | "purchased" | "saUntil" | "subscription";

const OWNED_SYNONYMS: Record<OwnedRole, string[]> = {
  product: ["product", "productname", "licensename", "licencename", "sku", "licence", "license", "entitlement"],
  type: ["type", "caltype", "licencetype", "licensetype", "kind", "cal"],
  edition: ["edition", "caledition"],
  version: ["version", "exchangeversion", "calversion"],
  quantity: ["quantity", "qty", "count", "owned", "number", "licenses", "licences", "seats"],
  unitPrice: ["unitprice", "price", "priceperunit", "unitcost", "costperunit", "cost"],
  server: ["server", "servername", "exchangeserver"],
  purchased: ["purchased", "purchasedate", "purchasedon", "dateofpurchase", "bought", "acquired", "purchasedate(yyyymmdd)"],
  saUntil: [
    "sauntil",
    "saend",
    "saends",
    "saenddate",
    "saexpiry",
    "saexpires",
    "subscriptionorsauntil",
    "saorsubscriptionuntil",
    "subscriptionuntil",
    "subscriptionend",
    "subscriptionenddate",
    "subscriptionends",
    "enddate",
    "expires",
    "expiry",
  ],
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
  product: "Product",
  type: "Type",
  edition: "Edition",
  version: "Version",
  quantity: "Quantity",
  unitPrice: "Unit price",
  server: "Server",
  purchased: "Purchased",
  saUntil: "SA until",
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

interface Header {
  rowIndex: number;
  columns: Partial<Record<OwnedRole, number>>;
  headers: Partial<Record<OwnedRole, string>>;
}

function findOwnedHeader(grid: Grid): Header | undefined {
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
    if (columns.quantity !== undefined && (columns.type !== undefined || columns.product !== undefined)) return { rowIndex: r, columns, headers };
  }
  return undefined;
}

/** Where the owned-licences table sits: its sheet, and the sheet row and column of grid[0][0]. */
export interface OwnedPlace {
  sheet?: string;
  firstRow?: number;
  firstColumn?: number;
  /** The audit date (ISO): which subscriptions and SA are active, which versions were out. */
  asOf?: string;
}

/** One row being read: its cells, where it is, and how to report on it. */
interface RowReader {
  cells: readonly Cell[];
  row: number;
  text: (role: OwnedRole) => string;
  cell: (role: OwnedRole) => Cell;
  /** A problem naming the cell; errors mean the row was not counted. */
  report: (role: OwnedRole, message: string, severity?: "error" | "warning") => void;
}

/**
 * The owned-licences table: Product (Exchange Server CAL when absent), Type, Edition, Version,
 * Quantity, Unit price, Server, Purchased, SA until and "Subscription or SA active". Bad rows
 * are problems naming the cell; a table without the needed columns is one problem.
 */
export function readOwned(grid: Grid, options: OwnedPlace = {}): OwnedLicences {
  const sheet = options.sheet ?? "Owned Licenses";
  const firstRow = options.firstRow ?? 1;
  const firstColumn = options.firstColumn ?? 0;
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  const licences: OwnedLicence[] = [];
  const problems: Problem[] = [];
  const notes: string[] = [];
  const header = findOwnedHeader(grid);
  if (!header) {
    problems.push({
      sheet,
      row: firstRow,
      column: "",
      message: `No owned-licences header found: one of the first 20 rows must name a Quantity column and a Type (User, Device or Server) or Product column. Nothing was counted as owned.`,
      severity: "error",
    });
    return { sheet, licences, problems, notes };
  }
  const { columns, headers } = header;
  let seAssumedActive = 0;
  let plansAssumedActive = 0;
  for (let r = header.rowIndex + 1; r < grid.length; r++) {
    const cells = grid[r];
    if (isBlankRow(cells)) continue;
    const row = r + firstRow;
    const at = (role: OwnedRole) => (columns[role] !== undefined ? `${columnLetter(columns[role]! + firstColumn)}${row}` : `row ${row}`);
    const reader: RowReader = {
      cells,
      row,
      text: (role) => (columns[role] === undefined ? "" : cellText(cells[columns[role]!])),
      cell: (role) => (columns[role] === undefined ? undefined : cells[columns[role]!]),
      report: (role, message, severity = "error") => {
        const c = columns[role];
        problems.push({
          sheet,
          row,
          column: headers[role] ?? ROLE_LABEL[role],
          message: `${c !== undefined ? `${columnLetter(c + firstColumn)}${row}: ` : ""}${message}${severity === "error" ? " This row was not counted." : ""}`,
          severity,
        });
      },
    };
    const licence = readOwnedRow(reader, columns, asOf);
    if (!licence) continue;
    licences.push(licence);
    const name = licence.productName;
    const p = productById(licence.product);
    const saCell =
      columns.saUntil !== undefined
        ? "saUntil"
        : columns.subscription !== undefined
          ? "subscription"
          : columns.purchased !== undefined
            ? "purchased"
            : "product";
    for (const w of licence.reach.warnings) notes.push(`${sheet} ${at(saCell)}: ${licence.quantity} ${name}: ${w}.`);
    if (p.kind === "plan" && !p.standard) {
      notes.push(
        `${sheet} ${at("product")}: ${name} gives no on-premises Exchange access rights (${p.rule}); its ${licence.quantity} licences count for nothing here.`,
      );
    } else if (p.kind === "plan" && p.confidence !== "sourced") {
      notes.push(`${sheet} ${at("product")}: ${name}: ${p.note} The count depends on the purchasing agreement.`);
    }
    if (p.kind === "bridge")
      notes.push(`${sheet} ${at("product")}: ${name} holds no Exchange CAL (${p.rule}): the online plan sold with it supplies Exchange, so list that plan.`);
    if (p.kind === "plan" && p.standard && licence.saUntil === undefined && licence.saActive === undefined) plansAssumedActive += licence.quantity;
    if (
      p.kind === "cal" &&
      licence.version &&
      versionRule(licence.version).needsSubscription &&
      columns.subscription === undefined &&
      columns.saUntil === undefined
    ) {
      seAssumedActive += licence.quantity;
    }
  }
  if (seAssumedActive > 0) {
    notes.push(
      `${seAssumedActive} owned Subscription Edition CALs were counted as active: the owned table has no "Subscription or SA active" or "SA until" column, and SE CALs count only while it is active (R8, E6).`,
    );
  }
  if (plansAssumedActive > 0) {
    notes.push(`${plansAssumedActive} online plan licences have no end date or "active" flag: counted as active on ${asOf}.`);
  }
  return { sheet, licences, problems, notes };
}

/** One row of the owned table, or undefined when it cannot count (its problem reported). */
function readOwnedRow(r: RowReader, columns: Partial<Record<OwnedRole, number>>, asOf: string): OwnedLicence | undefined {
  const bad = (Object.keys(columns) as OwnedRole[]).find((role) => isExcelError(r.text(role)));
  if (bad) {
    r.report(bad, `the ${bad === "unitPrice" ? "unit price" : ROLE_LABEL[bad].toLowerCase()} is ${errorWords(r.text(bad))}.`);
    return undefined;
  }
  const product = readProduct(r, columns);
  if (!product) return undefined;
  const type = readType(r, columns, product.product);
  if (!type) return undefined;
  let version = product.version;
  let edition = product.edition;
  if (product.product.kind === "cal" || product.product.kind === "connector") {
    const read = readVersionEdition(r, columns, product, type);
    if (!read) return undefined;
    ({ version, edition } = read);
  }
  const quantity = readQuantity(r);
  if (quantity === undefined) return undefined;
  const unitPrice = readUnitPrice(r);
  if (unitPrice === null) return undefined;
  const server = r.text("server") || undefined;
  if (type === "server" && !server) {
    r.report("server", "a per-server CAL belongs to one server: fill in the Server column.");
    return undefined;
  }
  const dates = readDates(r);
  if (!dates) return undefined;
  const reach = entitlementReach({ product: product.product, version, edition, ...dates, asOf });
  const p = product.product;
  return {
    product: p.id,
    productName: p.kind === "cal" ? `${versionRule(version!).name} ${edition === "enterprise" ? "Enterprise" : "Standard"} CAL` : p.name,
    type,
    edition: p.kind === "cal" ? edition! : p.enterprise ? "enterprise" : "standard",
    version,
    quantity,
    unitPrice: p.kind === "cal" || p.kind === "connector" ? unitPrice : undefined,
    server: type === "server" ? server : undefined,
    row: r.row,
    ...dates,
    reach,
  };
}

interface ProductRead {
  product: Product;
  version?: ReturnType<typeof parseVersion>;
  edition?: "standard" | "enterprise";
}

/** The Product cell: a product we know, or an Exchange CAL name ("Exchange Server 2016 Enterprise CAL"); blank is an Exchange CAL. */
function readProduct(r: RowReader, columns: Partial<Record<OwnedRole, number>>): ProductRead | undefined {
  const text = r.text("product");
  if (columns.product === undefined || text === "") return { product: productById("exchange-cal") };
  const known = parseProduct(text);
  if (known) return { product: known };
  const lic = parseLicenseName(text);
  if (lic) return { product: productById("exchange-cal"), version: lic.version, edition: lic.enterprise ? "enterprise" : "standard" };
  // "Exchange Server Enterprise CAL", "Exchange 2019 CAL": an Exchange CAL whose other cells say the rest.
  const m = /^(?:microsoft\s+)?exchange(?:\s+server)?\s+(?:(.*?)\s+)?(standard|enterprise)?\s*(?:user\s+|device\s+)?(?:cal|client access licen[cs]e)$/i.exec(
    text.trim(),
  );
  if (m) {
    const version = m[1] ? parseVersion(m[1]) : undefined;
    if (!m[1] || version)
      return { product: productById("exchange-cal"), version, edition: m[2] ? (m[2].toLowerCase() as "standard" | "enterprise") : undefined };
  }
  r.report(
    "product",
    `unknown product "${text}"; use Exchange Server CAL, Core CAL Suite, Enterprise CAL Suite, a CAL Suite Bridge, External Connector or a plan such as Microsoft 365 E3 or Exchange Online Plan 1.`,
  );
  return undefined;
}

function readType(r: RowReader, columns: Partial<Record<OwnedRole, number>>, product: Product): CalType | undefined {
  const typeText = r.text("type");
  if (product.kind === "connector") return "connector";
  const type = typeText ? parseCalType(r.cell("type")) : undefined;
  if (product.kind === "plan" || product.kind === "bridge") {
    // Online plans and Bridges are user subscriptions: a Device line is a mistake to report.
    if (typeText && type !== "user") {
      r.report("type", `${product.name} is licensed per user only, not "${typeText}".`);
      return undefined;
    }
    return "user";
  }
  if (!type) {
    if (columns.type === undefined) {
      r.report(
        "product",
        `the table has no Type column (User, Device, Server or External Connector): "${r.text("product") || product.name}" does not say whether the CALs are user or device CALs.`,
      );
    } else {
      r.report(
        "type",
        typeText
          ? `unknown CAL type "${typeText}"; use User, Device, Server or External Connector.`
          : "the CAL type is empty; use User, Device, Server or External Connector.",
      );
    }
    return undefined;
  }
  if (product.kind === "suite" && type !== "user" && type !== "device") {
    r.report("type", `a ${product.name} is bought per user or per device, not "${typeText}".`);
    return undefined;
  }
  return type;
}

function readVersionEdition(
  r: RowReader,
  columns: Partial<Record<OwnedRole, number>>,
  product: ProductRead,
  type: CalType,
): { version: NonNullable<ProductRead["version"]>; edition: "standard" | "enterprise" } | undefined {
  const versionText = r.text("version");
  const version = versionText ? parseVersion(versionText) : product.version;
  if (!version) {
    const noColumn = columns.version === undefined && product.version === undefined;
    r.report(
      columns.version === undefined && columns.product !== undefined && r.text("product") ? "product" : "version",
      versionText
        ? `unknown Exchange version "${versionText}".`
        : noColumn
          ? "the table has no Version column, so the version of these CALs is unknown."
          : "the version is empty.",
    );
    return undefined;
  }
  let enterprise = product.edition === "enterprise";
  if (columns.edition !== undefined) {
    const e = parseEdition(r.cell("edition"), false);
    if (e === undefined) {
      r.report("edition", `unknown edition "${r.text("edition")}"; use Standard or Enterprise.`);
      return undefined;
    }
    enterprise = enterprise || e;
  }
  const rule = versionRule(version);
  if (type !== "connector" && !offers(version, { calType: type })) {
    r.report("type", `${rule.name} has no ${KIND_NAMES[type]} (it sells ${listKinds(rule.calTypes)}).`);
    return undefined;
  }
  if (enterprise && !offers(version, { edition: "enterprise" })) {
    r.report("edition", `Enterprise CALs start with Exchange ${ENTERPRISE_FROM}; ${rule.name} has none.`);
    return undefined;
  }
  return { version, edition: enterprise ? "enterprise" : "standard" };
}

/** Quantity: a whole number of licences that JavaScript counts exactly. */
function readQuantity(r: RowReader): number | undefined {
  const cell = r.cell("quantity");
  const quantity = parseAmount(typeof cell === "number" ? cell : cellText(cell), "count") ?? NaN;
  if (cellText(cell) === "" || !Number.isSafeInteger(quantity) || quantity < 0) {
    r.report("quantity", `quantity "${cellText(cell)}" is not a whole number of licences.`);
    return undefined;
  }
  return quantity;
}

/** The unit price, undefined when blank, null when unreadable (reported). */
function readUnitPrice(r: RowReader): number | undefined | null {
  const priceText = r.text("unitPrice");
  if (!priceText) return undefined;
  const cell = r.cell("unitPrice");
  const p = parseAmount(typeof cell === "number" ? cell : priceText, "money") ?? NaN;
  if (!Number.isFinite(p) || p < 0) {
    const why = isAmbiguousAmount(priceText)
      ? `is ambiguous: one separator before three digits may be a decimal mark or a thousands separator; write ${priceText.replace(/[.,]/, "")} or a price with two decimals`
      : "is not a price (write it like 82.50 or 82,50)";
    r.report("unitPrice", `unit price "${priceText}" ${why}.`);
    return null;
  }
  return p;
}

/** Purchased, SA until and the yes/no SA column; undefined when a date cannot be read (reported). */
function readDates(r: RowReader): { purchased?: string; saUntil?: string; saActive?: boolean } | undefined {
  const out: { purchased?: string; saUntil?: string; saActive?: boolean } = {};
  for (const role of ["purchased", "saUntil"] as const) {
    const text = r.text(role);
    if (!text) continue;
    const d = parseDate(r.cell(role));
    if (!d.iso) {
      r.report(
        role,
        d.ambiguous ? `the date "${text}" could be day-first or month-first; write it as YYYY-MM-DD.` : `"${text}" is not a date; write it as YYYY-MM-DD.`,
      );
      return undefined;
    }
    out[role] = d.iso;
  }
  const flagText = r.text("subscription");
  if (flagText) {
    const flag = cellFlag(r.cell("subscription"));
    if (flag === undefined) r.report("subscription", `"${flagText}" does not say yes or no: read as not active.`, "warning");
    out.saActive = flag === true;
  }
  if (out.purchased && out.saUntil && out.saUntil < out.purchased) {
    r.report("saUntil", `SA until ${out.saUntil} is before the purchase date ${out.purchased}.`);
    return undefined;
  }
  return out;
}
