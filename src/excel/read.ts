/**
 * Reads a sheet's used range (values only) in row chunks, each one sync, sized so every
 * response stays well under Excel on the web's 5 MB limit and far from the 5-million-cell read
 * limit. The first chunk assumes FIRST_GUESS_BYTES_PER_CELL; each later chunk is sized from the
 * largest bytes-per-row seen so far (plus a margin). A chunk Excel still refuses as too large is
 * read again in halves. Only `values` are loaded: no formats, no formulas, no text.
 */
import type { Cell } from "../sheet";
import { CancelledError, WorkbookError } from "./errors";
import type { ExcelHost } from "./host";
import { CHUNK_TARGET_BYTES, FIRST_GUESS_BYTES_PER_CELL, gridBytes, MAX_CELLS_PER_CHUNK, READ_MARGIN } from "./size";

export interface SheetGrid {
  sheet: string;
  /** Values of the used range. */
  grid: Cell[][];
  /** Sheet row (1-based) of grid[0], for AuditOptions.firstRow. */
  firstRow: number;
  /** Sheet column (0-based) of grid[i][0], for AuditOptions.firstColumn. */
  firstColumn: number;
  /** Rows per chunk, in the order read (one sync each, after the first that sizes the range). */
  chunks: number[];
  /** Estimated JSON bytes of each chunk's response. */
  chunkBytes: number[];
  syncs: number;
}

interface ReadOptions {
  onProgress?: (rowsRead: number, rowsTotal: number) => void;
  signal?: { aborted: boolean };
  /** Each chunk's rows as soon as they are read, in order (the pane sends them on to its audit worker). */
  onChunk?: (rows: Cell[][]) => void;
  /** Bytes a chunk aims at (default CHUNK_TARGET_BYTES); smaller means more syncs, each a shorter task. */
  chunkBytes?: number;
}

const TOO_LARGE = new Set(["ResponsePayloadSizeLimitExceeded", "RangeExceedsLimit", "RequestPayloadSizeLimitExceeded"]);

function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown })?.code;
  return typeof code === "string" ? code : undefined;
}

/** Rows for the next chunk: `target` bytes at `bytesPerRow`, within the cell cap. */
function chunkRowsFor(bytesPerRow: number, columns: number, remaining: number, target = CHUNK_TARGET_BYTES): number {
  const byBytes = Math.floor(target / Math.max(1, bytesPerRow));
  const byCells = Math.floor(MAX_CELLS_PER_CHUNK / Math.max(1, columns));
  return Math.max(1, Math.min(remaining, byBytes, byCells));
}

/** The first chunk's size for a range this many columns wide. */
export function firstChunkRows(columns: number, rows: number, target = CHUNK_TARGET_BYTES): number {
  return chunkRowsFor(columns * FIRST_GUESS_BYTES_PER_CELL + 2, columns, rows, target);
}

export async function readSheet(host: ExcelHost, sheetName: string, options: ReadOptions = {}): Promise<SheetGrid> {
  return host.run(async (context) => {
    let syncs = 0;
    const sync = async () => {
      syncs++;
      await context.sync();
    };
    // Is it there? (A null object's children are no use, so its used range is asked next.)
    const sheet = context.workbook.worksheets.getItemOrNullObject(sheetName);
    sheet.load("name");
    await sync();
    if (sheet.isNullObject) {
      throw new WorkbookError(`There is no sheet named "${sheetName}" (renamed or deleted?). Pick the sheet again.`);
    }
    const name = sheet.name;
    const used = sheet.getUsedRangeOrNullObject(true);
    used.load("rowIndex,columnIndex,rowCount,columnCount");
    await sync();
    if (used.isNullObject) {
      return { sheet: name, grid: [], firstRow: 1, firstColumn: 0, chunks: [], chunkBytes: [], syncs };
    }
    const top = used.rowIndex;
    const left = used.columnIndex;
    const total = used.rowCount;
    const columns = used.columnCount;

    const grid: Cell[][] = new Array(total);
    const chunks: number[] = [];
    const chunkBytes: number[] = [];
    let done = 0;
    let maxBytesPerRow = 0;
    const target = options.chunkBytes ?? CHUNK_TARGET_BYTES;
    let rows = firstChunkRows(columns, total, target);
    options.onProgress?.(0, total);
    while (done < total) {
      if (options.signal?.aborted) throw new CancelledError();
      rows = Math.min(rows, total - done);
      const range = sheet.getRangeByIndexes(top + done, left, rows, columns);
      range.load("values");
      try {
        await sync();
      } catch (e) {
        // Still too large (rows far longer than the ones seen): read this part in halves.
        if (TOO_LARGE.has(errorCode(e) ?? "") && rows > 1) {
          rows = Math.ceil(rows / 2);
          continue;
        }
        throw e;
      }
      const values = range.values as Cell[][];
      for (let i = 0; i < values.length; i++) grid[done + i] = values[i];
      options.onChunk?.(values);
      const bytes = gridBytes(values);
      chunks.push(rows);
      chunkBytes.push(bytes);
      done += rows;
      maxBytesPerRow = Math.max(maxBytesPerRow, bytes / rows);
      options.onProgress?.(done, total);
      rows = chunkRowsFor(maxBytesPerRow * READ_MARGIN, columns, total - done, target);
    }
    return { sheet: name, grid, firstRow: top + 1, firstColumn: left, chunks, chunkBytes, syncs };
  });
}
