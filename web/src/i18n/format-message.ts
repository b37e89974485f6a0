/**
 * Fills a message's placeholders: `{name}` with the value of `name`, and ICU's plural form
 * `{n, plural, =0 {none} one {# licence} other {# licences}}` with the branch the language's plural
 * rules (Intl.PluralRules) pick for `n`, `#` being `n` formatted for the language. This is the
 * subset of ICU MessageFormat the message files use (FormatJS, i18next and Crowdin read the same
 * syntax); an apostrophe is an ordinary character here. A placeholder without a value is left as it
 * is, so a missing variable shows in the text instead of disappearing.
 */
export type MessageVars = Record<string, string | number>;

/** The index of the `}` closing the `{` at `open`. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  throw new SyntaxError(`unclosed \`{\` at ${open} in \`${text}\``);
}

/** `one {…} other {…}` → [["one", "…"], ["other", "…"]]. */
function branches(text: string): [string, string][] {
  const out: [string, string][] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("{", i);
    if (open === -1) {
      if (text.slice(i).trim()) throw new SyntaxError(`text after the last plural branch: \`${text.slice(i).trim()}\``);
      break;
    }
    const selector = text.slice(i, open).trim();
    if (!/^(=\d+|zero|one|two|few|many|other)$/.test(selector)) throw new SyntaxError(`bad plural selector \`${selector}\``);
    const close = closing(text, open);
    out.push([selector, text.slice(open + 1, close)]);
    i = close + 1;
  }
  if (!out.some(([s]) => s === "other")) throw new SyntaxError("a plural needs an `other` branch");
  return out;
}

/** The placeholder whose `{` is at `open`: its variable, its plural branches' text if any, its end. */
function placeholderAt(text: string, open: number): { name: string; options: string | undefined; close: number } {
  const close = closing(text, open);
  const m = /^\s*(\w+)\s*(?:,\s*plural\s*,([\s\S]*))?$/.exec(text.slice(open + 1, close));
  if (!m) throw new SyntaxError(`bad placeholder \`${text.slice(open, close + 1)}\` in \`${text}\``);
  return { name: m[1], options: m[2], close };
}

function plural(lang: string, value: string | number, options: string, vars: MessageVars): string {
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n)) return String(value);
  const all = branches(options);
  const category = new Intl.PluralRules(lang).select(n);
  const chosen = all.find(([s]) => s === `=${n}`) ?? all.find(([s]) => s === category) ?? all.find(([s]) => s === "other")!;
  const number = new Intl.NumberFormat(lang).format(n);
  // `#` of this branch only: not one inside a nested placeholder, nor one in a value filled in.
  let branch = "";
  let depth = 0;
  for (const c of chosen[1]) {
    if (c === "{") depth++;
    else if (c === "}") depth--;
    branch += c === "#" && depth === 0 ? number : c;
  }
  return formatMessage(lang, branch, vars);
}

/** `text` with its placeholders filled for language `lang` (a BCP 47 tag: "de", "en"). */
export function formatMessage(lang: string, text: string, vars: MessageVars = {}): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("{", i);
    if (open === -1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, open);
    const { name, options, close } = placeholderAt(text, open);
    if (!(name in vars)) out += text.slice(open, close + 1);
    else if (options === undefined) out += String(vars[name]);
    else out += plural(lang, vars[name], options, vars);
    i = close + 1;
  }
  return out;
}

/** The variables a message uses, plural ones marked: `{ n: "plural", gross: "value" }`. */
export function placeholders(text: string): Record<string, "plural" | "value"> {
  const out: Record<string, "plural" | "value"> = {};
  const walk = (t: string) => {
    let i = 0;
    while ((i = t.indexOf("{", i)) !== -1) {
      const { name, options, close } = placeholderAt(t, i);
      out[name] = options === undefined ? (out[name] ?? "value") : "plural";
      if (options !== undefined) for (const [, branch] of branches(options)) walk(branch);
      i = close + 1;
    }
  };
  walk(text);
  return out;
}
