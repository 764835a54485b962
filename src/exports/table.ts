import type { Cell, Grid } from "../sheet";

/**
 * One export as a table: its header found (after a `#TYPE` line, titles or blank rows), its
 * columns looked up by the names the cmdlets and other tools print, and every cell read as
 * trimmed text. Knows nothing of what the columns mean.
 */

/** Which export a row came from, and where: `row` is the row as a spreadsheet shows it (1-based). */
export interface Origin {
  /** The file or sheet name as the user knows it. */
  source: string;
  row: number;
}

export interface Table {
  source: string;
  /** Sheet row (1-based) of the header. */
  headerRow: number;
  /** Column index by squeezed header name. */
  columns: Map<string, number>;
  /** Header text as the file spells it, by column index. */
  headers: string[];
  grid: Grid;
}

/** Header names compared squeezed: lower case, without spaces, "_", "-", ".", ":", "(", ")". */
export function squeezeHeader(text: string): string {
  return text.toLowerCase().replace(/[\s_\-.:()]+/g, "");
}

export function cellString(cell: Cell): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "string") return cell.trim();
  if (typeof cell === "number") return Number.isFinite(cell) ? String(cell) : "";
  return cell ? "True" : "False";
}

const HEADER_ROWS = 20;

/**
 * The first of the top rows that names at least `minKnown` of `known` (squeezed) columns.
 * `#TYPE System.Management.Automation.PSCustomObject` lines (Export-Csv without
 * -NoTypeInformation) and `#` comments are skipped.
 */
export function findTable(source: string, grid: Grid, known: readonly string[], minKnown = 1): Table | undefined {
  const want = new Set(known);
  const last = Math.min(grid.length, HEADER_ROWS);
  for (let r = 0; r < last; r++) {
    const row = grid[r] ?? [];
    const first = cellString(row[0]);
    if (first.startsWith("#")) continue;
    const headers = row.map(cellString);
    const columns = new Map<string, number>();
    headers.forEach((h, c) => {
      const key = squeezeHeader(h);
      if (key && !columns.has(key)) columns.set(key, c);
    });
    let hits = 0;
    for (const key of columns.keys()) if (want.has(key)) hits++;
    if (hits >= minKnown) return { source, headerRow: r + 1, columns, headers, grid };
  }
  return undefined;
}

/** The index of the first of `names` (squeezed) the table has, else -1. */
export function column(table: Table, names: readonly string[]): number {
  for (const n of names) {
    const c = table.columns.get(n);
    if (c !== undefined) return c;
  }
  return -1;
}

/** The header text of a column, or "" when absent. */
export function headerOf(table: Table, c: number): string {
  return c >= 0 ? table.headers[c] : "";
}

/** Data rows below the header, with their sheet row; blank rows are skipped. */
export function* dataRows(table: Table): Generator<{ row: number; cells: readonly Cell[] }> {
  for (let r = table.headerRow; r < table.grid.length; r++) {
    const cells = table.grid[r] ?? [];
    if (cells.every((c) => cellString(c) === "")) continue;
    yield { row: r + 1, cells };
  }
}

export function text(cells: readonly Cell[], c: number): string {
  return c >= 0 ? cellString(cells[c]) : "";
}

/**
 * A multi-valued property exported by Export-Csv without -join: PowerShell writes the
 * collection's type name ("System.Collections.Generic.List`1[System.String]",
 * "Microsoft.Exchange.Data.MultiValuedProperty`1[System.String]", "System.Object[]"), not
 * its values, so whether it was empty cannot be known.
 */
export function isTypeName(value: string): boolean {
  return /^(System|Microsoft)\.[\w.]+(`\d+)?(\[.*\])?$/.test(value) && /`\d+\[|\[\]$|Collection|MultiValued|List/.test(value);
}

/**
 * Text for comparing names across exports. Windows PowerShell 5.1's Export-Csv writes ASCII by
 * default, where every letter outside ASCII becomes "?": "José" arrives as "Jos?". Folding
 * every non-ASCII character to "?" makes the two meet; `exactKey` is tried first, so a fold
 * only decides when the exact spelling found nothing.
 */
export function exactKey(name: string): string {
  return name.normalize("NFC").trim().toLowerCase();
}

export function foldedKey(name: string): string {
  // eslint-disable-next-line no-control-regex
  return exactKey(name).replace(/[^\x00-\x7f]/g, "?");
}

/** A name that looks ASCII-mangled: a "?" between letters. */
export function looksMangled(name: string): boolean {
  return /[\p{L}]\?|\?[\p{L}]/u.test(name);
}
