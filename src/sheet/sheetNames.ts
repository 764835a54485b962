/**
 * Sheet names, shared by the two writers (ExcelJS files and Office.js): one rule for the
 * length and for "(2)", "(3)"... when a name is taken.
 */

/** Excel's longest sheet name. */
export const MAX_SHEET_NAME = 31;

/** A name Excel accepts: none of \ / ? * [ ] :, no quote at either end, not blank, 31 characters at most. */
export function cleanSheetName(name: string): string {
  let n = name
    .replace(/[\\/?*[\]:]/g, " ")
    .replace(/^'+|'+$/g, "")
    .trim();
  if (!n) n = "Sheet";
  return n.slice(0, MAX_SHEET_NAME);
}

/**
 * `wanted`, or "wanted (2)", "wanted (3)"... the first not in `taken` (lower-cased names:
 * Excel compares sheet names ignoring case), shortened to fit 31 characters with its suffix.
 */
export function freeSheetName(wanted: string, taken: ReadonlySet<string>): string {
  const base = wanted.slice(0, MAX_SHEET_NAME);
  if (!taken.has(base.toLowerCase())) return base;
  for (let i = 2; ; i++) {
    const suffix = ` (${i})`;
    const candidate = wanted.slice(0, MAX_SHEET_NAME - suffix.length).trimEnd() + suffix;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}
