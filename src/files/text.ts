/**
 * Cell text that every output can hold: characters XML 1.0 forbids (control characters,
 * U+FFFE, U+FFFF, unpaired surrogates) are replaced with U+FFFD, and text longer than
 * Excel's 32,767-character cell limit is cut with a visible mark. The readers apply this to
 * every cell and report each change at its cell, so the report, the JSON and the written
 * workbook all hold the same, well-formed text.
 */
import { columnLetter } from "../sheet";
import type { Cell } from "../sheet";
import type { Problem } from "../audit";

// eslint-disable-next-line no-control-regex
export const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const FORBIDDEN_SOURCE = XML_FORBIDDEN.source;
const ONE_FORBIDDEN = new RegExp(FORBIDDEN_SOURCE);

/** True when the text holds a character XML forbids. */
export function hasForbidden(text: string): boolean {
  return ONE_FORBIDDEN.test(text);
}

/** Excel's longest cell text. */
export const MAX_CELL_TEXT = 32767;

/** The text, cut to Excel's limit with a mark that says how long it was. */
export function cutToCellLimit(text: string): string {
  if (text.length <= MAX_CELL_TEXT) return text;
  const mark = ` …[cut by CALS: ${text.length.toLocaleString("en-US")} characters, Excel holds ${MAX_CELL_TEXT.toLocaleString("en-US")}]`;
  let keep = MAX_CELL_TEXT - mark.length;
  // never split a surrogate pair
  const code = text.charCodeAt(keep - 1);
  if (code >= 0xd800 && code <= 0xdbff) keep--;
  return text.slice(0, keep) + mark;
}

/** True when some cell text of this source may need cleaning (one regex over the whole text). */
export function mayNeedCleaning(text: string): boolean {
  return text.length > MAX_CELL_TEXT || hasForbidden(text);
}

/**
 * Cleans the string cells of one row in place; each change is reported at its cell
 * (`row` is the sheet row, `firstColumn` the 0-based column of cells[0]).
 */
export function cleanRow(cells: Cell[], sheet: string, row: number, problems: Problem[], firstColumn = 0): void {
  for (let c = 0; c < cells.length; c++) {
    const v = cells[c];
    if (typeof v !== "string") continue;
    let t = v;
    const why: string[] = [];
    if (hasForbidden(t)) {
      const n = (t.match(XML_FORBIDDEN) ?? []).length;
      t = t.replace(XML_FORBIDDEN, "\ufffd");
      why.push(`${n} character${n === 1 ? "" : "s"} that a workbook cannot hold (control characters or U+FFFE/U+FFFF) replaced with \ufffd`);
    }
    if (t.length > MAX_CELL_TEXT) {
      why.push(
        `text of ${t.length.toLocaleString("en-US")} characters cut to Excel's limit of ${MAX_CELL_TEXT.toLocaleString("en-US")}, with a mark at the end`,
      );
      t = cutToCellLimit(t);
    }
    if (why.length === 0) continue;
    cells[c] = t;
    problems.push({ sheet, row, column: columnLetter(firstColumn + c), message: `the cell's ${why.join("; ")}.`, severity: "warning" });
  }
}
