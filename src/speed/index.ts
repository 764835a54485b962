/**
 * What makes a million-row audit fast, kept apart from what it computes: an exact name table
 * of packed 32-bit words that numbers users, devices and servers (names.ts), and two
 * worker-thread protocols over shared memory, one numbering names beside the row loop
 * (nameThread.ts) and one solving the mixed plan's min cut off the main heap (coverThread.ts),
 * both started through a host the caller passes (workers.ts; the command passes Node's, the
 * pane none). Every path gives the same answer as one thread; only the time differs.
 */
export type { NameColumn } from "./names";
export { Names } from "./names";
export { NameThread } from "./nameThread";
export { COVER_HEADER, CoverThread } from "./coverThread";
export type { WorkerHost } from "./workers";
export { WORKER_MIN_ROWS } from "./workers";
