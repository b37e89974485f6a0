/**
 * Postgres `to_tsquery` syntax, as graph-node passes the fulltext field's `text` argument
 * (store/postgres/src/relational_queries.rs: `column @@ to_tsquery($text)`, ordered by
 * `ts_rank`/`ts_rank_cd`), translated to an SQLite FTS5 MATCH expression.
 *
 * Operands are words or single-quoted strings (a quoted string of several words is a phrase),
 * optionally followed by `:*` (prefix). Operators by precedence: `!` (not), `<->` (followed by),
 * `&` (and), `|` (or), with parentheses. Two operands without an operator between them are a
 * syntax error, as in Postgres. FTS5 has only a binary NOT, so a negation must be and-ed with a
 * positive term (`a & !b`); `!a` alone or under `|`, `<N>` distances and `:A`-style weights are
 * refused with graph-node's syntax error text (docs/subgraph-query.md).
 */
import { QueryError } from "./errors";

type Node =
  | { kind: "term"; text: string; prefix: boolean }
  | { kind: "not"; child: Node }
  | { kind: "follow"; parts: Node[] }
  | { kind: "and"; parts: Node[] }
  | { kind: "or"; parts: Node[] };

type Token = { t: "op"; v: "&" | "|" | "!" | "(" | ")" | "<->" } | { t: "term"; text: string; prefix: boolean };

/** graph-node's FulltextQueryInvalidSyntax around Postgres' message. */
function syntaxError(text: string, detail = `syntax error in tsquery: "${text}"`): QueryError {
  return new QueryError(
    "FULLTEXT_SYNTAX",
    `Invalid fulltext search query syntax. Error: ${detail}. Hint: Search terms with spaces need to be enclosed in single quotes`,
    { text },
  );
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "&" || c === "|" || c === "!" || c === "(" || c === ")") {
      out.push({ t: "op", v: c });
      i++;
      continue;
    }
    if (c === "<") {
      const m = /^<(-|\d+)>/.exec(text.slice(i));
      if (!m) throw syntaxError(text);
      if (m[1] !== "-" && m[1] !== "1") throw syntaxError(text, `distance operator <${m[1]}> is not supported by the embedded runtime`);
      out.push({ t: "op", v: "<->" });
      i += m[0].length;
      continue;
    }
    let word: string;
    if (c === "'") {
      let j = i + 1;
      word = "";
      for (;;) {
        if (j >= text.length) throw syntaxError(text);
        if (text[j] === "'" && text[j + 1] === "'") {
          word += "'";
          j += 2;
        } else if (text[j] === "'") break;
        else if (text[j] === "\\" && j + 1 < text.length) {
          word += text[j + 1];
          j += 2;
        } else word += text[j++];
      }
      i = j + 1;
    } else {
      const m = /^[^\s&|!()<:']+/.exec(text.slice(i));
      if (!m) throw syntaxError(text);
      word = m[0];
      i += m[0].length;
    }
    let prefix = false;
    if (text[i] === ":") {
      const m = /^:([*A-Da-d]+)/.exec(text.slice(i));
      if (!m) throw syntaxError(text);
      if (/[A-Da-d]/.test(m[1]!)) throw syntaxError(text, "weight labels (:A … :D) are not supported by the embedded runtime");
      prefix = true;
      i += m[0].length;
    }
    out.push({ t: "term", text: word, prefix });
  }
  return out;
}

function parse(text: string): Node {
  const toks = tokenize(text);
  let p = 0;
  const peek = () => toks[p];
  const isOp = (v: string) => {
    const t = peek();
    return t !== undefined && t.t === "op" && t.v === v;
  };
  const orExpr = (): Node => {
    const parts = [andExpr()];
    while (isOp("|")) {
      p++;
      parts.push(andExpr());
    }
    return parts.length === 1 ? parts[0]! : { kind: "or", parts };
  };
  const andExpr = (): Node => {
    const parts = [followExpr()];
    while (isOp("&")) {
      p++;
      parts.push(followExpr());
    }
    return parts.length === 1 ? parts[0]! : { kind: "and", parts };
  };
  const followExpr = (): Node => {
    const parts = [unary()];
    while (isOp("<->")) {
      p++;
      parts.push(unary());
    }
    return parts.length === 1 ? parts[0]! : { kind: "follow", parts };
  };
  const unary = (): Node => {
    if (isOp("!")) {
      p++;
      return { kind: "not", child: unary() };
    }
    const t = peek();
    if (!t) throw syntaxError(text);
    if (t.t === "op" && t.v === "(") {
      p++;
      const e = orExpr();
      if (!isOp(")")) throw syntaxError(text);
      p++;
      return e;
    }
    if (t.t !== "term") throw syntaxError(text);
    p++;
    return { kind: "term", text: t.text, prefix: t.prefix };
  };
  if (!toks.length) throw syntaxError(text, "text-search query doesn't contain lexemes");
  const e = orExpr();
  if (p !== toks.length) throw syntaxError(text);
  return e;
}

const phrase = (n: { text: string; prefix: boolean }) => `"${n.text.replace(/"/g, '""')}"${n.prefix ? " *" : ""}`;

function toFts(n: Node, text: string): string {
  switch (n.kind) {
    case "term":
      return phrase(n);
    case "follow": {
      if (!n.parts.every((x) => x.kind === "term")) throw syntaxError(text, "<-> between groups is not supported by the embedded runtime");
      // FTS5 `+` joins phrases into one (adjacent tokens).
      return n.parts.map((x) => phrase(x as { text: string; prefix: boolean })).join(" + ");
    }
    case "or":
      if (n.parts.some((x) => x.kind === "not")) throw syntaxError(text, "a negation must be combined with & and a positive term in the embedded runtime");
      return n.parts.map((x) => `(${toFts(x, text)})`).join(" OR ");
    case "and": {
      const pos = n.parts.filter((x) => x.kind !== "not");
      const neg = n.parts.filter((x): x is { kind: "not"; child: Node } => x.kind === "not");
      if (!pos.length) throw syntaxError(text, "a negation must be combined with & and a positive term in the embedded runtime");
      const p = pos.map((x) => `(${toFts(x, text)})`).join(" AND ");
      return neg.length ? `(${p}) NOT (${neg.map((x) => `(${toFts(x.child, text)})`).join(" OR ")})` : p;
    }
    case "not":
      throw syntaxError(text, "a negation must be combined with & and a positive term in the embedded runtime");
  }
}

/** The FTS5 MATCH expression for a to_tsquery text. @throws QueryError FULLTEXT_SYNTAX */
export function tsqueryToFts5(text: string): string {
  return toFts(parse(text), text);
}
