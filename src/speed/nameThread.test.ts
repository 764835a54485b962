import fc from "fast-check";
import { nodeWorkers } from "../cli";
import { chunkViews, HEADER, NameThread } from "./nameThread";
import { WORKER_MIN_ROWS, WorkerHost } from "./workers";
import { readInventory } from "../audit";
import { Names } from "./names";
import { nameModel as model } from "../../test/support/name-model";

/** Where two long lists first differ (-1: nowhere): jest's deep equality is slow on 200,000 items. */
function firstDifference(a: ArrayLike<unknown>, b: ArrayLike<unknown>): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Two columns pushed row by row, as the row loop does; ids and first spellings of each. */
function throughThread(thread: NameThread, a: string[], b: string[]): { ids: number[]; display: string[] }[] {
  const [x, y] = [thread.column(0), thread.column(1)];
  x.begin(4); // fewer than will come: the ids grow
  y.begin(4);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) x.push(a[i]);
    if (i < b.length) y.push(b[i]);
  }
  const ax = Array.from(x.end());
  const by = Array.from(y.end());
  return [
    { ids: ax, display: x.display },
    { ids: by, display: y.display },
  ];
}

/** A user column with case variants, blanks, long names and names beyond ASCII. */
function users(rows: number): string[] {
  return Array.from({ length: rows }, (_, i) => {
    const u = (i * 7919) % 30_011;
    if (i % 97 === 0) return "";
    if (u % 13 === 0) return `Ünal.${u}@contoso.com`; // packed after toLowerCase
    if (u % 17 === 0) return `Иван.${u}@contoso.ru`; // beyond 8 bits: the Map
    if (u % 19 === 0) return `first.middle.last.${u}@subsidiary.contoso.example.com`; // over 48 characters
    return i % 3 === 0 ? `USER${u}@Contoso.com` : `user${u}@contoso.com`;
  });
}

describe("NameThread: users and devices looked up on a worker", () => {
  test("the ids and first spellings Names gives, over many chunks, with the chunks reused", () => {
    // 200,000 rows of two columns: four times the chunks in flight, so each is filled again and again.
    const a = users(200_000);
    const b = Array.from({ length: 200_000 }, (_, i) => (i % 5 === 0 ? "" : `PC-${(i * 31) % 50_000}`));
    const thread = new NameThread(nodeWorkers, 2);
    const [x, y] = throughThread(thread, a, b);
    expect(thread.onWorker).toBe(true);
    for (const [got, texts] of [
      [x, a],
      [y, b],
    ] as const) {
      const want = model(texts);
      expect(firstDifference(got.ids, want.ids)).toBe(-1);
      expect(firstDifference(got.display, want.display)).toBe(-1);
      expect(got.display.length).toBeGreaterThan(10_000);
    }
    // The same as on this thread, id for id.
    expect(firstDifference(x.ids, new Names().column(a, a.length))).toBe(-1);
  });

  test("agrees with the model on random columns of any length, a part chunk at the end too", () => {
    const name = fc.oneof(
      fc.string({ unit: fc.constantFrom("a", "A", "b", "é", "É", "Ж"), maxLength: 4 }),
      fc.string({ maxLength: 12 }),
      fc.string({ unit: fc.constantFrom("a", "B", "é", "ж"), minLength: 44, maxLength: 52 }),
    );
    fc.assert(
      fc.property(fc.array(name, { maxLength: 3000 }), fc.array(name, { maxLength: 3000 }), (a, b) => {
        const [x, y] = throughThread(new NameThread(nodeWorkers, 2), a, b);
        expect(x).toEqual(model(a));
        expect(y).toEqual(model(b));
      }),
      { numRuns: 12 },
    );
  });

  test("a worker that never starts: this thread does the lookups, with the same ids", () => {
    let stopped = 0;
    const never: WorkerHost = { start: () => ({ stop: () => void stopped++ }) };
    const a = users(70_000); // more than the chunks in flight: the row loop has to wait
    const b = a.map((t) => t.toUpperCase());
    const thread = new NameThread(never, 2, { startTimeoutMs: 0 });
    const [x, y] = throughThread(thread, a, b);
    expect(thread.onWorker).toBe(false);
    expect(firstDifference(x.ids, model(a).ids)).toBe(-1);
    expect(firstDifference(x.display, model(a).display)).toBe(-1);
    expect(firstDifference(y.ids, model(b).ids)).toBe(-1);
    expect(stopped).toBeGreaterThan(0);
  });

  test("a worker that fails: the row loop says so instead of waiting for ever", () => {
    // Stands in for a worker whose lookups threw: it reports as serveNames does, in the shared buffer.
    const failing: WorkerHost = {
      start: (_source, data) => {
        const at = chunkViews(HEADER, data);
        const message = "Array buffer allocation failed";
        for (let k = 0; k < message.length; k++) at.all[at.MESSAGE + k] = message.charCodeAt(k);
        at.all[at.STATE] = at.FAILED;
        return { stop: () => undefined };
      },
    };
    const thread = new NameThread(failing, 2);
    const column = thread.column(0);
    column.begin(10);
    expect(() => {
      for (let i = 0; i < 200_000; i++) column.push(`user${i}`);
      column.end();
    }).toThrow("The name lookup thread failed: Array buffer allocation failed");
  });

  test("a host that cannot start a worker, or a worker whose code will not run: the lookups are done here at once", () => {
    const a = users(50_000);
    const noWorker: WorkerHost = {
      start: () => {
        throw new Error("ERR_WORKER_INIT_FAILED");
      },
    };
    // As when a coverage tool has put counters into the code the worker is sent.
    let broken = "";
    const brokenWorker: WorkerHost = {
      start: (source, data) => {
        broken = source.replace("function nameTableKit() {", "function nameTableKit() { throw new Error('no counters here');");
        return nodeWorkers.start(broken, data);
      },
    };
    for (const host of [noWorker, brokenWorker]) {
      // Not after the wait for a worker to start: that is set to a minute here.
      const before = Date.now();
      const thread = new NameThread(host, 2, { startTimeoutMs: 60_000 });
      const [x] = throughThread(thread, a, []);
      expect(Date.now() - before).toBeLessThan(30_000);
      expect(thread.onWorker).toBe(false);
      expect(firstDifference(x.ids, model(a).ids)).toBe(-1);
    }
    expect(broken).toMatch(/no counters here/);
  });

  test("a worker that started and then went silent: an error after the stall time, not a wait for ever", () => {
    const silent: WorkerHost = {
      start: (_source, data) => {
        const at = chunkViews(HEADER, data);
        at.all[at.STATE] = at.RUNNING; // and then never looks anything up
        return { stop: () => undefined };
      },
    };
    const thread = new NameThread(silent, 1, { stallTimeoutMs: 200 });
    const column = thread.column(0);
    column.begin(10);
    column.push("alice");
    expect(() => column.end()).toThrow("The name lookup thread stopped answering");
  });

  test("columns begin before any ends; a column begun after the thread stopped is refused", () => {
    const thread = new NameThread(nodeWorkers, 2);
    thread.column(0).begin(1);
    thread.column(0).push("a");
    expect(Array.from(thread.column(0).end())).toEqual([0]);
    expect(() => thread.column(1).begin(1)).toThrow(/begin\(\) every column before any ends/);
    // And a column left running when the thread was closed (its read threw) is refused too.
    const closed = new NameThread(nodeWorkers, 1);
    closed.column(0).begin(1);
    closed.close();
    expect(() => closed.column(0).push("a")).toThrow(/has stopped/);
    expect(() => closed.column(0).end()).toThrow(/has stopped/);
  });

  test("a read that throws part way stops its worker", () => {
    const rows = WORKER_MIN_ROWS + 1000;
    const grid: string[][] = [["User", "Device", "Version"]];
    for (let i = 0; i < rows; i++) grid.push([`user${i % 5000}`, `pc-${i % 4000}`, "2016"]);
    let started = 0;
    let stopped = 0;
    const counting: WorkerHost = {
      start: (source, data) => {
        started++;
        const worker = nodeWorkers.start(source, data);
        return {
          stop: () => {
            stopped++;
            worker.stop();
          },
        };
      },
    };
    const onProgress = () => {
      throw new Error("cancelled");
    };
    expect(() => readInventory(grid, { workers: counting, onProgress })).toThrow("cancelled");
    expect(started).toBe(1);
    expect(stopped).toBe(1);
  });

  test("readInventory: the same inventory with the worker as without", () => {
    const rows = WORKER_MIN_ROWS; // from this many rows below the header
    const a = users(rows);
    const grid: string[][] = [["User", "Device", "Server", "Version"]];
    for (let i = 0; i < rows; i++) grid.push([a[i], i % 11 === 0 ? "" : ` pc-${(i * 31) % 60_000} `, `EXCH0${i % 4}`, i % 3 ? "2016" : "2019"]);
    const started: string[] = [];
    const spy: WorkerHost = {
      start: (source, data) => {
        started.push(source);
        return nodeWorkers.start(source, data);
      },
    };
    const here = readInventory(grid);
    const there = readInventory(grid, { workers: spy });
    expect(started).toHaveLength(1);
    expect(there.count).toBe(here.count);
    expect(there.count).toBeGreaterThan(rows - 1000); // rows with neither user nor device are rejected
    expect(firstDifference(there.user, here.user)).toBe(-1);
    expect(firstDifference(there.device, here.device)).toBe(-1);
    expect(firstDifference(there.users, here.users)).toBe(-1);
    expect(firstDifference(there.devices, here.devices)).toBe(-1);
    expect(there.devices[0]).toBe("pc-31"); // trimmed, first spelling (row 0 has no device)
    // One row fewer is read on this thread alone.
    readInventory(grid.slice(0, rows), { workers: spy });
    expect(started).toHaveLength(1);
  });
});
