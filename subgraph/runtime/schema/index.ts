export * from "./errors";
export * from "./inflector";
export * from "./model";
export * from "./validate";
