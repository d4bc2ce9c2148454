/**
 * `CYPHER replan=skip`: Neo4j keeps the cached plan of the statement when the graph's statistics change. While a
 * load fills a fresh database, the statistics diverge all the time and Neo4j replans every statement about every
 * 10 s (debug.log: "Discarded stale query"), each replan costing planning time in the middle of the load. Only for
 * statements whose plan does not depend on the statistics: every node found by an index seek (or the full-text
 * procedure) from the statement's parameters, every relationship by an Expand from a bound node with a literal
 * type, so the plan made on an empty graph is the plan made on a large one. Every such statement is registered
 * here; test/integration/loader-plans.int.test.ts EXPLAINs each on an empty graph and fails on any scan.
 */
export const STABLE_STATEMENTS = new Set<string>();

/** The statement with `CYPHER replan=skip`, registered for the plan test. */
export function stablePlan(cypher: string): string {
    const statement = `CYPHER replan=skip\n${cypher.trim()}`;
    STABLE_STATEMENTS.add(statement);
    return statement;
}
