/**
 * Small pure helpers for the report layouts: display text for the audit's codes, the audit
 * time, compact row ranges and the width a value takes on screen. No Excel in sight.
 */
import type { CalType, Edition, VersionId } from "../licensing";
import { versionRule } from "../licensing";
import type { ModeRequest, PlanMode } from "../audit";

/** Excel's hard limit on the characters in one cell. */
export const EXCEL_CELL_LIMIT = 32767;
/** What the layouts allow themselves per cell: well under the limit, with room to spare. */
const CELL_TEXT_BUDGET = 32000;

export const FORMAT_COUNT = "#,##0";
export const FORMAT_MONEY = "#,##0.00";
/** Sheet row numbers: plain, no thousands separator (a reader types them into Go To). */
export const FORMAT_ROW = "0";

const TYPE_NAMES: Record<CalType, string> = {
  user: "User",
  device: "Device",
  server: "Per-server",
  connector: "External Connector",
};
const HOLDER_NAMES: Record<string, string> = { user: "User", device: "Device", server: "Server" };
const EDITION_NAMES: Record<Edition, string> = { standard: "Standard", enterprise: "Enterprise" };
const MODE_NAMES: Record<PlanMode, string> = {
  "per-user": "per user",
  "per-device": "per device",
  mixed: "mixed (user and device CALs)",
  "per-seat": "per seat",
  "per-server": "per server",
};

export function calTypeName(type: CalType): string {
  return TYPE_NAMES[type] ?? String(type);
}

export function holderTypeName(holder: string): string {
  return HOLDER_NAMES[holder] ?? String(holder);
}

export function editionName(edition: Edition): string {
  return EDITION_NAMES[edition] ?? String(edition);
}

export function modeName(mode: ModeRequest): string {
  if (mode === "auto") return "auto";
  return MODE_NAMES[mode] ?? String(mode);
}

const versionNames = new Map<string, string>();

/** Microsoft's product name for a version ("Exchange Server 2016"); the id itself if unknown. */
function versionName(version: VersionId): string {
  let name = versionNames.get(version);
  if (name === undefined) {
    try {
      name = versionRule(version).name;
    } catch {
      name = `Exchange ${String(version)}`;
    }
    versionNames.set(version, name);
  }
  return name;
}

/** The product name, plus the server for a per-server CAL (those belong to one server). */
export function versionLabel(version: VersionId, server?: string): string {
  const name = versionName(version);
  return server ? `${name}, server ${server}` : name;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * The audit time as "2026-11-27 21:40 UTC": the same text whatever the reader's locale or
 * time zone. Anything that is not a date comes back as given.
 */
export function formatAuditTime(iso: string): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return String(iso ?? "");
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ` + `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())} UTC`;
}

function isSortedUnique(rows: readonly number[]): boolean {
  for (let i = 1; i < rows.length; i++) if (!(rows[i] > rows[i - 1])) return false;
  return true;
}

/**
 * Sheet rows as compact ranges: [2,3,4,5,9,12,13,14] -> "2-5, 9, 12-14". Unsorted input and
 * repeats are fine. The text never exceeds `maxChars`: past it, the rest is summarised as
 * "… and N more rows" (N = distinct rows not listed).
 */
export function compactRows(rows: readonly number[], maxChars: number = CELL_TEXT_BUDGET): string {
  let sorted: readonly number[] = rows;
  if (!isSortedUnique(rows)) {
    const copy = rows.filter((r) => Number.isFinite(r)).sort((a, b) => a - b);
    const unique: number[] = [];
    for (const r of copy) if (unique.length === 0 || unique[unique.length - 1] !== r) unique.push(r);
    sorted = unique;
  }
  const n = sorted.length;
  if (n === 0) return "";
  if (n * 18 <= maxChars) return joinRanges(sorted); // cannot reach the limit: no tail to plan for
  const tailMax = moreRowsText(n).length; // no tail is longer than the one for all n rows
  let out = "";
  let listed = 0;
  // The longest prefix after which "… and N more rows" still fits.
  let safeOut = "";
  let safeListed = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && sorted[j + 1] === sorted[j] + 1) j++;
    const piece = j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`;
    const next = out.length === 0 ? piece : `${out}, ${piece}`;
    if (next.length > maxChars) break;
    out = next;
    listed += j - i + 1;
    i = j + 1;
    const room = maxChars - out.length - 2;
    if (listed < n && (tailMax <= room || moreRowsText(n - listed).length <= room)) {
      safeOut = out;
      safeListed = listed;
    }
  }
  if (listed === n) return out;
  const tail = moreRowsText(n - safeListed);
  if (safeListed === 0) return tail.length <= maxChars ? tail : tail.slice(0, maxChars);
  return `${safeOut}, ${tail}`;
}

function joinRanges(sorted: readonly number[]): string {
  let out = "";
  const n = sorted.length;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && sorted[j + 1] === sorted[j] + 1) j++;
    if (i > 0) out += ", ";
    out += j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`;
    i = j + 1;
  }
  return out;
}

function moreRowsText(count: number): string {
  return `… and ${groupThousands(count)} more ${count === 1 ? "row" : "rows"}`;
}

/** "1234567" -> "1,234,567" (fixed separators: the text must not depend on the locale). */
export function groupThousands(n: number, decimals = 0): string {
  const neg = n < 0;
  const s = Math.abs(n).toFixed(decimals);
  const dot = s.indexOf(".");
  const int = dot < 0 ? s : s.slice(0, dot);
  const frac = dot < 0 ? "" : s.slice(dot);
  let grouped = "";
  for (let k = 0; k < int.length; k++) {
    if (k > 0 && (int.length - k) % 3 === 0) grouped += ",";
    grouped += int[k];
  }
  return (neg ? "-" : "") + grouped + frac;
}

/** Characters a number takes when shown with one of the layouts' formats. */
export function numberDisplayLength(n: number, format: string | undefined): number {
  if (!Number.isFinite(n)) return 0;
  if (format === FORMAT_MONEY) return groupThousands(n, 2).length;
  if (format === FORMAT_COUNT) return groupThousands(Math.round(n)).length;
  return String(n).length;
}

/** Characters a text takes on its longest line. */
export function textDisplayLength(s: string): number {
  if (s.indexOf("\n") < 0) return s.length;
  let max = 0;
  for (const line of s.split("\n")) if (line.length > max) max = line.length;
  return max;
}

/**
 * Word-wraps text into lines of at most `width` characters (words longer than that are cut).
 * Used for free text in the summary, which is laid out as one line per row rather than in
 * merged, wrapped cells: every spreadsheet program and every printer shows that the same way.
 */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const para of String(text).split(/\r?\n/)) {
    if (!Number.isFinite(width) || para.length <= width) {
      lines.push(para);
      continue;
    }
    let line = "";
    for (const word of para.split(" ")) {
      let w = word;
      while (w.length > width) {
        if (line) {
          lines.push(line);
          line = "";
        }
        lines.push(w.slice(0, width));
        w = w.slice(width);
      }
      if (!line) line = w;
      else if (line.length + 1 + w.length <= width) line += " " + w;
      else {
        lines.push(line);
        line = w;
      }
    }
    lines.push(line);
  }
  return lines;
}
