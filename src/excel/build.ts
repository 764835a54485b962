/**
 * The pane's "Build inventory": reads every sheet, keeps those whose header says which
 * Exchange export was pasted into them, builds the inventory (src/exports) and adds it as new
 * sheets "Inventory" and "Excluded" (or "Inventory (2)"...), never over a sheet of the user's.
 * Every value is written as text. If the write fails, the sheets it added are removed.
 */
import { buildInventory, buildSummary, excludedGrid, exportKind, inventoryGrid } from "../exports";
import type { BuildResult, ExportInput, ExportKind } from "../exports";
import { freeSheetName } from "../sheet";
import type { ExcelHost } from "./host";
import { readSheet } from "./read";

export interface BuiltSheets {
  inventory: string;
  excluded: string;
  /** Which sheets were read as which export. */
  used: { sheet: string; kind: ExportKind }[];
  result: BuildResult;
  summary: string[];
}

export async function buildInventorySheets(host: ExcelHost, asOf: number, activeDays?: number): Promise<BuiltSheets> {
  const names = await host.run(async (context) => {
    const ws = context.workbook.worksheets;
    ws.load("items/name");
    await context.sync();
    return ws.items.map((w) => w.name);
  });
  const inputs: Record<ExportKind, ExportInput[]> = { mailboxes: [], mobileDevices: [], servers: [], logons: [] };
  const used: BuiltSheets["used"] = [];
  for (const name of names) {
    const { grid, firstRow } = await readSheet(host, name);
    const kind = exportKind(grid);
    if (!kind) continue;
    // rows are counted from the sheet's first row, as the user sees them
    const padded = firstRow > 1 ? [...Array.from({ length: firstRow - 1 }, () => []), ...grid] : grid;
    inputs[kind].push({ source: name, grid: padded });
    used.push({ sheet: name, kind });
  }
  if (inputs.mailboxes.length === 0) {
    throw new Error("No sheet holds a Get-Mailbox export (a header with PrimarySmtpAddress and RecipientTypeDetails): paste one first.");
  }
  const result = buildInventory(inputs, { asOf, activeDays });
  const grids = [inventoryGrid(result), excludedGrid(result)];
  const added = await host.run(async (context) => {
    const worksheets = context.workbook.worksheets;
    worksheets.load("items/name");
    await context.sync();
    const taken = new Set(worksheets.items.map((w) => w.name.toLowerCase()));
    const inventory = freeSheetName("Inventory", taken);
    taken.add(inventory.toLowerCase());
    const excluded = freeSheetName("Excluded", taken);
    const made: string[] = [];
    try {
      [inventory, excluded].forEach((name, i) => {
        const grid = grids[i];
        const ws = worksheets.add(name);
        made.push(name);
        const range = ws.getRangeByIndexes(0, 0, grid.length, grid[0].length);
        range.numberFormat = grid.map((r) => r.map(() => "@"));
        range.values = grid;
        ws.getRangeByIndexes(0, 0, 1, grid[0].length).format.font.bold = true;
        ws.freezePanes.freezeRows(1);
      });
      worksheets.getItem(inventory).activate();
      await context.sync();
    } catch (e) {
      for (const name of made) worksheets.getItemOrNullObject(name).delete();
      await context.sync().catch(() => undefined);
      throw e;
    }
    return { inventory, excluded };
  });
  return { ...added, used, result, summary: buildSummary(result) };
}
