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

/**
 * The owned-licences table: Type (User, Device, Server), Edition, Version, Quantity,
 * optional Unit price and Server. Bad rows are problems with their sheet row; a table
 * without the needed columns is one problem, and nothing counts as owned.
 */
export function readOwned(grid: Grid, options: OwnedPlace = {}): OwnedLicences {
  const sheet = options.sheet ?? "Owned Licenses";
  const firstRow = options.firstRow ?? 1;
  const firstColumn = options.firstColumn ?? 0;
  const licences: OwnedLicence[] = [];
  const problems: Problem[] = [];
  const notes: string[] = [];
  let seAssumedActive = 0;
  const header = findOwnedHeader(grid);
  if (!header) {
    problems.push({
      sheet,
      row: firstRow,
      column: "",
      message: `No owned-licences header found: one of the first 20 rows must name Type (User, Device or Server) and Quantity columns. Nothing was counted as owned.`,
      severity: "error",
    });
    return { sheet, licences, problems, notes };
  }
  const { columns, headers } = header;
  if (columns.type === undefined) {
    problems.push({
      sheet,
      row: header.rowIndex + firstRow,
      column: headers.licenseName ?? "",
      message:
        "The owned-licences table has no Type column (User, Device, Server or External Connector): a licence name such as " +
        '"Exchange Server 2016 Standard CAL" does not say whether the CALs are user or device CALs. Nothing was counted as owned.',
      severity: "error",
    });
    return { sheet, licences, problems, notes };
  }
  const text = (cells: readonly Cell[], role: OwnedRole) => (columns[role] === undefined ? "" : cellText(cells[columns[role]!]));

  for (let r = header.rowIndex + 1; r < grid.length; r++) {
    const cells = grid[r];
    if (isBlankRow(cells)) continue;
    const row = r + firstRow;
    const fail = (role: OwnedRole, message: string) => {
      const c = columns[role];
      problems.push({
        sheet,
        row,
        column: headers[role] ?? ROLE_LABEL[role],
        message: `${c !== undefined ? `${columnLetter(c + firstColumn)}${row}: ` : ""}${message} This row was not counted.`,
        severity: "error",
      });
    };
    const bad = (Object.keys(columns) as OwnedRole[]).find((role) => isExcelError(text(cells, role)));
    if (bad) {
      fail(bad, `the ${bad === "unitPrice" ? "unit price" : bad} is ${errorWords(text(cells, bad))}.`);
      continue;
    }

    // A product name ("Exchange Server 2016 Enterprise CAL") can stand in for version and edition.
    const lic = text(cells, "licenseName") ? parseLicenseName(text(cells, "licenseName")) : undefined;
    const typeText = text(cells, "type");
    const type = columns.type !== undefined ? parseCalType(cells[columns.type]) : undefined;
    if (!type) {
      fail(
        "type",
        typeText
          ? `unknown CAL type "${typeText}"; use User, Device, Server or External Connector.`
          : "the CAL type is empty; use User, Device, Server or External Connector.",
      );
      continue;
    }
    const versionText = text(cells, "version");
    const version = versionText ? parseVersion(versionText) : lic?.version;
    if (!version) {
      const noColumn = columns.version === undefined && columns.licenseName === undefined;
      fail(
        columns.version === undefined && columns.licenseName !== undefined ? "licenseName" : "version",
        versionText
          ? `unknown Exchange version "${versionText}".`
          : noColumn
            ? "the table has no Version column, so the version of these CALs is unknown."
            : "the version is empty.",
      );
      continue;
    }
    let enterprise = lic?.enterprise ?? false;
    if (columns.edition !== undefined) {
      const e = parseEdition(cells[columns.edition], false);
      if (e === undefined) {
        fail("edition", `unknown edition "${text(cells, "edition")}"; use Standard or Enterprise.`);
        continue;
      }
      enterprise = enterprise || e;
    }
    const edition = enterprise ? "enterprise" : "standard";
    const rule = versionRule(version);
    if (!offers(version, { calType: type })) {
      fail("type", `${rule.name} has no ${KIND_NAMES[type]} (it sells ${listKinds(rule.calTypes)}).`);
      continue;
    }
    if (!offers(version, { edition })) {
      fail("edition", `Enterprise CALs start with Exchange 2007; ${rule.name} has none.`);
      continue;
    }

    const qtyCell = columns.quantity !== undefined ? cells[columns.quantity] : undefined;
    const quantity = parseAmount(typeof qtyCell === "number" ? qtyCell : cellText(qtyCell), "count") ?? NaN;
    if (cellText(qtyCell) === "" || !Number.isSafeInteger(quantity) || quantity < 0) {
      fail("quantity", `quantity "${cellText(qtyCell)}" is not a whole number of licences.`);
      continue;
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
        fail("unitPrice", `unit price "${priceText}" ${why}.`);
        continue;
      }
      unitPrice = p;
    }

    const server = text(cells, "server") || undefined;
    if (type === "server" && !server) {
      fail("server", "a per-server CAL belongs to one server: fill in the Server column.");
      continue;
    }
    // R8: Subscription Edition CALs count only while the subscription or SA is active.
    if (rule.needsSubscription) {
      if (columns.subscription === undefined) seAssumedActive += quantity;
      else {
        const active = cellFlag(cells[columns.subscription]);
        if (active !== true) {
          const said = text(cells, "subscription");
          problems.push({
            sheet,
            row,
            column: headers.subscription!,
            message: `${columnLetter(columns.subscription + firstColumn)}${row}: ${quantity} ${rule.name} CALs ${active === false ? "have a lapsed subscription or Software Assurance" : `do not say whether the subscription or SA is active ("${said}")`}; SE CALs count only while it is active (R8), so they were not counted.`,
            severity: "warning",
          });
          continue;
        }
      }
    }
    licences.push({ type, edition, version, quantity, unitPrice, server: type === "server" ? server : undefined, row });
  }
  if (seAssumedActive > 0) {
    notes.push(
      `${seAssumedActive} owned Subscription Edition CALs were counted as active: the owned table has no "Subscription or SA active" column, and SE CALs count only while it is active (R8).`,
    );
  }
  return { sheet, licences, problems, notes };
}
