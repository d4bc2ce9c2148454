/**
 * Builds the executable GraphQL schema from graphql/schema.graphql with @neo4j/graphql 7: generated resolvers
 * for the node types, @cypher link-analysis fields, and a few resolvers of ours (search; the write mutations
 * from graphql/writes.graphql, only when a JWT key is configured).
 */
import fs from "node:fs";
import path from "node:path";
import { Neo4jGraphQL } from "@neo4j/graphql";
import type { Driver } from "neo4j-driver";
import type { GraphQLSchema } from "graphql";
import { REPO_ROOT, loadConfig, type Config } from "../config.ts";
import { authorizationSettings } from "./auth.ts";
import { queryResolvers, writeResolvers } from "./resolvers.ts";

export const SCHEMA_FILE = path.join(REPO_ROOT, "graphql", "schema.graphql");
export const WRITES_FILE = path.join(REPO_ROOT, "graphql", "writes.graphql");
/** Official sanctions lists joined with the news (designations, designationsNotInNews, …): extends the read schema. */
export const SANCTIONS_FILE = path.join(REPO_ROOT, "graphql", "sanctions.graphql");

/** The SDL the API serves: the read schema, plus the write mutations when writes are enabled. */
export function typeDefsFor(withWrites: boolean): string {
    const read = `${fs.readFileSync(SCHEMA_FILE, "utf8")}\n${fs.readFileSync(SANCTIONS_FILE, "utf8")}`;
    return withWrites ? `${read}\n${fs.readFileSync(WRITES_FILE, "utf8")}` : read;
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
