/**
 * The report as sheets: turns an audit report into sheet layouts (layout.ts, with a small
 * grid builder in builder.ts), each cell with its value, format and colour (types.ts), and
 * the words and number formats both writers share (format.ts). Pure: the Excel adapter and
 * the file writer only write what a layout says.
 */
export type { CellStyle, LayoutValue, Rect, SheetLayout } from "./types";
export { PALETTE } from "./types";
export { LINE_STATUS_WORD, reportLayouts, SHEET_NAMES, STATUS_WORD } from "./layout";
export { calTypeName, editionName, groupThousands, modeName } from "./format";
