import { valueError } from "./errors";

/**
 * Reads a count argument. Empty cells are 0 (what Excel users expect of an empty input);
 * anything that is not a whole, non-negative number is an error, never a rounded guess.
 */
export function readCount(value: unknown, name: string): number {
  if (value === null || value === undefined || value === "") return 0;
  let n: number;
  if (typeof value === "number") n = value;
  else if (typeof value === "string" && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?\s*$/i.test(value)) n = Number(value);
  else throw valueError(`${name} must be a number of ${name}, not ${describe(value)}.`);
  if (!Number.isFinite(n)) throw valueError(`${name} must be a finite number.`);
  if (n < 0) throw valueError(`${name} cannot be negative (got ${n}).`);
  if (!Number.isInteger(n)) throw valueError(`${name} must be a whole number (got ${n}).`);
  if (!Number.isSafeInteger(n)) throw valueError(`${name} is too large to count exactly (got ${n}).`);
  return n;
}

/**
 * An amount typed by a person, in either convention: "1,234.50", "1.234,50", "82,50",
 * "$ 82.50", "1 200". The last of "," or "." followed by 1-2 digits (money) is the decimal
 * mark; a separator followed by groups of exactly 3 digits is a thousands separator.
 * Anything else ambiguous or malformed is undefined, never a number 100 times too big: as
 * money, one separator before exactly 3 digits ("82.555", "1,000") could be either a
 * decimal mark or a thousands separator, so it is refused (isAmbiguousAmount says why).
 * `count` amounts are whole: there "1.000" and "1,000" are both a thousand.
 */
export function parseAmount(value: unknown, kind: "money" | "count"): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const t = value.replace(/[\s\u00a0'$€£¥]|USD|EUR|GBP/gi, "");
  if (!/^[+]?[0-9][0-9.,]*$/.test(t)) return /^[+]?\.[0-9]+$/.test(t) && kind === "money" ? Number(t) : undefined;
  const lastDot = t.lastIndexOf(".");
  const lastComma = t.lastIndexOf(",");
  const mark = Math.max(lastDot, lastComma);
  if (mark < 0) return Number(t);
  const sep = t[mark];
  const other = sep === "." ? "," : ".";
  const tail = t.slice(mark + 1);
  if (kind === "money" && isAmbiguousAmount(t)) return undefined;
  const decimal = kind === "money" && tail.length >= 1 && tail.length <= 2 && !(t.split(sep).length > 2);
  if (decimal) {
    const whole = t.slice(0, mark);
    if (!isGrouped(whole, other)) return undefined;
    return Number(`${whole.split(other).join("")}.${tail}`);
  }
  // No decimal mark: every separator must group thousands, and only one kind is used.
  if (t.includes(other) || !isGrouped(t, sep)) return undefined;
  return Number(t.split(sep).join(""));
}

/** Money text with one "." or "," before exactly three digits: 82.555 or 82,555? */
export function isAmbiguousAmount(text: string): boolean {
  return /^[+]?[0-9]{1,3}[.,][0-9]{3}$/.test(text.replace(/[\s\u00a0'$€£¥]|USD|EUR|GBP/gi, ""));
}

/** "1", "12", "1,234", "1,234,567" with the given separator (or no separator at all). */
function isGrouped(text: string, sep: string): boolean {
  if (!text.includes(sep)) return /^[+]?[0-9]+$/.test(text);
  const parts = text.replace(/^\+/, "").split(sep);
  return /^[0-9]{1,3}$/.test(parts[0]) && parts.slice(1).every((p) => /^[0-9]{3}$/.test(p));
}

/** A price argument: empty means "use the default"; otherwise an amount above 0. */
export function readPrice(value: unknown, name: string, fallback: number): number {
  if (value === null || value === undefined || value === "") return fallback;
  const n = parseAmount(value, "money");
  if (typeof value === "string" && isAmbiguousAmount(value)) {
    throw valueError(
      `${name} "${value}" is ambiguous (a decimal mark or a thousands separator?); write it without a thousands separator, e.g. ${value.replace(/[.,]/, "")}, or with two decimals.`,
    );
  }
  if (n === undefined || !Number.isFinite(n) || n <= 0) throw valueError(`${name} must be a price above 0, not ${describe(value)}.`);
  return n;
}

function describe(value: unknown): string {
  if (typeof value === "string") return `the text "${value.length > 40 ? value.slice(0, 40) + "…" : value}"`;
  if (typeof value === "boolean") return `the logical value ${value ? "TRUE" : "FALSE"}`;
  return String(value);
}
