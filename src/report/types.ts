/**
 * A sheet layout: everything a writer needs to put one report sheet into a workbook,
 * with no Excel or file API in sight. Writers (src/excel for Office.js, src/files for
 * ExcelJS) turn it into calls; they add nothing and decide nothing.
 *
 * Rules every writer keeps:
 * - `values` holds values only, never formulas: a string is ALWAYS written as literal text,
 *   even when it starts with "=", "+", "-", "@", a tab or a carriage return (it may come
 *   from the inventory). Someone without the add-in sees exactly these values.
 * - Coordinates are 0-based (row 0 is sheet row 1, col 0 is column A).
 */
export type LayoutValue = string | number | boolean | null;

export interface Rect {
  row: number;
  col: number;
  rows: number;
  cols: number;
}

export interface CellStyle {
  fill?: string; // RRGGBB
  fontColor?: string; // RRGGBB
  bold?: boolean;
  italic?: boolean;
  fontSize?: number;
  wrap?: boolean;
  align?: "left" | "center" | "right";
  borderBottom?: boolean; // a thin rule under the cells (table headers)
}

export interface DataBars {
  rect: Rect; // the cells that get bars
  color: string; // RRGGBB
}

export interface SheetLayout {
  /** The sheet name wanted; a writer that finds a user's sheet by that name picks another. */
  name: string;
  role: "summary" | "assignments" | "problems";
  values: LayoutValue[][]; // rectangular: every row has the same length
  numberFormats: { rect: Rect; format: string }[]; // e.g. "#,##0", "#,##0.00"
  styles: { rect: Rect; style: CellStyle }[]; // applied in order; later wins
  merges: Rect[];
  columnWidths: number[]; // in characters, one per column
  freezeRows: number; // rows frozen at the top (the header)
  print: { landscape: true; fitToWidth: 1; titleRows?: Rect };
  dataBars: DataBars[]; // required vs owned shown as bars beside the position table
  /**
   * Explicit heights, in points, for the few rows whose text is larger than the default font
   * (title, status banner). Excel does not grow a row for a merged cell's font, so a writer
   * sets these; every other row is left to the program's own sizing (autofit).
   */
  rowHeights?: { row: number; points: number }[];
}

/** Excel's Good / Bad / Neutral palette: the status word always stands beside the colour. */
export const PALETTE = {
  good: { fill: "C6EFCE", fontColor: "006100" },
  bad: { fill: "FFC7CE", fontColor: "9C0006" },
  neutral: { fill: "FFEB9C", fontColor: "9C5700" },
  header: { fill: "1F4E78", fontColor: "FFFFFF" },
} as const;
