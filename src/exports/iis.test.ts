/** The W3C reducer: fields found from each #Fields line, chunks of any size, what is passed over. */
import fc from "fast-check";
import { deviceId, W3cReducer } from ".";

const FIELDS = "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status time-taken";
const line = (time: string, stem: string, query: string, user: string, status = 200) =>
  `2026-12-01 ${time} 10.0.0.1 POST ${stem} ${query} 443 ${user} 10.9.9.9 Agent/1.0 ${status} 15`;

const LOG = [
  "#Software: Microsoft Internet Information Services 10.0",
  FIELDS,
  line("08:00:00", "/Microsoft-Server-ActiveSync/default.eas", "User=ann&DeviceId=DEV1&DeviceType=iPhone&Cmd=Sync", "CONTOSO\\ann"),
  line("09:00:00", "/microsoft-server-activesync/default.eas", "Cmd=Ping&deviceid=DEV1&User=ann", "CONTOSO\\ann"),
  line("08:30:00", "/owa/", "-", "ann@contoso.com"),
  line("08:31:00", "/owa/auth.owa", "-", "-"),
  line("08:32:00", "/EWS/Exchange.asmx", "-", "CONTOSO\\bob", 401),
  line("08:33:00", "/Autodiscover/Autodiscover.xml", "-", "CONTOSO\\bob"),
  // the field order changes mid-file (IIS writes a new #Fields line after a configuration change)
  "#Fields: time date cs-username s-computername cs-uri-stem cs-uri-query",
  "10:00:00 2026-12-02 CONTOSO\\Bob+Smith EX09 /mapi/emsmdb/ MailboxId=x",
  "garbage",
].join("\r\n");

function reduce(chunks: string[], server = "EX01") {
  const r = new W3cReducer();
  const f = r.file("EX01/u_ex261201.log", server);
  for (const c of chunks) f.push(c);
  f.end();
  return r;
}

test("distinct user, device, server with the last time seen and where", () => {
  const r = reduce([LOG]);
  expect(r.result()).toEqual([
    {
      user: "CONTOSO\\ann",
      device: "DEV1",
      server: "EX01",
      lastSeen: "2026-12-01 09:00:00",
      protocols: ["ActiveSync"],
      requests: 2,
      origin: { source: "EX01/u_ex261201.log", row: 4 },
    },
    {
      user: "ann@contoso.com",
      device: "",
      server: "EX01",
      lastSeen: "2026-12-01 08:30:00",
      protocols: ["OWA"],
      requests: 1,
      origin: { source: "EX01/u_ex261201.log", row: 5 },
    },
    {
      user: "CONTOSO\\Bob Smith",
      device: "",
      server: "EX09",
      lastSeen: "2026-12-02 10:00:00",
      protocols: ["MAPI/HTTP"],
      requests: 1,
      origin: { source: "EX01/u_ex261201.log", row: 10 },
    },
  ]);
  expect(r.skipped).toEqual({ anonymous: 1, unauthorized: 1, otherPath: 1, malformed: 1, noFields: 0 });
  expect(r.lines).toBe(11);
});

test("lines before any #Fields line cannot be read and are counted as such", () => {
  const r = reduce([line("08:00:00", "/owa/", "-", "x") + "\n"]);
  expect(r.result()).toEqual([]);
  expect(r.skipped.noFields).toBe(1);
});

test("a log split into chunks anywhere (mid-line, mid-CRLF) reduces exactly as the whole", () => {
  const whole = reduce([LOG]).result();
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: LOG.length }), { maxLength: 12 }), (cuts) => {
      const at = [0, ...[...new Set(cuts)].sort((a, b) => a - b), LOG.length];
      const chunks = at.slice(1).map((end, i) => LOG.slice(at[i], end));
      expect(reduce(chunks).result()).toEqual(whole);
    }),
  );
});

test("ActiveSync device ids: plain query in any case, percent-encoded, and the base64 form of MS-ASHTTP", () => {
  expect(deviceId("User=a&DeviceId=ApplF17&DeviceType=iPhone")).toBe("ApplF17");
  expect(deviceId("cmd=sync&DEVICEID=abc%2Fdef")).toBe("abc/def");
  const b64 = Buffer.from([161, 1, 9, 4, 4, ...Buffer.from("WXYZ"), 4, 1, 2, 3, 4]).toString("base64");
  expect(deviceId(`${b64}&Log=V161`)).toBe("WXYZ");
  const binary = Buffer.from([161, 1, 9, 4, 2, 0xab, 0x01]).toString("base64");
  expect(deviceId(binary)).toBe("AB01");
  expect(deviceId("-")).toBe("");
});

test("logs read as Latin-1 bytes (the command's fast path) still give UTF-8 names; case-only differences are one access", () => {
  const utf8AsLatin1 = Buffer.from(line("08:00:00", "/owa/", "-", "CONTOSO\\José"), "utf8").toString("latin1");
  const r = reduce([FIELDS + "\n" + utf8AsLatin1 + "\n" + line("09:00:00", "/OWA/", "-", "contoso\\JOSÉ") + "\n"]);
  expect(r.result()).toMatchObject([{ user: "CONTOSO\\José", lastSeen: "2026-12-01 09:00:00", requests: 2, origin: { row: 3 } }]);
  expect(r.result()).toEqual(r.result());
});
