/**
 * Root fields that name an entity (`neighbourhood(entity:)`, `shortestPath(from:, to:)`, `coTargeting(actor:)`,
 * `timeline(entity:)`, `evidence(entity:)`) are @cypher fields: given a name that matches nothing, their Cypher quietly returns
 * `null`/`[]`. This plugin looks the names up first (by id or exact name, as that Cypher does) and answers an
 * unknown one with `ENTITY_NOT_FOUND`, the name, and near matches from the full-text index (`entity_search`), the
 * way the CLI says "No entity named …". `shortestPath` from an entity to itself is refused with
 * `BAD_USER_INPUT` (Neo4j's shortestPath cannot start and end on one node).
 */
import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, Kind, valueFromAST, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import type { Driver } from "neo4j-driver";
import { nameWords } from "../model/normalize.ts";

/** Field → its entity arguments and the label the entity must carry. */
const ENTITY_ARGUMENTS: Record<string, { args: string[]; label: "Entity" | "ThreatActor" }> = {
    neighbourhood: { args: ["entity"], label: "Entity" },
    shortestPath: { args: ["from", "to"], label: "Entity" },
    coTargeting: { args: ["actor"], label: "ThreatActor" },
    timeline: { args: ["entity"], label: "Entity" },
    evidence: { args: ["entity"], label: "Entity" },
};

export class EntityNotFoundError extends GraphQLError {
    constructor(field: string, argument: string, name: string, label: string, nearMatches: string[]) {
        const kind = label === "ThreatActor" ? "threat actor" : "entity";
        const hint = nearMatches.length > 0 ? `; did you mean ${nearMatches.map((n) => `'${n}'`).join(", ")}?` : "; search(query:) finds names and aliases";
        super(`${field}(${argument}:): no ${kind} named '${name}' (by id or name)${hint}`, {
            extensions: { code: "ENTITY_NOT_FOUND", field, argument, name, nearMatches, http: { status: 400 } },
        });
        this.name = "EntityNotFoundError";
    }
}

interface EntityArgument {
    field: string;
    argument: string;
    name: string;
    label: "Entity" | "ThreatActor";
}

/** The entity arguments of the operation's root fields, with variables applied. */
export function entityArguments(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName?: string): EntityArgument[] {
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
    if (!operation || operation.operation !== "query") return [];
    const queryType = schema.getQueryType();
    const found: EntityArgument[] = [];
    for (const selection of operation.selectionSet.selections) {
        if (selection.kind !== Kind.FIELD) continue;
        const spec = ENTITY_ARGUMENTS[selection.name.value];
        const field = queryType?.getFields()[selection.name.value];
        if (!spec || !field) continue;
        for (const argument of spec.args) {
            const node = selection.arguments?.find((a) => a.name.value === argument);
            const type = field.args.find((a) => a.name === argument)?.type;
            if (!node || !type) continue;
            const value = valueFromAST(node.value, type, variables) as unknown;
            if (typeof value === "string") found.push({ field: field.name, argument, name: value, label: spec.label });
        }
    }
    return found;
}

/** A forgiving Lucene query for near matches: any term, as a prefix or within an edit or two, and the terms run together ("APT 31" → apt31). */
export function nearMatchQuery(text: string): string {
    const terms = nameWords(text)
        .slice(0, 8)
        .map((t) => t.slice(0, 60));
    const clauses = new Set<string>();
    for (const term of [...terms, terms.join("")]) {
        if (!term) continue;
        clauses.add(`${term}^2`).add(`${term}*`);
        if (term.length >= 4) clauses.add(`${term}~`);
    }
    return [...clauses].join(" OR ");
}

const RESOLVE = `
UNWIND $names AS name
// Withdrawn entities too: their retracted claims stay reachable (timeline/evidence with includeRetracted or asOf).
OPTIONAL CALL (name) {
  CALL (name) {
    MATCH (e:Entity) WHERE e.id = name OR e.name = name RETURN e
    UNION
    MATCH (e:Withdrawn) WHERE e.id = name OR e.name = name RETURN e
  }
  RETURN e ORDER BY e.id LIMIT 1
}
RETURN name, e.id AS id, labels(e) AS labels`;

const NEAR = `
CALL db.index.fulltext.queryNodes('entity_search', $lucene, {limit: 20}) YIELD node, score
WHERE node:Entity AND ($label = 'Entity' OR $label IN labels(node))
RETURN node.name AS name ORDER BY score DESC, name LIMIT 3`;

export async function checkEntityArguments(driver: Driver, database: string, timeoutMs: number, found: EntityArgument[]): Promise<void> {
    if (found.length === 0) return;
    const config = { database, routing: "READ" as const, transactionConfig: { timeout: timeoutMs } };
    const { records } = await driver.executeQuery(RESOLVE, { names: [...new Set(found.map((f) => f.name))] }, config);
    const resolved = new Map(records.map((r) => [r.get("name") as string, { id: r.get("id") as string | null, labels: (r.get("labels") as string[] | null) ?? [] }]));
    for (const argument of found) {
        const entity = resolved.get(argument.name);
        if (entity?.id && (argument.label === "Entity" || entity.labels.includes(argument.label))) continue;
        const lucene = nearMatchQuery(argument.name);
        const near = lucene ? (await driver.executeQuery(NEAR, { lucene, label: argument.label }, config)).records.map((r) => r.get("name") as string) : [];
        throw new EntityNotFoundError(argument.field, argument.argument, argument.name, argument.label, near);
    }
    const paths = found.filter((f) => f.field === "shortestPath");
    const [from, to] = [paths.find((f) => f.argument === "from"), paths.find((f) => f.argument === "to")];
    if (from && to && resolved.get(from.name)?.id === resolved.get(to.name)?.id) {
        throw new GraphQLError(`shortestPath(from:, to:): '${from.name}' and '${to.name}' are the same entity (${resolved.get(from.name)?.id}); a path needs two different ones`, {
            extensions: { code: "BAD_USER_INPUT", field: "shortestPath", http: { status: 400 } },
        });
    }
}

/** Runs the check once the operation and its variables are known, before any resolver. */
export function entityArgumentsPlugin(driver: Driver, database: string, timeoutMs: number): ApolloServerPlugin {
    return {
        async requestDidStart() {
            return {
                async didResolveOperation({ request, document, schema, operationName }) {
                    await checkEntityArguments(driver, database, timeoutMs, entityArguments(schema, document, request.variables ?? {}, operationName ?? undefined));
                },
            };
        },
    };
}
