/**
 * The sheet names the audit looks for when the user has not picked a sheet: shared by the
 * task pane and the command line, so both find the same sheets in the same workbook.
 */
export const INVENTORY_SHEET_NAMES = ["Inventory"];
export const OWNED_SHEET_NAMES = ["Owned Licenses", "Owned Licences", "Owned", "Licenses", "Licences"];

/** The first name in `wanted` (in that order) that one of `sheets` has, ignoring case and spaces. */
export function findNamedSheet(sheets: readonly string[], wanted: readonly string[]): string | undefined {
  for (const w of wanted) {
    const hit = sheets.find((s) => s.trim().toLowerCase() === w.toLowerCase());
    if (hit !== undefined) return hit;
  }
  return undefined;
}
