/**
 * Dates as people and spreadsheets give them, read to ISO "YYYY-MM-DD" (calendar days, no
 * time zone). Excel and ExcelJS give serial numbers; CSVs give text. Day/month orders that
 * cannot be told apart (03/04/2019) are refused, never guessed.
 */

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+Z?)?$/;

function iso(y: number, m: number, d: number): string | undefined {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** An Excel serial day (1900 date system, as range.values gives it) to ISO. */
export function serialToIso(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2958465) return undefined;
  const ms = Math.round((Math.floor(serial) - 25569) * 86400000);
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * A date cell: a serial number, "2019-01-01", "2019/01/01", "1 Jan 2019", "Jan 1, 2019", or
 * day-first / month-first numbers when a part over 12 says which. Undefined when unreadable
 * or ambiguous; `ambiguous` tells the two apart for the message.
 */
export function parseDate(value: unknown): { iso?: string; ambiguous?: boolean } {
  if (typeof value === "number") return { iso: serialToIso(value) };
  if (typeof value !== "string") return {};
  const t = value.trim();
  let m = ISO.exec(t) ?? /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/.exec(t);
  if (m) return { iso: iso(Number(m[1]), Number(m[2]), Number(m[3])) };
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const y = Number(m[3]);
    if (a > 12 && b <= 12) return { iso: iso(y, b, a) };
    if (b > 12 && a <= 12) return { iso: iso(y, a, b) };
    if (a === b) return { iso: iso(y, a, b) };
    return { ambiguous: true };
  }
  const months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
  const month = (s: string) => months.indexOf(s.slice(0, 3).toLowerCase()) + 1;
  m = /^(\d{1,2})\s+([a-z]{3,9})\.?,?\s+(\d{4})$/i.exec(t);
  if (m && month(m[2]) > 0) return { iso: iso(Number(m[3]), month(m[2]), Number(m[1])) };
  m = /^([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$/i.exec(t);
  if (m && month(m[1]) > 0) return { iso: iso(Number(m[3]), month(m[1]), Number(m[2])) };
  return {};
}

/** Today as ISO, in UTC: the audit date when none is given. */
export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** A strict YYYY-MM-DD (the --as-of and pane date field), or undefined. */
export function readIsoDate(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  return m ? iso(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}
