/**
 * The inventory builder on files shaped like real exports (test/fixtures/exports, made by
 * scripts/make-export-fixtures.js with the messes admins meet), checked row by row by hand.
 */
import * as path from "path";
import { buildInventory, BuildResult, canonicalName, ExportFormatError, inventoryGrid, splitDeviceIdentity, sourceText, W3cReducer } from ".";
import type { ExportInput } from ".";
import { parseCsv, readExportFile, streamLogs } from "../files";

const FIX = path.resolve(__dirname, "../../test/fixtures/exports");
const AS_OF = Date.UTC(2026, 11, 3);

async function read(...names: string[]): Promise<ExportInput[]> {
  return Promise.all(names.map((n) => readExportFile(path.join(FIX, n))));
}

let built: BuildResult;
let iisLines = 0;
beforeAll(async () => {
  const reducer = new W3cReducer();
  streamLogs(path.join(FIX, "iis"), reducer);
  iisLines = reducer.lines;
  built = buildInventory(
    {
      mailboxes: await read("mailboxes.csv"),
      mobileDevices: await read("mobile-devices.csv", "mobile-devices-de.csv", "mobile-devices-first-object.csv"),
      servers: await read("servers.csv"),
      logons: await read("logons.csv"),
      iis: reducer.result(),
    },
    { asOf: AS_OF, activeDays: 90 },
  );
});

const rowsOf = (user: string) => built.rows.filter((r) => r.user === user);
const excludedOf = (item: RegExp) => built.excluded.filter((e) => item.test(e.item));

describe("hand-checked joins", () => {
  test("a user with a laptop and a phone, on EX01 (2019), with an archive: two Enterprise rows; her OWA use taken as the laptop", () => {
    const ann = rowsOf("ann@contoso.com");
    expect(ann.map((r) => [r.device, r.server, r.version, r.edition, r.lastSeen])).toEqual([
      ["ApplF17ANN1", "EX01", "2019", "Enterprise", "2026-12-01"],
      ["LAP-ANN", "EX01", "2019", "Enterprise", "2026-12-01"],
    ]);
    expect(sourceText(ann[0].origins)).toBe("mailboxes.csv row 3; servers.csv row 3; mobile-devices.csv row 2; EX01/u_ex261201.log line 6");
    expect(ann[0].details).toContain("Enterprise: in-place archive (R5)");
    expect(ann[1].details.join(" ")).toMatch(/OWA: 1 request\(s\) \(from a computer the logs do not name: taken as this one\)/);
  });

  test("the shared mailbox she opens creates no demand of its own, and its archive is pointed out", () => {
    const [sales] = excludedOf(/^mailbox sales@/);
    expect(sales.origin).toEqual({ source: "mailboxes.csv", row: 13 });
    expect(sales.reason).toMatch(/^Shared mailbox: .*the people who open it need the CALs \(E8\)\. It uses in-place archive/);
    expect(rowsOf("sales@contoso.com")).toEqual([]);
  });

  test("room and equipment mailboxes, and the discovery mailbox, are listed as left out with their rule", () => {
    expect(excludedOf(/^mailbox room1@/)[0].reason).toMatch(/^Room mailbox: .*\(E8\)/);
    expect(excludedOf(/^mailbox projector@/)[0].reason).toMatch(/^Equipment mailbox/);
    expect(excludedOf(/^mailbox DiscoverySearchMailbox/)[0].reason).toMatch(/^Discovery search mailbox.*\(R1a\)/);
  });

  test("a disabled leaver whose phone stopped syncing in January is left out, and so is the phone", () => {
    expect(rowsOf("lee@contoso.com")).toEqual([]);
    expect(excludedOf(/^mailbox lee@/)[0].reason).toMatch(/account disabled and no activity in the 90 days before the audit date/);
    expect(excludedOf(/^device ApplOLDLEE/)[0].reason).toBe("last seen 2026-01-15, more than 90 days before the audit date 2026-12-03");
  });

  test("a kiosk from the logon list: three users on KIOSK-01, on EX02 (2016)", () => {
    const kiosk = built.rows.filter((r) => r.device === "KIOSK-01");
    expect(kiosk.map((r) => [r.user, r.version, r.edition])).toEqual([
      ["k1@contoso.com", "2016", "Standard"],
      ["k2@contoso.com", "2016", "Standard"],
      ["k3@contoso.com", "2016", "Standard"],
    ]);
  });

  test("Enterprise features: litigation hold, a custom retention policy (with the caveat); an unreadable InPlaceHolds marks nothing", () => {
    expect(rowsOf("carol@contoso.com")).toMatchObject([{ device: "", edition: "Enterprise", version: "2016" }]);
    expect(rowsOf("carol@contoso.com")[0].details).toContain("no device seen in the exports: a user CAL covers it");
    expect(rowsOf("dave@contoso.com").every((r) => r.edition === "Enterprise")).toBe(true);
    expect(rowsOf("dave@contoso.com")[0].details.join(" ")).toMatch(/custom retention policy "Legal 7 Years" \(sources disagree/);
    const erin = rowsOf("erin@contoso.com");
    expect(erin.map((r) => r.edition)).toEqual(["Standard"]);
    expect(erin[0].details).toContain("InPlaceHolds unreadable (exported as a type name)");
    expect(built.warnings.join("\n")).toMatch(/InPlaceHolds was exported as a type name in 2 row\(s\)/);
  });

  test("messes: an ASCII-mangled name meets its UTF-8 spelling; ';' with German dates; REST§Outlook and ? for §; base64 ActiveSync", () => {
    expect(rowsOf("jose.garcia@contoso.com").map((r) => r.device)).toEqual(["androidc1234"]);
    expect(rowsOf("dave@contoso.com").map((r) => [r.device, r.lastSeen])).toEqual([
      ["ApplDAVE01", "2026-11-28"],
      ["ApplDAVE2", "2026-12-02"],
    ]);
    expect(rowsOf("erin@contoso.com")[0].device).toBe("77aa");
    expect(rowsOf("bob@contoso.com").map((r) => r.device)).toEqual(["5eec4e941e0748a264512fd83770d5ac", "6F2B11", "LAP-BOB"]);
    expect(built.warnings.join("\n")).toMatch(/mobile-devices-first-object.csv: no LastSuccessSync column/);
  });

  test("unmatched devices, logons and log users are listed with the name that matched nothing", () => {
    expect(excludedOf(/^device ApplZED/)[0].reason).toBe('"contoso.com/Users/Zed Nobody" matches no mailbox in the mailbox export');
    expect(excludedOf(/^logon stranger@fabrikam.com/)[0].origin).toEqual({ source: "logons.csv", row: 6 });
    expect(excludedOf(/^IIS CONTOSO\\mallory/)[0].reason).toMatch(/matches no mailbox/);
    expect(excludedOf(/^IIS CONTOSO\\HealthMailbox/)[0].reason).toMatch(/^Health \(monitoring\) mailbox/);
    expect(excludedOf(/^device ApplCAROLX/)[0].reason).toBe("DeviceAccessState is Blocked: it cannot reach the mailbox");
    expect(excludedOf(/^server EDGE01/)[0].reason).toBe("no mailbox in the mailbox export is on it");
    expect(iisLines).toBe(17);
  });

  test("the inventory grid has the audit's columns first, then Last seen, Source and Details", () => {
    const grid = inventoryGrid(built);
    expect(grid[0]).toEqual(["User", "Device", "Server", "Version", "Edition", "Last seen", "Source", "Details"]);
    expect(grid.slice(1).every((r) => r[6] !== "")).toBe(true);
  });
});

describe("join rules on small inline exports", () => {
  const grid = (text: string) => ({ source: "t.csv", grid: parseCsv(text) });
  const servers = grid("Name,AdminDisplayVersion\nEX1,Version 15.2 (Build 1544.4)\nOLD,Version 6.5 (Build 7638.2: Service Pack 2)\n");

  test("a device owner that two mailboxes answer to is not guessed", () => {
    const r = buildInventory(
      {
        mailboxes: [grid("PrimarySmtpAddress,Name,RecipientTypeDetails,ServerName\na1@x.com,Alex,UserMailbox,EX1\na2@x.com,Alex,UserMailbox,EX1\n")],
        mobileDevices: [grid("Identity,DeviceId\nAlex\\ExchangeActiveSyncDevices\\iPhone§D1,D1\n")],
        servers: [servers],
      },
      { asOf: AS_OF },
    );
    expect(r.excluded.find((e) => e.item === "device D1")!.reason).toBe('"Alex" matches 2 mailboxes (a1@x.com, a2@x.com); not guessed');
    expect(r.rows.map((x) => x.device)).toEqual(["", ""]);
  });

  test("a mailbox on an Exchange 2003 server with a hold stays Standard (2003 has no Enterprise CAL) and says why", () => {
    const r = buildInventory(
      { mailboxes: [grid("PrimarySmtpAddress,RecipientTypeDetails,ServerName,LitigationHoldEnabled\nz@x.com,UserMailbox,OLD,True\n")], servers: [servers] },
      { asOf: AS_OF },
    );
    expect(r.rows[0]).toMatchObject({ version: "2003", edition: "Standard" });
    expect(r.rows[0].details.join(" ")).toMatch(/Exchange 2003 has no Enterprise CAL/);
  });

  test("the server comes from the Database through a Get-MailboxDatabase export; a missing server is said, not guessed", () => {
    const dbs = grid("Name,Server,AdminDisplayVersion\nDB9,EX1,Version 15.2 (Build 1544.4)\n");
    const r = buildInventory(
      { mailboxes: [grid("PrimarySmtpAddress,RecipientTypeDetails,Database\na@x.com,UserMailbox,DB9\nb@x.com,UserMailbox,DB404\n")], servers: [servers, dbs] },
      { asOf: AS_OF },
    );
    expect(r.rows.map((x) => [x.user, x.server, x.version])).toEqual([
      ["a@x.com", "EX1", "2019"],
      ["b@x.com", "", ""],
    ]);
    expect(r.rows[1].details.join(" ")).toMatch(/database DB404 is not in the servers export/);
  });

  test("an unknown RecipientTypeDetails is counted as a person's mailbox, and said so", () => {
    const r = buildInventory({ mailboxes: [grid("PrimarySmtpAddress,RecipientTypeDetails\nn@x.com,NewKindMailbox\n")] }, { asOf: AS_OF });
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0].details.join(" ")).toMatch(/"NewKindMailbox" is not in the licensing table/);
  });

  test("a file that is not the export it was given as stops with a message naming it", () => {
    expect(() => buildInventory({ mailboxes: [grid("Fruit,Colour\napple,red\n")] }, { asOf: AS_OF })).toThrow(ExportFormatError);
    expect(() => buildInventory({ mailboxes: [grid("Fruit,Colour\napple,red\n")] }, { asOf: AS_OF })).toThrow(/^t\.csv: no header with/);
  });
});

describe("identities", () => {
  test("device identities of every era, and ASCII-mangled ones", () => {
    expect(splitDeviceIdentity("contoso.com/Users/Ann Smith/ExchangeActiveSyncDevices/iPhone§ApplF17")).toEqual({
      owner: "contoso.com/Users/Ann Smith",
      type: "iPhone",
      id: "ApplF17",
    });
    expect(splitDeviceIdentity("Lila\\ExchangeActiveSyncDevices\\REST§Outlook§5eec")).toEqual({ owner: "Lila", type: "REST Outlook", id: "5eec" });
    expect(splitDeviceIdentity("Lila\\ExchangeActiveSyncDevices\\Hx?Outlook?E9EF")).toEqual({ owner: "Lila", type: "Hx Outlook", id: "E9EF" });
    expect(splitDeviceIdentity("just text")).toBeUndefined();
  });

  test("a distinguished name as the canonical name Exchange prints", () => {
    expect(canonicalName("CN=Ann Smith,OU=Staff,OU=HQ,DC=contoso,DC=com")).toBe("contoso.com/HQ/Staff/Ann Smith");
    expect(canonicalName("CN=Smith\\, Ann,OU=Staff,DC=contoso,DC=com")).toBe("contoso.com/Staff/Smith, Ann");
  });
});
