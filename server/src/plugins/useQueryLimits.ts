import {
  GraphQLError,
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  Kind,
  Lexer,
  Source,
  TokenKind,
  parse,
  validate,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import type { Plugin } from "graphql-yoga";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import { ApiError } from "../errors";

export interface UseQueryLimitsOptions {
  maxDepth: number;
  maxCost: number;
  /** Lexical tokens per document (the parser stops at the first one over). */
  maxTokens?: number;
  /** Aliased fields per operation, fragments included (graphql-armor's max-aliases). */
  maxAliases?: number;
  /** Directives per operation, fragments included (graphql-armor's max-directives). */
  maxDirectives?: number;
  /** Assumed size of a list field without a `first` argument. */
  defaultListSize?: number;
  /**
   * Assumed sizes of particular list fields, keyed `Type.field` — for short lists computed from what
   * the parent already read (no index query of their own), e.g. a licence check's layers.
   */
  listSizes?: Record<string, number>;
}

function isList(type: GraphQLType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

// `spec: false`: a refused limit is 400 whatever the Accept header (yoga answers spec validation errors with 200 to application/json).
const tooComplex = (message: string, details: Record<string, unknown>, nodes?: readonly OperationDefinitionNode[]) =>
  new GraphQLError(message, { nodes, extensions: { code: "QUERY_TOO_COMPLEX", ...details, http: { status: 400, spec: false } } });

/** Whether `query` has more than `max` lexical tokens (comments and whitespace are not tokens). Stops at max + 1; a lexing error leaves the verdict to the parser. */
export function overTokenLimit(query: string, max: number): boolean {
  const lexer = new Lexer(new Source(query));
  let n = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) if (++n > max) return true;
  } catch {
    return false;
  }
  return false;
}

/** Thrown inside the walk once the cost is over the limit: nothing more needs counting. */
class OverLimit {
  constructor(readonly cost: number) {}
}

/** Thrown inside the walk at the first selection deeper than the limit. */
class OverDepth {
  constructor(readonly depth: number) {}
}

/**
 * Query depth and cost limits, as a validation rule: depth counts nested selections; cost is 1
 * per field, multiplied along lists by their `first` argument (or the default list size, or for
 * `checkLicences` the number of requests). Over a limit → QUERY_TOO_COMPLEX before execution.
 *
 * Each fragment is walked once per document (its depth and cost memoised), so a fragment that
 * spreads another ten times, ten levels deep, costs ten walks, not 10^10; and the walk stops as
 * soon as the running cost is over the limit.
 */
export function queryLimitsRule(options: UseQueryLimitsOptions) {
  const defaultList = options.defaultListSize ?? 100;
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    /** Per fragment: the depth it adds below its spread and its cost. */
    const memo = new Map<string, { depth: number; cost: number }>();
    const inProgress = new Set<string>();

    const listSize = (field: FieldNode, type: GraphQLOutputType, parentName: string): number => {
      if (!isList(type)) return 1;
      const first = field.arguments?.find((a) => a.name.value === "first");
      if (first?.value.kind === Kind.INT) return Math.max(1, Number(first.value.value));
      return options.listSizes?.[`${parentName}.${field.name.value}`] ?? defaultList;
    };

    const fragmentCost = (frag: FragmentDefinitionNode, parent: GraphQLType): { depth: number; cost: number } => {
      const name = frag.name.value;
      const known = memo.get(name);
      if (known) return known;
      if (inProgress.has(name)) return { depth: 0, cost: 0 }; // a cycle: NoFragmentCycles reports it
      inProgress.add(name);
      try {
        const r = walk(frag.selectionSet, context.getSchema().getType(frag.typeCondition.name.value) ?? parent, 0);
        memo.set(name, r);
        return r;
      } finally {
        inProgress.delete(name);
      }
    };

    /** Depth (relative to `depth`) and cost of a selection set; throws OverLimit past maxCost. */
    const walk = (set: SelectionSetNode, parent: GraphQLType, depth: number): { depth: number; cost: number } => {
      let maxDepth = depth;
      let cost = 0;
      const named = getNamedType(parent);
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          if (sel.name.value.startsWith("__")) continue;
          const fieldDef = isObjectType(named) || isInterfaceType(named) ? named.getFields()[sel.name.value] : undefined;
          if (!fieldDef) continue; // unknown fields are reported by the standard rules
          let multiplier = listSize(sel, fieldDef.type, named.name);
          if (sel.name.value === "checkLicences") {
            const req = sel.arguments?.find((a) => a.name.value === "requests");
            multiplier = req?.value.kind === Kind.LIST ? Math.max(1, req.value.values.length) : 1000;
          }
          let childCost = 0;
          if (sel.selectionSet) {
            if (depth + 1 > options.maxDepth) throw new OverDepth(depth + 1);
            const r = walk(sel.selectionSet, fieldDef.type, depth + 1);
            maxDepth = Math.max(maxDepth, r.depth);
            childCost = r.cost;
          }
          cost += multiplier * (1 + childCost);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          const r = walk(sel.selectionSet, sel.typeCondition ? (context.getSchema().getType(sel.typeCondition.name.value) ?? parent) : parent, depth);
          maxDepth = Math.max(maxDepth, r.depth);
          cost += r.cost;
        } else {
          const frag = fragments.get(sel.name.value);
          if (!frag) continue; // unknown fragments are reported by the standard rules
          const r = fragmentCost(frag, parent);
          if (depth + r.depth > options.maxDepth) throw new OverDepth(depth + r.depth);
          maxDepth = Math.max(maxDepth, depth + r.depth);
          cost += r.cost;
        }
        if (cost > options.maxCost) throw new OverLimit(cost);
      }
      return { depth: maxDepth, cost };
    };

    return {
      OperationDefinition(node) {
        const schema = context.getSchema();
        const root = node.operation === "query" ? schema.getQueryType() : node.operation === "mutation" ? schema.getMutationType() : schema.getSubscriptionType();
        if (!root) return;
        let result: { depth: number; cost: number };
        try {
          result = walk(node.selectionSet, root, 1);
        } catch (err) {
          if (err instanceof OverDepth) {
            context.reportError(tooComplex(`query depth ${err.depth} exceeds the limit of ${options.maxDepth}`, { depth: err.depth, maxDepth: options.maxDepth }, [node]));
            return;
          }
          if (!(err instanceof OverLimit)) throw err;
          context.reportError(tooComplex(`query cost ${err.cost} exceeds the limit of ${options.maxCost} (counting stopped there; lists count \`first\` items each)`, { cost: err.cost, maxCost: options.maxCost }, [node]));
          return;
        }
        const { depth, cost } = result;
        if (depth > options.maxDepth) context.reportError(tooComplex(`query depth ${depth} exceeds the limit of ${options.maxDepth}`, { depth, maxDepth: options.maxDepth }, [node]));
        if (cost > options.maxCost) context.reportError(tooComplex(`query cost ${cost} exceeds the limit of ${options.maxCost} (lists count \`first\` items each)`, { cost, maxCost: options.maxCost }, [node]));
      },
    };
  };
}

/** graphql-armor's rule, its rejection reported as QUERY_TOO_COMPLEX (the limit named) instead of thrown. */
function armored(rule: (options: { n: number; exposeLimits: boolean; propagateOnRejection: boolean; onReject: ((ctx: ValidationContext | null, err: GraphQLError) => void)[] }) => ValidationRule, n: number, what: string): ValidationRule {
  return rule({
    n,
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [(ctx, err) => ctx?.reportError(tooComplex(`${err.message.replace(/^Syntax Error: /, "")} (${what})`, { limit: n }))],
  });
}

/**
 * The rules that bound a document's size of work, run before graphql-js's standard validation
 * (some of whose rules are quadratic in the number of fields): a document over any limit is
 * refused without the standard rules ever seeing it.
 */
export function limitRules(options: UseQueryLimitsOptions): ValidationRule[] {
  const rules: ValidationRule[] = [queryLimitsRule(options)];
  if (options.maxAliases !== undefined) rules.push(armored(maxAliasesRule as never, options.maxAliases, "QUERY_MAX_ALIASES"));
  if (options.maxDirectives !== undefined) rules.push(armored(maxDirectivesRule as never, options.maxDirectives, "QUERY_MAX_DIRECTIVES"));
  return rules;
}

/** Parses with graphql-js's token limit; a document over it → QUERY_TOO_COMPLEX. */
export function limitedParse(maxTokens: number) {
  return (source: Parameters<typeof parse>[0], options?: Parameters<typeof parse>[1]): DocumentNode => {
    try {
      return parse(source, { ...options, maxTokens });
    } catch (err) {
      if (err instanceof GraphQLError && /contains more th\w+ \d+ tokens/.test(err.message)) {
        throw new ApiError("QUERY_TOO_COMPLEX", `the query has more than ${maxTokens} tokens (QUERY_MAX_TOKENS); send large inputs as variables`, { details: { maxTokens } });
      }
      if (err instanceof RangeError) throw new ApiError("QUERY_TOO_COMPLEX", "the query is nested too deeply to parse", {});
      throw err;
    }
  };
}

/**
 * Query limits: the token limit (counted by graphql-js's lexer before parsing, and again by the
 * parser's own `maxTokens`), then (before the standard validation) cost, depth, aliases and
 * directives. Results are memoised per parsed document.
 */
export function useQueryLimits(options: UseQueryLimitsOptions): Plugin {
  const rules = limitRules(options);
  const checked = new WeakMap<DocumentNode, readonly GraphQLError[]>();
  const parseFn = options.maxTokens !== undefined ? limitedParse(options.maxTokens) : undefined;
  return {
    onParams({ params, setResult }) {
      if (options.maxTokens === undefined || typeof params.query !== "string") return;
      // Fewer characters than the limit cannot hold more tokens than it.
      if (params.query.length > options.maxTokens && overTokenLimit(params.query, options.maxTokens)) {
        setResult({
          errors: [new ApiError("QUERY_TOO_COMPLEX", `the query has more than ${options.maxTokens} tokens (QUERY_MAX_TOKENS); send large inputs as variables`, { details: { maxTokens: options.maxTokens } })],
        });
      }
    },
    onParse({ setParseFn }) {
      if (parseFn) setParseFn(parseFn);
    },
    onValidate({ params, setResult }) {
      const document = params.documentAST;
      let errors = checked.get(document);
      if (!errors) {
        errors = validate(params.schema as GraphQLSchema, document, rules, { maxErrors: 10 });
        checked.set(document, errors);
      }
      if (errors.length > 0) setResult(errors);
    },
  };
}
