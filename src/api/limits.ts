/**
 * Abuse protection for /graphql, in two layers:
 *   1. graphql-armor validation rules and plugins: depth, aliases, directives, tokens (cheap, before execution);
 *   2. an Apollo plugin that, once the operation and its variables are known, rejects out-of-range arguments
 *      (`first`/`limit` above the page maximum, neighbourhood `depth` > 3, path `maxLength` > 6) and enforces a
 *      cost ceiling with graphql-query-complexity over the estimates @neo4j/graphql writes into each field's
 *      `extensions.complexity` (`complexityEstimators: true` only annotates; enforcement is ours).
 * Operations that only introspect the schema skip layer 2 (see isIntrospectionOnly); GRAPHQL_INTROSPECTION=false
 * turns introspection off altogether.
 * Rejections are GraphQL errors with a stable `extensions.code` and HTTP 400, before any Cypher runs.
 * @see https://neo4j.com/docs/graphql/current/security/avoid-unbounded-queries/
 */
import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import {
    GraphQLError,
    TypeInfo,
    getNamedType,
    isListType,
    isNonNullType,
    valueFromAST,
    visit,
    visitWithTypeInfo,
    Kind,
    type DocumentNode,
    type FragmentDefinitionNode,
    type OperationDefinitionNode,
    type SelectionNode,
    type GraphQLOutputType,
    type GraphQLSchema,
    type ValidationRule,
} from "graphql";
import { fieldExtensionsEstimator, getComplexity, simpleEstimator, type ComplexityEstimator } from "graphql-query-complexity";

export const LIMITS = {
    /** Deepest selection set (armor counts nested fields). The README's deepest example uses 7. */
    maxDepth: 10,
    maxAliases: 15,
    maxDirectives: 10,
    maxTokens: 1500,
    /** Largest page: `first`/`limit` on any list (the @limit(max) of every type is 100 as well). */
    maxPage: 100,
    /** neighbourhood(first:) may return up to this many edges. */
    maxNeighbourhoodEdges: 200,
    maxNeighbourhoodDepth: 3,
    maxPathLength: 6,
    /** Estimated cost ceiling (graphql-query-complexity). */
    maxCost: 5000,
    /** Longest search(query:) text and entity name argument, in characters. */
    maxSearchLength: 200,
    maxNameLength: 300,
} as const;

export class LimitError extends GraphQLError {
    constructor(message: string, code: "QUERY_TOO_LARGE" | "QUERY_TOO_COMPLEX" | "ARGUMENT_OUT_OF_RANGE", details: Record<string, unknown> = {}) {
        super(message, { extensions: { code, ...details, http: { status: 400 } } });
        this.name = "LimitError";
    }
}

/** graphql-armor's protections, without its cost and token limits (graphql-query-complexity and the parser do those). */
export function armor(options: { blockFieldSuggestion: boolean }): { plugins: ApolloServerPlugin[]; validationRules: ValidationRule[] } {
    const { plugins, validationRules } = new ApolloArmor({
        maxDepth: { n: LIMITS.maxDepth, flattenFragments: true },
        maxAliases: { n: LIMITS.maxAliases },
        maxDirectives: { n: LIMITS.maxDirectives },
        // Tokens are limited by graphql-js's parser (ApolloServer parseOptions, see server.ts): a syntax error,
        // HTTP 400. armor's token check throws from a plugin hook, which Apollo answers with HTTP 500.
        maxTokens: { enabled: false },
        costLimit: { enabled: false },
        blockFieldSuggestion: { enabled: options.blockFieldSuggestion },
    }).protect();
    // armor's typings resolve @apollo/server's CJS build; the plugin objects are the same at run time.
    return { plugins: plugins as unknown as ApolloServerPlugin[], validationRules };
}

/** Per-argument ceilings; `first`/`limit` apply on every field. */
function argumentCeiling(fieldName: string, argName: string): { max: number; min?: number } | undefined {
    if (fieldName === "neighbourhood" && argName === "depth") return { max: LIMITS.maxNeighbourhoodDepth, min: 1 };
    if (fieldName === "neighbourhood" && argName === "first") return { max: LIMITS.maxNeighbourhoodEdges, min: 0 };
    if (fieldName === "shortestPath" && argName === "maxLength") return { max: LIMITS.maxPathLength, min: 1 };
    if (argName === "first" || argName === "limit") return { max: LIMITS.maxPage, min: 0 };
    return undefined;
}

/** Length ceilings of string arguments: search text, and the entity names of the link-analysis fields. */
function stringCeiling(fieldName: string, argName: string): number | undefined {
    if (fieldName === "search" && argName === "query") return LIMITS.maxSearchLength;
    if (["entity", "from", "to", "actor"].includes(argName) && ["neighbourhood", "shortestPath", "coTargeting", "timeline"].includes(fieldName)) return LIMITS.maxNameLength;
    return undefined;
}

export function checkArguments(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): void {
    const typeInfo = new TypeInfo(schema);
    visit(
        document,
        visitWithTypeInfo(typeInfo, {
            Argument(node) {
                const field = typeInfo.getFieldDef();
                const arg = typeInfo.getArgument();
                if (!field || !arg) return;
                const ceiling = argumentCeiling(field.name, arg.name);
                if (!ceiling && stringCeiling(field.name, arg.name) === undefined) return;
                const value = valueFromAST(node.value, arg.type, variables) as unknown;
                const maxLength = stringCeiling(field.name, arg.name);
                if (maxLength !== undefined && typeof value === "string" && value.length > maxLength) {
                    throw new LimitError(`${field.name}(${arg.name}:) is ${value.length} characters long; at most ${maxLength} are accepted`, "ARGUMENT_OUT_OF_RANGE", {
                        field: field.name,
                        argument: arg.name,
                        length: value.length,
                        max: maxLength,
                    });
                }
                if (typeof value !== "number" || !ceiling) return;
                if (value > ceiling.max || (ceiling.min !== undefined && value < ceiling.min)) {
                    throw new LimitError(
                        `${field.name}(${arg.name}: ${value}) is out of range: ${arg.name} must be between ${ceiling.min ?? 0} and ${ceiling.max}`,
                        "ARGUMENT_OUT_OF_RANGE",
                        { field: field.name, argument: arg.name, value, max: ceiling.max },
                    );
                }
            },
        }),
    );
}

/**
 * For list fields the library does not annotate (our @cypher fields, nested lists in their results):
 * children × the page asked for, else × the argument's default, else × 50 (the @limit default) for fields
 * that page, else × 10 for the small fixed lists inside a result (path nodes/edges ≤ 7, evidence ≤ 10).
 */
const pageEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
    if (!isList(field.type)) return undefined;
    const pageArg = field.args.find((a) => a.name === "first" || a.name === "limit");
    const asked = pageArg ? args[pageArg.name] : undefined;
    const page = typeof asked === "number" ? asked : pageArg ? (typeof pageArg.defaultValue === "number" ? pageArg.defaultValue : 50) : 10;
    return 1 + Math.max(childComplexity, 1) * Math.max(page, 1);
};

function isList(type: GraphQLOutputType): boolean {
    const inner = isNonNullType(type) ? type.ofType : type;
    return isListType(inner) || getNamedType(type).name.endsWith("Connection");
}

/**
 * True when the operation reads only the schema: every root field (through fragments) is `__schema`, `__type`
 * or `__typename`. Such an operation touches no data and its size is bounded by the schema; graphql-js's
 * MaxIntrospectionDepthRule (in its specified rules, which Apollo runs) rejects the nested
 * `fields { type { fields … } }` bombs. The data-oriented cost estimate would price the standard introspection
 * query (graphql-js `getIntrospectionQuery()`, what GraphiQL, Postman, Insomnia and codegen send) at ~50 000,
 * so it is exempt from it.
 */
export function isIntrospectionOnly(document: DocumentNode, operationName?: string): boolean {
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
    if (!operation || operation.operation !== "query") return false;
    const fragments = new Map(
        document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
    );
    const seen = new Set<string>();
    const onlyMeta = (selections: readonly SelectionNode[]): boolean =>
        selections.every((selection) => {
            if (selection.kind === Kind.FIELD) return selection.name.value.startsWith("__");
            if (selection.kind === Kind.INLINE_FRAGMENT) return onlyMeta(selection.selectionSet.selections);
            const fragment = fragments.get(selection.name.value);
            if (!fragment) return false;
            if (seen.has(fragment.name.value)) return true;
            seen.add(fragment.name.value);
            return onlyMeta(fragment.selectionSet.selections);
        });
    return onlyMeta(operation.selectionSet.selections);
}

export function estimateCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName?: string): number {
    return getComplexity({
        schema,
        query: document,
        variables,
        operationName,
        estimators: [fieldExtensionsEstimator(), pageEstimator, simpleEstimator({ defaultComplexity: 1 })],
    });
}

/** Argument ranges and the cost ceiling, checked once the operation is resolved (variables known). */
export function limitsPlugin(): ApolloServerPlugin {
    return {
        async requestDidStart() {
            return {
                async didResolveOperation({ request, document, schema, operationName }) {
                    const variables = request.variables ?? {};
                    if (isIntrospectionOnly(document, operationName ?? undefined)) return; // see isIntrospectionOnly
                    checkArguments(schema, document, variables);
                    const cost = estimateCost(schema, document, variables, operationName ?? undefined);
                    if (cost > LIMITS.maxCost) {
                        throw new LimitError(`Query is too expensive: estimated cost ${cost} exceeds ${LIMITS.maxCost}; ask for smaller pages (first/limit) or fewer nested lists`, "QUERY_TOO_COMPLEX", {
                            cost,
                            maxCost: LIMITS.maxCost,
                        });
                    }
                },
            };
        },
    };
}
