export * from "./rights";
export * from "./territory";
export * from "./identifiers";
export * from "./status";
export * from "./workRef";
export * from "./enums";
export * from "./eip712";
export * from "./splits";
