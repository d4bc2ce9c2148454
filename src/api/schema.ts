/** Builds the executable GraphQL schema from graphql/schema.graphql with @neo4j/graphql 7. */
import fs from "node:fs";
import path from "node:path";
import { Neo4jGraphQL } from "@neo4j/graphql";
import type { Driver } from "neo4j-driver";
import type { GraphQLSchema } from "graphql";
import { REPO_ROOT } from "../config.ts";

export const SCHEMA_FILE = path.join(REPO_ROOT, "graphql", "schema.graphql");

export async function buildSchema(driver: Driver, database: string): Promise<{ schema: GraphQLSchema; neoSchema: Neo4jGraphQL }> {
    const typeDefs = fs.readFileSync(SCHEMA_FILE, "utf8");
    const neoSchema = new Neo4jGraphQL({ typeDefs, driver, features: { excludeDeprecatedFields: { mutationOperations: true } } });
    const schema = await neoSchema.getSchema();
    // The library only checks that indexes it relies on exist; we create them (cypher/schema.cypher) first.
    await neoSchema.assertIndexesAndConstraints({ driver, sessionConfig: { database } });
    return { schema, neoSchema };
}
