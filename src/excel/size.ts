/**
 * Request and response sizes, estimated the way they cross the wire (JSON, UTF-8): Excel on the
 * web refuses a request or response over 5 MB, so reads and writes are cut into chunks that
 * stay under CHUNK_TARGET_BYTES (3 MB: a 33% margin under the 4 MB we promise ourselves).
 */
import type { LayoutValue } from "../report";

export const MB = 1024 * 1024;
/** What one chunk (one sync) aims at. */
export const CHUNK_TARGET_BYTES = 3 * MB;
/** Never more cells than this in one read or write (Excel fails reads over 5 million cells). */
export const MAX_CELLS_PER_CHUNK = 1_000_000;
/** The first read chunk assumes this many bytes per cell, before any row has been seen. */
export const FIRST_GUESS_BYTES_PER_CELL = 48;
/** Margin over the largest bytes-per-row seen so far when sizing the next read chunk. */
export const READ_MARGIN = 1.25;

/** UTF-8 bytes of a string as a JSON string literal (quotes and a separator included). */
export function stringBytes(s: string): number {
  let bytes = s.length + 3;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) bytes += c > 0x7ff ? 2 : 1;
    else if (c < 0x20 || c === 0x22 || c === 0x5c) bytes += c < 0x20 ? 5 : 1; // escapes
  }
  return bytes;
}

/** JSON bytes of one cell value. */
function cellBytes(v: unknown): number {
  if (typeof v === "string") return stringBytes(v);
  if (typeof v === "number") return String(v).length + 1;
  if (typeof v === "boolean") return v ? 5 : 6;
  return 5; // null
}

/** JSON bytes of one row of values. */
export function rowBytes(row: readonly (LayoutValue | unknown)[]): number {
  let bytes = 2;
  for (let i = 0; i < row.length; i++) bytes += cellBytes(row[i]);
  return bytes;
}

/** JSON bytes of a grid of values. */
export function gridBytes(grid: readonly (readonly unknown[])[]): number {
  let bytes = 2;
  for (const row of grid) bytes += rowBytes(row);
  return bytes;
}
