import type { IisAccess } from "./types";

/**
 * IIS W3C logs of the Exchange servers, reduced as they stream to distinct (user, device,
 * server) with the last time seen. Each file's `#Fields:` line says which field is where (it
 * varies by setup, and may change within a file). Text arrives in chunks of any size; a line
 * split between chunks is carried over. A hand-written loop over the text, not a CSV parser:
 * W3C fields are separated by single spaces and never quoted (IIS writes a space in a value
 * as "+"), so a parser's quote handling would only cost time (docs/performance.md has the
 * comparison).
 */

/** Request paths (lower case, first segment) and the protocol they are. Autodiscover only finds the server. */
const PROTOCOLS: [string, string][] = [
  ["/microsoft-server-activesync", "ActiveSync"],
  ["/owa", "OWA"],
  ["/ews", "EWS"],
  ["/mapi", "MAPI/HTTP"],
  ["/rpc", "Outlook Anywhere"],
  ["/oab", "Outlook (address book)"],
  ["/ecp", "ECP"],
  ["/powershell", "PowerShell"],
];

const WANTED = ["date", "time", "cs-uri-stem", "cs-uri-query", "cs-username", "sc-status", "s-computername"] as const;
type Wanted = (typeof WANTED)[number];

/** One distinct access while reducing: numbers, not strings or objects, for what changes on every request. */
interface Entry {
  user: string;
  device: string;
  server: string;
  /** yyyymmddhhmmss of the last request. */
  last: number;
  file: number;
  line: number;
  /** Bit i set: PROTOCOLS[i] seen. */
  protocols: number;
  requests: number;
}

/**
 * Text for push() may be a JavaScript string or, faster, the file's bytes as Latin-1 (one
 * character per byte, no decoding): names with bytes above 127 are then read as UTF-8 when
 * kept, so "Jos\u00c3\u00a9" becomes "Jos\u00e9".
 */
export class W3cReducer {
  /** server -> user -> device -> entry, each key as logged (case is merged in result()). */
  private byServer = new Map<string, Map<string, Map<string, Entry>>>();
  private order: Entry[] = [];
  private files: string[] = [];
  /** Lines that were not requests the reduction could use, by why. */
  readonly skipped = { anonymous: 0, unauthorized: 0, otherPath: 0, malformed: 0, noFields: 0 };
  bytes = 0;
  lines = 0;

  /** A parser for one log file; `server` is used when the file has no s-computername field. */
  file(source: string, server: string): W3cFile {
    this.files.push(source);
    return new W3cFile(this, this.files.length - 1, server);
  }

  /** @internal The entry for (server, user, device), made on first sight with keys copied out of the chunk. */
  entry(server: string, user: string, device: string): Entry {
    let users = this.byServer.get(server);
    if (!users) this.byServer.set(own(server), (users = new Map()));
    let devices = users.get(user);
    if (!devices) users.set(own(user), (devices = new Map()));
    let e = devices.get(device);
    if (!e) {
      e = { user: readName(user), device: readName(device), server: readName(server), last: -1, file: 0, line: 0, protocols: 0, requests: 0 };
      devices.set(own(device), e);
      this.order.push(e);
    }
    return e;
  }

  /** The distinct accesses in the order first seen; spellings that differ only in case are one. */
  result(): IisAccess[] {
    const merged = new Map<string, Entry>();
    const out: Entry[] = [];
    for (const e of this.order) {
      const key = e.user.toLowerCase() + "\u0001" + e.device.toLowerCase() + "\u0001" + e.server.toLowerCase();
      const m = merged.get(key);
      if (!m) {
        const copy = { ...e }; // result() may be called again: the entries stay as they are
        merged.set(key, copy);
        out.push(copy);
        continue;
      }
      m.requests += e.requests;
      m.protocols |= e.protocols;
      if (e.last > m.last) {
        m.last = e.last;
        m.file = e.file;
        m.line = e.line;
      }
    }
    return out.map((e) => ({
      user: e.user,
      device: e.device,
      server: e.server,
      lastSeen: timeText(e.last),
      protocols: protocolNames(e.protocols),
      requests: e.requests,
      origin: { source: this.files[e.file], row: e.line },
    }));
  }
}

function protocolNames(bits: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < PROTOCOLS.length; i++) if (bits & (1 << i)) names.push(PROTOCOLS[i][1]);
  return names;
}

/**
 * A copy that does not keep the chunk alive: a slice of a 4 MB chunk points into it, and a
 * key kept in a map would hold every chunk in memory.
 */
function own(s: string): string {
  return (" " + s).slice(1);
}

/** Percent and "+" decoding as IIS logs names, then Latin-1 bytes read as UTF-8 where they are. */
function readName(raw: string): string {
  const v = decodeName(raw);
  // eslint-disable-next-line no-control-regex
  if (!/[\u0080-\u00ff]/.test(v) || /[^\u0000-\u00ff]/.test(v)) return own(v);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(v, (ch) => ch.charCodeAt(0)));
  } catch {
    return own(v);
  }
}

/** yyyymmddhhmmss from "2026-12-01" and "08:00:01" without making a string; -1 when not a date. */
function timeNumber(text: string, d: number, t: number): number {
  const n = digits(
    text,
    d,
    4,
    digits(text, d + 5, 2, digits(text, d + 8, 2, digits(text, t, 2, digits(text, t + 3, 2, digits(text, t + 6, 2, 0, 1), 100), 1e4), 1e6), 1e8),
    1e10,
  );
  return n < 0 ? -1 : n;
}

/** `len` decimal digits at text[at] times `scale`, added to `acc`; -1 (kept) when any is not a digit. */
function digits(text: string, at: number, len: number, acc: number, scale: number): number {
  if (acc < 0) return -1;
  let n = 0;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(at + i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return acc + n * scale;
}

function timeText(n: number): string {
  if (n < 0) return "";
  const s = String(n).padStart(14, "0");
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)} ${s.slice(8, 10)}:${s.slice(10, 12)}:${s.slice(12, 14)}`;
}

export class W3cFile {
  private carry = "";
  private line = 0;
  private at: Record<Wanted, number> | undefined;
  private last = -1;

  constructor(
    private reducer: W3cReducer,
    private file: number,
    private server: string,
  ) {}

  push(chunk: string): void {
    this.reducer.bytes += chunk.length;
    let start = 0;
    if (this.carry) {
      // finish the carried line without joining the carry to the whole chunk
      const nl = chunk.indexOf("\n");
      if (nl < 0) {
        this.carry += chunk;
        return;
      }
      const line = this.carry + chunk.slice(0, nl);
      this.carry = "";
      this.take(line, 0, line.length > 0 && line.charCodeAt(line.length - 1) === 13 ? line.length - 1 : line.length);
      start = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf("\n", start);
      if (nl < 0) break;
      this.take(chunk, start, nl > start && chunk.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
      start = nl + 1;
    }
    if (start < chunk.length) this.carry = own(chunk.slice(start));
  }

  end(): void {
    if (this.carry) this.take(this.carry, 0, this.carry.length);
    this.carry = "";
  }

  private take(text: string, start: number, end: number): void {
    this.line++;
    this.reducer.lines++;
    if (end <= start) return;
    if (text.charCodeAt(start) === 35 /* # */) return this.directive(text.slice(start, end));
    const at = this.at;
    if (!at) return void this.reducer.skipped.noFields++;
    // the start and end of each field up to the last one wanted
    const starts = FIELD_STARTS;
    const ends = FIELD_ENDS;
    let p = start;
    for (let i = 0; i <= this.last; i++) {
      starts[i] = p;
      const sp = text.indexOf(" ", p);
      if (sp < 0 || sp >= end) {
        if (i < this.last) return void this.reducer.skipped.malformed++;
        ends[i] = end;
      } else {
        ends[i] = sp;
        p = sp + 1;
      }
    }
    const u = at["cs-username"];
    if (ends[u] - starts[u] === 1 && text.charCodeAt(starts[u]) === 45 /* - */) return void this.reducer.skipped.anonymous++;
    const st = at["sc-status"];
    if (st >= 0 && ends[st] - starts[st] === 3 && text.startsWith("401", starts[st])) return void this.reducer.skipped.unauthorized++;
    const protocol = protocolOf(text, starts[at["cs-uri-stem"]], ends[at["cs-uri-stem"]]);
    if (protocol < 0) return void this.reducer.skipped.otherPath++;
    const q = at["cs-uri-query"];
    const device = protocol === 0 && q >= 0 ? deviceIdIn(text, starts[q], ends[q]) : "";
    const sc = at["s-computername"];
    const server = sc >= 0 ? text.slice(starts[sc], ends[sc]) : this.server;
    const e = this.reducer.entry(server, text.slice(starts[u], ends[u]), device);
    e.requests++;
    e.protocols |= 1 << protocol;
    const when = timeNumber(text, starts[at.date], starts[at.time]);
    if (when >= e.last) {
      e.last = when;
      e.file = this.file;
      e.line = this.line;
    }
  }

  private directive(line: string): void {
    if (!/^#Fields:/i.test(line)) return;
    const names = line
      .slice(8)
      .trim()
      .split(/\s+/)
      .map((n) => n.toLowerCase());
    const at = {} as Record<Wanted, number>;
    for (const w of WANTED) at[w] = names.indexOf(w);
    const required: Wanted[] = ["date", "time", "cs-uri-stem", "cs-username"];
    if (required.some((w) => at[w] < 0)) {
      this.at = undefined;
      return;
    }
    this.at = at;
    this.last = Math.max(...WANTED.map((w) => at[w]));
  }
}

const FIELD_STARTS = new Int32Array(256);
const FIELD_ENDS = new Int32Array(256);

/** Index into PROTOCOLS of the request's first path segment (compared without case), or -1. */
function protocolOf(text: string, s: number, e: number): number {
  const slash = text.indexOf("/", s + 1);
  const segEnd = slash > 0 && slash < e ? slash : e;
  const len = segEnd - s;
  for (let i = 0; i < PROTOCOLS.length; i++) {
    const path = PROTOCOLS[i][0];
    if (path.length !== len) continue;
    if (text.startsWith(path, s) || text.slice(s, segEnd).toLowerCase() === path) return i;
  }
  return -1;
}

/** The DeviceId in the query field text[s, e): found in place in the usual spelling, else by deviceId(). */
function deviceIdIn(text: string, s: number, e: number): string {
  const i = text.indexOf("DeviceId=", s);
  if (i >= 0 && i < e && (i === s || text.charCodeAt(i - 1) === 38) /* & */) {
    const from = i + 9;
    let to = text.indexOf("&", from);
    if (to < 0 || to > e) to = e;
    return text.slice(from, to);
  }
  return rawDeviceId(text.slice(s, e));
}

/** The DeviceId of an ActiveSync request: a plain query (DeviceId=...) or the base64 form of MS-ASHTTP 2.2.1.1.1.1. */
export function deviceId(query: string): string {
  return decodeName(rawDeviceId(query));
}

function rawDeviceId(query: string): string {
  const i = query.search(/(^|&)deviceid=/i);
  if (i >= 0) {
    const from = query.indexOf("=", i) + 1;
    const to = query.indexOf("&", from);
    return query.slice(from, to < 0 ? query.length : to);
  }
  const b64 = query.split("&")[0];
  if (b64.length < 8 || !/^[A-Za-z0-9+/=%]+$/.test(b64)) return "";
  return base64DeviceId(b64);
}

function base64DeviceId(b64: string): string {
  let bytes: number[];
  try {
    const bin = atob(decodeURIComponent(b64));
    bytes = Array.from(bin, (ch) => ch.charCodeAt(0));
  } catch {
    return "";
  }
  // protocol version, command code, locale (2 bytes), then the device id with its length
  const len = bytes[4];
  if (len === undefined || len === 0 || 5 + len > bytes.length) return "";
  const id = bytes.slice(5, 5 + len);
  const printable = id.every((b) => b > 32 && b < 127);
  return printable
    ? String.fromCharCode(...id)
    : id
        .map((b) => b.toString(16).padStart(2, "0"))
        .join("")
        .toUpperCase();
}

/** IIS writes spaces as "+" and may percent-encode: "CONTOSO%5Cann" is CONTOSO\ann. */
function decodeName(value: string): string {
  let v = value.indexOf("+") >= 0 ? value.replace(/\+/g, " ") : value;
  if (v.indexOf("%") >= 0) {
    try {
      v = decodeURIComponent(v);
    } catch {
      /* keep it as logged */
    }
  }
  return v;
}
