/**
 * Outage under load (issue 12), `npm run test:faults`: the API (startServer, in this process) over a throwaway local
 * Neo4j on free ports, queried at a bounded rate (FAULTS_OUTAGE_RPS, default 5 requests per second, not waiting for
 * each other; every other one with an entity argument, looked up before the query runs) the whole time, while Neo4j is SIGKILLed FAULTS_OUTAGES times (default 1) and restarted.
 * Every request is classified by when it was sent and answered:
 *   - before the kill: HTTP 200 with data;
 *   - inside the outage window (sent after the Neo4j process was gone, answered before its restart began;
 *     FAULTS_OUTAGE_S, default 5 s): HTTP 503 NEO4J_UNAVAILABLE with Retry-After, within a bound on hanging —
 *     never 200 QUERY_TIMEOUT;
 *   - while Neo4j starts again (its port may open before the database serves): 503 NEO4J_UNAVAILABLE or 200 with
 *     data, nothing else;
 *   - after the restart: the API recovers by itself (no service restart), and from the first success on every
 *     request is 200 with data (no pool exhaustion, no OVERLOADED).
 * Requests straddling a boundary are counted but not judged (their outcome depends on the instant).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, it } from "node:test";
import type { Driver } from "neo4j-driver";
import type { RunningServer } from "../../src/api/server.ts";
import { LocalNeo4j } from "../../src/neo4j/runtime/LocalNeo4j.ts";
import { ENTITY_ARGUMENT_QUERY, OUTAGE_QUERY, neo4jProcessesOf, startOutageStack, throwawayHome, timedQuery, type TimedAnswer } from "../helpers/outage.ts";

const OUTAGES = Number(process.env.FAULTS_OUTAGES ?? 1);
const RPS = Number(process.env.FAULTS_OUTAGE_RPS ?? 5);
/** Seconds of load before each kill and after each recovery. */
const STEADY_S = 4;
const OUTAGE_S = Number(process.env.FAULTS_OUTAGE_S ?? 5);
/** A bound on hanging (not a speed target): an outage answer must come well before any query timeout. */
const OUTAGE_ANSWER_BOUND_MS = 5_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`Neo4j SIGKILLed ${OUTAGES}× under ${RPS} requests/s`, () => {
    const home = throwawayHome();
    let runtime: LocalNeo4j;
    let driver: Driver;
    let server: RunningServer;

    before(async () => {
        ({ runtime, driver, server } = await startOutageStack(home, { password: "outage-faults-password", startTimeoutMs: 240_000 }));
    });
    after(async () => {
        await server?.close();
        await driver?.close();
        await runtime?.stop();
        for (const p of neo4jProcessesOf(home)) process.kill(p, "SIGKILL");
        fs.rmSync(home, { recursive: true, force: true });
    });

    it("answers 503 NEO4J_UNAVAILABLE with Retry-After inside every outage window and recovers by itself", async () => {
        const answers: Promise<TimedAnswer>[] = [];
        let loading = true;
        const load = (async () => {
            for (let i = 0; loading; i++) {
                // every other request names an entity: that name is looked up before the query runs, in the plugin
                answers.push(timedQuery(server.url, i % 2 ? ENTITY_ARGUMENT_QUERY : OUTAGE_QUERY));
                await sleep(1000 / RPS);
            }
        })();
        const windows: { from: number; to: number; ready: number }[] = [];
        try {
            for (let k = 0; k < OUTAGES; k++) {
                await sleep(STEADY_S * 1000);
                process.kill(runtime.runningPid()!, "SIGKILL");
                while (neo4jProcessesOf(home).length) await sleep(20);
                const from = performance.now();
                await sleep(OUTAGE_S * 1000);
                const to = performance.now();
                await runtime.start();
                windows.push({ from, to, ready: performance.now() });
                await sleep(STEADY_S * 1000);
            }
        } finally {
            loading = false;
            await load;
        }
        const all = await Promise.all(answers);

        const inside = all.filter((a) => windows.some((w) => a.startedAt >= w.from && a.endedAt <= w.to));
        const before = all.filter((a) => a.endedAt < windows[0]!.from - 1000);
        const last = windows.at(-1)!;
        const starting = all.filter((a) => windows.some((w) => a.endedAt > w.to && a.startedAt < w.ready));
        const afterRestart = all.filter((a) => a.startedAt > last.ready);
        const firstOk = afterRestart.findIndex((a) => a.ok);
        const tally = (list: TimedAnswer[]) => {
            const counts: Record<string, number> = {};
            for (const a of list) counts[`${a.status} ${a.code ?? (a.ok ? "ok" : "no data")}`] = (counts[`${a.status} ${a.code ?? (a.ok ? "ok" : "no data")}`] ?? 0) + 1;
            return counts;
        };
        process.stderr.write(
            `[outage faults] ${all.length} requests at ${RPS}/s, ${OUTAGES} kill(s), outages ${windows.map((w) => `${Math.round((w.to - w.from) / 100) / 10} s + ${Math.round((w.ready - w.to) / 100) / 10} s starting`).join(", ")}; ` +
                `before ${JSON.stringify(tally(before))}; inside ${JSON.stringify(tally(inside))}, max ${Math.round(Math.max(...inside.map((a) => a.ms)))} ms; while starting ${JSON.stringify(tally(starting))}; ` +
                `after the last restart ${JSON.stringify(tally(afterRestart))}, first success after ${firstOk} request(s)\n`,
        );

        assert.ok(before.length >= RPS, `only ${before.length} requests before the first kill`);
        for (const a of before) assert.ok(a.status === 200 && a.ok, `before the kill: ${JSON.stringify(a)}`);
        assert.ok(inside.length >= OUTAGES * RPS, `only ${inside.length} requests inside the outage windows`);
        for (const a of inside) {
            assert.equal(a.status, 503, `inside an outage: ${JSON.stringify(a)}`);
            assert.equal(a.code, "NEO4J_UNAVAILABLE", `inside an outage: ${JSON.stringify(a)}`);
            assert.ok(a.retryAfter && Number(a.retryAfter) > 0, `no Retry-After: ${JSON.stringify(a)}`);
            assert.ok(a.ms < OUTAGE_ANSWER_BOUND_MS, `an outage answer took ${Math.round(a.ms)} ms`);
        }
        for (const a of starting) assert.ok((a.status === 200 && a.ok) || (a.status === 503 && a.code === "NEO4J_UNAVAILABLE"), `while Neo4j starts: ${JSON.stringify(a)}`);
        assert.ok(firstOk >= 0, `the API did not recover: ${JSON.stringify(tally(afterRestart))}`);
        const recovered = afterRestart.slice(firstOk);
        assert.ok(recovered.length >= RPS, `only ${recovered.length} requests after recovery`);
        for (const a of recovered) assert.ok(a.status === 200 && a.ok, `after recovery: ${JSON.stringify(a)}`);
    });
});
