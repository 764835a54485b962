/**
 * Reading Exchange's exports for the inventory builder: each CSV or workbook as a grid (the
 * same reader and CSV parser as the audit's input), and a folder of IIS W3C logs streamed
 * through a reducer a chunk at a time, so logs of any size are never held whole.
 */
import * as fs from "fs";
import * as path from "path";
import Papa from "papaparse";
import { FileInputError, readInputFile } from "./read";
import { checkOutPath, OutputPathError, samePath, writeReportWorkbook } from "./write";
import type { Grid } from "../sheet";

export interface ExportFile {
  source: string;
  grid: Grid;
  /** What the reader decided on the way (an encoding guessed, a quote never closed), as sentences. */
  warnings: string[];
}

/** An export as one grid: a CSV, or the first sheet of a workbook. */
export async function readExportFile(file: string): Promise<ExportFile> {
  const input = await readInputFile(file);
  const sheet = input.sheets[0];
  const source = path.basename(file);
  if (!sheet) throw new FileInputError(`Cannot read ${source}: the workbook has no sheets`);
  const warnings = [...input.warnings.map((w) => `${source}: ${w}`), ...input.problems.map((p) => `${source} row ${p.row}: ${p.message}`)];
  return { source, grid: sheet.grid, warnings };
}

export interface LogSink {
  file(source: string, server: string): { push(text: string): void; end(): void };
}

/** Log files under DIR (any depth), in name order. */
export function logFiles(dir: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new FileInputError(`Cannot read ${dir}: no such folder`);
  }
  if (!stat.isDirectory()) throw new FileInputError(`Cannot read ${dir}: --iis-logs needs a folder of IIS log files`);
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && /\.log$/i.test(e.name)) found.push(full);
    }
  };
  walk(dir);
  return found;
}

const CHUNK = 64 << 10;

/**
 * Streams every log under DIR into the sink, as Latin-1 text (one character per byte: no
 * decoding cost; the reducer reads names with bytes above 127 as UTF-8). A file's server is the first folder under DIR
 * ("iis/EX01/W3SVC1/u_ex261201.log" -> EX01), for logs without an s-computername field.
 */
export function streamLogs(dir: string, sink: LogSink, onFile?: (file: string, bytes: number) => void): number {
  const files = logFiles(dir);
  const buf = Buffer.allocUnsafe(CHUNK);
  for (const file of files) {
    const rel = path.relative(dir, file);
    const parts = rel.split(path.sep);
    const server = parts.length > 1 && !/^W3SVC\d*$/i.test(parts[0]) ? parts[0] : "";
    const parser = sink.file(rel.split(path.sep).join("/"), server);

    let fd: number;
    try {
      fd = fs.openSync(file, "r");
    } catch (err) {
      throw new FileInputError(`Cannot read ${rel}: ${(err as Error).message.split("\n")[0]}`);
    }
    let total = 0;
    try {
      for (;;) {
        const n = fs.readSync(fd, buf, 0, CHUNK, null);
        if (n === 0) break;
        total += n;
        parser.push(buf.toString("latin1", 0, n));
      }
      parser.end();
    } finally {
      fs.closeSync(fd);
    }
    onFile?.(rel, total);
  }
  return files.length;
}

export interface InventoryOutput {
  inventory: string[][];
  excluded: string[][];
  notes: string[][];
}

/**
 * Writes the built inventory: an .xlsx with the sheets Inventory, Excluded and Build notes
 * (every value a plain string, never a formula), or for .csv the inventory in FILE and the
 * excluded list in FILE-excluded.csv beside it. Each file appears whole or not at all.
 * Returns the files written.
 */
export async function writeInventoryFiles(out: string, data: InventoryOutput, inputs: string[], force = false): Promise<string[]> {
  const targets = checkInventoryOut(out, inputs, force);
  if (targets.length === 1) {
    const grids = [
      { name: "Inventory", grid: data.inventory, headerRow: 1 },
      { name: "Excluded", grid: data.excluded, headerRow: 1 },
      { name: "Build notes", grid: data.notes, headerRow: 1 },
    ];
    await writeReportWorkbook({ grids, layouts: [], out, inputs, force });
    return targets;
  }
  writeWhole(targets[0], Papa.unparse(data.inventory, { newline: "\r\n" }) + "\r\n");
  writeWhole(targets[1], Papa.unparse(data.excluded, { newline: "\r\n" }) + "\r\n");
  return targets;
}

/** The files --out will write, checked (not an input, folder writable, not there unless force); call it before reading. */
export function checkInventoryOut(out: string, inputs: string[], force: boolean): string[] {
  const targets = /\.xlsx$/i.test(out) ? [out] : [out, out.replace(/(\.csv)?$/i, "-excluded.csv")];
  for (const target of targets) {
    for (const input of inputs) {
      if (samePath(input, target)) throw new OutputPathError(`Refusing to write ${path.basename(target)}: it is an input file; choose another --out`);
    }
    checkOutPath(target, force);
  }
  return targets;
}

function writeWhole(file: string, text: string): void {
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    // a BOM so Excel opens the UTF-8 text as UTF-8
    fs.writeFileSync(tmp, "\ufeff" + text, "utf8");
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new OutputPathError(`Cannot write ${file}: ${(err as Error).message.split("\n")[0]} (nothing was written)`);
  }
}
