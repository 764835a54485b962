/**
 * The command line, `cals` (cals.ts, the bin): audits an inventory file and writes the report
 * as a workbook, CSV or JSON, with Node's worker threads for the big ones (workers.ts). Small:
 * it reads arguments and files and calls the core. Tests and the bench enter here.
 */
export { main } from "./cals";
export { nodeWorkers } from "./workers";
