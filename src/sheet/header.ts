import { cellText, isBlankRow } from "./cells";
import type { Grid } from "./cells";

/** The inventory columns the header search knows. */
export type ColumnRole = "user" | "device" | "server" | "version" | "access" | "edition" | "licenseName" | "external" | "adminOnly" | "coveredBy";

/** How far down a header may sit (titles and notes often come first). */
export const HEADER_SEARCH_ROWS = 20;

/** Header names squeezed the same way as cells: lower case, no spaces, "_" or "-". */
export function squeeze(text: string): string {
  return text.toLowerCase().replace(/[\s_\-.:]+/g, "");
}

/**
 * Column synonyms by role, most specific first. Exports from Exchange, AD and SAM tools
 * name the same thing many ways; a user should not have to rename columns.
 */
export const COLUMN_SYNONYMS: Record<ColumnRole, string[]> = {
  user: [
    "user",
    "username",
    "users",
    "mailbox",
    "identity",
    "upn",
    "userprincipalname",
    "email",
    "emailaddress",
    "primarysmtpaddress",
    "smtpaddress",
    "account",
    "samaccountname",
  ],
  device: ["device", "devicename", "computer", "computername", "machine", "machinename", "hostname", "workstation", "deviceid"],
  server: ["server", "servername", "exchangeserver", "mailboxserver"],
  version: ["version", "exchangeversion", "serverversion"],
  access: ["access", "accesstype", "protocol", "client", "clienttype"],
  edition: ["edition", "cal", "caltype", "caledition", "enterprise", "enterprisecal", "enterprisefeatures"],
  licenseName: ["licensename", "licencename", "license", "licence"],
  external: ["external", "externaluser", "isexternal", "guest", "partner", "nonemployee"],
  adminOnly: ["adminonly", "administratoronly", "admin", "administrator", "administersonly", "serveradmin"],
  coveredBy: [
    "coveredby",
    "microsoft365",
    "microsoft365plan",
    "m365",
    "m365plan",
    "office365",
    "office365plan",
    "o365",
    "cloudplan",
    "cloudlicense",
    "subscription",
  ],
};

/** Get-ExchangeServerAccessLicenseUser prints users under "Name"; only used when nothing better is there. */
const WEAK_USER = ["name", "displayname"];

const ROLE_BY_NAME = new Map<string, ColumnRole>();
for (const [role, names] of Object.entries(COLUMN_SYNONYMS) as [ColumnRole, string[]][]) {
  for (const name of names) ROLE_BY_NAME.set(name, role);
}

export interface HeaderMatch {
  rowIndex: number; // index into the grid
  columns: Partial<Record<ColumnRole, number>>; // column index by role
  headers: Partial<Record<ColumnRole, string>>; // as the sheet spells them
  /** The edition column is a yes/no "Enterprise" flag rather than Standard/Enterprise words. */
  editionIsFlag: boolean;
}

function matchHeaderRow(row: readonly unknown[]): HeaderMatch {
  const columns: Partial<Record<ColumnRole, number>> = {};
  const headers: Partial<Record<ColumnRole, string>> = {};
  let weakUser = -1;
  for (let c = 0; c < row.length; c++) {
    const text = cellText(row[c] as never);
    if (!text) continue;
    const key = squeeze(text);
    const role = ROLE_BY_NAME.get(key);
    if (role && columns[role] === undefined) {
      columns[role] = c;
      headers[role] = text;
    } else if (!role && weakUser < 0 && WEAK_USER.includes(key)) {
      weakUser = c;
    }
  }
  if (columns.user === undefined && weakUser >= 0) {
    columns.user = weakUser;
    headers.user = cellText(row[weakUser] as never);
  }
  const editionHeader = headers.edition ? squeeze(headers.edition) : "";
  return { rowIndex: -1, columns, headers, editionIsFlag: editionHeader.startsWith("enterprise") };
}

/**
 * The header is the first of the top rows that names the most known columns and at least a
 * user or device column (or a licence name with a user, as the Exchange cmdlet exports).
 */
export function findHeader(grid: Grid): HeaderMatch | undefined {
  let best: HeaderMatch | undefined;
  let bestScore = 0;
  const last = Math.min(grid.length, HEADER_SEARCH_ROWS);
  for (let r = 0; r < last; r++) {
    if (isBlankRow(grid[r])) continue;
    const match = matchHeaderRow(grid[r]);
    if (match.columns.user === undefined && match.columns.device === undefined) continue;
    const score = Object.keys(match.columns).length;
    if (score > bestScore) {
      best = { ...match, rowIndex: r };
      bestScore = score;
    }
  }
  return best;
}
