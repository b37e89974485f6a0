export * from "./errors";
export { apiSchemaSdl, buildApiSchema, filterOps } from "./schema";
export { createQueryEngine, MAX_FIRST, MAX_SKIP, type QueryEngine, type GraphQLResult, type GraphQLRequestBody } from "./execute";
export { createQueryHandler, type CreateQueryHandlerParameters } from "./http";
