/**
 * The small pane calls against office-addin-mock (Microsoft's Office.js mock): they use only
 * what the mock models (method calls and a sync). The rest of the adapter is tested against
 * the fuller fake in test/support/fake-excel.ts (batches, loads, payload limits).
 */
import { OfficeMockObject } from "office-addin-mock";
import type { ExcelHost } from "./host";
import { PANE_SETTING, savePaneSettings, selectRow } from "./workbook";

function mockHost(data: Record<string, unknown>): { host: ExcelHost; context: OfficeMockObject } {
  const context = new OfficeMockObject(data);
  const host: ExcelHost = {
    run: (batch) => batch(context as unknown as Excel.RequestContext),
    supports: () => true,
  };
  return { host, context };
}

test("selectRow shows the sheet and selects the whole row", async () => {
  const calls: string[] = [];
  const { host } = mockHost({
    workbook: {
      worksheets: {
        getItem: (name: string) => ({
          activate: () => calls.push(`activate ${name}`),
          getRange: (address: string) => ({ select: () => calls.push(`select ${name}!${address}`) }),
        }),
      },
    },
  });
  await selectRow(host, "Inventory", 57);
  expect(calls).toEqual(["activate Inventory", "select Inventory!57:57"]);
});

test("savePaneSettings stores the pane's choices as one workbook setting", async () => {
  const added: [string, unknown][] = [];
  let synced = 0;
  const { host, context } = mockHost({
    workbook: { settings: { add: (key: string, value: unknown) => added.push([key, value]) } },
  });
  const sync = context.sync.bind(context);
  context.sync = async () => {
    synced++;
    return sync();
  };
  await savePaneSettings(host, { inventorySheet: "Inventory", ownedSheet: "", mode: "mixed" });
  expect(added).toEqual([[PANE_SETTING, { inventorySheet: "Inventory", ownedSheet: "", mode: "mixed" }]]);
  expect(synced).toBe(1);
});
