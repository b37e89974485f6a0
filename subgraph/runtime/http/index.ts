export { startQueryServer, type QueryServer, type StartQueryServerParameters } from "./server";
export { type FetchHandler } from "./fetch";
