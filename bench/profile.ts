/**
 * Database hits of a query (PROFILE), deterministic for a given graph: the number to tune on. For a GraphQL
 * operation, the Cypher @neo4j/graphql generates is captured by handing the library a recording "transaction" as
 * executionContext, then each statement is PROFILEd with its parameters.
 */
import { graphql, type GraphQLSchema } from "graphql";
import neo4j, { type Driver, type ManagedTransaction } from "neo4j-driver";

interface Plan {
    operatorType: string;
    dbHits: number;
    identifiers?: string[];
    children: Plan[];
}

export interface Profile {
    dbHits: number;
    /** Label, all-node and relationship-type scans (where an index seek was hoped for). */
    scans: string[];
    statements: number;
}

export async function profileCypher(driver: Driver, database: string, cypher: string, params: Record<string, unknown>): Promise<Profile> {
    const session = driver.session({ database, defaultAccessMode: neo4j.session.READ });
    try {
        const profiled = cypher.replace(/^(CYPHER [^\n]*\n)?/, (prefix) => `${prefix}PROFILE `);
        const result = await session.run(profiled, params);
        let dbHits = 0;
        const scans: string[] = [];
        const walk = (p: Plan) => {
            dbHits += p.dbHits;
            if (/NodeByLabelScan|AllNodesScan|RelationshipTypeScan/.test(p.operatorType)) scans.push(`${p.operatorType}(${p.identifiers?.join(",") ?? ""}) ${p.dbHits} hits`);
            p.children.forEach(walk);
        };
        walk(result.summary.profile as unknown as Plan);
        return { dbHits, scans, statements: 1 };
    } finally {
        await session.close();
    }
}

/** The Cypher statements the library runs for `query` (empty for resolvers of our own, which use the driver). */
export async function generatedCypher(schema: GraphQLSchema, driver: Driver, database: string, query: string): Promise<{ cypher: string; params: Record<string, unknown> }[]> {
    const captured: { cypher: string; params: Record<string, unknown> }[] = [];
    const session = driver.session({ database, defaultAccessMode: neo4j.session.READ });
    try {
        await session.executeRead(async (tx: ManagedTransaction) => {
            const recorder = {
                run: (cypher: string, params: Record<string, unknown>) => {
                    captured.push({ cypher, params });
                    return tx.run(cypher, params);
                },
            };
            const result = await graphql({ schema, source: query, contextValue: { executionContext: recorder } });
            if (result.errors) throw new Error(result.errors.map((e) => e.message).join("; "));
        });
    } finally {
        await session.close();
    }
    return captured;
}

export async function profileAll(driver: Driver, database: string, statements: { cypher: string; params: Record<string, unknown> }[]): Promise<Profile> {
    const total: Profile = { dbHits: 0, scans: [], statements: 0 };
    for (const s of statements) {
        const p = await profileCypher(driver, database, s.cypher, s.params);
        total.dbHits += p.dbHits;
        total.scans.push(...p.scans);
        total.statements++;
    }
    return total;
}
