/**
 * Name lookups on a second thread, for big inventories read where one can be had (the
 * command, on Node). The row loop packs each user and device name into shared memory
 * (NamePacker) and goes on reading; a worker looks the packed names up (NameTable) and
 * hands ids back. On the bench's million rows the lookups are about half of reading, and
 * the processor has two cores: this is the one part of the audit that can use the second.
 *
 *   row loop (this thread)                        worker
 *   pack 1,024 names into a free chunk  --queue-->  NameTable.lookUp -> ids in the chunk
 *   copy ids back, keep first spellings <--done---
 *
 * The ids are those Names would give on this thread: every column's chunks are looked up in
 * the order they were filled, by the same NameTable code (the worker runs this module's
 * nameTableKit from its source text), and a row whose id is the next unseen one is the
 * name's first sight, so its spelling is the one shown.
 *
 * The core stays free of Node: a host that can start a worker is passed in
 * (AuditOptions.workers; the command's is src/cli/workers.ts). If no worker can be
 * started, or it has not started within START_TIMEOUT_MS of being asked, this thread looks
 * the chunks up itself, with the same result; a worker that fails, or stops answering for
 * STALL_TIMEOUT_MS, is an error, never a wait for ever.
 */
import { BATCH, keepFirstSpellings, MAX_WORDS, nameTableKit, NameColumn, NamePacker, NameTable, roomFor } from "./names";
import { WORKER_STATES, workerProgram, WorkerHost } from "./workers";

/** Rows per chunk handed over: four lookup batches, so a hand-over is rare next to the work. */
const CHUNK = 4 * BATCH;
/**
 * Chunks in flight: room for the row loop to run ahead while the worker starts (about 50 ms,
 * some 50,000 rows of two columns), so it seldom waits. 6 MB of shared memory.
 */
const POOL = 96;
/** How long the row loop waits for the worker to start before doing its work itself. */
const START_TIMEOUT_MS = 5000;
/**
 * How long the row loop waits for a started worker to finish a chunk before it gives up: a
 * worker that died without a word (out of memory, killed) never will. A chunk takes well
 * under a millisecond.
 */
const STALL_TIMEOUT_MS = 30_000;
const EMPTY = new Int32Array(0);

/**
 * The shared buffer's header, in 32-bit slots, and the worker's states. One copy for both
 * sides: the worker gets it in its source text.
 */
export const HEADER = {
  /** Chunks queued, chunks done, the state, then the sizes (columns, chunk, pool, words). */
  HEAD: 0,
  TAIL: 1,
  STATE: 2,
  SIZES: 3,
  /** A failed worker's message, one character per slot, ended by 0. */
  MESSAGE: 16,
  MESSAGE_LENGTH: 512,
  /** The slot the row loop waits on. */
  WAKE: 1,
  ...WORKER_STATES,
};
type Header = typeof HEADER;

interface NameThreadOptions {
  /** How long to wait for the worker to start before doing its work here (ms). */
  startTimeoutMs?: number;
  /** How long to wait for a started worker to finish a chunk before failing (ms). */
  stallTimeoutMs?: number;
}

/** Stops the worker of a NameThread that was dropped unfinished (its read threw, say). */
const dropped = typeof FinalizationRegistry === "undefined" ? undefined : new FinalizationRegistry<{ stop(): void }>((worker) => worker.stop());

/**
 * Where everything sits in the one shared buffer, for both sides (self-contained: the worker
 * gets its source text). The header (HEADER); the queue (chunk, column, rows per entry);
 * then per chunk its words, lengths, hashes and ids. The worker passes only the buffer: the
 * sizes are in the header.
 */
export function chunkViews(header: Header, data: SharedArrayBuffer | null, columns = 0, chunk = 0, pool = 0, maxWords = 0) {
  const QUEUE = header.MESSAGE + header.MESSAGE_LENGTH;
  if (data) {
    const sizes = new Int32Array(data, 4 * header.SIZES, 4);
    columns = sizes[0];
    chunk = sizes[1];
    pool = sizes[2];
    maxWords = sizes[3];
  }
  const CHUNKS = QUEUE + 3 * pool;
  const perChunk = chunk * (maxWords + 3);
  const buffer = data ?? new SharedArrayBuffer(4 * (CHUNKS + pool * perChunk));
  const all = new Int32Array(buffer);
  if (!data) all.set([columns, chunk, pool, maxWords], header.SIZES);
  const words: Int32Array[] = [];
  const lengths: Int32Array[] = [];
  const hashes: Int32Array[] = [];
  const ids: Int32Array[] = [];
  for (let c = 0; c < pool; c++) {
    let at = 4 * (CHUNKS + c * perChunk);
    words.push(new Int32Array(buffer, at, chunk * maxWords));
    at += 4 * chunk * maxWords;
    lengths.push(new Int32Array(buffer, at, chunk));
    hashes.push(new Int32Array(buffer, at + 4 * chunk, chunk));
    ids.push(new Int32Array(buffer, at + 8 * chunk, chunk));
  }
  return { ...header, buffer, all, columns, chunk, pool, QUEUE, words, lengths, hashes, ids };
}

type ChunkViews = ReturnType<typeof chunkViews>;
type Kit = ReturnType<typeof nameTableKit>;

/** The worker's loop (self-contained: it is sent as source text). */
function serveNames(kit: Kit, views: typeof chunkViews, header: Header, data: SharedArrayBuffer): void {
  const at = views(header, data);
  const all = at.all;
  // The row loop may have given up waiting and taken the work: then there is nothing to do.
  if (Atomics.compareExchange(all, at.STATE, at.STARTING, at.RUNNING) !== at.STARTING) return;
  try {
    const tables: NameTable[] = [];
    for (let c = 0; c < at.columns; c++) tables.push(new kit.NameTable());
    let tail = 0;
    for (;;) {
      const head = Atomics.load(all, at.HEAD);
      if (tail === head) {
        Atomics.wait(all, at.HEAD, head);
        continue;
      }
      const e = at.QUEUE + 3 * (tail % at.pool);
      const chunk = all[e];
      const column = all[e + 1];
      const rows = all[e + 2];
      if (column < 0) break;
      const table = tables[column];
      for (let s = 0; s < rows; s += kit.BATCH) {
        table.lookUp(at.words[chunk], at.lengths[chunk], at.hashes[chunk], s, Math.min(rows, s + kit.BATCH), at.ids[chunk], 0);
      }
      tail++;
      Atomics.store(all, at.TAIL, tail);
      Atomics.notify(all, at.TAIL);
    }
    Atomics.store(all, at.STATE, at.STOPPED);
  } catch (e) {
    const message = String(e instanceof Error ? e.message : e).slice(0, at.MESSAGE_LENGTH - 1);
    for (let k = 0; k < message.length; k++) all[at.MESSAGE + k] = message.charCodeAt(k);
    all[at.MESSAGE + message.length] = 0;
    Atomics.store(all, at.STATE, at.FAILED);
    Atomics.notify(all, at.TAIL);
  }
}

/** The worker's whole program: the table, the chunk views and the loop, from this module's code. */
function nameWorkerSource(): string {
  return workerProgram(serveNames, nameTableKit, chunkViews, HEADER);
}

/** One worker serving a few name columns (users and devices) of one inventory read. */
export class NameThread {
  private readonly at: ChunkViews;
  private readonly texts: string[][] = [];
  private readonly free: number[] = [];
  private readonly columns: ThreadNames[] = [];
  private readonly worker: { stop(): void };
  private readonly startTimeoutMs: number;
  private readonly stallTimeoutMs: number;
  private readonly started = Date.now();
  /** Chunks queued; chunks whose ids are back and copied out. */
  private head = 0;
  private done = 0;
  /** When the worker last finished a chunk (or started to be waited for), and how many it had done. */
  private progressAt = 0;
  private progressTail = -1;
  /** The worker did not start: this thread looks up, with its own tables. */
  private local: NameTable[] | null = null;
  private closed = false;

  constructor(host: WorkerHost, columns: number, options: NameThreadOptions = {}) {
    this.startTimeoutMs = options.startTimeoutMs ?? START_TIMEOUT_MS;
    this.stallTimeoutMs = options.stallTimeoutMs ?? STALL_TIMEOUT_MS;
    this.at = chunkViews(HEADER, null, columns, CHUNK, POOL, MAX_WORDS);
    for (let c = 0; c < POOL; c++) {
      this.texts.push(new Array<string>(CHUNK).fill(""));
      this.free.push(POOL - 1 - c);
    }
    for (let c = 0; c < columns; c++) this.columns.push(new ThreadNames(this, c));
    let worker: { stop(): void } | undefined;
    try {
      worker = host.start(nameWorkerSource(), this.at.buffer as SharedArrayBuffer);
    } catch {
      // No worker to be had (none left, or no memory for one): the lookups are done here.
      Atomics.store(this.at.all, this.at.STATE, this.at.ABANDONED);
      this.local = this.columns.map(() => new NameTable());
    }
    this.worker = worker ?? { stop: () => undefined };
    dropped?.register(this, this.worker, this);
  }

  /** Whether the worker started and has done the lookups (not this thread, after waiting for it). */
  get onWorker(): boolean {
    const state = Atomics.load(this.at.all, this.at.STATE);
    return state === this.at.RUNNING || state === this.at.STOPPED;
  }

  column(c: number): ThreadNames {
    return this.columns[c];
  }

  /** Columns work only while the thread is open: it closes once every column has ended, or on close(). */
  checkOpen(): void {
    if (this.closed) throw new Error("This NameThread has stopped: begin() every column before any ends");
  }

  /** A free chunk for a column to fill, waiting for the worker when every chunk is out. */
  take(): { chunk: number; words: Int32Array; lengths: Int32Array; hashes: Int32Array; texts: string[] } {
    this.checkOpen();
    if (this.free.length === 0) this.settle(false);
    const chunk = this.free.pop()!;
    const at = this.at;
    return { chunk, words: at.words[chunk], lengths: at.lengths[chunk], hashes: at.hashes[chunk], texts: this.texts[chunk] };
  }

  /** Queues a filled chunk of a column's rows. */
  publish(chunk: number, column: number, rows: number): void {
    const all = this.at.all;
    const e = this.at.QUEUE + 3 * (this.head % POOL);
    all[e] = chunk;
    all[e + 1] = column;
    all[e + 2] = rows;
    this.head++;
    if (this.local) return this.settle(false);
    // The entry is written before head says it is there (Atomics.store orders the writes).
    Atomics.store(all, this.at.HEAD, this.head);
    Atomics.notify(all, this.at.HEAD);
  }

  /**
   * Copies back every chunk the worker has finished, in queue order; then, if `all`, waits
   * until every queued chunk is back, else until at least one chunk is free.
   */
  settle(all: boolean): void {
    this.checkOpen();
    const at = this.at;
    for (;;) {
      const tail = this.local ? this.runLocally() : Atomics.load(at.all, at.TAIL);
      while (this.done < tail) this.collect(this.done++);
      if (all ? this.done === this.head : this.free.length > 0) return;
      const now = Date.now();
      if (tail !== this.progressTail) {
        this.progressTail = tail;
        this.progressAt = now;
      }
      const state = Atomics.load(at.all, at.STATE);
      if (state === at.FAILED) throw new Error(`The name lookup thread failed: ${this.message()}`);
      // Not started in time: take its work, unless it starts at this very moment.
      if (state === at.STARTING && now - this.started >= this.startTimeoutMs) Atomics.compareExchange(at.all, at.STATE, at.STARTING, at.ABANDONED);
      if (Atomics.load(at.all, at.STATE) === at.ABANDONED) {
        // Given up on here, or by the worker itself when its code would not run.
        this.local = this.columns.map(() => new NameTable());
        this.worker.stop();
        continue;
      }
      if (state === at.RUNNING && now - this.progressAt >= this.stallTimeoutMs) {
        this.close();
        throw new Error(`The name lookup thread stopped answering: no names looked up in ${Math.round(this.stallTimeoutMs / 1000)} s`);
      }
      Atomics.wait(at.all, at.TAIL, tail, 50);
    }
  }

  /** A column ended: once all have, the worker stops. */
  ended(): void {
    if (!this.columns.some((c) => c.running)) this.close();
  }

  /**
   * Stops the worker and lets go of the names in the chunks; a read that ends early (it
   * threw) calls this, so no worker is left waiting for rows that will not come.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    dropped?.unregister(this);
    if (!this.local) {
      const e = this.at.QUEUE + 3 * (this.head % POOL);
      this.at.all[e + 1] = -1;
      Atomics.store(this.at.all, this.at.HEAD, this.head + 1);
      Atomics.notify(this.at.all, this.at.HEAD);
    }
    this.worker.stop();
    for (const texts of this.texts) texts.fill("");
  }

  /** Does the queued chunks' lookups here (the worker never started); returns the new tail. */
  private runLocally(): number {
    const at = this.at;
    const tables = this.local!;
    for (let q = this.done; q < this.head; q++) {
      const e = at.QUEUE + 3 * (q % POOL);
      const chunk = at.all[e];
      const rows = at.all[e + 2];
      for (let s = 0; s < rows; s += BATCH)
        tables[at.all[e + 1]].lookUp(at.words[chunk], at.lengths[chunk], at.hashes[chunk], s, Math.min(rows, s + BATCH), at.ids[chunk], 0);
    }
    return this.head;
  }

  /** Queue entry q is done: its ids go to its column, and its chunk is free again. */
  private collect(q: number): void {
    const e = this.at.QUEUE + 3 * (q % POOL);
    const chunk = this.at.all[e];
    this.columns[this.at.all[e + 1]].receive(this.at.ids[chunk], this.texts[chunk], this.at.all[e + 2]);
    this.free.push(chunk);
  }

  private message(): string {
    const at = this.at;
    let text = "";
    for (let k = at.MESSAGE; k < at.MESSAGE + at.MESSAGE_LENGTH && at.all[k] !== 0; k++) text += String.fromCharCode(at.all[k]);
    return text || "unknown error";
  }
}

/** One column of a NameThread: Names' begin / push / end, looked up by the worker. */
class ThreadNames implements NameColumn {
  readonly display: string[] = [];
  private readonly packer = new NamePacker();
  running = false;
  private out = EMPTY;
  private count = 0;
  // The chunk being filled (chunk -1: none).
  private chunk = -1;
  private rows = 0;
  private words: Int32Array = EMPTY;
  private lengths: Int32Array = EMPTY;
  private hashes: Int32Array = EMPTY;
  private texts: string[] = [];

  constructor(
    private readonly thread: NameThread,
    private readonly index: number,
  ) {}

  begin(capacity: number): void {
    if (this.running) throw new Error("begin() inside a run: end() the last one first");
    this.thread.checkOpen();
    this.running = true;
    this.out = new Int32Array(capacity);
    this.count = 0;
  }

  push(text: string): void {
    if (!this.running) throw new Error("push() outside a run: begin() first");
    if (this.chunk < 0) {
      const c = this.thread.take();
      this.chunk = c.chunk;
      this.words = c.words;
      this.lengths = c.lengths;
      this.hashes = c.hashes;
      this.texts = c.texts;
    }
    const r = this.rows;
    this.packer.pack(text, this.words, this.lengths, this.hashes, r);
    this.texts[r] = text;
    this.rows = r + 1;
    if (this.rows === CHUNK) this.publish();
  }

  end(): Int32Array {
    if (!this.running) throw new Error("end() outside a run: begin() first");
    if (this.chunk >= 0) this.publish();
    this.thread.settle(true);
    const ids = this.out.subarray(0, this.count);
    this.out = EMPTY;
    this.running = false;
    this.thread.ended();
    return ids;
  }

  /** A chunk's ids, back in the order the chunks were filled. */
  receive(ids: Int32Array, texts: string[], rows: number): void {
    this.out = roomFor(this.out, this.count, rows);
    this.out.set(ids.subarray(0, rows), this.count);
    keepFirstSpellings(this.display, this.out, this.count, texts, rows);
    this.count += rows;
  }

  private publish(): void {
    this.thread.publish(this.chunk, this.index, this.rows);
    this.chunk = -1;
    this.rows = 0;
  }
}
