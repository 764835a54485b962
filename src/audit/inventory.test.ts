import fc from "fast-check";
import { readInventory, AuditInputError, InventoryStream, parseLicenseName } from "./inventory";
import { readOwned } from "./owned";
import type { Cell, Grid } from "../sheet";

describe("finding the header", () => {
  test("below a title, with messy names and synonyms", () => {
    const grid: Grid = [
      ["Contoso Exchange access export", null, null],
      ["", "", ""],
      ["  Primary_SMTP-Address ", "Computer Name", "EXCHANGE VERSION", "Mailbox Server", "Client Type", "CAL Type"],
      ["ann@contoso.com", "LAP-1", "Exchange Server 2016", "EX1", "Outlook", "Enterprise"],
    ];
    const inv = readInventory(grid, { sheet: "Export" });
    expect(inv.headerRow).toBe(3);
    expect(inv.columns).toEqual({
      user: "Primary_SMTP-Address",
      device: "Computer Name",
      version: "EXCHANGE VERSION",
      server: "Mailbox Server",
      access: "Client Type",
      edition: "CAL Type",
    });
    expect(inv.count).toBe(1);
    expect(inv.enterprise[0]).toBe(1);
    expect(inv.row[0]).toBe(4);
  });

  test("an Enterprise yes/no column", () => {
    const inv = readInventory([
      ["UPN", "Hostname", "Version", "Enterprise"],
      ["a", "h1", 2016, "yes"],
      ["b", "h2", 2016, "No"],
      ["c", "h3", 2016, true],
      ["d", "h4", 2016, "maybe"],
    ]);
    expect(Array.from(inv.enterprise)).toEqual([1, 0, 1]);
    expect(inv.problems).toEqual([expect.objectContaining({ row: 5, column: "Enterprise", message: 'D5: "maybe" is not yes or no.' })]);
  });

  test("no header in the first 20 rows says where it looked", () => {
    const grid: Grid = Array.from({ length: 25 }, (_, i) => (i === 22 ? ["User", "Device"] : ["x", "y"]));
    expect(() => readInventory(grid, { sheet: "Sheet1" })).toThrow(AuditInputError);
    expect(() => readInventory(grid, { sheet: "Sheet1" })).toThrow(/first 20 rows of sheet "Sheet1"/);
    // A missing header is said before a bad default version, and that before a missing Version column.
    expect(() => readInventory(grid, { defaultVersion: "bogus" })).toThrow(/No inventory header/);
    expect(() => readInventory([["User", "Device"]], { defaultVersion: "bogus" })).toThrow(/Unknown default version "bogus"/);
  });

  test("no version column and no default version", () => {
    expect(() =>
      readInventory(
        [
          ["User", "Device"],
          ["a", "b"],
        ],
        { sheet: "S" },
      ),
    ).toThrow(/no Version column/);
    expect(
      readInventory(
        [
          ["User", "Device"],
          ["a", "b"],
        ],
        { defaultVersion: "2019" },
      ).count,
    ).toBe(1);
    expect(() => readInventory([["User"]], { defaultVersion: "2011" })).toThrow(/Unknown default version "2011"/);
  });
});

describe("Get-ExchangeServerAccessLicenseUser exports", () => {
  test("licence names give version and edition", () => {
    expect(parseLicenseName("Exchange Server 2016 Standard CAL")).toEqual({ version: "2016", enterprise: false });
    expect(parseLicenseName("Exchange 15 Enterprise CAL")).toEqual({ version: "2013", enterprise: true });
    expect(parseLicenseName("Exchange Server 2019 Enterprise CAL")).toEqual({ version: "2019", enterprise: true });
    expect(parseLicenseName("Exchange Server SE Standard CAL")).toEqual({ version: "SE", enterprise: false });
    expect(parseLicenseName("Windows Server CAL")).toBeUndefined();
  });
  test("an export of users with LicenseName reads without a Version column", () => {
    const inv = readInventory([
      ["LicenseName", "Name"],
      ["Exchange Server 2016 Standard CAL", "ann@contoso.com"],
      ["Exchange Server 2016 Enterprise CAL", "ann@contoso.com"],
      ["Exchange 15 Standard CAL", "bob@contoso.com"],
      ["Office 365 E3", "carl@contoso.com"],
    ]);
    expect(inv.users).toEqual(["ann@contoso.com", "bob@contoso.com"]);
    expect(Array.from(inv.enterprise)).toEqual([0, 1, 0]);
    expect(inv.problems.map((p) => [p.row, p.severity])).toEqual([
      [5, "warning"],
      [5, "error"],
    ]);
  });
});

describe("rows", () => {
  const header = ["User", "Device", "Server", "Version"];
  test("identities ignore case and spaces; the first spelling is shown", () => {
    const inv = readInventory([header, ["  Ann@Contoso.com ", "LAP-1", "EX1", 2016], ["ann@contoso.COM", "lap-1", "ex1", "2016"]]);
    expect(inv.users).toEqual(["Ann@Contoso.com"]);
    expect(inv.devices).toEqual(["LAP-1"]);
    expect(inv.servers).toEqual(["EX1"]);
    expect(Array.from(inv.user)).toEqual([0, 0]);
  });

  test("blank rows are skipped and not counted; bad rows say row, column and why", () => {
    const inv = readInventory(
      [
        ["Title"],
        header,
        ["a", "d1", "EX1", 2016],
        [null, "", "  ", undefined],
        ["", "", "EX1", 2016],
        ["b", "d2", "EX1", "2011"],
        ["#N/A", "d3", "EX1", 2016],
        ["c", "d4", "EX1", ""],
        [true, "d5", "EX1", 2016],
      ],
      { sheet: "Inv", firstRow: 5, firstColumn: 1 },
    );
    expect(inv.rowsRead).toBe(6);
    expect(inv.count).toBe(1);
    expect(inv.problems.map((p) => [p.row, p.column, p.message])).toEqual([
      [9, "User", "B9: the row names neither a user nor a device, so no CAL can be assigned."],
      [10, "Version", expect.stringMatching(/^E10: unknown Exchange version "2011"/)],
      [11, "User", "B11: the user is the Excel error #N/A; fix the cell and audit again."],
      [12, "Version", "E12: no version: fill in the Exchange version of the server, or give a default version."],
      [13, "User", "B13: the user is the logical value TRUE, not a name."],
    ]);
  });

  test("injection strings stay names", () => {
    const names = ["=1+1", "+SUM(A1)", "-3", "@cmd", "\tx", "\rx"];
    const inv = readInventory([header, ...names.map((n, i) => [n, `d${i}`, "EX1", 2016])]);
    // Tab and CR are trimmed as surrounding space, the rest is kept as typed.
    expect(inv.users).toEqual(["=1+1", "+SUM(A1)", "-3", "@cmd", "x"]);
  });

  test("no cell value of any type makes it throw", () => {
    const cell = fc.oneof(
      fc.string(),
      fc.constantFrom("#N/A", "#VALUE!", "#REF!", "", " ", "2016", "Enterprise", "yes", "=A1"),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
    );
    fc.assert(
      fc.property(fc.array(fc.array(cell, { maxLength: 7 }), { maxLength: 30 }), (rows) => {
        const grid = [["User", "Device", "Server", "Version", "Edition", "LicenseName", "Access"], ...rows] as Cell[][];
        const inv = readInventory(grid);
        expect(inv.count + new Set(inv.problems.filter((p) => p.severity === "error").map((p) => p.row)).size).toBe(inv.rowsRead);
      }),
    );
  });
});

describe("owned licences", () => {
  test("reads types, editions, versions, quantities and prices", () => {
    const owned = readOwned(
      [
        ["Type", "Edition", "Version", "Quantity", "Unit price", "Server"],
        ["User CAL", "Standard", "Exchange Server 2019", 40, "$80.00", ""],
        ["device", "enterprise", 2016, "1,200", 50, ""],
        ["Server", "", 2000, 25, "", "EX1"],
      ],
      { sheet: "Owned" },
    );
    expect(owned.problems).toEqual([]);
    expect(owned.licences).toMatchObject([
      { product: "exchange-cal", type: "user", edition: "standard", version: "2019", quantity: 40, unitPrice: 80, server: undefined, row: 2 },
      { product: "exchange-cal", type: "device", edition: "enterprise", version: "2016", quantity: 1200, unitPrice: 50, server: undefined, row: 3 },
      { product: "exchange-cal", type: "server", edition: "standard", version: "2000", quantity: 25, unitPrice: undefined, server: "EX1", row: 4 },
    ]);
  });

  test("prices and quantities in either decimal convention; ambiguous ones refused with the cell", () => {
    const owned = readOwned(
      [
        ["Type", "Version", "Quantity", "Unit price"],
        ["User", 2016, "1.000", "82,50"],
        ["Device", 2016, "1,200", "€1.234,50"],
        ["User", 2019, "5", "1,2,3"],
      ],
      { sheet: "Owned" },
    );
    expect(owned.licences.map((l) => [l.quantity, l.unitPrice])).toEqual([
      [1000, 82.5],
      [1200, 1234.5],
    ]);
    expect(owned.problems.map((p) => p.message)).toEqual(['D4: unit price "1,2,3" is not a price (write it like 82.50 or 82,50). This row was not counted.']);
  });

  test("licences that never existed are refused with the reason", () => {
    const owned = readOwned(
      [
        ["Type", "Edition", "Version", "Quantity"],
        ["User", "Standard", 2000, 5],
        ["Device", "Enterprise", 2003, 5],
        ["Server", "Standard", 2016, 5],
        ["User", "Standard", 2016, -1],
        ["Gadget", "Standard", 2016, 1],
        ["Server", "Standard", 2000, 1],
      ],
      { sheet: "Owned" },
    );
    expect(owned.licences).toEqual([]);
    expect(owned.problems.map((p) => p.message)).toEqual([
      "A2: Exchange 2000 Server has no user CALs (it sells device CALs, per-server CALs and External Connectors). This row was not counted.",
      "B3: Enterprise CALs start with Exchange 2007; Exchange Server 2003 has none. This row was not counted.",
      "A4: Exchange Server 2016 has no per-server CALs (it sells user CALs and device CALs). This row was not counted.",
      'D5: quantity "-1" is not a whole number of licences. This row was not counted.',
      'A6: unknown CAL type "Gadget"; use User, Device, Server or External Connector. This row was not counted.',
      "a per-server CAL belongs to one server: fill in the Server column. This row was not counted.",
    ]);
  });

  test("a table without Type and Quantity is one problem", () => {
    const owned = readOwned([["What", "How many"]], { sheet: "Owned" });
    expect(owned.licences).toEqual([]);
    expect(owned.problems[0].message).toMatch(/No owned-licences header found/);
  });
});

describe("owned tables the audit cannot use say so once", () => {
  test("a licence-name table without a Type column", () => {
    const owned = readOwned(
      [
        ["LicenseName", "Quantity"],
        ["Exchange Server 2016 Standard CAL", 40],
      ],
      { sheet: "Owned" },
    );
    expect(owned.licences).toEqual([]);
    expect(owned.problems).toHaveLength(1);
    expect(owned.problems[0]).toMatchObject({
      row: 2,
      column: "LicenseName",
      message: expect.stringMatching(
        /^A2: the table has no Type column.*"Exchange Server 2016 Standard CAL" does not say whether the CALs are user or device CALs/,
      ),
    });
  });
  test("a missing Version column is named as people would name it", () => {
    const owned = readOwned(
      [
        ["Type", "Quantity"],
        ["User", 4],
      ],
      { sheet: "Owned" },
    );
    expect(owned.problems[0]).toMatchObject({
      row: 2,
      column: "Version",
      message: "the table has no Version column, so the version of these CALs is unknown. This row was not counted.",
    });
  });
});

describe("reading row by row (InventoryStream)", () => {
  const cell = fc.oneof(
    fc.constantFrom(
      "ann",
      "Ann",
      "bob",
      "pc-1",
      "PC-1",
      "EX1",
      "ex1",
      "2010",
      "2016",
      "2019",
      "Exchange 15",
      "Enterprise",
      "Standard",
      "OWA",
      "",
      " ",
      "#N/A",
      "yes",
    ),
    fc.string({ maxLength: 6 }),
    fc.integer({ min: 2000, max: 2020 }),
    fc.boolean(),
    fc.constant(null),
  );
  const headerRow = ["User", "Device", "Server", "Version", "Edition", "Access"];

  test("gives what readInventory gives, wherever the header is and however small the first guess", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { maxLength: 6 }), { maxLength: 25 }), // rows above the header: titles, blanks, noise
        fc.nat({ max: 24 }),
        fc.array(fc.array(cell, { minLength: 2, maxLength: 6 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 8 }),
        (above, cut, rows, capacity) => {
          const grid = [...above.slice(0, Math.min(cut, 19)), headerRow, ...rows] as Cell[][];
          const options = { sheet: "Export", firstRow: 3, firstColumn: 1 };
          const stream = new InventoryStream(options, capacity);
          for (const row of grid) stream.push(row);
          const streamed = stream.finish();
          const whole = readInventory(grid, options);
          expect(streamed).toEqual(whole);
          expect(stream.headerIndex).toBe(whole.headerRow - 3);
        },
      ),
      { numRuns: 300 },
    );
  });

  test("no header in the first 20 rows is said after the 20th row, not at the end", () => {
    const stream = new InventoryStream({ sheet: "Big" });
    for (let r = 0; r < 19; r++) stream.push(["a title", r]);
    expect(() => stream.push(["still no header"])).toThrow(/No inventory header found in the first 20 rows of sheet "Big"/);
  });

  test("a short input is read at finish", () => {
    const stream = new InventoryStream({ defaultVersion: "2016" });
    stream.push(["UPN", "Hostname"]);
    stream.push(["ann", "pc-1"]);
    const inv = stream.finish();
    expect(inv.count).toBe(1);
    expect(inv.users).toEqual(["ann"]);
  });
});
