/**
 * Numbers typed in command options. Unlike cells, an option has one spelling: "." is the
 * decimal point ("82.555" is 82.555, never 82,555), no thousands separators, and plain or
 * scientific notation as programs print numbers ("1e3", "2.5E2").
 */
export function parseOptionNumber(text: string): number | undefined {
  const t = text.trim();
  if (!/^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}
