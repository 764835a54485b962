import { DISABLED_ACCOUNT_RULE, mailboxTypeRule, offers, VersionId } from "../licensing";
import { isoDay } from "./dates";
import { readLogons, readMailboxes, readMobileDevices, readServers, Read } from "./readers";
import { exactKey, foldedKey, Origin } from "./table";
import type { BuildInputs, BuildOptions, BuildResult, ExcludedRow, ExportInput, InventoryRow, MailboxRecord, ServerRecord } from "./types";

/**
 * The join: every device, logon and IIS access goes to the mailbox it belongs to; every
 * mailbox that creates CAL demand becomes one inventory row per device it is reached from,
 * with its server's version and its Enterprise features. Whatever is left out is listed with
 * its reason: nothing is dropped silently.
 */

const DAY = 86_400_000;
export const DEFAULT_ACTIVE_DAYS = 90;

interface Access {
  /** computer: from a logon list; mobile: an ActiveSync partnership; web: a request naming no device. */
  kind: "computer" | "mobile" | "web";
  device: string;
  lastSeen?: number;
  origins: Origin[];
  details: string[];
}

type Match = { mailbox: MailboxRecord } | { ambiguous: MailboxRecord[] } | undefined;

class MailboxIndex {
  private exact = new Map<string, MailboxRecord[]>();
  private folded = new Map<string, MailboxRecord[]>();

  constructor(mailboxes: MailboxRecord[]) {
    for (const mb of mailboxes) {
      for (const name of mb.keys) {
        add(this.exact, exactKey(name), mb);
        add(this.folded, foldedKey(name), mb);
      }
    }
  }

  /** The mailbox a name from another export means: exact spelling first, then the ASCII fold. */
  find(names: readonly string[]): Match {
    const candidates = names.flatMap(nameForms).filter(Boolean);
    for (const map of [this.exact, this.folded]) {
      for (const n of candidates) {
        const hit = map.get(map === this.exact ? exactKey(n) : foldedKey(n));
        if (hit && hit.length === 1) return { mailbox: hit[0] };
        if (hit && hit.length > 1) return { ambiguous: hit };
      }
    }
    return undefined;
  }
}

function add(map: Map<string, MailboxRecord[]>, key: string, mb: MailboxRecord): void {
  if (!key) return;
  const list = map.get(key);
  if (!list) map.set(key, [mb]);
  else if (!list.includes(mb)) list.push(mb);
}

/** "CONTOSO\ann" -> also "ann"; "contoso.com/Users/Ann Smith" -> also "Ann Smith". */
function nameForms(name: string): string[] {
  const forms = [name];
  const slash = name.lastIndexOf("\\");
  if (slash >= 0) forms.push(name.slice(slash + 1));
  const cn = name.lastIndexOf("/");
  if (cn >= 0) forms.push(name.slice(cn + 1));
  return forms;
}

function readAll<T>(inputs: ExportInput[] | undefined, read: (i: ExportInput) => Read<T>, warnings: string[]): T[] {
  const out: T[] = [];
  for (const input of inputs ?? []) {
    const r = read(input);
    out.push(...r.records);
    warnings.push(...r.warnings);
  }
  return out;
}

export function buildInventory(inputs: BuildInputs, options: BuildOptions): BuildResult {
  const activeDays = options.activeDays ?? DEFAULT_ACTIVE_DAYS;
  const warnings: string[] = [];
  const excluded: ExcludedRow[] = [];
  const mailboxes = readAll(inputs.mailboxes, readMailboxes, warnings);
  const servers = new ServerIndex(readAll(inputs.servers, readServers, warnings), excluded);
  const index = new MailboxIndex(mailboxes);
  const accesses = new Map<MailboxRecord, Access[]>();
  const window = new ActivityWindow(options.asOf, activeDays);

  /** Hands one access to its mailbox, or lists it as excluded with why. */
  const attach = (item: string, names: string[], origin: Origin, access: Omit<Access, "origins">) => {
    const why = window.outside(access.lastSeen);
    if (why) return void excluded.push({ origin, item, reason: why });
    const match = index.find(names);
    const shown = names.find(Boolean) ?? "";
    if (!match) return void excluded.push({ origin, item, reason: shown ? `"${shown}" matches no mailbox in the mailbox export` : "names no user" });
    if ("ambiguous" in match) {
      const who = match.ambiguous.map((m) => m.user).join(", ");
      return void excluded.push({ origin, item, reason: `"${shown}" matches ${match.ambiguous.length} mailboxes (${who}); not guessed` });
    }
    const list = accesses.get(match.mailbox) ?? [];
    list.push({ ...access, origins: [origin] });
    accesses.set(match.mailbox, list);
  };

  for (const d of readAll(inputs.mobileDevices, readMobileDevices, warnings)) {
    const item = `device ${d.device || "(no DeviceId)"}`;
    if (!d.device) excluded.push({ origin: d.origin, item, reason: "no DeviceId" });
    else if (d.blocked) excluded.push({ origin: d.origin, item, reason: `DeviceAccessState is ${d.blocked}: it cannot reach the mailbox` });
    else attach(item, d.owner, d.origin, { kind: "mobile", device: d.device, lastSeen: d.lastSeen, details: d.label ? [d.label] : [] });
  }
  for (const l of readAll(inputs.logons, readLogons, warnings)) {
    const item = `logon ${l.user || "(no user)"} on ${l.device || "(no computer)"}`;
    if (!l.device) excluded.push({ origin: l.origin, item, reason: "names no computer" });
    else attach(item, [l.user], l.origin, { kind: "computer", device: l.device, lastSeen: l.lastSeen, details: [] });
  }
  for (const a of inputs.iis ?? []) {
    const item = `IIS ${a.user}${a.device ? ` on ${a.device}` : ""} (${a.protocols.join(", ")})`;
    const seen = Date.parse(a.lastSeen.replace(" ", "T") + "Z");
    const how = `${a.protocols.join(", ")}: ${a.requests} request(s)`;
    if (isHealthMailbox(a.user)) {
      excluded.push({ origin: a.origin, item, reason: `${mailboxTypeRule("MonitoringMailbox")!.reason} (${mailboxTypeRule("MonitoringMailbox")!.rule})` });
      continue;
    }
    attach(item, [a.user], a.origin, {
      kind: a.device ? "mobile" : "web",
      device: a.device,
      lastSeen: Number.isFinite(seen) ? seen : undefined,
      details: [how],
    });
  }

  const rows: InventoryRow[] = [];
  for (const mb of mailboxes) rows.push(...mailboxRows(mb, accesses.get(mb) ?? [], servers, excluded, activeDays));
  servers.listUnused();
  return { rows, excluded, warnings, asOf: options.asOf, activeDays };
}

/** Exchange's Managed Availability probes log on as "HealthMailbox<hex>" (Get-Mailbox lists them only with -Monitoring). */
function isHealthMailbox(user: string): boolean {
  return /(^|\\)HealthMailbox[0-9a-f]{6,}(@|$)/i.test(user);
}

class ActivityWindow {
  constructor(
    private asOf: number,
    private days: number,
  ) {}

  /** Why activity on this date does not count, or "" when it does (undated activity counts). */
  outside(seen: number | undefined): string {
    if (seen === undefined) return "";
    if (seen < this.asOf - this.days * DAY) return `last seen ${isoDay(seen)}, more than ${this.days} days before the audit date ${isoDay(this.asOf)}`;
    if (seen >= this.asOf + DAY) return `seen ${isoDay(seen)}, after the audit date ${isoDay(this.asOf)}`;
    return "";
  }
}

class ServerIndex {
  private byName = new Map<string, ServerRecord>();
  private dbServer = new Map<string, ServerRecord>();
  private used = new Set<ServerRecord>();

  constructor(
    private records: ServerRecord[],
    private excluded: ExcludedRow[],
  ) {
    for (const s of records) {
      if (s.databaseOf !== undefined) this.dbServer.set(s.name.toLowerCase(), s);
      else for (const k of serverKeys(s.name)) if (!this.byName.has(k)) this.byName.set(k, s);
    }
  }

  /** The server a mailbox is on (by ServerName, else by its Database), with the rows that said so. */
  resolve(mb: MailboxRecord): { name: string; version?: VersionId; origins: Origin[]; problem?: string } {
    const origins: Origin[] = [];
    let name = mb.server;
    if (!name && mb.database) {
      const db = this.dbServer.get(mb.database.toLowerCase()) ?? this.dbServer.get(mb.database.split("\\").pop()!.toLowerCase());
      if (db) {
        this.used.add(db);
        origins.push(db.origin);
        name = db.databaseOf ?? "";
      } else if (mb.database.includes("\\")) name = mb.database.split("\\")[0];
      else return { name: "", origins, problem: `database ${mb.database} is not in the servers export (add Get-MailboxDatabase, or export ServerName)` };
    }
    if (!name) return { name: "", origins, problem: "the mailbox export names no server for it" };
    const server = serverKeys(name)
      .map((k) => this.byName.get(k))
      .find(Boolean);
    if (!server)
      return { name, origins, problem: this.records.length ? `server ${name} is not in the servers export` : "no servers export was given (--servers)" };
    this.used.add(server);
    origins.push(server.origin);
    if (!server.version) return { name: server.name, origins, problem: `server ${server.name}'s version "${server.versionText}" is not one CALS knows` };
    return { name: server.name, version: server.version, origins };
  }

  listUnused(): void {
    for (const s of this.records) {
      if (this.used.has(s)) continue;
      const item = s.databaseOf !== undefined ? `database ${s.name}` : `server ${s.name}`;
      this.excluded.push({ origin: s.origin, item, reason: "no mailbox in the mailbox export is on it" });
    }
  }
}

/** "EX01.contoso.com" is also "ex01". */
function serverKeys(name: string): string[] {
  const n = name.trim().toLowerCase();
  const short = n.split(".")[0];
  return short !== n ? [n, short] : [n];
}

function mailboxRows(mb: MailboxRecord, found: Access[], servers: ServerIndex, excluded: ExcludedRow[], activeDays: number): InventoryRow[] {
  const item = `mailbox ${mb.user || "(unnamed)"}`;
  if (mb.rule?.demand === "none") {
    const features = mb.enterprise.length ? ` It uses ${mb.enterprise.join(", ")}: the people who open it may need Enterprise CALs.` : "";
    excluded.push({ origin: mb.origin, item, reason: `${mb.rule.reason} (${mb.rule.rule}).${features}` });
    for (const a of found) {
      excluded.push({
        origin: a.origins[0],
        item: `access to ${mb.user}${a.device ? ` from ${a.device}` : ""}`,
        reason: `belongs to a ${mb.type} (no CAL of its own); the person using it needs a CAL`,
      });
    }
    return [];
  }
  const details = [...mb.notes];
  if (!mb.rule) details.push(`RecipientTypeDetails "${mb.type}" is not in the licensing table: counted as a person's mailbox`);
  if (mb.disabled) {
    if (found.length === 0) {
      excluded.push({
        origin: mb.origin,
        item,
        reason: `${DISABLED_ACCOUNT_RULE.reason.replace("the audit window", `the ${activeDays} days before the audit date`)} (${DISABLED_ACCOUNT_RULE.rule})`,
      });
      return [];
    }
    details.push("account disabled, but active in the audit window");
  }
  const server = servers.resolve(mb);
  if (server.problem) details.push(`no version: ${server.problem}`);
  let edition: InventoryRow["edition"] = mb.enterprise.length ? "Enterprise" : "Standard";
  if (mb.enterprise.length) {
    if (server.version && !offers(server.version, { edition: "enterprise" })) {
      edition = "Standard";
      details.push(`uses ${mb.enterprise.join(", ")}, but Exchange ${server.version} has no Enterprise CAL`);
    } else details.push(`Enterprise: ${mb.enterprise.join(", ")} (R5)`);
  }
  const base = (device: string): InventoryRow => ({
    user: mb.user,
    device,
    server: server.name,
    version: server.version ?? "",
    edition,
    lastSeen: "",
    origins: [mb.origin, ...server.origins],
    details: [...details],
  });
  // Requests that name no device (OWA, EWS, MAPI) are taken as coming from the user's
  // computers when a logon list names any; otherwise the device is unknown and only a user CAL can cover it.
  const named = found.filter((a) => a.kind !== "web");
  const web = found.filter((a) => a.kind === "web");
  const computers = named.some((a) => a.kind === "computer");
  const rows = new Map<string, InventoryRow & { seen?: number }>();
  const merge = (key: string, device: string, a: Access, note?: string) => {
    let row = rows.get(key);
    if (!row) rows.set(key, (row = base(device)));
    row.origins.push(...a.origins);
    for (const d of a.details) {
      const text = note ? `${d} (${note})` : d;
      if (!row.details.includes(text)) row.details.push(text);
    }
    if (a.lastSeen !== undefined && (row.seen === undefined || a.lastSeen > row.seen)) row.seen = a.lastSeen;
  };
  for (const a of named) merge(a.device.toLowerCase(), a.device, a);
  for (const a of web) {
    if (computers) {
      for (const c of named) if (c.kind === "computer") merge(c.device.toLowerCase(), c.device, a, "from a computer the logs do not name: taken as this one");
    } else merge("", "", a, "from a device the logs do not name: a user CAL covers it");
  }
  if (rows.size === 0) {
    const row = base("");
    row.details.push("no device seen in the exports: a user CAL covers it");
    return [row];
  }
  return [...rows.values()].map(({ seen, ...row }) => ({ ...row, lastSeen: seen === undefined ? "" : isoDay(seen) }));
}
