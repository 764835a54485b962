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
  return n;
}

/** A price argument: empty means "use the default"; otherwise a finite number above 0. */
export function readPrice(value: unknown, name: string, fallback: number): number {
  if (value === null || value === undefined || value === "") return fallback;
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  if (!Number.isFinite(n) || n <= 0) throw valueError(`${name} must be a price above 0, not ${describe(value)}.`);
  return n;
}

export function describe(value: unknown): string {
  if (typeof value === "string") return `the text "${value.length > 40 ? value.slice(0, 40) + "…" : value}"`;
  if (typeof value === "boolean") return `the logical value ${value ? "TRUE" : "FALSE"}`;
  return String(value);
}
