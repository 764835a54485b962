import type { Cell } from "../sheet";

/**
 * Dates as exports print them: ISO ("2026-11-28T15:04:05Z"), the exporting machine's culture
 * ("11/28/2026 3:04:05 PM" in en-US, "28.11.2026 15:04:05" in de-DE, "28/11/2026 15:04" in
 * en-GB) or Excel serial numbers (a sheet). Whether "03/04/2026" is March or April is decided
 * once per column, from the values that can only be read one way.
 */

export type DayOrder = "mdy" | "dmy";

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const LOCAL = /^(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]\.?M\.?)?)?$/i;

/** The column's day order: "dmy" when any value has a first number above 12 or uses dots. */
export function dayOrder(values: Iterable<string>): { order: DayOrder; ambiguous: boolean } {
  let dmy = false;
  let mdy = false;
  for (const v of values) {
    const m = LOCAL.exec(v.trim());
    if (!m) continue;
    const a = Number(m[1]);
    const b = Number(m[3]);
    if (m[2] === "." || a > 12) dmy = true;
    else if (b > 12) mdy = true;
  }
  if (dmy && !mdy) return { order: "dmy", ambiguous: false };
  return { order: "mdy", ambiguous: !dmy && !mdy };
}

/** Milliseconds since 1970 (UTC), or undefined when the cell is not a date. */
export function parseDate(cell: Cell, order: DayOrder = "mdy"): number | undefined {
  if (typeof cell === "number") {
    // Excel serial days (1900 system); 20000 is 1954, 80000 is 2119
    if (cell > 20000 && cell < 80000) return Math.round((cell - 25569) * 86_400_000);
    return undefined;
  }
  if (typeof cell !== "string") return undefined;
  const v = cell.trim();
  if (!v) return undefined;
  let m = ISO.exec(v);
  if (m) {
    const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
    return checked(t, +m[2], +m[3], offsetMinutes(m[7]));
  }
  m = LOCAL.exec(v);
  if (m) {
    const [day, month] = order === "dmy" || m[2] === "." ? [+m[1], +m[3]] : [+m[3], +m[1]];
    let hour = +(m[5] ?? 0);
    const ampm = m[8]?.toUpperCase().replace(/\./g, "");
    if (ampm === "PM" && hour < 12) hour += 12;
    if (ampm === "AM" && hour === 12) hour = 0;
    const t = Date.UTC(+m[4], month - 1, day, hour, +(m[6] ?? 0), +(m[7] ?? 0));
    return checked(t, month, day, 0);
  }
  return undefined;
}

function offsetMinutes(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === "Z") return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return 0;
  return (m[1] === "-" ? -1 : 1) * (+m[2] * 60 + +m[3]);
}

/** Rejects 31/02 and the like (Date.UTC would roll them over). */
function checked(t: number, month: number, day: number, offset: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const d = new Date(t);
  if (d.getUTCDate() !== day || d.getUTCMonth() !== month - 1) return undefined;
  return t - offset * 60_000;
}

/** "2026-11-28", for people and for the inventory's Last seen column. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** YYYY-MM-DD (the audit date) to midnight UTC, or undefined. */
export function parseIsoDay(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  return checked(Date.UTC(+m[1], +m[2] - 1, +m[3]), +m[2], +m[3], 0);
}
