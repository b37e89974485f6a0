export * from "./types";
export * from "./errors";
export * from "./encoding";
export { openStore, BLOCK_MAX, type OpenStoreParameters, type SqliteEntityStore, type TableLayout } from "./sqlite";
