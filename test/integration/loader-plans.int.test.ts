/**
 * The loader statements that keep their first plan (`CYPHER replan=skip`, src/loader/stable-plan.ts) must have a plan
 * that does not depend on the graph's statistics: EXPLAINed on an EMPTY graph (the worst statistics, a fresh
 * database's first load), none may scan (a label, every node, every relationship, a relationship type, an index):
 * every node an index seek or the full-text procedure, every relationship an Expand from a bound node.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import "../../src/loader/FactLoader.ts";
import { STABLE_STATEMENTS } from "../../src/loader/stable-plan.ts";
import { DATABASE, closeTestDriver, freshGraph } from "../helpers/graph.ts";

after(closeTestDriver);

interface Plan {
    operatorType: string;
    arguments?: { Details?: string };
    children: Plan[];
}

describe("loader statements with a kept plan (replan=skip)", () => {
    it("are planned without any scan on an empty graph", async () => {
        const { driver } = await freshGraph({ registry: false });
        assert.ok(STABLE_STATEMENTS.size >= 9, `only ${STABLE_STATEMENTS.size} statements registered`);
        const session = driver.session({ database: DATABASE });
        try {
            const { records } = await session.run("MATCH (n) RETURN count(n) AS n");
            assert.equal(records[0]?.get("n"), 0, "the graph must be empty (worst-case statistics)");
            for (const statement of STABLE_STATEMENTS) {
                const explained = statement.replace(/^(CYPHER [^\n]*\n)/, "$1EXPLAIN ");
                assert.notEqual(explained, statement);
                const result = await session.run(explained);
                const scans: string[] = [];
                const operators: string[] = [];
                const walk = (p: Plan) => {
                    operators.push(p.operatorType);
                    if (/Scan/.test(p.operatorType)) scans.push(`${p.operatorType} ${p.arguments?.Details ?? ""}`);
                    p.children.forEach(walk);
                };
                walk(result.summary.plan as unknown as Plan);
                assert.ok(operators.some((o) => /Seek|ProcedureCall|Create/.test(o)), `no seek in the plan of ${statement.slice(0, 80)}`);
                assert.deepEqual(scans, [], `scans in the plan of:\n${statement}`);
            }
        } finally {
            await session.close();
        }
    });
});
