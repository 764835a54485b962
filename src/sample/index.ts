/**
 * The sample audit: a fictional company, Contoso Ltd, with two Exchange 2016 servers and one
 * legacy Exchange 2010 server. The task pane inserts these tables; the command line's demo
 * audits assets/sample-inventory.csv and assets/sample-owned.csv, which hold the SAME data
 * (test/sample.test.ts keeps them equal; after editing this file regenerate the CSVs with
 * `UPDATE_SAMPLES=1 npx jest test/sample.test.ts`).
 *
 * What it shows, on purpose:
 * - office staff on a laptop, often a phone (ActiveSync) and OWA: user CALs pay off;
 * - warehouse staff who only use two kiosks, and receptionists on one shared PC: a device
 *   CAL per kiosk covers them all (the seed article's kiosk case);
 * - a meeting-room panel and a multifunction printer that connect with no user;
 * - OWA from unknown devices (no device recorded);
 * - Legal and HR users with litigation hold or in-place archive: Enterprise CALs;
 * - a Dublin office still on the 2010 server;
 * - three bad rows: a version "2011" that never existed, a row with only a department,
 *   and a #N/A left by a lookup.
 * The owned table mixes boxed CALs, a Core CAL Suite and Microsoft 365 E3 (the summary's
 * Entitlements table shows what each reaches and covers), and still leaves a visible
 * shortfall and a surplus.
 */

export const SAMPLE_COMPANY = "Contoso Ltd";

export const SAMPLE_INVENTORY_HEADER = ["User", "Department", "Device", "Server", "Version", "Access", "Edition", "Notes"] as const;

type Row = [user: string, department: string, device: string, server: string, version: string, access: string, edition: string, notes: string];

const D = "@contoso.com";
const u = (name: string) => name + D;

/** Office staff: [user, department, devices (laptop first), phone?, owa?, enterprise note?] */
const STAFF: [string, string, string[], string | null, boolean, string?][] = [
  ["olivia.bennett", "Executive", ["LAP-0101"], "MOB-0101", true, "Litigation hold"],
  ["james.whitaker", "Executive", ["LAP-0102"], "MOB-0102", true],
  ["marcus.chen", "Legal", ["LAP-0117"], null, false, "Litigation hold"],
  ["priya.raman", "Legal", ["LAP-0118"], "MOB-0118", false, "In-place archive"],
  ["daniel.okafor", "Finance", ["LAP-0122", "DESK-0301"], null, false],
  ["sofia.rossi", "Finance", ["LAP-0123"], null, false],
  ["liam.walsh", "Finance", ["LAP-0124"], "MOB-0124", false],
  ["emma.novak", "Finance", ["DESK-0302"], null, false],
  ["noah.fischer", "Finance", ["LAP-0126"], null, true],
  ["ava.thompson", "Sales", ["LAP-0130"], "MOB-0130", true],
  ["ethan.kim", "Sales", ["LAP-0131"], "MOB-0131", false],
  ["mia.garcia", "Sales", ["LAP-0132"], null, true],
  ["lucas.moreau", "Sales", ["LAP-0133"], "MOB-0133", false],
  ["isla.murphy", "Sales", ["LAP-0134"], "MOB-0134", false],
  ["jack.wilson", "Sales", ["LAP-0135"], null, false],
  ["chloe.dubois", "Sales", ["LAP-0136"], "MOB-0136", true],
  ["henry.adams", "Sales", ["LAP-0137"], null, false],
  ["raj.patel", "IT", ["LAP-0142", "DESK-0310"], "MOB-0142", true],
  ["grace.lee", "IT", ["LAP-0143", "DESK-0311"], null, false],
  ["tom.hughes", "IT", ["LAP-0144"], "MOB-0144", false],
  ["nora.schmidt", "HR", ["LAP-0150"], null, false, "In-place archive"],
  ["zoe.clarke", "HR", ["LAP-0151"], null, true],
  ["ben.carter", "Marketing", ["LAP-0155"], "MOB-0155", false],
  ["lily.evans", "Marketing", ["LAP-0156"], null, true],
  ["oscar.nguyen", "Marketing", ["LAP-0157"], "MOB-0157", false],
  ["hannah.berg", "Customer Service", ["DESK-0320"], null, false],
  ["samuel.price", "Customer Service", ["DESK-0321"], null, false],
  ["ruby.foster", "Customer Service", ["DESK-0322"], null, true],
  ["leo.martin", "Customer Service", ["DESK-0323"], null, false],
  ["amelia.ward", "Customer Service", ["DESK-0324"], null, false],
];

const WAREHOUSE_1 = ["kofi.mensah", "ana.silva", "piotr.nowak", "fatima.hassan", "sean.obrien", "mei.wong", "ivan.petrov", "lucy.hall", "diego.lopez"];
const WAREHOUSE_2 = ["karen.jones", "ali.khan", "tariq.aziz", "nina.larsen", "paul.green", "sara.costa"];
const RECEPTION = ["ella.hughes", "molly.reid", "jade.turner"];
/** The Dublin office still reaches only the legacy 2010 server. */
const DUBLIN: [string, string][] = [
  ["siobhan.byrne", "LAP-0160"],
  ["cormac.ryan", "LAP-0161"],
];

function build(): Row[] {
  const rows: Row[] = [];
  let i = 0;
  const server = () => (i++ % 3 === 2 ? "EXCH02" : "EXCH01");
  for (const [name, dept, devices, phone, owa, ent] of STAFF) {
    const edition = ent ? "Enterprise" : "Standard";
    const note = ent ?? "";
    rows.push([u(name), dept, devices[0], server(), "2016", "Outlook", edition, note]);
    for (const d of devices.slice(1)) rows.push([u(name), dept, d, server(), "2016", "Outlook", edition, note]);
    if (phone) rows.push([u(name), dept, phone, "EXCH01", "2016", "ActiveSync", edition, note]);
    if (owa) rows.push([u(name), dept, "", "EXCH02", "2016", "OWA", edition, note ? note : "OWA from home"]);
  }
  // Finance still reads the old journal archive on the 2010 server.
  rows.push([u("daniel.okafor"), "Finance", "LAP-0122", "EXCH-LEGACY01", "2010", "Outlook", "Standard", "Old journal archive"]);
  rows.push([u("emma.novak"), "Finance", "DESK-0302", "EXCH-LEGACY01", "2010", "Outlook", "Standard", "Old journal archive"]);
  for (const name of WAREHOUSE_1) rows.push([u(name), "Warehouse", "KIOSK-WAREHOUSE-1", "EXCH01", "2016", "OWA", "Standard", "Shared kiosk"]);
  for (const name of WAREHOUSE_2) rows.push([u(name), "Warehouse", "KIOSK-WAREHOUSE-2", "EXCH01", "2016", "OWA", "Standard", "Shared kiosk"]);
  for (const name of RECEPTION) rows.push([u(name), "Reception", "RECEPTION-PC", "EXCH02", "2016", "Outlook", "Standard", "Shared front desk PC"]);
  for (const [name, lap] of DUBLIN) {
    rows.push([u(name), "Dublin office", lap, "EXCH-LEGACY01", "2010", "Outlook", "Standard", ""]);
    rows.push([u(name), "Dublin office", "", "EXCH-LEGACY01", "2010", "OWA", "Standard", "OWA from home"]);
  }
  // Devices that connect with no user signed in.
  rows.push(["", "Facilities", "CONF-ROOM-3", "EXCH01", "2016", "EWS", "Standard", "Meeting room panel"]);
  rows.push(["", "Facilities", "MFP-2F-01", "EXCH02", "2016", "EWS", "Standard", "Scan to email"]);
  rows.push(["", "Dublin office", "MFP-DUB-01", "EXCH-LEGACY01", "2010", "EWS", "Standard", "Scan to email"]);
  // The deliberate mistakes a real export has.
  rows.push([u("ethan.kim"), "Sales", "TAB-0131", "EXCH03", "2011", "ActiveSync", "Standard", "Tablet, server name typed by hand"]);
  rows.push(["", "Sales", "", "", "", "", "", ""]);
  rows.push(["#N/A", "Marketing", "LAP-0158", "EXCH01", "2016", "Outlook", "Standard", "New starter, lookup failed"]);
  return rows;
}

/** The inventory sheet: header row then one row per access (user, device, server). */
export const SAMPLE_INVENTORY: readonly (readonly string[])[] = [[...SAMPLE_INVENTORY_HEADER], ...build()];

export const SAMPLE_OWNED_HEADER = ["Product", "Type", "Edition", "Version", "Quantity", "Unit price", "Purchased", "SA until"] as const;

/**
 * What Contoso bought (unit prices in USD, an example: prices are always inputs): boxed
 * Exchange CALs, a Core CAL Suite bought in 2015 whose SA ran to 2019 (so it reaches 2016
 * and 2019, not SE), and Microsoft 365 E3 for the executives (dual use: Standard and
 * Enterprise on premises while subscribed).
 */
export const SAMPLE_OWNED: readonly (readonly string[])[] = [
  [...SAMPLE_OWNED_HEADER],
  ["Exchange Server CAL", "User", "Standard", "2016", "25", "82", "", ""],
  ["Exchange Server CAL", "Device", "Standard", "2016", "10", "76", "", ""],
  ["Exchange Server CAL", "User", "Enterprise", "2016", "3", "51", "", ""],
  ["Exchange Server CAL", "Device", "Standard", "2010", "4", "67", "", ""],
  ["Core CAL Suite", "User", "", "", "4", "", "2015-06-30", "2019-06-30"],
  ["Microsoft 365 E3", "User", "", "", "2", "", "", "2027-06-30"],
];

/** RFC 4180 CSV, CRLF line ends (what Excel writes); quotes only where needed. */
export function toCsv(grid: readonly (readonly string[])[]): string {
  const field = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return grid.map((row) => row.map(field).join(",")).join("\r\n") + "\r\n";
}
