export { rpcProvider } from "./provider";
