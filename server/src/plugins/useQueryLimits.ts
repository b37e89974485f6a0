import {
  GraphQLError,
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  Kind,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type GraphQLType,
  type SelectionSetNode,
  type ValidationContext,
} from "graphql";
import type { Plugin } from "graphql-yoga";

export interface UseQueryLimitsOptions {
  maxDepth: number;
  maxCost: number;
  /** Assumed size of a list field without a `first` argument. */
  defaultListSize?: number;
}

function isList(type: GraphQLType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/**
 * Query depth and cost limits, as a validation rule: depth counts nested selections; cost is 1
 * per field, multiplied along lists by their `first` argument (or the default list size, or for
 * `checkLicences` the number of requests). Over a limit → QUERY_TOO_COMPLEX before execution.
 */
export function queryLimitsRule(options: UseQueryLimitsOptions) {
  const defaultList = options.defaultListSize ?? 100;
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const variables = (context as unknown as { _variables?: Record<string, unknown> })._variables;
    void variables;

    const listSize = (field: FieldNode, type: GraphQLOutputType): number => {
      if (!isList(type)) return 1;
      const first = field.arguments?.find((a) => a.name.value === "first");
      if (first?.value.kind === Kind.INT) return Math.max(1, Number(first.value.value));
      return defaultList;
    };

    const walk = (set: SelectionSetNode, parent: GraphQLType, depth: number, seen: Set<string>): { depth: number; cost: number } => {
      let maxDepth = depth;
      let cost = 0;
      const named = getNamedType(parent);
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          if (sel.name.value.startsWith("__")) continue;
          const fieldDef = isObjectType(named) || isInterfaceType(named) ? named.getFields()[sel.name.value] : undefined;
          if (!fieldDef) continue; // unknown fields are reported by the standard rules
          let multiplier = listSize(sel, fieldDef.type);
          if (sel.name.value === "checkLicences") {
            const req = sel.arguments?.find((a) => a.name.value === "requests");
            multiplier = req?.value.kind === Kind.LIST ? Math.max(1, req.value.values.length) : 1000;
          }
          let childCost = 0;
          if (sel.selectionSet) {
            const r = walk(sel.selectionSet, fieldDef.type, depth + 1, seen);
            maxDepth = Math.max(maxDepth, r.depth);
            childCost = r.cost;
          }
          cost += multiplier * (1 + childCost);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          const r = walk(sel.selectionSet, sel.typeCondition ? (context.getSchema().getType(sel.typeCondition.name.value) ?? parent) : parent, depth, seen);
          maxDepth = Math.max(maxDepth, r.depth);
          cost += r.cost;
        } else {
          const frag = fragments.get(sel.name.value);
          if (!frag || seen.has(frag.name.value)) continue; // cycles are reported by NoFragmentCycles
          const r = walk(frag.selectionSet, context.getSchema().getType(frag.typeCondition.name.value) ?? parent, depth, new Set([...seen, frag.name.value]));
          maxDepth = Math.max(maxDepth, r.depth);
          cost += r.cost;
        }
      }
      return { depth: maxDepth, cost };
    };

    return {
      OperationDefinition(node) {
        const schema = context.getSchema();
        const root = node.operation === "query" ? schema.getQueryType() : node.operation === "mutation" ? schema.getMutationType() : schema.getSubscriptionType();
        if (!root) return;
        const { depth, cost } = walk(node.selectionSet, root, 1, new Set());
        if (depth > options.maxDepth) {
          context.reportError(new GraphQLError(`query depth ${depth} exceeds the limit of ${options.maxDepth}`, { nodes: [node], extensions: { code: "QUERY_TOO_COMPLEX", depth, maxDepth: options.maxDepth } }));
        }
        if (cost > options.maxCost) {
          context.reportError(new GraphQLError(`query cost ${cost} exceeds the limit of ${options.maxCost} (lists count \`first\` items each)`, { nodes: [node], extensions: { code: "QUERY_TOO_COMPLEX", cost, maxCost: options.maxCost } }));
        }
      },
    };
  };
}

export function useQueryLimits(options: UseQueryLimitsOptions): Plugin {
  const rule = queryLimitsRule(options);
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(rule);
    },
  };
}
