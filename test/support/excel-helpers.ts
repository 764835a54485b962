/** Shared by the adapter tests: a fake workbook behind an ExcelHost, and inventories to read. */
import type { ExcelHost } from "../../src/excel";
import { FakeWorkbook, FakeWorkbookOptions, fakeHost } from "./fake-excel";

export function newWorkbook(options?: FakeWorkbookOptions): { wb: FakeWorkbook; host: ExcelHost } {
  const wb = new FakeWorkbook(options);
  return { wb, host: fakeHost(wb) as unknown as ExcelHost };
}

export const INVENTORY_HEADER = ["User", "Device", "Server", "Version", "Access", "Edition"];

/**
 * A large, realistic inventory: `rows` access rows, about three rows per user (laptop, phone,
 * OWA), a few hundred shared kiosks, a sprinkle of Enterprise users, two server versions.
 */
export function bigInventory(rows: number): (string | number)[][] {
  const grid: (string | number)[][] = [INVENTORY_HEADER.slice()];
  for (let i = 0; i < rows; i++) {
    const user = Math.floor(i / 3);
    const kind = i % 3;
    const kiosk = user % 17 === 0;
    const name = `user${String(user).padStart(6, "0")}@contoso.example`;
    const device = kiosk ? `KIOSK-${String(user % 400).padStart(3, "0")}` : kind === 0 ? `LAP-${user}` : kind === 1 ? `MOB-${user}` : "";
    const server = user % 5 === 0 ? "EXCH-LEGACY01" : "EXCH01";
    const version = user % 5 === 0 ? 2010 : 2016;
    const access = kind === 0 ? "Outlook" : kind === 1 ? "ActiveSync" : "OWA";
    const edition = user % 23 === 0 ? "Enterprise" : "Standard";
    grid.push([name, device, server, version, access, edition]);
  }
  return grid;
}
