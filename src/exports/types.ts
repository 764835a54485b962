import type { Grid } from "../sheet";
import type { MailboxTypeRule, VersionId } from "../licensing";
import type { Origin } from "./table";

/** The exports a build reads: each a grid as a file or sheet gives it, with the name people know it by. */
export interface ExportInput {
  source: string;
  grid: Grid;
}

export interface BuildInputs {
  mailboxes?: ExportInput[];
  mobileDevices?: ExportInput[];
  servers?: ExportInput[];
  logons?: ExportInput[];
  /** Distinct accesses already reduced from IIS logs (see W3cReducer). */
  iis?: IisAccess[];
}

export interface BuildOptions {
  /** The audit date, ms since 1970 (midnight UTC). */
  asOf: number;
  /** Only activity within this many days before asOf counts (default 90). */
  activeDays?: number;
}

export interface MailboxRecord {
  origin: Origin;
  /** The inventory's User: primary SMTP address, else UPN, else the best name there is. */
  user: string;
  /** Names it may be called by in other exports (identity, alias, name, UPN, ...), most specific first. */
  keys: string[];
  type: string;
  rule: MailboxTypeRule | undefined;
  server: string;
  database: string;
  disabled: boolean;
  /** Labels of the Enterprise features it uses (R5). */
  enterprise: string[];
  /** Caveats to show with it (a mangled name, a property exported as a type name). */
  notes: string[];
}

export interface DeviceRecord {
  origin: Origin;
  /** The owner as the export names it (the part of Identity before \ExchangeActiveSyncDevices\, or a user column). */
  owner: string[];
  device: string;
  /** Extra words for Details: type, model, client. */
  label: string;
  lastSeen?: number;
  blocked?: string;
}

export interface ServerRecord {
  origin: Origin;
  name: string;
  version?: VersionId;
  versionText: string;
  /** Set when the row is a mailbox database (Get-MailboxDatabase): the server it lives on. */
  databaseOf?: string;
}

export interface LogonRecord {
  origin: Origin;
  user: string;
  device: string;
  lastSeen?: number;
}

/** One distinct (user, device, server) seen in IIS logs, reduced from any number of requests. */
export interface IisAccess {
  user: string;
  /** ActiveSync DeviceId; "" for OWA, EWS, MAPI and other requests that name no device. */
  device: string;
  server: string;
  /** "2026-11-28 15:04:05" as the log prints it (UTC). */
  lastSeen: string;
  protocols: string[];
  requests: number;
  /** The log file and line of the last request seen. */
  origin: Origin;
}

export interface InventoryRow {
  user: string;
  device: string;
  server: string;
  version: VersionId | "";
  edition: "Standard" | "Enterprise" | "";
  lastSeen: string;
  /** Which exports and rows the access came from. */
  origins: Origin[];
  /** Why it says what it says (Enterprise features, device type, caveats). */
  details: string[];
}

export interface ExcludedRow {
  origin: Origin;
  /** What was left out: a mailbox, a device, a logon. */
  item: string;
  reason: string;
}

export interface BuildResult {
  rows: InventoryRow[];
  excluded: ExcludedRow[];
  /** Sentences for people: missing columns, mangled names, dates that could be read two ways. */
  warnings: string[];
  asOf: number;
  activeDays: number;
}
