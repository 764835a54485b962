/** "Build inventory" against the in-memory Excel: exports pasted into sheets -> new Inventory and Excluded sheets. */
import * as path from "path";
import { parseCsv } from "../files";
import * as fs from "fs";
import { newWorkbook } from "../../test/support/excel-helpers";
import { buildInventorySheets } from "./build";

const FIX = path.resolve(__dirname, "../../test/fixtures/exports");
const sheet = (file: string) => parseCsv(fs.readFileSync(path.join(FIX, file), "utf8"));

test("sheets recognised by their headers become an Inventory sheet beside the user's own, which is untouched", async () => {
  const { wb, host } = newWorkbook();
  wb.addSheet("Inventory", [["mine"]]);
  wb.addSheet("Mailboxes", sheet("mailboxes.csv"));
  wb.addSheet("Phones", sheet("mobile-devices.csv"));
  wb.addSheet("Servers", sheet("servers.csv"));
  wb.addSheet("Intune", sheet("logons.csv"));
  wb.addSheet("Notes", [["anything"]]);
  const mine = wb.snapshot("Inventory");
  const built = await buildInventorySheets(host, Date.UTC(2026, 11, 3));
  expect(built.used).toEqual([
    { sheet: "Mailboxes", kind: "mailboxes" },
    { sheet: "Phones", kind: "mobileDevices" },
    { sheet: "Servers", kind: "servers" },
    { sheet: "Intune", kind: "logons" },
  ]);
  expect(built.inventory).toBe("Inventory (2)");
  expect(wb.snapshot("Inventory")).toBe(mine);
  const rows = wb.sheetByName("Inventory (2)")!.allValues();
  expect(rows[0]).toEqual(["User", "Device", "Server", "Version", "Edition", "Last seen", "Source", "Details"]);
  expect(rows.some((r) => r[0] === "ann@contoso.com" && r[1] === "LAP-ANN" && r[6] === "Mailboxes row 3; Servers row 3; Intune row 2")).toBe(true);
  const excluded = wb.sheetByName("Excluded")!.allValues();
  expect(excluded.some((r) => r[0] === "Mailboxes" && String(r[3]).startsWith("Shared mailbox"))).toBe(true);
  expect(wb.activeSheet!.name).toBe("Inventory (2)");
});

test("without a Get-Mailbox sheet it says what to paste, and adds nothing", async () => {
  const { wb, host } = newWorkbook();
  wb.addSheet("Servers", sheet("servers.csv"));
  await expect(buildInventorySheets(host, Date.UTC(2026, 11, 3))).rejects.toThrow(/No sheet holds a Get-Mailbox export/);
  expect(wb.sheetByName("Inventory")).toBeUndefined();
});
