/**
 * Builds the executable GraphQL schema from graphql/schema.graphql with @neo4j/graphql 7: generated resolvers
 * for the node types, @cypher link-analysis fields, and a few resolvers of ours (search; the write mutations
 * from graphql/writes.graphql, only when a JWT key is configured).
 */
import fs from "node:fs";
import path from "node:path";
import { Neo4jGraphQL } from "@neo4j/graphql";
import type { Driver } from "neo4j-driver";
import { Kind, parse, print, type DocumentNode, type FieldDefinitionNode, type GraphQLSchema, type ObjectTypeDefinitionNode } from "graphql";
import { REPO_ROOT, loadConfig, type Config } from "../config.ts";
import { authorizationSettings } from "./auth.ts";
import { queryResolvers, writeResolvers } from "./resolvers.ts";

export const SCHEMA_FILE = path.join(REPO_ROOT, "graphql", "schema.graphql");
export const WRITES_FILE = path.join(REPO_ROOT, "graphql", "writes.graphql");
/** Official sanctions lists joined with the news (designations, designationsNotInNews, …): extends the read schema. */
export const SANCTIONS_FILE = path.join(REPO_ROOT, "graphql", "sanctions.graphql");

/** The SDL the API serves: the read schema (with each entity type's `evidence` and `possiblySameAs`), plus the write mutations when writes are enabled. */
export function typeDefsFor(withWrites: boolean): string {
    const read = withEntityEvidence(`${fs.readFileSync(SCHEMA_FILE, "utf8")}\n${fs.readFileSync(SANCTIONS_FILE, "utf8")}`);
    return withWrites ? `${read}\n${fs.readFileSync(WRITES_FILE, "utf8")}` : read;
}

const PER_ENTITY = "// per entity";
/** Root fields defined once and given to every entity type (with `this` the entity). */
export const PER_ENTITY_FIELDS = ["evidence", "possiblySameAs"] as const;

/** The part of a root field's @cypher statement from its `// per entity` line on: the per-type field's statement. */
export function perEntityStatement(document: DocumentNode, name: string): { field: FieldDefinitionNode; statement: string } {
    const query = document.definitions.find((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === "Query");
    const root = query?.fields?.find((f) => f.name.value === name);
    if (!root) throw new Error(`${SCHEMA_FILE}: Query.${name} is missing`);
    const cypher = root.directives?.find((d) => d.name.value === "cypher");
    const statementArg = cypher?.arguments?.find((a) => a.name.value === "statement");
    if (!cypher || statementArg?.value.kind !== Kind.STRING) throw new Error(`${SCHEMA_FILE}: Query.${name} has no @cypher statement`);
    const statement = statementArg.value.value;
    const at = statement.indexOf(PER_ENTITY);
    if (at < 0) throw new Error(`${SCHEMA_FILE}: Query.${name}'s statement has no '${PER_ENTITY}' line`);
    return { field: root, statement: statement.slice(at + PER_ENTITY.length).trim() };
}

/**
 * `evidence` and `possiblySameAs` are defined once, as root fields (`Query.evidence(entity:)`, …). @neo4j/graphql
 * allows @cypher only on node and root types (not on the Entity interface), so each type implementing Entity gets
 * the same fields: the statement from its `// per entity` line on (where `this` is the entity), the same arguments
 * but `entity`.
 */
export function withEntityEvidence(sdl: string): string {
    const document = parse(sdl);
    const fields: FieldDefinitionNode[] = PER_ENTITY_FIELDS.map((name) => {
        const { field: root, statement } = perEntityStatement(document, name);
        const cypher = root.directives!.find((d) => d.name.value === "cypher")!;
        return {
            ...root,
            arguments: root.arguments?.filter((a) => a.name.value !== "entity"),
            directives: [
                {
                    ...cypher,
                    arguments: cypher.arguments?.map((a) => (a.name.value === "statement" ? { ...a, value: { kind: Kind.STRING, value: statement, block: true } } : a)),
                },
            ],
        };
    });
    const definitions = document.definitions.map((d) =>
        d.kind === Kind.OBJECT_TYPE_DEFINITION && d.interfaces?.some((i) => i.name.value === "Entity") ? { ...d, fields: [...(d.fields ?? []), ...fields] } : d,
    );
    return print({ ...document, definitions });
}

export async function buildSchema(
    driver: Driver,
    database: string,
    config: Config = loadConfig(),
): Promise<{ schema: GraphQLSchema; neoSchema: Neo4jGraphQL }> {
    const authorization = authorizationSettings(config);
    const deps = { driver, database, timeoutMs: config.server.queryTimeoutMs };
    const neoSchema = new Neo4jGraphQL({
        typeDefs: typeDefsFor(authorization !== undefined),
        driver,
        resolvers: authorization ? [queryResolvers(deps), writeResolvers(deps)] : [queryResolvers(deps)],
        features: {
            excludeDeprecatedFields: { mutationOperations: true },
            // Annotates every generated field with extensions.complexity; limits.ts enforces the ceiling.
            complexityEstimators: true,
            ...(authorization ? { authorization } : {}),
        },
    });
    const schema = await neoSchema.getSchema();
    // The library only checks that indexes it relies on exist; we create them (cypher/schema.cypher) first.
    await neoSchema.assertIndexesAndConstraints({ driver, sessionConfig: { database } });
    return { schema, neoSchema };
}
