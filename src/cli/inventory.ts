/**
 * `cals inventory`: builds the inventory from Exchange's exports. Reads the files (src/files),
 * hands them to the builder (src/exports), writes what it returns. No rule lives here.
 */
import * as path from "path";
import type { Command } from "commander";
import { buildInventory, buildSummary, DEFAULT_ACTIVE_DAYS, excludedGrid, inventoryGrid, isoDay, parseIsoDay, W3cReducer } from "../exports";
import type { BuildResult, ExportInput } from "../exports";
import { checkInventoryOut, readExportFile, streamLogs, writeInventoryFiles } from "../files";

export interface InventoryArgs {
  mailboxes?: string[];
  mobileDevices?: string[];
  servers?: string[];
  logons?: string[];
  iisLogs?: string;
  activeDays?: string;
  asOf?: string;
  out?: string;
  json?: boolean;
  force?: boolean;
}

/** A usage problem: the command prints it as one line and exits 2. */
export class InventoryUsageError extends Error {}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function addInventoryCommand(program: Command, run: (args: InventoryArgs) => Promise<void>): void {
  program
    .command("inventory")
    .description("Build the inventory from Exchange's own exports (Get-Mailbox, Get-MobileDevice, Get-ExchangeServer, logons, IIS logs).")
    .option("--mailboxes <file>", "Get-Mailbox export (.csv or .xlsx); repeat for more files", collect)
    .option("--mobile-devices <file>", "Get-MobileDevice or Get-MobileDeviceStatistics export; repeat for more", collect)
    .option("--servers <file>", "Get-ExchangeServer export (Name, AdminDisplayVersion); Get-MailboxDatabase too; repeat for more", collect)
    .option("--logons <file>", "user and computer pairs (Intune, Configuration Manager, sign-in logs); repeat for more", collect)
    .option("--iis-logs <dir>", "folder of the Exchange servers' IIS W3C logs (one subfolder per server)")
    .option("--active-days <n>", `only activity within N days before the audit date counts (default ${DEFAULT_ACTIVE_DAYS})`)
    .option("--as-of <date>", "the audit date, YYYY-MM-DD (default: today, UTC)")
    .option("--out <file>", "where to write the inventory: .xlsx (sheets Inventory, Excluded, Build notes) or .csv (and FILE-excluded.csv)")
    .option("--force", "replace --out (and FILE-excluded.csv) when they exist")
    .option("--json", "print what was built as JSON on stdout")
    .addHelpText(
      "after",
      "\nThen audit it: cals audit inventory.xlsx. Every row says which export it came from (Source);\n" +
        "every mailbox, device or logon left out is listed with its reason (Excluded).\n" +
        "Example: cals inventory --mailboxes mailboxes.csv --mobile-devices devices.csv --servers servers.csv --out inventory.xlsx",
    )
    .action(run);
}

export interface InventoryRun {
  result: BuildResult;
  written: string[];
  lines: string[];
}

export async function runInventory(args: InventoryArgs, today: Date = new Date()): Promise<InventoryRun> {
  if (!args.out) throw new InventoryUsageError("--out FILE is required (.xlsx or .csv)");
  if (!/\.(xlsx|csv)$/i.test(args.out)) throw new InventoryUsageError(`--out must name an .xlsx or .csv file (got "${args.out}")`);
  if (!args.mailboxes?.length) throw new InventoryUsageError("--mailboxes FILE is required: the inventory is built around the Get-Mailbox export");
  const asOf = args.asOf === undefined ? Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) : parseIsoDay(args.asOf);
  if (asOf === undefined) throw new InventoryUsageError(`--as-of must be a date as YYYY-MM-DD (got "${args.asOf}")`);
  let activeDays = DEFAULT_ACTIVE_DAYS;
  if (args.activeDays !== undefined) {
    activeDays = Number(args.activeDays);
    if (!/^\d+$/.test(args.activeDays.trim()) || activeDays < 1)
      throw new InventoryUsageError(`--active-days must be a whole number of days, 1 or more (got "${args.activeDays}")`);
  }
  const all = [args.mailboxes, args.mobileDevices, args.servers, args.logons].flatMap((f) => f ?? []);
  checkInventoryOut(args.out, all, !!args.force);
  const fileWarnings: string[] = [];
  const read = async (files: string[] | undefined): Promise<ExportInput[]> => {
    const got = await Promise.all((files ?? []).map(readExportFile));
    for (const f of got) fileWarnings.push(...f.warnings);
    return got;
  };
  const inputs = {
    mailboxes: await read(args.mailboxes),
    mobileDevices: await read(args.mobileDevices),
    servers: await read(args.servers),
    logons: await read(args.logons),
    iis: undefined as ReturnType<W3cReducer["result"]> | undefined,
  };
  const lines: string[] = [];
  if (args.iisLogs) {
    const reducer = new W3cReducer();
    const files = streamLogs(args.iisLogs, reducer);
    inputs.iis = reducer.result();
    const s = reducer.skipped;
    lines.push(
      `IIS logs: ${files} file(s), ${reducer.lines} line(s) -> ${inputs.iis.length} distinct user/device/server; passed over: ${s.anonymous} anonymous, ${s.unauthorized} refused (401), ${s.otherPath} other paths (autodiscover, health checks), ${s.malformed + s.noFields} unreadable.`,
    );
  }
  const result = buildInventory(inputs, { asOf, activeDays });
  result.warnings.unshift(...fileWarnings);
  lines.unshift(...buildSummary(result));
  const notes = [["Note"], ...[...lines, ...result.warnings].map((l) => [l])];
  const written = await writeInventoryFiles(args.out, { inventory: inventoryGrid(result), excluded: excludedGrid(result), notes }, all, !!args.force);
  return { result, written, lines };
}

export function inventoryText(run: InventoryRun): string {
  const warn = run.result.warnings.map((w) => `warning: ${w}`);
  const next = run.written[0];
  return [...run.lines, ...warn, `Written: ${run.written.map((w) => path.basename(w)).join(", ")}`, `Next: cals audit ${next}`].join("\n") + "\n";
}

export function inventoryJson(run: InventoryRun): string {
  const r = run.result;
  return (
    JSON.stringify(
      {
        schema: "cals-inventory/1",
        asOf: isoDay(r.asOf),
        activeDays: r.activeDays,
        rows: r.rows.length,
        excluded: r.excluded.map((e) => ({ source: e.origin.source, row: e.origin.row, item: e.item, reason: e.reason })),
        warnings: r.warnings,
        written: run.written,
      },
      null,
      2,
    ) + "\n"
  );
}
