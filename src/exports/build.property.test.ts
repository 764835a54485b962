/**
 * Nothing is dropped silently: on random exports (random mailbox kinds, disabled accounts,
 * servers known or not, devices and logons for known, unknown and twice-known users, dates in
 * and out of the window, blank cells, IIS accesses), every input row is in the inventory (as a
 * row's source) or in the excluded list, and never in both.
 */
import fc from "fast-check";
import { buildInventory, IisAccess } from ".";
import { MAILBOX_TYPES } from "../licensing";
import type { Grid } from "../sheet";

const AS_OF = Date.UTC(2026, 11, 3);
const TYPES = [...MAILBOX_TYPES.map((t) => t.type), "SomethingNew"];
const SERVERS = ["EX1", "EX2", "EX3"];
const NAMES = ["ann", "bob", "cy", "dee", "José", "Jos?", ""];
const DATES = ["11/28/2026 3:04:05 PM", "1/1/2020 9:00:00 AM", "", "12/24/2026 1:00:00 PM"];

const mailbox = fc.record({
  alias: fc.constantFrom(...NAMES),
  type: fc.constantFrom(...TYPES),
  server: fc.constantFrom(...SERVERS, ""),
  disabled: fc.boolean(),
  hold: fc.boolean(),
});
const device = fc.record({
  owner: fc.constantFrom(...NAMES, "zed"),
  id: fc.constantFrom("D1", "D2", "D3", ""),
  seen: fc.constantFrom(...DATES),
  blocked: fc.boolean(),
});
const logon = fc.record({ user: fc.constantFrom(...NAMES, "zed"), device: fc.constantFrom("PC1", "PC2", "KIOSK", ""), seen: fc.constantFrom(...DATES) });
const iis = fc.record({
  user: fc.constantFrom(...NAMES.filter(Boolean), "CONTOSO\\bob", "HealthMailbox0a1b2c3"),
  device: fc.constantFrom("", "D1", "D9"),
  lastSeen: fc.constantFrom("2026-12-01 10:00:00", "2025-01-01 10:00:00"),
});

test("every input row is in the inventory or in the excluded list, never both", () => {
  fc.assert(
    fc.property(
      fc.array(mailbox, { maxLength: 10 }),
      fc.array(device, { maxLength: 8 }),
      fc.array(logon, { maxLength: 8 }),
      fc.array(iis, { maxLength: 6 }),
      fc.subarray(SERVERS),
      (mbs, devs, logons, hits, servers) => {
        const mbGrid: Grid = [
          ["#TYPE Selected.Microsoft.Exchange.Data.Directory.Management.Mailbox"],
          ["Alias", "PrimarySmtpAddress", "RecipientTypeDetails", "ServerName", "ExchangeUserAccountControl", "LitigationHoldEnabled"],
          ...mbs.map((m) => [m.alias, m.alias ? `${m.alias}@x.com` : "", m.type, m.server, m.disabled ? "AccountDisabled" : "None", String(m.hold)]),
        ];
        const devGrid: Grid = [
          ["Identity", "DeviceId", "LastSuccessSync", "DeviceAccessState"],
          ...devs.map((d) => [`${d.owner}\\ExchangeActiveSyncDevices\\iPhone§${d.id}`, d.id, d.seen, d.blocked ? "Blocked" : "Allowed"]),
        ];
        const logGrid: Grid = [["User", "ComputerName", "LastLogon"], ...logons.map((l) => [l.user, l.device, l.seen])];
        const srvGrid: Grid = [
          ["Name", "AdminDisplayVersion"],
          ...servers.map((s, i) => [s, i === 2 ? "Version 99.0 (Build 1.1)" : "Version 15.2 (Build 1544.4)"]),
        ];
        const accesses: IisAccess[] = hits.map((h, i) => ({ ...h, server: "EX1", protocols: ["OWA"], requests: 1, origin: { source: "u.log", row: i + 1 } }));
        const r = buildInventory(
          {
            mailboxes: [{ source: "m", grid: mbGrid }],
            mobileDevices: [{ source: "d", grid: devGrid }],
            logons: [{ source: "l", grid: logGrid }],
            servers: [{ source: "s", grid: srvGrid }],
            iis: accesses,
          },
          { asOf: AS_OF, activeDays: 90 },
        );
        const inRows = new Set(r.rows.flatMap((row) => row.origins.map((o) => `${o.source}:${o.row}`)));
        const inExcluded = new Set(r.excluded.map((e) => `${e.origin.source}:${e.origin.row}`));
        const inputs = [
          ...mbs.map((_, i) => `m:${i + 3}`),
          ...devs.map((_, i) => `d:${i + 2}`),
          // a row of blank cells is no row (as in the audit)
          ...logons.flatMap((l, i) => (l.user || l.device || l.seen ? [`l:${i + 2}`] : [])),
          ...servers.map((_, i) => `s:${i + 2}`),
          ...hits.map((_, i) => `u.log:${i + 1}`),
        ];
        for (const id of inputs) {
          const rows = inRows.has(id);
          const left = inExcluded.has(id);
          if (rows === left) throw new Error(`${id} is ${rows ? "in both lists" : "in neither list"}`);
        }
        // and nothing is made up: every source named is an input row
        for (const id of [...inRows, ...inExcluded]) expect(inputs).toContain(id);
      },
    ),
    { numRuns: 300 },
  );
});
