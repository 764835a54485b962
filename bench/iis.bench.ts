/**
 * IIS log reduction benchmark (part of `npm run bench`; alone: `npm run bench -- --iis-only`).
 *
 * Generates W3C logs shaped like an Exchange server's (the default Exchange field set, long
 * ActiveSync queries and user agents, MAPI, EWS, OWA, autodiscover and health probes, 5,000
 * users with one or two phones each, two servers with different #Fields lines), then times, each --runs
 * times and judged on the median:
 *  - reading alone (the files read and decoded to text, nothing else): the floor;
 *  - the command's path: streamLogs + W3cReducer (read, decode, reduce to distinct user,
 *    device, server);
 *  - papaparse (the project's CSV parser) splitting the same text on spaces with the same
 *    reduction, to show whether a well-kept parser beats the hand-written loop.
 * Options: --iis-mb N (default 256), --runs N, --keep.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Papa from "papaparse";
import { StringDecoder } from "string_decoder";
import { W3cReducer } from "../src/exports";
import { streamLogs } from "../src/files/exports";

const MB = 1024 * 1024;
/** An organisation of 5,000 mailboxes: 256 MB of logs is then about an hour of its traffic. */
const USERS = 5000;
export const IIS_TARGET_MB_PER_S = 100;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const F_EX =
  "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken";
const F_2 =
  "date time s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken";

function line(r: () => number, withServer: string | undefined, second: number): string {
  const u = Math.floor(r() * USERS);
  const user = `CONTOSO\\user${u}`;
  const dev = `Appl${(u * 7 + Math.floor(r() * 2)).toString(36).toUpperCase()}XK${u % 97}`;
  const hh = String(Math.floor(second / 3600) % 24).padStart(2, "0");
  const mm = String(Math.floor(second / 60) % 60).padStart(2, "0");
  const ss = String(second % 60).padStart(2, "0");
  const pick = r();
  let stem: string,
    query: string,
    agent: string,
    status = 200;
  if (pick < 0.6) {
    stem = "/Microsoft-Server-ActiveSync/default.eas";
    query = `User=user${u}&DeviceId=${dev}&DeviceType=iPhone&Cmd=Ping&Log=RqT1_PrxFrom:10.0.0.${u % 250}_Ver1:161_HH:mail.contoso.com_SmtpAdrs:user${u}%40contoso.com_Hb:900_Rto:2_Cpo:1245_Fet:900000_Mbx:EX01.contoso.com_Dc:dc01.contoso.com_Throttle0_DBL6_CmdHC-${u}_ActivityContextData:ActivityID%3d${u}-6b1e-4c4e-8d7c-0c3c8a1f2e1d`;
    agent = "Apple-iPhone15C2/2102.100";
  } else if (pick < 0.8) {
    stem = "/mapi/emsmdb/";
    query = `mailboxId=${u}-2c1f-4a3e-9b1d-5e0f6a7b8c9d@contoso.com&CorrelationID=<empty>;&cafeReqId=${u}-aa11-bb22;`;
    agent = "Microsoft+Office/16.0+(Windows+NT+10.0;+Microsoft+Outlook+16.0.17928;+Pro)";
  } else if (pick < 0.9) {
    stem = "/EWS/Exchange.asmx";
    query = `&CorrelationID=<empty>;&cafeReqId=${u}-cc33-dd44;`;
    agent = "MacOutlook/16.80.23121017+(Intelx64+Mac+OS+X+14.2.1+(Build+23C71))";
  } else if (pick < 0.95) {
    stem = "/owa/service.svc";
    query = `action=GetConversationItems&ID=-1&AC=1&CorrelationID=<empty>;&cafeReqId=${u}-ee55;`;
    agent = "Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/120.0.0.0+Safari/537.36";
    if (r() < 0.1) status = 401;
  } else {
    stem = r() < 0.5 ? "/autodiscover/autodiscover.xml" : "/mapi/emsmdb/";
    query = "&CorrelationID=<empty>;";
    agent = "AMProbe/Local/ClientAccess";
  }
  const ip = `10.${u % 200}.${(u >> 3) % 250}.${u % 250}`;
  if (withServer)
    return `2026-12-01 ${hh}:${mm}:${ss} ${withServer} 10.0.0.12 POST ${stem} ${query} 443 ${user} ${ip} ${agent} ${status} 0 0 ${Math.floor(r() * 900)}`;
  return `2026-12-01 ${hh}:${mm}:${ss} 10.0.0.11 POST ${stem} ${query} 443 ${user} ${ip} ${agent} - ${status} 0 0 ${Math.floor(r() * 900)}`;
}

/** Writes about `totalMb` of logs into dir/EX01 and dir/EX02, two files each. */
export function generateLogs(dir: string, totalMb: number, seed = 17): number {
  const r = rng(seed);
  let bytes = 0;
  const perFile = (totalMb * MB) / 4;
  for (const [server, fields, s] of [
    ["EX01", F_EX, undefined],
    ["EX02", F_2, "EX02"],
  ] as const) {
    fs.mkdirSync(path.join(dir, server), { recursive: true });
    for (let f = 0; f < 2; f++) {
      const fd = fs.openSync(path.join(dir, server, `u_ex2612${String(f + 1).padStart(2, "0")}.log`), "w");
      let written = 0;
      let second = 0;
      const header = `#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2026-12-01 00:00:00\r\n#Fields: ${fields}\r\n`;
      fs.writeSync(fd, header);
      while (written < perFile) {
        const lines: string[] = [];
        for (let i = 0; i < 4000; i++) lines.push(line(r, s, second++ >> 4));
        const chunk = lines.join("\r\n") + "\r\n";
        fs.writeSync(fd, chunk);
        written += Buffer.byteLength(chunk);
      }
      fs.closeSync(fd);
      bytes += written + header.length;
    }
  }
  return bytes;
}

function readOnly(dir: string): number {
  const sink = { file: () => ({ push: () => undefined, end: () => undefined }) };
  return streamLogs(dir, sink);
}

/** The same reduction with papaparse doing the splitting (fields by index from the #Fields line). */
function withPapaparse(dir: string): number {
  const reducer = new W3cReducer();
  let distinct = 0;
  const seen = new Set<string>();
  for (const server of fs.readdirSync(dir)) {
    for (const file of fs.readdirSync(path.join(dir, server))) {
      const text = new StringDecoder("utf8").end(fs.readFileSync(path.join(dir, server, file)));
      let at: Record<string, number> = {};
      Papa.parse<string[]>(text, {
        delimiter: " ",
        quoteChar: "\u0000",
        skipEmptyLines: true,
        step: (row: Papa.ParseStepResult<string[]>) => {
          const d = row.data;
          if (d[0].startsWith("#")) {
            if (d[0] === "#Fields:") at = Object.fromEntries(d.slice(1).map((n, i) => [n, i]));
            return;
          }
          const user = d[at["cs-username"]];
          if (!user || user === "-" || d[at["sc-status"]] === "401") return;
          const stem = d[at["cs-uri-stem"]].toLowerCase();
          if (stem.startsWith("/autodiscover")) return;
          const q = d[at["cs-uri-query"]];
          const m = stem.startsWith("/microsoft-server-activesync") ? /deviceid=([^&]*)/i.exec(q) : null;
          const key = `${user}\u0001${m ? m[1] : ""}\u0001${at["s-computername"] !== undefined ? d[at["s-computername"]] : server}`;
          if (!seen.has(key)) {
            seen.add(key);
            distinct++;
          }
        },
      });
    }
  }
  void reducer;
  return distinct;
}

function median(v: number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function iisBench(runs: number, mb: number, keep: boolean): Promise<boolean> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cals-iis-bench-"));
  try {
    let t = performance.now();
    const bytes = generateLogs(dir, mb);
    console.log(`\nIIS logs (streamLogs + W3cReducer, as cals inventory --iis-logs), ${runs} run${runs === 1 ? "" : "s"}`);
    console.log(
      `  generated ${(bytes / MB).toFixed(0)} MB of W3C logs (4 files, 2 servers) in ${((performance.now() - t) / 1000).toFixed(1)} s; load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    const cpu: Record<string, number> = {};
    const time = (name: string, fn: () => void) => {
      const ms: number[] = [];
      const cpuMs: number[] = [];
      for (let i = 0; i < runs; i++) {
        t = performance.now();
        const c0 = process.cpuUsage();
        fn();
        const c = process.cpuUsage(c0);
        ms.push(performance.now() - t);
        cpuMs.push((c.user + c.system) / 1000);
      }
      cpu[name] = median(cpuMs);
      return median(ms);
    };
    let distinct = 0;
    let lines = 0;
    const readMs = time("read", () => readOnly(dir));
    const reduceMs = time("reduce", () => {
      const reducer = new W3cReducer();
      streamLogs(dir, reducer);
      distinct = reducer.result().length;
      lines = reducer.lines;
    });
    const papaMs = time("papa", () => withPapaparse(dir));
    const rate = (ms: number) => bytes / MB / (ms / 1000);
    console.log(`  ${lines.toLocaleString("en-US")} lines -> ${distinct.toLocaleString("en-US")} distinct user/device/server`);
    const show = (label: string, ms: number, name: string, tail = "") =>
      console.log(
        `  ${label.padEnd(20)} ${(ms / 1000).toFixed(2)} s   ${rate(ms).toFixed(0).padStart(4)} MB/s   (CPU ${(cpu[name] / 1000).toFixed(2)} s: ${rate(cpu[name]).toFixed(0)} MB/s of CPU)${tail}`,
      );
    const ok = rate(reduceMs) >= IIS_TARGET_MB_PER_S;
    show("read only", readMs, "read", " the floor");
    show("W3cReducer", reduceMs, "reduce", `   target >= ${IIS_TARGET_MB_PER_S} MB/s   ${ok ? "PASS" : "MISS"}`);
    show("papaparse, same job", papaMs, "papa", " for comparison");
    console.log(`  (medians; load average now ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} CPUs)`);
    return ok;
  } finally {
    if (keep) console.log(`  kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}
