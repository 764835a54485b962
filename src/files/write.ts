/**
 * Writes the report workbook. For an .xlsx input it is the input package with the report
 * sheets added: every part of the original is carried over byte for byte and only the parts
 * that list sheets and styles are amended (package.ts). For a CSV input it is a new package
 * holding the inventory as text and the report sheets. Rules kept here:
 * - an existing file is never replaced without `force`, and the input never at all;
 * - the folder is checked before the input is read (checkOutPath);
 * - the file appears whole or not at all: the package is built in memory, written to a
 *   temp file in the same folder and renamed over the target; an interrupted write removes
 *   its temp file, and one left by a killed process is removed by the next write there.
 */
import * as fs from "fs";
import * as path from "path";
import type { Grid } from "../sheet";
import type { SheetLayout } from "../report";
import { cleanSheetName, freeSheetName } from "../sheet";
import { addSheets, minimalPackage, NewSheet, unpack } from "./package";
import { gridSheetXml, layoutSheetXml } from "./sheetXml";

export { wrappedLines } from "./sheetXml";

export class OutputPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutputPathError";
  }
}

/** Sheets of plain cells for a new workbook (CSV input: the inventory, an owned table). */
export interface GridSheet {
  name: string;
  grid: Grid;
  /** The sheet row (1-based) of the table's header: bold, frozen and repeated on print. */
  headerRow?: number;
}

export interface WriteOptions {
  /** The input package (.xlsx): the report sheets are added to it. Without it, a new package. */
  base?: Uint8Array;
  /** Sheets of plain cells, before the report sheets (used when there is no base). */
  grids?: GridSheet[];
  /** Report layouts, with the final sheet names (planSheetNames). */
  layouts: SheetLayout[];
  out: string;
  /** Replace an existing file at `out`. */
  force?: boolean;
  /** Input files the output must not be (refused with OutputPathError). */
  inputs?: string[];
}

export interface WriteResult {
  out: string;
  /** The names the report sheets got, in layout order. */
  sheetNames: string[];
}

/** True when a and b name the same file (after resolving symlinks and, on Windows/macOS, case). */
export function samePath(a: string, b: string): boolean {
  const norm = (p: string) => {
    let r = path.resolve(p);
    try {
      r = fs.realpathSync.native(r);
    } catch {
      // the file does not exist (yet): resolve its folder instead
      try {
        r = path.join(fs.realpathSync.native(path.dirname(r)), path.basename(r));
      } catch {
        /* keep the resolved path */
      }
    }
    return process.platform === "win32" || process.platform === "darwin" ? r.toLowerCase() : r;
  };
  return norm(a) === norm(b);
}

const TEMP_MARK = ".cals-tmp-";
/** Excel's widest sheet. */
const MAX_COLUMNS = 16384;

/**
 * Whether `out` may be written: its folder exists and is writable, it is not a folder, and
 * it does not exist unless `force`. Called before the input is read.
 */
export function checkOutPath(out: string, force: boolean): void {
  const dir = path.dirname(path.resolve(out));
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new OutputPathError(`Cannot write ${out}: folder ${dir} does not exist`);
  }
  if (!stat.isDirectory()) throw new OutputPathError(`Cannot write ${out}: ${dir} is not a folder`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new OutputPathError(`Cannot write ${out}: folder ${dir} is not writable (permission denied)`);
  }
  if (fs.existsSync(out)) {
    if (fs.statSync(out).isDirectory()) throw new OutputPathError(`Cannot write ${out}: it is a folder`);
    if (!force) throw new OutputPathError(`${out} already exists; CALS never replaces a file unasked: choose another --out, or give --force to replace it`);
  }
}

/** Temp files of ours left in `dir` by a process that no longer runs (killed mid-write). */
function removeStaleTemps(dir: string): void {
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = new RegExp(`^\\..*${TEMP_MARK.replace(/\./g, "\\.")}(\\d+)-[0-9a-z]+$`).exec(name);
    if (!m || Number(m[1]) === process.pid) continue;
    let alive = true;
    try {
      process.kill(Number(m[1]), 0);
    } catch (e) {
      alive = (e as NodeJS.ErrnoException).code === "EPERM";
    }
    if (!alive) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/** Writes `chunks` to `out` whole or not at all. */
function writeAtomically(out: string, chunks: Uint8Array[]): void {
  const dir = path.dirname(path.resolve(out));
  removeStaleTemps(dir);
  const tmp = path.join(dir, `.${path.basename(out)}${TEMP_MARK}${process.pid}-${Date.now().toString(36)}`);
  const cleanup = () => fs.rmSync(tmp, { force: true });
  // an interrupted write (Ctrl+C, a CI timeout) removes its temp file before the process ends
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  const onSignal = (sig: NodeJS.Signals) => {
    cleanup();
    process.kill(process.pid, sig);
  };
  for (const s of signals) process.once(s, onSignal);
  process.once("exit", cleanup);
  try {
    const fd = fs.openSync(tmp, "wx");
    try {
      for (const c of chunks) fs.writeSync(fd, c);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, out);
  } catch (err) {
    cleanup();
    const e = err as NodeJS.ErrnoException;
    const why =
      e?.code === "EACCES" || e?.code === "EPERM" ? "permission denied" : e?.code === "ENOSPC" ? "disk full" : String(e?.message ?? err).split(/\r?\n/)[0];
    throw new OutputPathError(`Cannot write ${out}: ${why} (nothing was written)`);
  } finally {
    for (const s of signals) process.removeListener(s, onSignal);
    process.removeListener("exit", cleanup);
  }
}

export async function writeReportWorkbook(options: WriteOptions): Promise<WriteResult> {
  const { out, layouts } = options;
  for (const input of options.inputs ?? []) {
    if (samePath(input, out)) {
      throw new OutputPathError(`Refusing to write ${path.basename(out)}: it is the input file; choose another --out (the input is never overwritten)`);
    }
  }
  checkOutPath(out, !!options.force);
  for (const g of options.base ? [] : (options.grids ?? [])) {
    const wide = g.grid.findIndex((row) => (row?.length ?? 0) > MAX_COLUMNS);
    if (wide >= 0) {
      throw new OutputPathError(
        `Cannot write ${out}: row ${wide + 1} of ${g.name} has ${g.grid[wide].length.toLocaleString("en-US")} columns, more than a worksheet holds (16,384); audit without --out, or remove the extra columns (nothing was written)`,
      );
    }
  }
  const parts = options.base ? unpack(options.base) : minimalPackage();
  const sheets: NewSheet[] = [];
  if (!options.base) {
    for (const g of options.grids ?? []) sheets.push({ name: g.name, write: (styles, sink) => gridSheetXml(g.grid, g.headerRow ?? 1, styles, sink) });
  }
  for (const layout of layouts) sheets.push({ name: layout.name, write: (styles, sink) => layoutSheetXml(layout, styles, sink) });
  const chunks: Uint8Array[] = [];
  addSheets(parts, sheets, (c) => chunks.push(c));
  writeAtomically(out, chunks);
  return { out, sheetNames: layouts.map((l) => l.name) };
}

// ---------------------------------------------------------------------------------------------
// Sheet names

/** `wanted` made acceptable, or "wanted (2)", "wanted (3)"... the first that no sheet has (case-insensitive). */
export function uniqueSheetName(names: readonly string[], wanted: string): string {
  return freeSheetName(cleanSheetName(wanted), new Set(names.map((n) => n.toLowerCase())));
}

/**
 * The names the report sheets will get when added, in order, to a workbook with these
 * sheets: the layouts can then name each other correctly (LayoutOptions.sheetNames).
 */
export function planSheetNames(existing: readonly string[], wanted: readonly string[]): string[] {
  const taken = [...existing];
  return wanted.map((w) => {
    const name = uniqueSheetName(taken, w);
    taken.push(name);
    return name;
  });
}
