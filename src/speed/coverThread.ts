/**
 * A big mixed plan's min cut solved on a worker thread (see workers.ts). Not to go faster
 * itself: the solve takes as long there, while the row loop's thread waits. But its ~70 MB
 * of arrays then live in the worker's heap, not the main thread's, where they were what
 * made V8 collect the whole 200 MB grid once per audit (it starts a full collection when
 * a heap's typed arrays grow by about 64 MB; docs/performance.md).
 *
 * The worker runs mincut.ts's minCutKit from its source text, so the cover is the one
 * minCostCover gives here. It is started when the audit starts and boots while coverage
 * and the plans before it run. Whatever goes wrong with it (it cannot start, does not start
 * within START_TIMEOUT_MS, fails, or has not answered within STALL_TIMEOUT_MS), the problem
 * is solved here instead: same answer, no error. (A worker that dies without a word, killed
 * or out of memory, is only noticed when that time is up: this thread is blocked and cannot
 * hear of it sooner.)
 */
import { Cover, CoverProblem, minCostCover, minCutKit } from "../solver";
import { WORKER_STATES, workerProgram, WorkerHost } from "./workers";

const START_TIMEOUT_MS = 5000;
const STALL_TIMEOUT_MS = 60_000;

/** The shared buffer: Int32 slots, then Float64 prices and cost, then the problem and the cover. */
export const COVER_HEADER = {
  /** Problems posted, problems solved, the worker's state, a stop flag. */
  POSTED: 0,
  SOLVED: 1,
  STATE: 2,
  STOP: 3,
  /** This problem's accesses, users and devices; the room for each. */
  EDGES: 4,
  USERS: 5,
  DEVICES: 6,
  MAX_EDGES: 7,
  MAX_USERS: 8,
  MAX_DEVICES: 9,
  /** Byte offsets: the four prices and the cost (Float64), then the arrays. */
  PRICES_AT: 64,
  ARRAYS_AT: 128,
  /** The slot the main thread waits on while the worker starts. */
  WAKE: 2,
  ...WORKER_STATES,
};
type Header = typeof COVER_HEADER;
type Kit = ReturnType<typeof minCutKit>;

/** Views of the shared buffer (self-contained: the worker gets its source text). */
function coverViews(h: Header, data: SharedArrayBuffer) {
  const slots = new Int32Array(data, 0, 16);
  const maxEdges = slots[h.MAX_EDGES];
  const maxUsers = slots[h.MAX_USERS];
  const maxDevices = slots[h.MAX_DEVICES];
  let at = h.ARRAYS_AT;
  const edgeUser = new Int32Array(data, at, maxEdges);
  at += 4 * maxEdges;
  const edgeDevice = new Int32Array(data, at, maxEdges);
  at += 4 * maxEdges;
  const edgeEnterprise = new Uint8Array(data, at, maxEdges);
  at += maxEdges;
  return {
    slots,
    numbers: new Float64Array(data, h.PRICES_AT, 5), // userStandard, userEnterprise, deviceStandard, deviceEnterprise, cost
    edgeUser,
    edgeDevice,
    edgeEnterprise,
    userStandard: new Uint8Array(data, at, maxUsers),
    userEnterprise: new Uint8Array(data, at + maxUsers, maxUsers),
    deviceStandard: new Uint8Array(data, at + 2 * maxUsers, maxDevices),
    deviceEnterprise: new Uint8Array(data, at + 2 * maxUsers + maxDevices, maxDevices),
  };
}

/** The worker's loop (self-contained: it is sent as source text). */
function serveCovers(kit: Kit, views: typeof coverViews, h: Header, data: SharedArrayBuffer): void {
  const v = views(h, data);
  const slots = v.slots;
  if (Atomics.compareExchange(slots, h.STATE, h.STARTING, h.RUNNING) !== h.STARTING) return;
  Atomics.notify(slots, h.STATE);
  try {
    let solved = 0;
    for (;;) {
      const posted = Atomics.load(slots, h.POSTED);
      if (Atomics.load(slots, h.STOP)) break;
      if (posted === solved) {
        Atomics.wait(slots, h.POSTED, posted);
        continue;
      }
      const m = slots[h.EDGES];
      const users = slots[h.USERS];
      const devices = slots[h.DEVICES];
      const n = v.numbers;
      const cover = kit.minCostCover({
        users,
        devices,
        edgeUser: v.edgeUser.subarray(0, m),
        edgeDevice: v.edgeDevice.subarray(0, m),
        edgeEnterprise: v.edgeEnterprise.subarray(0, m),
        prices: { userStandard: n[0], userEnterprise: n[1], deviceStandard: n[2], deviceEnterprise: n[3] },
      });
      v.userStandard.set(cover.userStandard);
      v.userEnterprise.set(cover.userEnterprise);
      v.deviceStandard.set(cover.deviceStandard);
      v.deviceEnterprise.set(cover.deviceEnterprise);
      n[4] = cover.cost;
      solved++;
      Atomics.store(slots, h.SOLVED, solved);
      Atomics.notify(slots, h.SOLVED);
    }
    Atomics.store(slots, h.STATE, h.STOPPED);
  } catch {
    // The problem is solved again by the main thread, which then says what was wrong.
    Atomics.store(slots, h.STATE, h.FAILED);
    Atomics.notify(slots, h.SOLVED);
  }
}

/** The worker's whole program: the solver, the views and the loop, from this code. */
function coverWorkerSource(): string {
  return workerProgram(serveCovers, minCutKit, coverViews, COVER_HEADER);
}

interface CoverThreadOptions {
  startTimeoutMs?: number;
  stallTimeoutMs?: number;
}

/** One worker solving the min cuts of one audit, for problems up to the sizes given. */
export class CoverThread {
  private readonly data: SharedArrayBuffer;
  private readonly views: ReturnType<typeof coverViews>;
  private readonly worker: { stop(): void };
  private readonly started = Date.now();
  private readonly startTimeoutMs: number;
  private readonly stallTimeoutMs: number;
  private posted = 0;
  /** The worker is not to be used (it did not start, failed or was closed): solve here. */
  private here = false;
  private closed = false;
  /** Problems the worker solved. */
  solvedOnWorker = 0;

  constructor(host: WorkerHost, maxEdges: number, maxUsers: number, maxDevices: number, options: CoverThreadOptions = {}) {
    this.startTimeoutMs = options.startTimeoutMs ?? START_TIMEOUT_MS;
    this.stallTimeoutMs = options.stallTimeoutMs ?? STALL_TIMEOUT_MS;
    const h = COVER_HEADER;
    this.data = new SharedArrayBuffer(h.ARRAYS_AT + 9 * maxEdges + 2 * (maxUsers + maxDevices));
    const slots = new Int32Array(this.data, 0, 16);
    slots[h.MAX_EDGES] = maxEdges;
    slots[h.MAX_USERS] = maxUsers;
    slots[h.MAX_DEVICES] = maxDevices;
    this.views = coverViews(h, this.data);
    let worker: { stop(): void } | undefined;
    try {
      worker = host.start(coverWorkerSource(), this.data);
    } catch {
      this.here = true;
    }
    this.worker = worker ?? { stop: () => undefined };
  }

  /** minCostCover, on the worker when it can be. */
  solve(p: CoverProblem): Cover {
    const h = COVER_HEADER;
    const v = this.views;
    const m = p.edgeUser.length;
    const pr = p.prices;
    // Only a problem that fits, and that the shared slots carry as it is: anything else
    // (including what minCostCover would refuse, so that it says why) is solved here.
    const fits =
      m <= v.edgeUser.length &&
      p.users <= v.userStandard.length &&
      p.devices <= v.deviceStandard.length &&
      p.edgeDevice.length === m &&
      p.edgeEnterprise.length === m;
    const exact =
      Number.isInteger(p.users) &&
      Number.isInteger(p.devices) &&
      !!pr &&
      [pr.userStandard, pr.userEnterprise, pr.deviceStandard, pr.deviceEnterprise].every((x) => Number.isSafeInteger(x));
    if (this.here || !fits || !exact || !this.waitForStart()) return minCostCover(p);
    v.edgeUser.set(p.edgeUser);
    v.edgeDevice.set(p.edgeDevice);
    v.edgeEnterprise.set(p.edgeEnterprise);
    v.numbers.set([pr.userStandard, pr.userEnterprise, pr.deviceStandard, pr.deviceEnterprise, 0]);
    v.slots[h.EDGES] = m;
    v.slots[h.USERS] = p.users;
    v.slots[h.DEVICES] = p.devices;
    this.posted++;
    Atomics.store(v.slots, h.POSTED, this.posted);
    Atomics.notify(v.slots, h.POSTED);
    const since = Date.now();
    while (Atomics.load(v.slots, h.SOLVED) !== this.posted) {
      const state = Atomics.load(v.slots, h.STATE);
      if (state !== h.RUNNING || Date.now() - since >= this.stallTimeoutMs) {
        // Failed (say, on a problem minCostCover refuses) or silent: solve here, which also
        // says what was wrong with the problem, if anything.
        this.close();
        return minCostCover(p);
      }
      Atomics.wait(v.slots, h.SOLVED, this.posted - 1, 50);
    }
    this.solvedOnWorker++;
    const copy = (a: Uint8Array, n: number) => a.slice(0, n);
    return {
      userStandard: copy(v.userStandard, p.users),
      userEnterprise: copy(v.userEnterprise, p.users),
      deviceStandard: copy(v.deviceStandard, p.devices),
      deviceEnterprise: copy(v.deviceEnterprise, p.devices),
      cost: v.numbers[4],
    };
  }

  /** Stops the worker; later problems are solved here. */
  close(): void {
    if (this.closed) return;
    this.here = true;
    this.closed = true;
    Atomics.store(this.views.slots, COVER_HEADER.STOP, 1);
    Atomics.notify(this.views.slots, COVER_HEADER.POSTED);
    this.worker.stop();
  }

  /** Waits for the worker to start (it boots while the audit runs): false if it will not. */
  private waitForStart(): boolean {
    const h = COVER_HEADER;
    const slots = this.views.slots;
    for (;;) {
      const state = Atomics.load(slots, h.STATE);
      if (state === h.RUNNING) return true;
      if (state !== h.STARTING) break;
      const left = this.startTimeoutMs - (Date.now() - this.started);
      if (left <= 0) {
        if (Atomics.compareExchange(slots, h.STATE, h.STARTING, h.ABANDONED) === h.STARTING) break;
        continue;
      }
      Atomics.wait(slots, h.STATE, h.STARTING, Math.min(left, 50));
    }
    this.close();
    return false;
  }
}
