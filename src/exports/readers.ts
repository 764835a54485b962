import { DEFAULT_RETENTION_POLICIES, ENTERPRISE_MAILBOX_FEATURES, mailboxTypeRule, parseVersion } from "../licensing";
import type { Cell, Grid } from "../sheet";
import { dayOrder, DayOrder, parseDate } from "./dates";
import { column, dataRows, findTable, headerOf, isTypeName, looksMangled, squeezeHeader, Table, text } from "./table";
import type { DeviceRecord, ExportInput, LogonRecord, MailboxRecord, ServerRecord } from "./types";

/**
 * Each export's rows as records: which columns the cmdlets print (and the other names tools
 * give them), and what a cell means. Problems with a whole file are sentences in `warnings`.
 */

const cols = (...names: string[]) => names.map(squeezeHeader);

const MAILBOX = {
  smtp: cols("PrimarySmtpAddress", "WindowsEmailAddress", "EmailAddress", "Mail"),
  upn: cols("UserPrincipalName", "UPN"),
  keys: cols("Identity", "Alias", "SamAccountName", "Name", "DisplayName", "Guid", "ExchangeGuid", "LegacyExchangeDN"),
  dn: cols("DistinguishedName"),
  type: cols("RecipientTypeDetails"),
  server: cols("ServerName", "Server", "MailboxServer"),
  database: cols("Database", "MailboxDatabase"),
  archiveGuid: cols("ArchiveGuid"),
  archiveState: cols("ArchiveState"),
  archiveStatus: cols("ArchiveStatus"),
  archiveDatabase: cols("ArchiveDatabase"),
  litigation: cols("LitigationHoldEnabled"),
  inPlace: cols("InPlaceHolds"),
  retention: cols("RetentionPolicy"),
  disabled: cols("ExchangeUserAccountControl", "AccountDisabled", "UserAccountControl", "Enabled"),
};

const DEVICE = {
  identity: cols("Identity"),
  owner: cols("UserDisplayName"),
  user: cols("Mailbox", "User", "UserPrincipalName", "PrimarySmtpAddress", "Alias"),
  id: cols("DeviceId", "DeviceID"),
  type: cols("DeviceType"),
  model: cols("DeviceModel"),
  friendly: cols("FriendlyName", "DeviceFriendlyName"),
  client: cols("ClientType"),
  lastSeen: cols("LastSuccessSync", "LastSyncAttemptTime"),
  access: cols("DeviceAccessState"),
};

const SERVER = {
  name: cols("Name", "Server", "ServerName", "Fqdn"),
  version: cols("AdminDisplayVersion", "ExchangeVersion", "Version"),
  databaseServer: cols("ServerName", "Server", "MountedOnServer"),
};

const LOGON = {
  user: cols(
    "UserPrincipalName",
    "User principal name",
    "UPN",
    "Primary user UPN",
    "PrimaryUser",
    "User",
    "Username",
    "User name",
    "Account",
    "AccountName",
    "SamAccountName",
    "LastLogonUser",
    "LastLogonUserName",
    "Mail",
    "Email",
  ),
  device: cols(
    "ComputerName",
    "Computer",
    "Device",
    "DeviceName",
    "Device name",
    "Hostname",
    "HostName",
    "Machine",
    "MachineName",
    "Workstation",
    "NetbiosName",
  ),
  weakDevice: cols("Name"),
  date: cols(
    "LastLogon",
    "LastLogonTime",
    "LastLogonDate",
    "LastLogonTimestamp",
    "LastSeen",
    "Last seen",
    "LastCheckIn",
    "Last check-in",
    "LastActivity",
    "LastActive",
    "Date (UTC)",
    "Date",
    "TimeGenerated",
    "TimeCreated",
    "CreatedDateTime",
    "LogonTime",
    "Time",
  ),
};

const ZERO_GUID = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;
const TRUE = /^(true|yes|1|\$true)$/i;

export interface Read<T> {
  records: T[];
  warnings: string[];
}

function need(table: Table | undefined, input: ExportInput, what: string, columns: string): asserts table is Table {
  if (!table) throw new ExportFormatError(`${input.source}: no header with ${columns} in the first 20 rows; is it ${what}?`);
}

/** A file that is not the export it was given as: the build stops with this one line. */
export class ExportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExportFormatError";
  }
}

/** "CN=Ann Smith,OU=Staff,DC=contoso,DC=com" -> "contoso.com/Staff/Ann Smith", the form Exchange identities print. */
export function canonicalName(dn: string): string | undefined {
  const parts = dn.split(/(?<!\\),/).map((p) => p.trim());
  const dc = parts.filter((p) => /^dc=/i.test(p)).map((p) => p.slice(3));
  const rest = parts.filter((p) => /^(cn|ou)=/i.test(p)).map((p) => p.slice(3).replace(/\\(.)/g, "$1"));
  if (dc.length === 0 || rest.length === 0) return undefined;
  return [dc.join("."), ...rest.reverse()].join("/");
}

export function readMailboxes(input: ExportInput): Read<MailboxRecord> {
  const table = findTable(input.source, input.grid, [...MAILBOX.smtp, ...MAILBOX.upn, ...MAILBOX.type, ...MAILBOX.keys], 2);
  need(table, input, "a Get-Mailbox export", "PrimarySmtpAddress, RecipientTypeDetails or Identity");
  const c = Object.fromEntries(Object.entries(MAILBOX).map(([k, names]) => [k, column(table, names)])) as Record<keyof typeof MAILBOX, number>;
  const keyCols = MAILBOX.keys.map((n) => table.columns.get(n)).filter((i): i is number => i !== undefined);
  const warnings = missingColumns(table, [
    [c.type, "RecipientTypeDetails", "every mailbox is taken for a person's mailbox"],
    [c.server < 0 ? c.database : c.server, "ServerName or Database", "no user gets a server or version from it"],
    [c.disabled, "ExchangeUserAccountControl", "disabled accounts (leavers) cannot be told apart"],
    [
      c.archiveGuid < 0 && c.archiveState < 0 && c.archiveStatus < 0 && c.archiveDatabase < 0 ? -1 : 0,
      "ArchiveGuid/ArchiveState",
      "archives (an Enterprise feature) are not seen",
    ],
    [c.litigation, "LitigationHoldEnabled", "litigation holds (an Enterprise feature) are not seen"],
  ]);
  const typeNames = new Map<string, number>();
  let mangled = 0;
  const records: MailboxRecord[] = [];
  for (const { row, cells } of dataRows(table)) {
    const smtp = text(cells, c.smtp);
    const upn = text(cells, c.upn);
    const keys = [smtp, upn, ...keyCols.map((i) => text(cells, i))];
    const dn = text(cells, c.dn);
    const canon = dn ? canonicalName(dn) : undefined;
    if (canon) keys.push(canon);
    const names = keys.filter(Boolean);
    const user = smtp || upn || names[0] || "";
    const notes: string[] = [];
    if (names.some(looksMangled)) {
      mangled++;
      notes.push("names arrived with '?' for letters (an ASCII export)");
    }
    const type = text(cells, c.type) || (c.type < 0 ? "UserMailbox" : "");
    records.push({
      origin: { source: input.source, row },
      user,
      keys: names,
      type,
      rule: mailboxTypeRule(type),
      server: text(cells, c.server),
      database: text(cells, c.database),
      disabled: isDisabled(headerOf(table, c.disabled), text(cells, c.disabled)),
      enterprise: enterpriseFeatures(cells, c, typeNames, notes),
      notes,
    });
  }
  for (const [header, n] of typeNames) {
    warnings.push(
      `${input.source}: ${header} was exported as a type name in ${n} row(s) (PowerShell writes "System.Collections.Generic.List\`1[...]" for a list), so its values could not be read; export it with @{n='${header}';e={$_.${header} -join ';'}}`,
    );
  }
  if (mangled > 0) warnings.push(asciiWarning(input.source, mangled));
  return { records, warnings };
}

function asciiWarning(source: string, n: number): string {
  return `${source}: ${n} row(s) have names with "?" where letters were (Windows PowerShell 5.1's Export-Csv writes ASCII by default; add -Encoding UTF8); they were matched to the other exports letter for letter`;
}

function isDisabled(header: string, value: string): boolean {
  const h = squeezeHeader(header);
  if (h === "enabled") return /^(false|no|0)$/i.test(value);
  if (h === "accountdisabled") return TRUE.test(value);
  return /accountdisabled/i.test(value.replace(/\s+/g, ""));
}

function enterpriseFeatures(cells: readonly Cell[], c: Record<keyof typeof MAILBOX, number>, typeNames: Map<string, number>, notes: string[]): string[] {
  const F = ENTERPRISE_MAILBOX_FEATURES;
  const found: string[] = [];
  const typeName = (header: string, value: string): boolean => {
    if (!isTypeName(value)) return false;
    typeNames.set(header, (typeNames.get(header) ?? 0) + 1);
    notes.push(`${header} unreadable (exported as a type name)`);
    return true;
  };
  const guid = text(cells, c.archiveGuid);
  const state = text(cells, c.archiveState);
  const status = text(cells, c.archiveStatus);
  const archiveDb = text(cells, c.archiveDatabase);
  const archive = (guid && !ZERO_GUID.test(guid)) || (state && !/^none$/i.test(state)) || /^active$/i.test(status) || archiveDb !== "";
  if (archive) found.push(state && !/^(none|local)$/i.test(state) ? `${F.archive.label} (${state})` : F.archive.label);
  if (TRUE.test(text(cells, c.litigation))) found.push(F.litigationHold.label);
  const holds = text(cells, c.inPlace);
  if (holds && !typeName("InPlaceHolds", holds) && holds !== "{}") found.push(F.inPlaceHold.label);
  const policy = text(cells, c.retention);
  if (policy && !DEFAULT_RETENTION_POLICIES.some((d) => d.toLowerCase() === policy.toLowerCase())) {
    found.push(`${F.retentionPolicy.label} "${policy}" (${F.retentionPolicy.caveat})`);
  }
  return found;
}

function missingColumns(table: Table, checks: [number, string, string][]): string[] {
  return checks.filter(([col]) => col < 0).map(([, name, effect]) => `${table.source}: no ${name} column, so ${effect}`);
}

/** "contoso.com/Users/Ann Smith/ExchangeActiveSyncDevices/iPhone§ApplF17..." -> owner and device parts. */
export function splitDeviceIdentity(identity: string): { owner: string; type: string; id: string } | undefined {
  const m = /^(.*?)[\\/]ExchangeActiveSyncDevices[\\/](.+)$/i.exec(identity.trim());
  if (!m) return undefined;
  // "§" separates the parts; an ASCII export turns it into "?"
  const parts = m[2].split(/[§?]/);
  return { owner: m[1], type: parts.slice(0, -1).join(" "), id: parts[parts.length - 1] };
}

export function readMobileDevices(input: ExportInput): Read<DeviceRecord> {
  const table = findTable(input.source, input.grid, [...DEVICE.identity, ...DEVICE.id, ...DEVICE.type, ...DEVICE.owner], 2);
  need(table, input, "a Get-MobileDevice or Get-MobileDeviceStatistics export", "Identity and DeviceId");
  const c = Object.fromEntries(Object.entries(DEVICE).map(([k, names]) => [k, column(table, names)])) as Record<keyof typeof DEVICE, number>;
  const warnings = missingColumns(table, [
    [c.identity < 0 && c.owner < 0 && c.user < 0 ? -1 : 0, "Identity or UserDisplayName", "devices cannot be joined to mailboxes"],
  ]);
  if (c.lastSeen < 0)
    warnings.push(`${input.source}: no LastSuccessSync column (Get-MobileDeviceStatistics has it), so --active-days cannot drop devices that stopped syncing`);
  const order = columnOrder(table, c.lastSeen, warnings);
  const records: DeviceRecord[] = [];
  let mangled = 0;
  for (const { row, cells } of dataRows(table)) {
    const split = splitDeviceIdentity(text(cells, c.identity));
    const owner = [text(cells, c.user), split?.owner ?? "", text(cells, c.owner)].filter(Boolean);
    if (owner.some(looksMangled) || /\?Outlook\?/i.test(text(cells, c.identity))) mangled++;
    const id = text(cells, c.id) || split?.id || "";
    const type = text(cells, c.type) || split?.type || "";
    const client = text(cells, c.client) || (/^(rest|hx)\b/i.test(split?.type ?? "") ? split!.type.split(" ")[0] : "");
    const label = [type, text(cells, c.model), client && client !== type ? `client ${client}` : ""].filter(Boolean).join(", ");
    const access = text(cells, c.access);
    records.push({
      origin: { source: input.source, row },
      owner,
      device: id,
      label,
      lastSeen: parseDate(cellAt(cells, c.lastSeen), order),
      blocked: /^(blocked|quarantined)$/i.test(access) ? access : undefined,
    });
  }
  if (mangled > 0) warnings.push(asciiWarning(input.source, mangled));
  return { records, warnings };
}

function cellAt(cells: readonly Cell[], c: number): Cell {
  return c >= 0 ? cells[c] : undefined;
}

function columnOrder(table: Table, c: number, warnings: string[]): DayOrder {
  if (c < 0) return "mdy";
  const values: string[] = [];
  for (const { cells } of dataRows(table)) if (typeof cells[c] === "string") values.push(cells[c] as string);
  const { order, ambiguous } = dayOrder(values);
  if (ambiguous && values.some((v) => /^\d{1,2}\/\d{1,2}\/\d{4}/.test(v.trim()))) {
    warnings.push(`${table.source}: every date in ${table.headers[c]} reads both as month/day and day/month; read as month/day (en-US)`);
  }
  return order;
}

export function readServers(input: ExportInput): Read<ServerRecord> {
  const table = findTable(input.source, input.grid, [...SERVER.version], 1);
  need(table, input, "a Get-ExchangeServer export", "AdminDisplayVersion");
  const nameCol = column(table, cols("Name", "Fqdn"));
  if (nameCol < 0) throw new ExportFormatError(`${input.source}: no Name column; is it a Get-ExchangeServer export?`);
  const versionCol = column(table, SERVER.version);
  // Get-MailboxDatabase prints the server each database is on; Get-ExchangeServer does not
  const dbServerCol = column(table, SERVER.databaseServer);
  const records: ServerRecord[] = [];
  for (const { row, cells } of dataRows(table)) {
    const versionText = text(cells, versionCol);
    records.push({
      origin: { source: input.source, row },
      name: text(cells, nameCol),
      version: parseVersion(versionText.replace(/\s*:[^)]*\)/, ")")),
      versionText,
      databaseOf: dbServerCol >= 0 ? text(cells, dbServerCol) : undefined,
    });
  }
  return { records, warnings: [] };
}

export function readLogons(input: ExportInput): Read<LogonRecord> {
  const table = findTable(input.source, input.grid, [...LOGON.user, ...LOGON.device], 2);
  need(table, input, "a list of user and computer pairs", "a user column (UserPrincipalName, User, ...) and a computer column (ComputerName, Device, ...)");
  const userCol = column(table, LOGON.user);
  let deviceCol = column(table, LOGON.device);
  if (deviceCol < 0) deviceCol = column(table, LOGON.weakDevice);
  if (userCol < 0 || deviceCol < 0) {
    throw new ExportFormatError(`${input.source}: needs a user column and a computer column; found ${table.headers.filter(Boolean).join(", ")}`);
  }
  const dateCol = column(table, LOGON.date);
  const warnings: string[] = [];
  if (dateCol < 0) warnings.push(`${input.source}: no date column (LastLogon, Date, ...), so --active-days cannot drop old logons`);
  const order = columnOrder(table, dateCol, warnings);
  const records: LogonRecord[] = [];
  let mangled = 0;
  for (const { row, cells } of dataRows(table)) {
    const user = text(cells, userCol);
    if (looksMangled(user)) mangled++;
    records.push({ origin: { source: input.source, row }, user, device: text(cells, deviceCol), lastSeen: parseDate(cellAt(cells, dateCol), order) });
  }
  if (mangled > 0) warnings.push(asciiWarning(input.source, mangled));
  return { records, warnings };
}

export type ExportKind = "mailboxes" | "mobileDevices" | "servers" | "logons";

/**
 * Which export a pasted sheet holds, from its header: Get-Mailbox (RecipientTypeDetails, or
 * PrimarySmtpAddress with ServerName or Database), Get-MobileDevice[Statistics] (DeviceId),
 * Get-ExchangeServer / Get-MailboxDatabase (AdminDisplayVersion), else a logon list (a user
 * and a computer column, and no Version or Edition column, which an inventory has).
 */
export function exportKind(grid: Grid): ExportKind | undefined {
  const has = (t: Table, names: string[]) => column(t, names) >= 0;
  const mb = findTable("", grid, [...MAILBOX.type, ...MAILBOX.smtp], 1);
  if (mb && (has(mb, MAILBOX.type) || (has(mb, MAILBOX.smtp) && (has(mb, MAILBOX.server) || has(mb, MAILBOX.database))))) return "mailboxes";
  if (findTable("", grid, DEVICE.id, 1)) return "mobileDevices";
  if (findTable("", grid, SERVER.version, 1)) return "servers";
  const logon = findTable("", grid, [...LOGON.user, ...LOGON.device], 2);
  if (logon && has(logon, LOGON.user) && has(logon, LOGON.device) && !has(logon, cols("Version", "Edition"))) return "logons";
  return undefined;
}
