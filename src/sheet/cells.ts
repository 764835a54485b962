/** One cell as Excel's range.values gives it (errors arrive as strings like "#N/A"). */
export type Cell = string | number | boolean | null | undefined;
export type Grid = readonly (readonly Cell[])[];

/**
 * The value a file reader gives a formula cell saved without its result (openpyxl and
 * pandas never calculate): not a value, and not an error Excel computed either.
 */
export const NO_RESULT = "#NO_RESULT";

/** Excel error values as range.values reports them, and NO_RESULT. */
const EXCEL_ERRORS = new Set([
  NO_RESULT,
  "#N/A",
  "#VALUE!",
  "#REF!",
  "#DIV/0!",
  "#NUM!",
  "#NAME?",
  "#NULL!",
  "#SPILL!",
  "#CALC!",
  "#GETTING_DATA",
  "#FIELD!",
  "#BLOCKED!",
  "#CONNECT!",
  "#BUSY!",
  "#UNKNOWN!",
  "#PYTHON!",
]);

/** An error cell in words: "the Excel error #N/A", or what a formula without its result is. */
export function errorWords(text: string): string {
  if (text.toUpperCase() === NO_RESULT)
    return "a formula saved without its result (the program that wrote the file did not calculate it; open and save it in Excel or LibreOffice)";
  return `the Excel error ${text}`;
}

export function isExcelError(text: string): boolean {
  return text.length > 1 && text.charCodeAt(0) === 35 /* # */ && EXCEL_ERRORS.has(text.toUpperCase());
}

/**
 * A string with nothing to trim: empty, or its first and last characters printable ASCII.
 * Most cells are; two character checks are cheaper than trim(), and small enough for a hot
 * loop to take in place.
 */
export function isTrimmed(s: string): boolean {
  const last = s.length - 1;
  if (last < 0) return true;
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(last);
  return a > 32 && a < 127 && b > 32 && b < 127;
}

/** A cell as trimmed text; numbers as Excel would print them plainly. Never throws. */
export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return "";
  switch (typeof cell) {
    case "string":
      return isTrimmed(cell) ? cell : cell.trim();
    case "number":
      return Number.isFinite(cell) ? String(cell) : "";
    case "boolean":
      return cell ? "TRUE" : "FALSE";
    default:
      // Rich values from other readers (dates, objects) still become text, never a crash.
      try {
        return String(cell).trim();
      } catch {
        return "";
      }
  }
}

export function isBlankRow(row: readonly Cell[] | undefined): boolean {
  if (!row) return true;
  for (let i = 0; i < row.length; i++) {
    const c = row[i];
    if (c === null || c === undefined || c === "") continue;
    if (typeof c === "string" && c.trim() === "") continue;
    return false;
  }
  return true;
}

/** Column letters as Excel shows them: 0 -> A, 25 -> Z, 26 -> AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** yes/no cells: "yes", "y", "true", "1", "x", TRUE, 1. */
export function cellFlag(cell: Cell): boolean | undefined {
  if (typeof cell === "boolean") return cell;
  if (typeof cell === "number") return cell !== 0;
  const t = cellText(cell).toLowerCase();
  if (t === "") return false;
  if (["yes", "y", "true", "1", "x", "ja", "oui", "si", "✓", "✔"].includes(t)) return true;
  if (["no", "n", "false", "0", "-", "nein", "non"].includes(t)) return false;
  return undefined;
}
