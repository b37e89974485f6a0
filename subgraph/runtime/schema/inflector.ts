/**
 * A port of the Rust `Inflector` crate's `to_plural` and `to_camel_case`
 * (whatisinternet/Inflector src/string/pluralize/mod.rs, src/cases/case/mod.rs), which
 * graph-node uses to name query fields (graph/src/data/graphql/ext.rs camel_cased_names).
 * The rules are case-sensitive, exactly like the original: `Data` → `datas`.
 */

const UNCOUNTABLE = new Set(
  (
    "accommodation adulthood advertising advice aggression aid air aircraft alcohol anger applause arithmetic " +
    "assistance athletics bacon baggage beef biology blood botany bread butter carbon cardboard cash chalk chaos " +
    "chess crossroads countryside dancing deer dignity dirt dust economics education electricity engineering " +
    "enjoyment envy equipment ethics evidence evolution fame fiction flour flu food fuel fun furniture gallows " +
    "garbage garlic genetics gold golf gossip grammar gratitude grief guilt gymnastics happiness hardware harm " +
    "hate hatred health heat help homework honesty honey hospitality housework humour hunger hydrogen ice " +
    "importance inflation information innocence iron irony jam jewelry judo karate knowledge lack laughter lava " +
    "leather leisure lightning linguine linguini linguistics literature litter livestock logic loneliness luck " +
    "luggage macaroni machinery magic management mankind marble mathematics mayonnaise measles methane milk " +
    "money mud music mumps nature news nitrogen nonsense nurture nutrition obedience obesity oxygen pasta " +
    "patience physics poetry pollution poverty pride psychology publicity punctuation quartz racism relaxation " +
    "reliability research respect revenge rice rubbish rum safety scenery seafood seaside series shame sheep " +
    "shopping sleep smoke smoking snow soap software soil spaghetti species steam stuff stupidity sunshine " +
    "symmetry tennis thirst thunder timber traffic transportation trust underwear unemployment unity validity " +
    "veal vegetation vegetarianism vengeance violence vitality warmth wealth weather welfare wheat wildlife " +
    "wisdom yoga zinc zoology"
  ).split(" "),
);

const SPECIAL: Record<string, string> = {
  ox: "oxen",
  man: "men",
  woman: "women",
  die: "dice",
  yes: "yeses",
  foot: "feet",
  eave: "eaves",
  goose: "geese",
  tooth: "teeth",
  quiz: "quizzes",
};

// Rust's `\w` is Unicode-aware; so is this one.
const W = "[\\p{L}\\p{N}\\p{M}\\p{Pc}]";
const RULES: Array<[RegExp, string]> = (
  [
    ["(W*)s$", "s"],
    ["(W*([^aeiou]ese))$", ""],
    ["(W*(ax|test))is$", "es"],
    ["(W*(alias|[^aou]us|tlas|gas|ris))$", "es"],
    ["(W*(e[mn]u))s?$", "s"],
    ["(W*([^l]ias|[aeiou]las|[emjzr]as|[iu]am))$", ""],
    ["(W*(alumn|syllab|octop|vir|radi|nucle|fung|cact|stimul|termin|bacill|foc|uter|loc|strat))(?:us|i)$", "i"],
    ["(W*(alumn|alg|vertebr))(?:a|ae)$", "ae"],
    ["(W*(seraph|cherub))(?:im)?$", "im"],
    ["(W*(her|at|gr))o$", "oes"],
    ["(W*(agend|addend|millenni|dat|extrem|bacteri|desiderat|strat|candelabr|errat|ov|symposi|curricul|automat|quor))(?:a|um)$", "a"],
    ["(W*(apheli|hyperbat|periheli|asyndet|noumen|phenomen|criteri|organ|prolegomen|hedr|automat))(?:a|on)$", "a"],
    ["(W*)sis$", "ses"],
    ["(W*(kni|wi|li))fe$", "ves"],
    ["(W*(ar|l|ea|eo|oa|hoo))f$", "ves"],
    ["(W*([^aeiouy]|qu))y$", "ies"],
    ["(W*([^ch][ieo][ln]))ey$", "ies"],
    ["(W*(x|ch|ss|sh|zz)es)$", ""],
    ["(W*(x|ch|ss|sh|zz))$", "es"],
    ["(W*(matr|cod|mur|sil|vert|ind|append))(?:ix|ex)$", "ices"],
    ["(W*(m|l)(?:ice|ouse))$", "ice"],
    ["(W*(pe)(?:rson|ople))$", "ople"],
    ["(W*(child))(?:ren)?$", "ren"],
    ["(W*eaux)$", ""],
  ] as Array<[string, string]>
).map(([re, rep]) => [new RegExp(re.replace(/W\*/g, `${W}*`), "u"), rep]);

/** Inflector `to_plural`: the last matching rule wins (rules are tried in reverse order). */
export function toPlural(word: string): string {
  if (UNCOUNTABLE.has(word)) return word;
  const special = SPECIAL[word];
  if (special !== undefined) return special;
  for (let i = RULES.length - 1; i >= 0; i--) {
    const [rule, replace] = RULES[i]!;
    const m = rule.exec(word);
    if (m && m[1] !== undefined) return m[1] + replace;
  }
  return `${word}s`;
}

const isAlnum = (c: string) => /[\p{L}\p{N}]/u.test(c);
const isNumeric = (c: string) => /\p{N}/u.test(c);
const isLower = (c: string) => /\p{Ll}/u.test(c);
const isUpper = (c: string) => /\p{Lu}/u.test(c);

/** Inflector `to_camel_case` (to_case_camel_like with camel options). */
export function toCamelCase(input: string): string {
  let s = input;
  while (s.length > 0 && !isAlnum(s[s.length - 1]!)) s = s.slice(0, -1);
  let newWord = false;
  let lastChar = " ";
  let foundRealChar = false;
  let out = "";
  for (const ch of s) {
    if (!isAlnum(ch) && foundRealChar) {
      newWord = true;
    } else if (!foundRealChar && !isAlnum(ch)) {
      continue;
    } else if (isNumeric(ch)) {
      foundRealChar = true;
      newWord = true;
      out += ch;
    } else if (newWord || (isLower(lastChar) && isUpper(ch) && lastChar !== " ")) {
      foundRealChar = true;
      newWord = false;
      out += asciiUpper(ch);
    } else {
      foundRealChar = true;
      lastChar = ch;
      out += asciiLower(ch);
    }
  }
  return out;
}

function asciiUpper(c: string): string {
  return c >= "a" && c <= "z" ? c.toUpperCase() : c;
}
function asciiLower(c: string): string {
  return c >= "A" && c <= "Z" ? c.toLowerCase() : c;
}

/** graph-node `camel_cased_names`: singular and plural query field names of a type. */
export function camelCasedNames(typeName: string): { singular: string; plural: string } {
  const singular = toCamelCase(typeName);
  let plural = toCamelCase(toPlural(typeName));
  if (plural === singular) plural += "_collection";
  return { singular, plural };
}
