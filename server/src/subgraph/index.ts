export * from "./client";
export * from "./types";
export * from "./reads";
export { BatchLoader } from "./batch";
