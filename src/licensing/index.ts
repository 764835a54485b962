export * from "./versions";
export * from "./parse";
export * from "./errors";
export * from "./counts";
export * from "./required";
export { SOURCES } from "./sources";
export type { SourceId } from "./sources";
export * from "./coverage";
