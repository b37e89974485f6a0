// The officially assigned ISO 3166-1 alpha-2 codes, from the one TypeScript list (core/domain);
// test/server checks it equals the set contracts/libraries/Territory.sol accepts.
import { COUNTRY_CODES } from "../../../core/domain/territory";

export const ISO3166_ALPHA2: readonly string[] = [...COUNTRY_CODES].sort();
