#!/usr/bin/env node
/**
 * Writes test/fixtures/exports/: small files shaped like what Exchange admins export, with the
 * messes real exports have. Run it again after a change (node scripts/make-export-fixtures.js)
 * and commit the output, so the tests need nothing but the files.
 *
 * - mailboxes.csv: Get-Mailbox | Select ... | Export-Csv in Windows PowerShell 5.1 without
 *   -NoTypeInformation and -Encoding: a "#TYPE" first line, every value quoted, ASCII (every
 *   letter outside ASCII written as "?"), InPlaceHolds exported as its type name on one row.
 * - mobile-devices.csv: Get-MobileDevice | Get-MobileDeviceStatistics, UTF-8, en-US dates,
 *   "iPhone§Appl..." and Outlook's "REST§Outlook§..." identities.
 * - mobile-devices-de.csv: the same cmdlet with -UseCulture on a German machine: ";" between
 *   fields, dd.MM.yyyy dates, ASCII (so "§" arrives as "?").
 * - mobile-devices-first-object.csv: Get-MobileDevice alone (no LastSuccessSync column).
 * - servers.csv: Get-ExchangeServer | Select Name, AdminDisplayVersion, ServerRole, Edition.
 * - databases.csv: Get-MailboxDatabase | Select Name, Server, AdminDisplayVersion.
 * - logons.csv: an Intune device export (Device name, Primary user UPN, Last check-in).
 * - iis/EX01/*.log, iis/EX02/*.log: IIS W3C logs with different #Fields lines.
 */
"use strict";
const fs = require("fs");
const path = require("path");

const dir = path.join(__dirname, "..", "test", "fixtures", "exports");
fs.mkdirSync(path.join(dir, "iis", "EX01"), { recursive: true });
fs.mkdirSync(path.join(dir, "iis", "EX02"), { recursive: true });

const q = (v) => `"${String(v).replace(/"/g, '""')}"`;
const ascii = (s) => s.replace(/[^\x00-\x7f]/g, "?");
function csv(file, header, rows, { sep = ",", type, encode = (s) => s, quote = true } = {}) {
  const line = (r) => r.map((v) => (quote ? q(v) : v)).join(sep);
  const text = [type ? `#TYPE ${type}` : null, line(header), ...rows.map(line)].filter((l) => l !== null).join("\r\n") + "\r\n";
  fs.writeFileSync(path.join(dir, file), encode(text), "utf8");
}

const ZERO = "00000000-0000-0000-0000-000000000000";
const LIST = "System.Collections.Generic.List`1[System.String]";
const MVP = "Microsoft.Exchange.Data.MultiValuedProperty`1[System.String]";
// Identity, Name, Alias, DisplayName, PrimarySmtpAddress, UserPrincipalName, RecipientTypeDetails, ServerName, Database,
// ArchiveGuid, ArchiveState, LitigationHoldEnabled, InPlaceHolds, RetentionPolicy, ExchangeUserAccountControl
const mb = (name, alias, type, server, opts = {}) => [
  `contoso.com/Users/${name}`,
  name,
  alias,
  name,
  `${alias}@contoso.com`,
  `${alias}@contoso.com`,
  type,
  server,
  server === "EX01" ? "DB01" : "DB02",
  opts.archive ? "5b2a1a3e-7f0c-4d7b-9c1e-2f6a8b9d0e11" : ZERO,
  opts.archive ? "Local" : "None",
  opts.hold ? "True" : "False",
  opts.inPlace ?? "",
  opts.policy ?? "Default MRM Policy",
  opts.disabled ? "AccountDisabled" : "None",
];
csv(
  "mailboxes.csv",
  [
    "Identity",
    "Name",
    "Alias",
    "DisplayName",
    "PrimarySmtpAddress",
    "UserPrincipalName",
    "RecipientTypeDetails",
    "ServerName",
    "Database",
    "ArchiveGuid",
    "ArchiveState",
    "LitigationHoldEnabled",
    "InPlaceHolds",
    "RetentionPolicy",
    "ExchangeUserAccountControl",
  ],
  [
    mb("Ann Smith", "ann", "UserMailbox", "EX01", { archive: true }),
    mb("Bob Jones", "bob", "UserMailbox", "EX01"),
    mb("Carol White", "carol", "UserMailbox", "ex02", { hold: true }),
    mb("Dave Brown", "dave", "UserMailbox", "EX02", { policy: "Legal 7 Years" }),
    mb("Erin Black", "erin", "UserMailbox", "EX02", { inPlace: LIST }),
    mb("José García", "jose.garcia", "UserMailbox", "EX01"),
    mb("Kiosk One", "k1", "UserMailbox", "EX02"),
    mb("Kiosk Two", "k2", "UserMailbox", "EX02"),
    mb("Kiosk Three", "k3", "UserMailbox", "EX02"),
    mb("Lee Leaver", "lee", "UserMailbox", "EX01", { disabled: true }),
    mb("Sales", "sales", "SharedMailbox", "EX01", { archive: true, disabled: true }),
    mb("Room 1", "room1", "RoomMailbox", "EX01", { disabled: true }),
    mb("Projector", "projector", "EquipmentMailbox", "EX02", { disabled: true }),
    mb("DiscoverySearchMailbox {D919BA05-46A6-415f-80AD-7E09334BB852}", "DiscoverySearchMailbox", "DiscoveryMailbox", "EX01", { inPlace: MVP }),
    mb("Quinn Ex", "quinn", "UserMailbox", "EX01", { disabled: true }),
  ],
  { type: "Selected.Microsoft.Exchange.Data.Directory.Management.Mailbox", encode: ascii },
);

const stats = ["Identity", "DeviceId", "DeviceType", "DeviceModel", "FirstSyncTime", "LastSuccessSync", "DeviceAccessState"];
csv("mobile-devices.csv", stats, [
  [
    "contoso.com/Users/Ann Smith/ExchangeActiveSyncDevices/iPhone§ApplF17ANN1",
    "ApplF17ANN1",
    "iPhone",
    "iPhone15C2",
    "3/2/2026 9:15:00 AM",
    "11/28/2026 3:04:05 PM",
    "Allowed",
  ],
  [
    "bob\\ExchangeActiveSyncDevices\\REST§Outlook§5eec4e941e0748a264512fd83770d5ac",
    "5eec4e941e0748a264512fd83770d5ac",
    "Outlook",
    "Outlook for iOS and Android",
    "6/1/2026 8:00:00 AM",
    "11/30/2026 7:00:00 AM",
    "Allowed",
  ],
  [
    "contoso.com/Users/José García/ExchangeActiveSyncDevices/Android§androidc1234",
    "androidc1234",
    "Android",
    "SM-G991B",
    "1/5/2026 10:00:00 AM",
    "11/29/2026 6:30:00 PM",
    "Allowed",
  ],
  [
    "contoso.com/Users/Lee Leaver/ExchangeActiveSyncDevices/iPhone§ApplOLDLEE",
    "ApplOLDLEE",
    "iPhone",
    "iPhone12C1",
    "1/2/2024 9:00:00 AM",
    "1/15/2026 9:00:00 AM",
    "Allowed",
  ],
  [
    "contoso.com/Users/Zed Nobody/ExchangeActiveSyncDevices/iPad§ApplZED",
    "ApplZED",
    "iPad",
    "iPad13C1",
    "2/2/2026 9:00:00 AM",
    "11/20/2026 9:00:00 AM",
    "Allowed",
  ],
  [
    "contoso.com/Users/Carol White/ExchangeActiveSyncDevices/iPhone§ApplCAROLX",
    "ApplCAROLX",
    "iPhone",
    "iPhone14C3",
    "2/2/2026 9:00:00 AM",
    "11/25/2026 9:00:00 AM",
    "Blocked",
  ],
]);
csv(
  "mobile-devices-de.csv",
  stats,
  [
    [
      "contoso.com/Users/Dave Brown/ExchangeActiveSyncDevices/iPhone§ApplDAVE01",
      "ApplDAVE01",
      "iPhone",
      "iPhone15C3",
      "02.03.2026 09:15:00",
      "28.11.2026 15:04:05",
      "Allowed",
    ],
    [
      "contoso.com/Users/Erin Black/ExchangeActiveSyncDevices/REST§Outlook§77aa",
      "77aa",
      "Outlook",
      "Outlook for iOS and Android",
      "13.06.2026 08:00:00",
      "01.12.2026 07:00:00",
      "Allowed",
    ],
  ],
  { sep: ";", encode: ascii },
);
csv(
  "mobile-devices-first-object.csv",
  ["Identity", "UserDisplayName", "DeviceId", "DeviceType", "DeviceModel", "FirstSyncTime", "DeviceAccessState"],
  [
    [
      "contoso.com/Users/Bob Jones/ExchangeActiveSyncDevices/WindowsMail§6F2B11",
      "contoso.com/Users/Bob Jones",
      "6F2B11",
      "WindowsMail",
      "Surface Laptop",
      "4/4/2026 10:00:00 AM",
      "Allowed",
    ],
  ],
  { type: "Microsoft.Exchange.Data.Directory.SystemConfiguration.MobileDevice" },
);

csv(
  "servers.csv",
  ["Name", "AdminDisplayVersion", "ServerRole", "Edition"],
  [
    ["EX01", "Version 15.2 (Build 1544.4)", "Mailbox", "Enterprise"],
    ["EX02", "Version 15.1 (Build 2507.6)", "Mailbox", "Standard"],
    ["EDGE01", "Version 15.2 (Build 1544.4)", "Edge", "Standard"],
  ],
  { type: "Selected.Microsoft.Exchange.Data.Directory.Management.ExchangeServer" },
);
csv(
  "databases.csv",
  ["Name", "Server", "AdminDisplayVersion"],
  [
    ["DB01", "EX01", "Version 15.2 (Build 1544.4)"],
    ["DB02", "EX02", "Version 15.1 (Build 2507.6)"],
  ],
);

csv(
  "logons.csv",
  ["Device name", "Primary user UPN", "Last check-in", "OS"],
  [
    ["LAP-ANN", "ann@contoso.com", "2026-11-30T08:12:00Z", "Windows"],
    ["KIOSK-01", "k1@contoso.com", "2026-12-01T07:00:00Z", "Windows"],
    ["KIOSK-01", "k2@contoso.com", "2026-12-01T11:00:00Z", "Windows"],
    ["KIOSK-01", "k3@contoso.com", "2026-12-02T15:00:00Z", "Windows"],
    ["PC-STRANGER", "stranger@fabrikam.com", "2026-11-30T08:00:00Z", "Windows"],
    ["LAP-OLD", "bob@contoso.com", "2025-06-30T08:00:00Z", "Windows"],
    ["LAP-BOB", "bob@contoso.com", "2026-11-29T08:00:00Z", "Windows"],
  ],
);

// IIS: the default Exchange field set on EX01; EX02 logs s-computername and puts fields in another order
const F1 =
  "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken";
const l1 = (time, stem, query, user, agent, status = 200) =>
  `2026-12-01 ${time} 10.0.0.11 POST ${stem} ${query} 443 ${user} 10.1.2.3 ${agent} - ${status} 0 0 31`;
const iis1 = [
  "#Software: Microsoft Internet Information Services 10.0",
  "#Version: 1.0",
  "#Date: 2026-12-01 00:00:00",
  `#Fields: ${F1}`,
  l1(
    "08:00:01",
    "/Microsoft-Server-ActiveSync/default.eas",
    "User=ann&DeviceId=ApplF17ANN1&DeviceType=iPhone&Cmd=Sync&Log=V161_Sst1",
    "CONTOSO\\ann",
    "Apple-iPhone15C2/2102.100",
  ),
  l1(
    "08:05:01",
    "/Microsoft-Server-ActiveSync/default.eas",
    "User=ann&DeviceId=ApplF17ANN1&DeviceType=iPhone&Cmd=Ping",
    "CONTOSO\\ann",
    "Apple-iPhone15C2/2102.100",
  ),
  l1("08:06:00", "/owa/", "-", "CONTOSO\\ann", "Mozilla/5.0+(Windows+NT+10.0)"),
  l1("08:07:00", "/owa/service.svc", "action=GetItem", "-", "Mozilla/5.0+(Windows+NT+10.0)", 401),
  l1("08:08:00", "/EWS/Exchange.asmx", "-", "bob@contoso.com", "MacOutlook/16.80"),
  l1("08:09:00", "/autodiscover/autodiscover.xml", "-", "CONTOSO\\bob", "MacOutlook/16.80"),
  l1("08:10:00", "/mapi/emsmdb/", "mailboxId=abc@contoso.com", "CONTOSO\\HealthMailbox0a1b2c", "MSRPC"),
  l1(
    "08:11:00",
    "/Microsoft-Server-ActiveSync/default.eas",
    "User=mallory&DeviceId=ANDR999&DeviceType=Android&Cmd=Sync",
    "CONTOSO\\mallory",
    "Android-SAMSUNG",
  ),
];
fs.writeFileSync(path.join(dir, "iis", "EX01", "u_ex261201.log"), iis1.join("\r\n") + "\r\n");
const F2 = "date time s-computername cs-username cs-method cs-uri-stem cs-uri-query sc-status";
// An iOS mail client sends the base64 query form: version 161, command 1 (Sync), locale, then the device id
const b64 = Buffer.from([161, 1, 0x09, 0x04, 9, ...Buffer.from("ApplDAVE2")]).toString("base64");
const iis2 = [
  "#Software: Microsoft Internet Information Services 10.0",
  `#Fields: ${F2}`,
  `2026-12-02 09:00:00 EX02 CONTOSO\\dave POST /Microsoft-Server-ActiveSync/default.eas ${b64}&Log=V161 200`,
  `2026-12-02 09:30:00 EX02 CONTOSO\\k1 POST /mapi/emsmdb/ - 200`,
  `2026-06-01 09:30:00 EX02 CONTOSO\\carol POST /owa/ - 200`,
];
fs.writeFileSync(path.join(dir, "iis", "EX02", "u_ex261202.log"), iis2.join("\n") + "\n");
console.log(`wrote ${dir}`);
