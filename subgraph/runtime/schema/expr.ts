/**
 * The `arg` expressions of `@aggregate` (graph-node docs/aggregations.md "Aggregation expressions";
 * graph/src/schema/input/sqlexpr.rs): a subset of Postgres SQL over the timeseries' fields. graph-node
 * hands them to Postgres; here they are parsed once when the schema loads and evaluated in
 * JavaScript for every data point of a rollup.
 *
 * Supported, as graph-node whitelists them: `+ - * / % ^`, `= != <> < <= > >= <=>`, `and or not`,
 * `is [not] null|true|false`, `is [not] distinct from`, `case [x] when … then … [else …] end`,
 * casts (`x::int4`, `cast(x as numeric)`), and the functions abs, ceiling, div, gcd, lcm, mod,
 * power, sign, coalesce, nullif, greatest, least. `ceil(…)` and `floor(…)` are refused like
 * graph-node's SQL parser refuses them ("Expressions using Ceil are not supported").
 */

import { BaseError } from "../../../core/errors";
import type { BigDecimalValue } from "../entity";

export type Expr =
  | { k: "ident"; name: string }
  | { k: "num"; value: Num }
  | { k: "str"; value: string }
  | { k: "bool"; value: boolean }
  | { k: "null" }
  | { k: "bin"; op: string; l: Expr; r: Expr }
  | { k: "un"; op: "-" | "+" | "not"; e: Expr }
  | { k: "is"; e: Expr; not: boolean; what: "null" | "true" | "false" }
  | { k: "distinct"; l: Expr; r: Expr; not: boolean }
  | { k: "case"; operand: Expr | null; whens: Array<[Expr, Expr]>; else: Expr | null }
  | { k: "cast"; e: Expr; to: "int" | "numeric" }
  | { k: "call"; name: string; args: Expr[] };

/** A number: integers (Int, Int8 and integer literals) divide like Postgres integers; the rest are exact decimals. */
export type Num = { int: true; v: bigint } | { int: false; v: BigDecimalValue };
/** An evaluated value: SQL NULL, a boolean, a number, or a string/bytes/reference value passed through by first/last. */
export type EValue = null | boolean | Num | { raw: unknown };

/** Why an expression is refused, with graph-node's SchemaValidationError kind (parse error or refused construct). */
export class ExprError extends BaseError<{ reason: string }> {
  override readonly name = "ExprError" as const;
  readonly code = "EXPR_INVALID" as const;
  constructor(
    readonly kind: "parse" | "unsupported",
    message: string,
  ) {
    super(message, { reason: kind });
  }
}

const FN_WHITELIST = ["abs", "ceil", "ceiling", "div", "floor", "gcd", "lcm", "mod", "power", "sign", "coalesce", "nullif", "greatest", "least"];
const INT_TYPES = new Set(["int", "int2", "int4", "int8", "integer", "bigint", "smallint"]);
const NUM_TYPES = new Set(["numeric", "decimal"]);

interface Tok {
  t: "id" | "qid" | "num" | "str" | "op" | "eof";
  v: string;
}

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[A-Za-z0-9_$]/.test(src[j]!)) j++;
      out.push({ t: "id", v: src.slice(i, j) });
      i = j;
      continue;
    }
    if (/[0-9.]/.test(c) && /[0-9]/.test(src[i + (c === "." ? 1 : 0)] ?? "")) {
      let j = i;
      while (j < src.length && /[0-9]/.test(src[j]!)) j++;
      if (src[j] === ".") {
        j++;
        while (j < src.length && /[0-9]/.test(src[j]!)) j++;
      }
      out.push({ t: "num", v: src.slice(i, j) });
      i = j;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let s = "";
      for (;;) {
        if (j >= src.length) throw new ExprError("parse", `sql parser error: Unterminated string literal at Line: 1, Column: ${i + 1}`);
        if (src[j] === c) {
          if (src[j + 1] === c) {
            s += c;
            j += 2;
            continue;
          }
          break;
        }
        s += src[j++];
      }
      out.push({ t: c === "'" ? "str" : "qid", v: s });
      i = j + 1;
      continue;
    }
    const three = src.slice(i, i + 3);
    const two = src.slice(i, i + 2);
    if (three === "<=>") {
      out.push({ t: "op", v: three });
      i += 3;
    } else if (["::", "<=", ">=", "<>", "!=", "||", "->", "<<", ">>"].includes(two)) {
      out.push({ t: "op", v: two });
      i += 2;
    } else if ("+-*/%^=<>(),&|#~!@".includes(c)) {
      out.push({ t: "op", v: c });
      i++;
    } else {
      throw new ExprError("parse", `sql parser error: Unexpected character '${c}'`);
    }
  }
  out.push({ t: "eof", v: "EOF" });
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok {
    return this.toks[this.i]!;
  }
  private kw(word: string): boolean {
    const t = this.peek();
    if (t.t === "id" && t.v.toLowerCase() === word) {
      this.i++;
      return true;
    }
    return false;
  }
  private op(v: string): boolean {
    const t = this.peek();
    if (t.t === "op" && t.v === v) {
      this.i++;
      return true;
    }
    return false;
  }
  private found(): string {
    const t = this.peek();
    return t.t === "eof" ? "EOF" : t.v;
  }
  private expect(what: string, ok: boolean): void {
    if (!ok) throw new ExprError("parse", `sql parser error: Expected: ${what}, found: ${this.found()}`);
  }

  parseAll(): Expr {
    const e = this.or();
    if (this.peek().t !== "eof") throw new ExprError("parse", `sql parser error: Expected: end of expression, found: ${this.found()}`);
    return e;
  }
  private or(): Expr {
    let l = this.and();
    while (this.kw("or")) l = { k: "bin", op: "or", l, r: this.and() };
    return l;
  }
  private and(): Expr {
    let l = this.not();
    while (this.kw("and")) l = { k: "bin", op: "and", l, r: this.not() };
    return l;
  }
  private not(): Expr {
    if (this.kw("not")) return { k: "un", op: "not", e: this.not() };
    return this.is();
  }
  private is(): Expr {
    let e = this.cmp();
    while (this.kw("is")) {
      const not = this.kw("not");
      if (this.kw("null")) e = { k: "is", e, not, what: "null" };
      else if (this.kw("true")) e = { k: "is", e, not, what: "true" };
      else if (this.kw("false")) e = { k: "is", e, not, what: "false" };
      else if (this.kw("distinct")) {
        this.expect("FROM", this.kw("from"));
        e = { k: "distinct", l: e, r: this.cmp(), not };
      } else if (this.kw("unknown")) throw new ExprError("unsupported", `Expressions using ${not ? "IsNotUnknown" : "IsUnknown"} are not supported`);
      else this.expect("[NOT] NULL | TRUE | FALSE | DISTINCT | [form] NORMALIZED FROM after IS", false);
    }
    return e;
  }
  private cmp(): Expr {
    let l = this.add();
    for (;;) {
      const t = this.peek();
      if (t.t === "op" && ["=", "!=", "<>", "<", "<=", ">", ">=", "<=>"].includes(t.v)) {
        this.i++;
        l = { k: "bin", op: t.v === "<>" ? "!=" : t.v, l, r: this.add() };
        continue;
      }
      if (t.t === "id") {
        const w = t.v.toLowerCase();
        const names: Record<string, string> = { between: "Between", like: "Like", ilike: "ILike", in: "InList", similar: "SimilarTo" };
        if (names[w]) throw new ExprError("unsupported", `Expressions using ${names[w]} are not supported`);
      }
      return l;
    }
  }
  private add(): Expr {
    let l = this.mul();
    for (;;) {
      const t = this.peek();
      if (t.t === "op" && (t.v === "+" || t.v === "-")) {
        this.i++;
        l = { k: "bin", op: t.v, l, r: this.mul() };
      } else if (t.t === "op" && ["||", "&", "|", "#", "<<", ">>", "->", "~", "@"].includes(t.v)) {
        throw new ExprError("unsupported", `binary operator ${t.v} is not supported`);
      } else return l;
    }
  }
  private mul(): Expr {
    let l = this.pow();
    for (;;) {
      const t = this.peek();
      if (t.t === "op" && (t.v === "*" || t.v === "/" || t.v === "%")) {
        this.i++;
        l = { k: "bin", op: t.v, l, r: this.pow() };
      } else return l;
    }
  }
  private pow(): Expr {
    let l = this.unary();
    while (this.op("^")) l = { k: "bin", op: "^", l, r: this.unary() };
    return l;
  }
  private unary(): Expr {
    if (this.op("-")) return { k: "un", op: "-", e: this.unary() };
    if (this.op("+")) return { k: "un", op: "+", e: this.unary() };
    return this.postfix();
  }
  private postfix(): Expr {
    let e = this.primary();
    while (this.op("::")) e = { k: "cast", e, to: this.typeName() };
    return e;
  }
  private typeName(): "int" | "numeric" {
    const t = this.peek();
    this.expect("a data type name", t.t === "id");
    this.i++;
    const w = t.v.toLowerCase();
    if (this.op("(")) {
      // numeric(p, s): precision and scale are accepted and not applied
      while (!this.op(")")) {
        this.expect("a data type name", this.peek().t !== "eof");
        this.i++;
      }
    }
    if (INT_TYPES.has(w)) return "int";
    if (NUM_TYPES.has(w)) return "numeric";
    throw new ExprError("unsupported", `Expressions casting to ${t.v} are not supported by the embedded runtime`);
  }
  private primary(): Expr {
    const t = this.peek();
    if (t.t === "eof") throw new ExprError("parse", "sql parser error: Expected: an expression, found: EOF");
    if (t.t === "num") {
      this.i++;
      return { k: "num", value: t.v.includes(".") ? { int: false, v: decimalOf(t.v) } : { int: true, v: BigInt(t.v) } };
    }
    if (t.t === "str") {
      this.i++;
      return { k: "str", value: t.v };
    }
    if (t.t === "qid") {
      this.i++;
      if (this.peek().t === "op" && this.peek().v === "(") return this.call(t.v, true);
      return { k: "ident", name: t.v };
    }
    if (t.t === "op") {
      if (this.op("(")) {
        const e = this.or();
        this.expect(")", this.op(")"));
        return e;
      }
      throw new ExprError("parse", `sql parser error: Expected: an expression, found: ${t.v}`);
    }
    const w = t.v.toLowerCase();
    this.i++;
    if (w === "null") return { k: "null" };
    if (w === "true" || w === "false") return { k: "bool", value: w === "true" };
    if (w === "case") return this.caseExpr();
    if (w === "cast") {
      this.expect("(", this.op("("));
      const e = this.or();
      this.expect("AS", this.kw("as"));
      const to = this.typeName();
      this.expect(")", this.op(")"));
      return { k: "cast", e, to };
    }
    if (w === "exists") throw new ExprError("unsupported", "Expressions using Exists are not supported");
    if (w === "interval") throw new ExprError("unsupported", "Expressions using Interval are not supported");
    if (this.peek().t === "op" && this.peek().v === "(") {
      // sqlparser parses these as dedicated expressions, which graph-node refuses
      const special: Record<string, string> = { ceil: "Ceil", floor: "Floor", position: "Position", substring: "Substring", trim: "Trim", extract: "Extract", overlay: "Overlay" };
      if (special[w]) throw new ExprError("unsupported", `Expressions using ${special[w]} are not supported`);
      return this.call(t.v, false);
    }
    if (this.peek().t === "op" && this.peek().v === "." ) throw new ExprError("unsupported", "Expressions using CompoundIdentifier are not supported");
    return { k: "ident", name: t.v };
  }
  private call(name: string, quoted: boolean): Expr {
    const lower = name.toLowerCase();
    const ok = quoted ? FN_WHITELIST.includes(name) : FN_WHITELIST.includes(lower);
    if (!ok) throw new ExprError("unsupported", `Function ${quoted ? `"${name}"` : name} is not supported`);
    this.expect("(", this.op("("));
    const args: Expr[] = [];
    if (!this.op(")")) {
      for (;;) {
        if (this.peek().t === "op" && this.peek().v === "*") throw new ExprError("unsupported", `Illegal function: call to ${name} uses a wildcard argument`);
        args.push(this.or());
        if (this.op(")")) break;
        this.expect(", or )", this.op(","));
      }
    }
    return { k: "call", name: lower, args };
  }
  private caseExpr(): Expr {
    let operand: Expr | null = null;
    if (!(this.peek().t === "id" && this.peek().v.toLowerCase() === "when")) operand = this.or();
    const whens: Array<[Expr, Expr]> = [];
    this.expect("WHEN", this.kw("when"));
    do {
      const c = this.or();
      this.expect("THEN", this.kw("then"));
      whens.push([c, this.or()]);
    } while (this.kw("when"));
    const els = this.kw("else") ? this.or() : null;
    this.expect("END", this.kw("end"));
    return { k: "case", operand, whens, else: els };
  }
}

function decimalOf(text: string): BigDecimalValue {
  const [a, b = ""] = text.split(".");
  return { digits: BigInt(`${a || "0"}${b}`), exp: -b.length };
}

/** Parse an `arg` expression. @throws ExprError with graph-node's texts for syntax errors and refused constructs. */
export function parseExpr(src: string): Expr {
  return new Parser(tokenize(src)).parseAll();
}

/** Identifiers (field names) an expression reads, in order of appearance, deduplicated. */
export function identifiers(e: Expr, out: string[] = []): string[] {
  switch (e.k) {
    case "ident":
      if (!out.includes(e.name)) out.push(e.name);
      break;
    case "bin":
    case "distinct":
      identifiers(e.l, out);
      identifiers(e.r, out);
      break;
    case "un":
    case "is":
    case "cast":
      identifiers(e.e, out);
      break;
    case "case":
      if (e.operand) identifiers(e.operand, out);
      for (const [c, r] of e.whens) {
        identifiers(c, out);
        identifiers(r, out);
      }
      if (e.else) identifiers(e.else, out);
      break;
    case "call":
      for (const a of e.args) identifiers(a, out);
      break;
    default:
      break;
  }
  return out;
}

// ------------------------------------------------------------------ numbers

/** An expression cannot be evaluated on a data point (division by zero, a non-number where one is needed). */
export class ExprEvalError extends BaseError<Record<string, never>> {
  override readonly name = "ExprEvalError" as const;
  readonly code = "EXPR_EVALUATION" as const;
  constructor(message: string) {
    super(message, {});
  }
}

const dec = (n: Num): BigDecimalValue => (n.int ? { digits: n.v, exp: 0 } : n.v);

function align(x: BigDecimalValue, y: BigDecimalValue): [bigint, bigint, number] {
  const exp = Math.min(x.exp, y.exp);
  return [x.digits * 10n ** BigInt(x.exp - exp), y.digits * 10n ** BigInt(y.exp - exp), exp];
}

export function numCompare(a: Num, b: Num): number {
  if (a.int && b.int) return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  const [x, y] = align(dec(a), dec(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Exact decimal division to 34 significant digits beyond the integer part (half away from zero). */
function divDecimal(x: BigDecimalValue, y: BigDecimalValue): BigDecimalValue {
  if (y.digits === 0n) throw new ExprEvalError("division by zero");
  const scale = 40;
  const [a, b] = align(x, y);
  const num = a * 10n ** BigInt(scale);
  let q = num / b;
  const r = num % b;
  if (2n * (r < 0n ? -r : r) >= (b < 0n ? -b : b)) q += (num < 0n) !== (b < 0n) ? -1n : 1n;
  return { digits: q, exp: -scale };
}

/** Round half away from zero to an integer (Postgres numeric → integer cast). */
export function roundToInt(n: Num): bigint {
  if (n.int) return n.v;
  const { digits, exp } = n.v;
  if (exp >= 0) return digits * 10n ** BigInt(exp);
  const p = 10n ** BigInt(-exp);
  let q = digits / p;
  const r = digits % p;
  if (2n * (r < 0n ? -r : r) >= p) q += digits < 0n ? -1n : 1n;
  return q;
}

function arith(op: string, a: Num, b: Num): Num {
  if (a.int && b.int) {
    switch (op) {
      case "+":
        return { int: true, v: a.v + b.v };
      case "-":
        return { int: true, v: a.v - b.v };
      case "*":
        return { int: true, v: a.v * b.v };
      case "/":
        if (b.v === 0n) throw new ExprEvalError("division by zero");
        return { int: true, v: a.v / b.v };
      case "%":
        if (b.v === 0n) throw new ExprEvalError("division by zero");
        return { int: true, v: a.v % b.v };
    }
  }
  const x = dec(a);
  const y = dec(b);
  switch (op) {
    case "+": {
      const [p, q, exp] = align(x, y);
      return { int: false, v: { digits: p + q, exp } };
    }
    case "-": {
      const [p, q, exp] = align(x, y);
      return { int: false, v: { digits: p - q, exp } };
    }
    case "*":
      return { int: false, v: { digits: x.digits * y.digits, exp: x.exp + y.exp } };
    case "/":
      return { int: false, v: divDecimal(x, y) };
    case "%": {
      if (y.digits === 0n) throw new ExprEvalError("division by zero");
      const [p, q, exp] = align(x, y);
      return { int: false, v: { digits: p % q, exp } };
    }
  }
  throw new ExprEvalError(`operator ${op}`);
}

function power(a: Num, b: Num): Num {
  const e = roundToInt(b);
  if (numCompare(b, { int: true, v: e }) === 0 && e >= 0n && e <= 1000n) {
    // Postgres computes power() in double precision for integers and numeric for numerics;
    // an integral non-negative exponent is exact here.
    const x = dec(a);
    return { int: false, v: { digits: x.digits ** e, exp: x.exp * Number(e) } };
  }
  const r = Math.pow(Number(toDecimalString(dec(a))), Number(toDecimalString(dec(b))));
  if (!Number.isFinite(r)) throw new ExprEvalError("power out of range");
  return { int: false, v: decimalOf(r.toFixed(20)) };
}

function toDecimalString(v: BigDecimalValue): string {
  if (v.exp >= 0) return (v.digits * 10n ** BigInt(v.exp)).toString();
  const neg = v.digits < 0n;
  const s = (neg ? -v.digits : v.digits).toString().padStart(-v.exp + 1, "0");
  return `${neg ? "-" : ""}${s.slice(0, s.length + v.exp)}.${s.slice(s.length + v.exp)}`;
}

const isNum = (v: EValue): v is Num => typeof v === "object" && v !== null && "int" in v;

function num(v: EValue, what: string): Num {
  if (!isNum(v)) throw new ExprEvalError(`${what} needs a number`);
  return v;
}

function truth(v: EValue): boolean | null {
  if (v === null) return null;
  if (typeof v === "boolean") return v;
  throw new ExprEvalError("argument of a condition must be a boolean");
}

function equalValues(a: EValue, b: EValue): boolean {
  if (isNum(a) && isNum(b)) return numCompare(a, b) === 0;
  if (typeof a === "boolean" || typeof b === "boolean") return a === b;
  const ra = (a as { raw: unknown }).raw;
  const rb = (b as { raw: unknown }).raw;
  if (Buffer.isBuffer(ra) && Buffer.isBuffer(rb)) return ra.equals(rb);
  return ra === rb;
}

function compareValues(a: EValue, b: EValue): number {
  if (isNum(a) && isNum(b)) return numCompare(a, b);
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  const ra = (a as { raw: unknown }).raw;
  const rb = (b as { raw: unknown }).raw;
  if (Buffer.isBuffer(ra) && Buffer.isBuffer(rb)) return Buffer.compare(ra, rb);
  return Buffer.compare(Buffer.from(String(ra)), Buffer.from(String(rb)));
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Evaluate `e` over one data point; `field(name)` gives a field's value. */
export function evaluate(e: Expr, field: (name: string) => EValue): EValue {
  const ev = (x: Expr) => evaluate(x, field);
  switch (e.k) {
    case "ident":
      return field(e.name);
    case "num":
      return e.value;
    case "str":
      return { raw: e.value };
    case "bool":
      return e.value;
    case "null":
      return null;
    case "un": {
      const v = ev(e.e);
      if (e.op === "not") {
        const t = truth(v);
        return t === null ? null : !t;
      }
      if (v === null) return null;
      const n = num(v, "unary minus");
      if (e.op === "+") return n;
      return n.int ? { int: true, v: -n.v } : { int: false, v: { digits: -n.v.digits, exp: n.v.exp } };
    }
    case "bin": {
      if (e.op === "and" || e.op === "or") {
        const l = truth(ev(e.l));
        const r = truth(ev(e.r));
        if (e.op === "and") return l === false || r === false ? false : l === null || r === null ? null : true;
        return l === true || r === true ? true : l === null || r === null ? null : false;
      }
      const l = ev(e.l);
      const r = ev(e.r);
      if (e.op === "<=>") return l === null || r === null ? l === r : equalValues(l, r);
      if (l === null || r === null) return null;
      switch (e.op) {
        case "=":
          return equalValues(l, r);
        case "!=":
          return !equalValues(l, r);
        case "<":
          return compareValues(l, r) < 0;
        case "<=":
          return compareValues(l, r) <= 0;
        case ">":
          return compareValues(l, r) > 0;
        case ">=":
          return compareValues(l, r) >= 0;
        case "^":
          return power(num(l, "^"), num(r, "^"));
        default:
          return arith(e.op, num(l, e.op), num(r, e.op));
      }
    }
    case "is": {
      const v = ev(e.e);
      const r = e.what === "null" ? v === null : e.what === "true" ? v === true : v === false;
      return e.not ? !r : r;
    }
    case "distinct": {
      const l = ev(e.l);
      const r = ev(e.r);
      const same = l === null || r === null ? l === r : equalValues(l, r);
      return e.not ? same : !same;
    }
    case "case": {
      const op = e.operand ? ev(e.operand) : undefined;
      for (const [c, r] of e.whens) {
        const cv = ev(c);
        const hit = op === undefined ? truth(cv) === true : op !== null && cv !== null && equalValues(op, cv);
        if (hit) return ev(r);
      }
      return e.else ? ev(e.else) : null;
    }
    case "cast": {
      const v = ev(e.e);
      if (v === null) return null;
      const n = num(v, "cast");
      return e.to === "int" ? { int: true, v: roundToInt(n) } : { int: false, v: dec(n) };
    }
    case "call": {
      const args = e.args.map(ev);
      const need = (n: number) => {
        if (args.length !== n) throw new ExprEvalError(`function ${e.name} takes ${n} arguments`);
      };
      switch (e.name) {
        case "coalesce":
          return args.find((a) => a !== null) ?? null;
        case "nullif":
          need(2);
          return args[0] !== null && args[1] !== null && equalValues(args[0]!, args[1]!) ? null : args[0]!;
        case "greatest":
        case "least": {
          const vals = args.filter((a) => a !== null);
          if (!vals.length) return null;
          return vals.reduce((m, a) => ((e.name === "greatest" ? compareValues(a, m) > 0 : compareValues(a, m) < 0) ? a : m));
        }
      }
      if (args.some((a) => a === null)) return null;
      const ns = args.map((a) => num(a, e.name));
      switch (e.name) {
        case "abs":
          need(1);
          return numCompare(ns[0]!, { int: true, v: 0n }) < 0 ? arith("-", { int: true, v: 0n }, ns[0]!) : ns[0]!;
        case "sign":
          need(1);
          return { int: ns[0]!.int, v: ns[0]!.int ? BigInt(numCompare(ns[0]!, { int: true, v: 0n })) : { digits: BigInt(numCompare(ns[0]!, { int: true, v: 0n })), exp: 0 } } as Num;
        case "ceiling": {
          need(1);
          const n = ns[0]!;
          if (n.int) return n;
          const t = arith("-", n, { int: false, v: { digits: 0n, exp: 0 } });
          const { digits, exp } = t.v as BigDecimalValue;
          if (exp >= 0) return { int: false, v: { digits: digits * 10n ** BigInt(exp), exp: 0 } };
          const p = 10n ** BigInt(-exp);
          let q = digits / p;
          if (digits % p !== 0n && digits > 0n) q += 1n;
          return { int: false, v: { digits: q, exp: 0 } };
        }
        case "div": {
          need(2);
          const q = arith("/", ns[0]!, ns[1]!);
          const t = q.int ? q.v : (() => {
            const { digits, exp } = q.v;
            return exp >= 0 ? digits * 10n ** BigInt(exp) : digits / 10n ** BigInt(-exp);
          })();
          return ns[0]!.int && ns[1]!.int ? { int: true, v: t } : { int: false, v: { digits: t, exp: 0 } };
        }
        case "mod":
          need(2);
          return arith("%", ns[0]!, ns[1]!);
        case "gcd":
        case "lcm": {
          need(2);
          if (!ns[0]!.int || !ns[1]!.int) throw new ExprEvalError(`${e.name} needs integers in the embedded runtime`);
          const g = gcd(ns[0]!.v as bigint, ns[1]!.v as bigint);
          if (e.name === "gcd") return { int: true, v: g };
          const p = (ns[0]!.v as bigint) * (ns[1]!.v as bigint);
          return { int: true, v: g === 0n ? 0n : (p < 0n ? -p : p) / g };
        }
        case "power":
          need(2);
          return power(ns[0]!, ns[1]!);
      }
      throw new ExprEvalError(`function ${e.name}`);
    }
  }
}
