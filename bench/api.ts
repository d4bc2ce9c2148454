/**
 * Load test of the GraphQL API with autocannon: a few README queries, each for BENCH_SECONDS (default 10) with
 * BENCH_CONNECTIONS (default 10) connections, against a running API (`npm start` first):
 *   npm run bench:api            # BENCH_URL=http://127.0.0.1:4000/graphql
 * Prints requests/s and latency percentiles per query; non-2xx responses count as errors.
 */
import autocannon from "autocannon";

const url = process.env.BENCH_URL ?? "http://127.0.0.1:4000/graphql";
const duration = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);

const queries: Record<string, string> = {
    "lookup (issue-2 query)": `{ threatActors(where: { name: { eq: "APT31" } }) { name targeted { name } } }`,
    "lookup with evidence": `{ threatActors(where: { name: { eq: "APT31" } }) { name targetedConnection { edges { properties { support certainty } node { name } } } evidence(predicate: TARGETED) { evidence claimedBy { name } source { title } } } }`,
    search: `{ search(query: "zirconium") { score id name } }`,
    "shortest path": `{ shortestPath(from: "Zhao Guangzong", to: "China") { length nodes { name } edges { type evidence { evidence } } } }`,
    "neighbourhood depth 2": `{ neighbourhood(entity: "APT31", depth: 2, first: 50) { depth type from { name } to { name } } }`,
    "sanctions overlap": `{ sanctionsOverlap { entity { name } stateCount } }`,
};

for (const [name, query] of Object.entries(queries)) {
    const result = await autocannon({
        url,
        method: "POST",
        connections,
        duration,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query }),
    });
    const errors = result.errors + result.non2xx;
    process.stdout.write(
        `${name.padEnd(24)} ${result.requests.average.toFixed(0).padStart(6)} req/s   p50 ${result.latency.p50} ms   p99 ${result.latency.p99} ms   errors ${errors}\n`,
    );
}
