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

interface Entry extends IisAccess {
  protocolSet: Set<string>;
}

export class W3cReducer {
  private entries = new Map<string, Entry>();
  /** Lines that were not requests the reduction could use, by why. */
  readonly skipped = { anonymous: 0, unauthorized: 0, otherPath: 0, malformed: 0, noFields: 0 };
  bytes = 0;
  lines = 0;

  /** A parser for one log file; `server` is used when the file has no s-computername field. */
  file(source: string, server: string): W3cFile {
    return new W3cFile(this, source, server);
  }

  /** @internal */
  record(user: string, device: string, server: string, when: string, protocol: string, source: string, line: number): void {
    const key = user.toLowerCase() + "\u0001" + device.toLowerCase() + "\u0001" + server.toLowerCase();
    let e = this.entries.get(key);
    if (!e) {
      e = { user, device, server, lastSeen: when, protocols: [], protocolSet: new Set(), requests: 0, origin: { source, row: line } };
      this.entries.set(key, e);
    }
    e.requests++;
    if (!e.protocolSet.has(protocol)) e.protocolSet.add(protocol);
    if (when >= e.lastSeen) {
      e.lastSeen = when;
      e.origin = { source, row: line };
    }
  }

  /** The distinct accesses, in the order first seen. */
  result(): IisAccess[] {
    return [...this.entries.values()].map(({ protocolSet, ...a }) => ({ ...a, protocols: [...protocolSet] }));
  }
}

export class W3cFile {
  private carry = "";
  private line = 0;
  private at: Record<Wanted, number> | undefined;
  private last = -1;

  constructor(
    private reducer: W3cReducer,
    private source: string,
    private server: string,
  ) {}

  push(chunk: string): void {
    this.reducer.bytes += chunk.length;
    let text = chunk;
    if (this.carry) {
      text = this.carry + chunk;
      this.carry = "";
    }
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl < 0) break;
      this.take(text, start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
      start = nl + 1;
    }
    if (start < text.length) this.carry = text.slice(start);
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
    // the start of each field up to the last one wanted
    const starts = FIELD_STARTS;
    let p = start;
    for (let i = 0; i <= this.last; i++) {
      starts[i] = p;
      const sp = text.indexOf(" ", p);
      if (sp < 0 || sp >= end) {
        if (i < this.last) return void this.reducer.skipped.malformed++;
        p = end + 1;
      } else p = sp + 1;
      FIELD_ENDS[i] = p - 1;
    }
    const field = (f: number) => (f < 0 ? "" : text.slice(starts[f], FIELD_ENDS[f]));
    const user = field(at["cs-username"]);
    if (user === "-" || user === "") return void this.reducer.skipped.anonymous++;
    if (at["sc-status"] >= 0 && text.startsWith("401", starts[at["sc-status"]])) return void this.reducer.skipped.unauthorized++;
    const protocol = protocolOf(text, starts[at["cs-uri-stem"]], FIELD_ENDS[at["cs-uri-stem"]]);
    if (!protocol) return void this.reducer.skipped.otherPath++;
    const device = protocol === "ActiveSync" ? deviceId(field(at["cs-uri-query"])) : "";
    const server = at["s-computername"] >= 0 ? field(at["s-computername"]) : this.server;
    const when = field(at.date) + " " + field(at.time);
    this.reducer.record(decodeName(user), device, server, when, protocol, this.source, this.line);
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

function protocolOf(text: string, s: number, e: number): string | undefined {
  // compare the first path segment without case, without slicing the whole stem
  const slash = text.indexOf("/", s + 1);
  const segEnd = slash > 0 && slash < e ? slash : e;
  const seg = text.slice(s, segEnd).toLowerCase();
  for (const [path, name] of PROTOCOLS) if (seg === path) return name;
  return undefined;
}

/** The DeviceId of an ActiveSync request: a plain query (DeviceId=...) or the base64 form of MS-ASHTTP 2.2.1.1.1.1. */
export function deviceId(query: string): string {
  const i = query.search(/(^|&)deviceid=/i);
  if (i >= 0) {
    const from = query.indexOf("=", i) + 1;
    const to = query.indexOf("&", from);
    return decodeName(query.slice(from, to < 0 ? query.length : to));
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
