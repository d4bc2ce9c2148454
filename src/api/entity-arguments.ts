/**
 * Root fields that name an entity (`identity(entity:)`, `neighbourhood(entity:)`, `shortestPath(from:, to:)`,
 * `coTargeting(actor:)`, `edgesAsOf(entity:)`, `evidence(entity:, other:)`, `timeline(entity:)`, `possiblySameAs(entity:)`) are @cypher fields:
 * given a name that matches nothing, their Cypher quietly returns `null`/`[]`. This plugin looks the names up first
 * (by id or exact name — `other` by id only — among the node labels that field's Cypher matches) and answers an
 * unknown one with `ENTITY_NOT_FOUND`, the name, and near matches from the full-text index (`entity_search`), the
 * way the CLI says "No entity named …". `shortestPath` from an entity to itself is refused with
 * `BAD_USER_INPUT` (Neo4j's shortestPath cannot start and end on one node).
 */
import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, Kind, valueFromAST, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import type { Driver } from "neo4j-driver";
import { nameWords } from "../model/normalize.ts";

/** How an argument names an entity: the labels the field's Cypher matches it among, and whether by id only. */
interface ArgumentSpec {
    /** The entity must carry this label (ThreatActor for `coTargeting(actor:)`). */
    label: "Entity" | "ThreatActor";
    /** Nodes the field's Cypher also finds: retracted-away (`Withdrawn`) or merged-away (`Merged`) entities. */
    alsoFinds: ("Withdrawn" | "Merged")[];
    byIdOnly?: boolean;
}
const ENTITY: ArgumentSpec = { label: "Entity", alsoFinds: ["Withdrawn"] };

/** Field → its entity arguments. Keep in step with the fields' Cypher in graphql/schema.graphql. */
const ENTITY_ARGUMENTS: Record<string, Record<string, ArgumentSpec>> = {
    identity: { entity: { label: "Entity", alsoFinds: ["Merged"] } },
    neighbourhood: { entity: ENTITY },
    shortestPath: { from: { label: "Entity", alsoFinds: [] }, to: { label: "Entity", alsoFinds: [] } },
    coTargeting: { actor: { label: "ThreatActor", alsoFinds: [] } },
    edgesAsOf: { entity: ENTITY },
    evidence: { entity: ENTITY, other: { label: "Entity", alsoFinds: ["Withdrawn"], byIdOnly: true } },
    timeline: { entity: ENTITY },
    possiblySameAs: { entity: ENTITY },
};

export class EntityNotFoundError extends GraphQLError {
    constructor(field: string, argument: string, name: string, spec: ArgumentSpec, nearMatches: string[]) {
        const kind = spec.label === "ThreatActor" ? "threat actor" : "entity";
        const hint = nearMatches.length > 0 ? `; did you mean ${nearMatches.map((n) => `'${n}'`).join(", ")}?` : "; search(query:) finds names and aliases";
        const what = spec.byIdOnly ? `with the id '${name}'` : `named '${name}' (by id or name)`;
        super(`${field}(${argument}:): no ${kind} ${what}${hint}`, {
            extensions: { code: "ENTITY_NOT_FOUND", field, argument, name, nearMatches, http: { status: 400 } },
        });
        this.name = "EntityNotFoundError";
    }
}

interface EntityArgument {
    field: string;
    argument: string;
    name: string;
    spec: ArgumentSpec;
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
        for (const [argument, argumentSpec] of Object.entries(spec)) {
            const node = selection.arguments?.find((a) => a.name.value === argument);
            const type = field.args.find((a) => a.name === argument)?.type;
            if (!node || !type) continue;
            const value = valueFromAST(node.value, type, variables) as unknown;
            if (typeof value === "string") found.push({ field: field.name, argument, name: value, spec: argumentSpec });
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

// Every node a name could denote, by id or by name, with its labels: each argument then takes the first one its
// field's Cypher would find (Withdrawn: retracted claims stay reachable through timeline/evidence; Merged: identity).
const RESOLVE = `
UNWIND $names AS name
CALL (name) {
  MATCH (e:Entity) WHERE e.id = name OR e.name = name RETURN e
  UNION
  MATCH (e:Withdrawn) WHERE e.id = name OR e.name = name RETURN e
  UNION
  MATCH (e:Merged) WHERE e.id = name OR e.name = name RETURN e
}
WITH name, e ORDER BY e.id
RETURN name, collect({id: e.id, labels: labels(e), byId: e.id = name}) AS matches`;

interface Match {
    id: string;
    labels: string[];
    byId: boolean;
}

/** The node the argument's field would find for its name, if any. */
function denoted(argument: EntityArgument, matches: Match[]): Match | undefined {
    const { label, alsoFinds, byIdOnly } = argument.spec;
    return matches.find(
        (m) => (!byIdOnly || m.byId) && (label === "Entity" ? m.labels.includes("Entity") || alsoFinds.some((l) => m.labels.includes(l)) : m.labels.includes(label)),
    );
}

const NEAR = `
CALL db.index.fulltext.queryNodes('entity_search', $lucene, {limit: 20}) YIELD node, score
WHERE node:Entity AND ($label = 'Entity' OR $label IN labels(node))
RETURN node.name AS name ORDER BY score DESC, name LIMIT 3`;

export async function checkEntityArguments(driver: Driver, database: string, timeoutMs: number, found: EntityArgument[]): Promise<void> {
    if (found.length === 0) return;
    const config = { database, routing: "READ" as const, transactionConfig: { timeout: timeoutMs } };
    const { records } = await driver.executeQuery(RESOLVE, { names: [...new Set(found.map((f) => f.name))] }, config);
    const candidates = new Map(records.map((r) => [r.get("name") as string, r.get("matches") as Match[]]));
    const ids = new Map<EntityArgument, string>();
    for (const argument of found) {
        const entity = denoted(argument, candidates.get(argument.name) ?? []);
        if (entity) {
            ids.set(argument, entity.id);
            continue;
        }
        const lucene = nearMatchQuery(argument.name);
        const near = lucene ? (await driver.executeQuery(NEAR, { lucene, label: argument.spec.label }, config)).records.map((r) => r.get("name") as string) : [];
        throw new EntityNotFoundError(argument.field, argument.argument, argument.name, argument.spec, near);
    }
    const paths = found.filter((f) => f.field === "shortestPath");
    const [from, to] = [paths.find((f) => f.argument === "from"), paths.find((f) => f.argument === "to")];
    if (from && to && ids.get(from) === ids.get(to)) {
        throw new GraphQLError(`shortestPath(from:, to:): '${from.name}' and '${to.name}' are the same entity (${ids.get(from)}); a path needs two different ones`, {
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
