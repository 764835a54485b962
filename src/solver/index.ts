/**
 * A minimum-cost cover, solved exactly as a minimum cut: nodes, arcs, capacities and a cover,
 * and nothing of licences. The audit phrases "which users and devices get a CAL" as a cover
 * problem (users and devices the two sides, each access an arc that one end must cover) and
 * reads the answer back; the speed folder runs the same solver on a worker thread from its
 * source text (minCutKit). Proven against brute force on small problems in mincut.test.ts.
 */
export type { Cover, CoverPrices, CoverProblem, CoverStats } from "./mincut";
export { minCostCover, minCostCoverWithStats, minCutKit, uncoveredAccesses } from "./mincut";
