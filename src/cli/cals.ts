#!/usr/bin/env node
/**
 * `cals`: the command-line face of the CAL audit. Parses arguments, reads files, runs the
 * engine, prints, writes. No licensing logic lives here.
 *
 *   cals audit FILE.xlsx|FILE.csv [--sheet NAME] [--owned FILE | --owned-sheet NAME]
 *        [--mode MODE] [--version V] [--as-of YYYY-MM-DD] [--user-price N] [--device-price N]
 *        [--enterprise-user-price N] [--enterprise-device-price N] [--server-price N]
 *        [--connector-price N] [--journal-whole-org] [--rights-protection] [--advanced-anti-spam]
 *        [--out OUT.xlsx] [--json] [--fail-on-shortfall]
 *
 * Exit codes: 0 done (compliant, or not compliant without --fail-on-shortfall);
 * 1 not compliant with --fail-on-shortfall; 2 bad usage, unreadable input, bad prices,
 * output that cannot be written; 3 an unexpected internal error. Every error is one line on
 * stderr, never a stack trace.
 */
import * as fs from "fs";
import * as path from "path";
import { Command, CommanderError } from "commander";
import { AuditInputError, auditInventory, checkAuditOptions, InventoryStream, reportToJson, runAudit, readIsoDate } from "../audit";
import type { AuditOptions, AuditReport, Inventory, Prices } from "../audit";
import { findNamedSheet, INVENTORY_SHEET_NAMES, OWNED_SHEET_NAMES } from "../sheet";
import { parseMode, parseVersion, VERSION_NAMES } from "../licensing";
import {
  checkOutPath,
  ENCODING_NAMES,
  encodingName,
  FileInputError,
  GridSheet,
  InputFile,
  isCsvPath,
  mergeProblems,
  openCsvFile,
  OutputPathError,
  planSheetNames,
  readInputFile,
  samePath,
  SheetGrid,
  writeReportWorkbook,
} from "../files";
import { reportLayouts, SHEET_NAMES } from "../report";
import type { SheetLayout } from "../report";
import { parseOptionNumber } from "./numbers";
import { nodeWorkers } from "./workers";
import { formatSummary } from "./summary";
import { addInventoryCommand, InventoryUsageError, inventoryJson, inventoryText, runInventory } from "./inventory";
import { ExportFormatError } from "../exports";

interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stderr is a terminal: progress bars allowed. */
  stderrIsTTY: boolean;
  /** stdout is a terminal: colour allowed. */
  stdoutIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/** A usage or input problem: exit 2 with this one line. */
class UsageError extends Error {}

const EXIT_OK = 0;
const EXIT_SHORTFALL = 1;
const EXIT_USAGE = 2;
const EXIT_INTERNAL = 3;

/** Inputs with at least this many rows (or this many bytes) get a progress bar on a terminal. */
const PROGRESS_MIN_ROWS = 100_000;
const PROGRESS_MIN_BYTES = 8 * 1024 * 1024;

interface AuditArgs {
  sheet?: string;
  owned?: string;
  ownedSheet?: string;
  mode?: string;
  version?: string;
  userPrice?: string;
  devicePrice?: string;
  enterpriseUserPrice?: string;
  enterpriseDevicePrice?: string;
  serverPrice?: string;
  connectorPrice?: string;
  journalWholeOrg?: boolean;
  asOf?: string;
  rightsProtection?: boolean;
  advancedAntiSpam?: boolean;
  out?: string;
  force?: boolean;
  encoding?: string;
  json?: boolean;
  failOnShortfall?: boolean;
}

function oneLine(text: string): string {
  return String(text)
    .replace(/^error:\s*/i, "")
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean)
    .join(" ");
}

/** Runs the command with `argv` (the arguments after the program name); resolves to the exit code. */
export async function main(argv: string[], io: Partial<CliIO> = {}): Promise<number> {
  const out: CliIO = {
    stdout: io.stdout ?? ((s) => void process.stdout.write(s)),
    stderr: io.stderr ?? ((s) => void process.stderr.write(s)),
    stderrIsTTY: io.stderrIsTTY ?? !!process.stderr.isTTY,
    stdoutIsTTY: io.stdoutIsTTY ?? !!process.stdout.isTTY,
    env: io.env ?? process.env,
  };
  const fail = (message: string, code = EXIT_USAGE) => {
    out.stderr(`cals: ${oneLine(message)}\n`);
    return code;
  };

  if (argv.length === 0)
    return fail("missing command; usage: cals audit FILE.xlsx|FILE.csv [options] or cals inventory --mailboxes FILE ... --out FILE (see cals --help)");

  let exitCode = EXIT_OK;
  const program = new Command();
  program
    .name("cals")
    .description("Audit Microsoft Exchange Client Access Licences (CALs) from an inventory workbook or CSV.")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => out.stdout(s),
      writeErr: (s) => out.stderr(s),
      outputError: (s) => out.stderr(`cals: ${oneLine(s)}\n`),
    })
    .showSuggestionAfterError(true)
    .allowExcessArguments(false);

  program
    .command("audit")
    .description("Audit an inventory: CALs required, the cheapest user/device mix, and the position against what is owned.")
    .argument("<file>", "the inventory: an .xlsx workbook or a .csv file")
    .option("--sheet <name>", 'inventory sheet (default: a sheet named "Inventory", else the first sheet)')
    .option("--owned <file>", "owned-licences table in its own file (.xlsx or .csv)")
    .option("--owned-sheet <name>", 'owned-licences sheet (default: a sheet named "Owned Licenses", "Owned Licences", "Owned" or "Licenses")')
    .option("--mode <mode>", "auto, per-user, per-device, mixed, per-seat or per-server", "auto")
    .option("--version <version>", "Exchange version for rows that name none (e.g. 2016)")
    .option("--as-of <YYYY-MM-DD>", "the audit date: which SA and subscriptions are active, which versions were out (default: today)")
    .option("--user-price <n>", "price of a Standard user CAL")
    .option("--device-price <n>", "price of a Standard device CAL")
    .option("--enterprise-user-price <n>", "price of an Enterprise user CAL (the add-on)")
    .option("--enterprise-device-price <n>", "price of an Enterprise device CAL (the add-on)")
    .option("--server-price <n>", "price of a per-server CAL (5.5/2000; default: the device CAL price)")
    .option("--connector-price <n>", "price of an External Connector licence, one per server (2010 and earlier)")
    .option("--journal-whole-org", "a journal rule covers the whole organisation: every mailbox needs an Enterprise CAL (2007 on)")
    .option("--rights-protection", "rights-protection (IRM) transport rules are in use: every 2010 mailbox needs an Enterprise CAL")
    .option("--advanced-anti-spam", "advanced anti-spam updates run on a transport server: every 2007/2010 mailbox needs an Enterprise CAL")
    .option("--out <file>", "write a workbook: the input with the report sheets added (CSV input: a new workbook); never replaces a file without --force")
    .option("--force", "let --out replace an existing file (never the input)")
    .option("--encoding <name>", `a CSV file's encoding (default: its BOM, else UTF-8, else Windows-1252 with a warning): ${ENCODING_NAMES.join(", ")}`)
    .option("--json", "print the report as JSON (schema cals-audit/1) on stdout, nothing else")
    .option("--fail-on-shortfall", "exit with code 1 when the position is not compliant")
    .allowExcessArguments(false)
    .addHelpText(
      "after",
      "\nExit codes: 0 done; 1 not compliant (with --fail-on-shortfall); 2 bad usage, unreadable input or\n" +
        "output that cannot be written; 3 internal error. Errors are one line on stderr.\n" +
        "Example: cals audit inventory.xlsx --owned owned.csv --user-price 82 --device-price 76 --out audit.xlsx",
    )
    .action(async (file: string, args: AuditArgs) => {
      exitCode = await audit(file, args, out);
    });

  addInventoryCommand(program, async (args) => {
    const run = await runInventory(args);
    out.stdout(args.json ? inventoryJson(run) : inventoryText(run));
  });

  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and --help print to stdout and end with code 0; everything else is bad usage
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return EXIT_OK;
      if (err.code === "commander.help") return EXIT_USAGE;
      return EXIT_USAGE; // the one-line message was already printed by outputError
    }
    if (
      err instanceof UsageError ||
      err instanceof FileInputError ||
      err instanceof AuditInputError ||
      err instanceof OutputPathError ||
      err instanceof InventoryUsageError ||
      err instanceof ExportFormatError
    ) {
      return fail(err.message);
    }
    const e = err as Error;
    return fail(`internal error: ${e?.message ?? String(err)} (please report this)`, EXIT_INTERNAL);
  }
}

function parsePriceArg(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = parseOptionNumber(value);
  if (n === undefined || n <= 0)
    throw new UsageError(`${flag} must be a price above 0, written with "." as the decimal point (e.g. 82.50 or 1e3; got "${value}")`);
  return n;
}

function findSheet(sheets: SheetGrid[], name: string): SheetGrid | undefined {
  const want = name.trim().toLowerCase();
  return sheets.find((s) => s.name === name) ?? sheets.find((s) => s.name.trim().toLowerCase() === want);
}

/** The sheets a person can see or unhide in Excel: a very hidden sheet is never named. */
function sheetList(sheets: SheetGrid[]): string {
  return sheets
    .filter((s) => s.visibility !== "veryHidden")
    .map((s) => `"${s.name}"${s.visibility === "hidden" ? " (hidden)" : ""}`)
    .join(", ");
}

const isVisible = (s: SheetGrid) => (s.visibility ?? "visible") === "visible";

function isReportSheet(name: string): boolean {
  const n = name.toLowerCase();
  return Object.values(SHEET_NAMES).some((r) => n === r.toLowerCase() || n.startsWith(r.toLowerCase() + " ("));
}

interface Progress {
  update(done: number, total: number, label: string): void;
  stop(): void;
}

/** A cli-progress bar on stderr, only on a terminal and only once the input is large. */
function makeProgress(io: CliIO): Progress {
  if (!io.stderrIsTTY || io.env.CI) return { update() {}, stop() {} };
  // loaded lazily: pipes and tests never pay for it
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cliProgress = require("cli-progress") as typeof import("cli-progress");
  let bar: import("cli-progress").SingleBar | null = null;
  let current = "";
  return {
    update(done, total, label) {
      if (!bar || label !== current) {
        bar?.stop();
        bar = new cliProgress.SingleBar(
          { format: `${label.padEnd(9)} [{bar}] {percentage}% | {value}/{total}`, stream: process.stderr, hideCursor: true, clearOnComplete: true, fps: 10 },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.max(total, 1), 0);
        current = label;
      }
      bar.setTotal(Math.max(total, done, 1));
      bar.update(done);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

async function audit(file: string, args: AuditArgs, io: CliIO): Promise<number> {
  // 1. everything that can be checked before reading a byte
  const prices = pricesFromArgs(args);
  const encoding = checkAuditArgs(file, args);

  let size = 0;
  try {
    size = fs.statSync(file).size;
  } catch {
    /* readInputFile says why */
  }
  const progress = makeProgress(io);
  const readProgress = size >= PROGRESS_MIN_BYTES ? (d: number, t: number) => progress.update(d, t, "Reading") : undefined;
  try {
    const timing: [string, number][] = [];
    let mark = performance.now();
    const lap = (name: string) => {
      const now = performance.now();
      timing.push([name, now - mark]);
      mark = now;
    };
    const auditOptions: AuditOptions = {
      mode: args.mode,
      defaultVersion: args.version,
      asOf: args.asOf,
      prices,
      // A big inventory's names and min cut are worked out on worker threads.
      workers: nodeWorkers,
      orgWide: { journalWholeOrg: !!args.journalWholeOrg, rightsProtectionRules: !!args.rightsProtection, advancedAntiSpam: !!args.advancedAntiSpam },
    };
    // 2 and 3. read the input and audit it
    const read: ReadAndAudit = { file, args, encoding, size, auditOptions, readProgress, progress, lap };
    const audited = streamable(file, args) ? await auditStreamed(read) : await auditWhole(read);
    const { input, inventory, owned } = audited;
    progress.stop();
    const report = mergeProblems(audited.report, input, inventory, owned);
    lap("audit");

    // 4. the workbook
    let written: { out: string; sheets: string[] } | undefined;
    if (args.out !== undefined) {
      written = await writeOut(input, inventory, owned, report, args.out, !!args.force);
      lap("write");
    }

    // 5. stdout
    if (args.json) {
      io.stdout(JSON.stringify(reportToJson(report), null, 2) + "\n");
      if (written) io.stderr(`Workbook written: ${written.out}\n`);
    } else {
      const color = io.stdoutIsTTY && !io.env.NO_COLOR;
      io.stdout(formatSummary(report, { file, written, color }));
    }
    lap("print");
    // CALS_TIMING=1: phase times on stderr (used by the benchmark)
    if (io.env.CALS_TIMING) io.stderr(`cals timing: ${timing.map(([k, ms]) => `${k} ${Math.round(ms)} ms`).join(", ")}\n`);
    return args.failOnShortfall && report.status !== "compliant" ? EXIT_SHORTFALL : EXIT_OK;
  } finally {
    progress.stop();
  }
}

/** The prices given on the command line; the core fills the rest. */
function pricesFromArgs(args: AuditArgs): Partial<Prices> {
  const prices: Partial<Prices> = {};
  const set = (key: keyof Prices, v: number | undefined) => {
    if (v !== undefined) prices[key] = v;
  };
  set("userStandard", parsePriceArg(args.userPrice, "--user-price"));
  set("deviceStandard", parsePriceArg(args.devicePrice, "--device-price"));
  set("userEnterprise", parsePriceArg(args.enterpriseUserPrice, "--enterprise-user-price"));
  set("deviceEnterprise", parsePriceArg(args.enterpriseDevicePrice, "--enterprise-device-price"));
  set("server", parsePriceArg(args.serverPrice, "--server-price"));
  set("externalConnector", parsePriceArg(args.connectorPrice, "--connector-price"));
  return prices;
}

/** The arguments checked before reading a byte (the engine checks some too; this answers before a big file is read). Returns the encoding asked for. */
function checkAuditArgs(file: string, args: AuditArgs): string | undefined {
  if (args.mode !== undefined && !parseMode(args.mode)) {
    throw new UsageError(`Unknown mode "${args.mode}". Use auto, per-user, per-device, mixed, per-seat or per-server.`);
  }
  if (args.asOf !== undefined && !readIsoDate(args.asOf)) {
    throw new UsageError(`--as-of "${args.asOf}" is not a date; write it as YYYY-MM-DD (for example 2026-12-03).`);
  }
  if (args.version !== undefined && !parseVersion(args.version)) {
    throw new UsageError(`Unknown version "${args.version}" for --version. Use one of ${VERSION_NAMES.join(", ")}.`);
  }
  const encoding = args.encoding === undefined ? undefined : encodingName(args.encoding);
  if (args.encoding !== undefined && !encoding) throw new UsageError(`Unknown --encoding "${args.encoding}". Use one of ${ENCODING_NAMES.join(", ")}.`);
  if (args.out !== undefined) {
    // the output is the input package with sheets added: a macro-enabled input stays one
    const macros = /\.xlsm$/i.test(file);
    if (macros && !/\.xlsm$/i.test(args.out))
      throw new UsageError(`--out must name an .xlsm file: ${path.basename(file)} holds macros, and the output keeps them (got "${args.out}")`);
    if (!macros && !/\.xlsx$/i.test(args.out)) throw new UsageError(`--out must name an .xlsx file (got "${args.out}")`);
    for (const input of [file, args.owned]) {
      if (input && samePath(input, args.out)) throw new UsageError(`--out ${args.out} is an input file; the input is never overwritten, choose another name`);
    }
    // before reading a byte: a refused --out is known now, not after the whole audit
    checkOutPath(args.out, !!args.force);
  }
  return encoding;
}

/** What reading and auditing an input needs. */
interface ReadAndAudit {
  file: string;
  args: AuditArgs;
  encoding: string | undefined;
  size: number;
  auditOptions: AuditOptions;
  readProgress: ((done: number, total: number) => void) | undefined;
  progress: ReturnType<typeof makeProgress>;
  lap: (phase: string) => void;
}

interface Audited {
  input: InputFile;
  inventory: SheetGrid;
  owned: SheetGrid | undefined;
  report: AuditReport;
}

/**
 * A CSV that is not written back goes row by row into the audit: its rows are never held
 * all at once (its text is), see openCsvFile. The same report, with less memory and time on
 * big files ("read" then includes reading the inventory rows).
 */
async function auditStreamed({ file, args, encoding, size, auditOptions, readProgress, lap }: ReadAndAudit): Promise<Audited> {
  checkAuditOptions(auditOptions);
  // In the whole-file path's order: the input file, then the owned table, then the rows.
  const csv = openCsvFile(file, encoding);
  const inventory: SheetGrid = { name: csv.name, grid: [] };
  const input: InputFile = { kind: "csv", path: file, sheets: [inventory], problems: [], warnings: csv.warnings };
  const owned = await pickOwned(input, inventory, args, encoding);
  const rows = new InventoryStream({ ...auditOptions, sheet: inventory.name }, Math.max(1024, Math.round(size / 64)));
  let read: Inventory;
  try {
    input.problems = csv.eachRow((row) => rows.push(row), readProgress);
    read = rows.finish();
  } catch (e) {
    rows.abort();
    throw e;
  }
  lap("read");
  const report = auditInventory(read, { ...auditOptions, sheet: inventory.name, owned: owned?.grid, ownedSheet: owned?.name });
  return { input, inventory, owned, report };
}

/** Any other input: read whole, then audited. */
async function auditWhole({ file, args, encoding, auditOptions, readProgress, progress, lap }: ReadAndAudit): Promise<Audited> {
  const input = await readInputFile(file, { encoding, onProgress: readProgress });
  const inventory = pickInventorySheet(input, args);
  const owned = await pickOwned(input, inventory, args, encoding);
  lap("read");
  const big = inventory.grid.length >= PROGRESS_MIN_ROWS;
  const report = runAudit(inventory.grid, {
    ...auditOptions,
    sheet: inventory.name,
    owned: owned?.grid,
    ownedSheet: owned?.name,
    onProgress: big ? (d, t) => progress.update(d, t, "Auditing") : undefined,
  });
  return { input, inventory, owned, report };
}

/** A CSV read for the report only (no --out, no sheet options) can be streamed. */
function streamable(file: string, args: AuditArgs): boolean {
  return (
    isCsvPath(file) &&
    args.out === undefined &&
    args.sheet === undefined &&
    args.ownedSheet === undefined &&
    !(args.owned !== undefined && samePath(args.owned, file))
  );
}

function pickInventorySheet(input: InputFile, args: AuditArgs): SheetGrid {
  const sheets = input.sheets;
  if (args.sheet !== undefined) {
    const found = findSheet(sheets, args.sheet);
    if (found) return found;
    if (input.kind === "csv") throw new UsageError(`--sheet "${args.sheet}": a CSV file has one sheet, "${sheets[0].name}"; leave --sheet out`);
    throw new UsageError(`No sheet named "${args.sheet}" in ${path.basename(input.path)}; its sheets are ${sheetList(sheets)}`);
  }
  // by default only visible sheets: a hidden or very hidden sheet is never picked unasked
  const visible = sheets.filter(isVisible);
  if (visible.length === 0)
    throw new UsageError(`${path.basename(input.path)} has no visible sheets${sheets.length ? `; name a hidden one with --sheet (${sheetList(sheets)})` : ""}`);
  const namedSheet = findNamedSheet(
    visible.map((s) => s.name),
    INVENTORY_SHEET_NAMES,
  );
  const named = visible.find((s) => s.name === namedSheet);
  if (named) return named;
  const ownedName = args.ownedSheet?.trim().toLowerCase();
  const candidates = visible.filter((s) => {
    const n = s.name.trim().toLowerCase();
    return !isReportSheet(s.name) && n !== ownedName && findNamedSheet([s.name], OWNED_SHEET_NAMES) === undefined;
  });
  return candidates[0] ?? visible[0];
}

async function pickOwned(input: InputFile, inventory: SheetGrid, args: AuditArgs, encoding?: string): Promise<SheetGrid | undefined> {
  if (args.owned !== undefined) {
    const file = samePath(args.owned, input.path) ? input : await readInputFile(args.owned, { encoding });
    if (file !== input) {
      // what the owned file's reader reported travels with the input's
      input.problems.push(...file.problems);
      input.warnings.push(...file.warnings);
    }
    if (args.ownedSheet !== undefined) {
      const found = findSheet(file.sheets, args.ownedSheet);
      if (!found) throw new UsageError(`No sheet named "${args.ownedSheet}" in ${path.basename(args.owned)}; its sheets are ${sheetList(file.sheets)}`);
      return found;
    }
    const owned = findNamedSheet(
      file.sheets.map((s) => s.name),
      OWNED_SHEET_NAMES,
    );
    const visible = file.sheets.filter(isVisible);
    return file.sheets.find((s) => s.name === owned) ?? visible.find((s) => s !== inventory) ?? visible[0] ?? file.sheets[0];
  }
  if (args.ownedSheet !== undefined) {
    if (input.kind === "csv") throw new UsageError("--owned-sheet needs an .xlsx input; for CSV input give the owned licences with --owned FILE");
    const found = findSheet(input.sheets, args.ownedSheet);
    if (!found) throw new UsageError(`No sheet named "${args.ownedSheet}" in ${path.basename(input.path)}; its sheets are ${sheetList(input.sheets)}`);
    if (found === inventory) throw new UsageError(`--owned-sheet "${args.ownedSheet}" is the inventory sheet; name another sheet`);
    return found;
  }
  const owned = findNamedSheet(
    input.sheets.filter((s) => s !== inventory && s.visibility !== "veryHidden").map((s) => s.name),
    OWNED_SHEET_NAMES,
  );
  return input.sheets.find((s) => s.name === owned && s !== inventory);
}

async function writeOut(input: InputFile, inventory: SheetGrid, owned: SheetGrid | undefined, report: AuditReport, out: string, force: boolean) {
  // CSV input: a new workbook with the inventory (and an owned table from its own file)
  const grids: GridSheet[] = [];
  if (!input.bytes) {
    grids.push({ name: inventory.name, grid: inventory.grid, headerRow: report.source.headerRow });
    if (owned && !input.sheets.includes(owned)) grids.push({ name: planSheetNames([inventory.name], [owned.name])[0], grid: owned.grid });
  }
  const existing = input.bytes ? input.sheets.map((s) => s.name) : grids.map((g) => g.name);
  const roles = ["summary", "assignments", "problems"] as const;
  const names = planSheetNames(
    existing,
    roles.map((r) => SHEET_NAMES[r]),
  );
  const layouts: SheetLayout[] = reportLayouts(report, {
    sheetNames: { summary: names[0], assignments: names[1], problems: names[2] },
  });
  const result = await writeReportWorkbook({ base: input.bytes, grids, layouts, out, force, inputs: [input.path] });
  return { out: result.out, sheets: result.sheetNames };
}

if (require.main === module) {
  // `cals audit x.csv | head`: a reader that goes away early is not an error
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`cals: internal error: ${oneLine((err as Error)?.message ?? String(err))}\n`);
      process.exitCode = EXIT_INTERNAL;
    },
  );
}
