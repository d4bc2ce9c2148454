/**
 * Loader benchmark: documents per second and memory while loading a synthetic corpus (JSON lines, streamed)
 * into a throwaway local Neo4j (or NEO4J_URI with CYBERKG_TEST_ALLOW_WIPE=1).
 *   npm run bench:load -- [documents=2000] [facts per document=12]
 * Memory is sampled after each document; "flat" means the last quarter's peak RSS is within 10% of the first quarter's.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import "../src/neo4j/tcp-nodelay.ts";
import neo4j from "neo4j-driver";
import { FactLoader } from "../src/loader/FactLoader.ts";
import { loadFiles } from "../src/loader/load-files.ts";
import { unitFromRegistry } from "../src/loader/registry-unit.ts";
import { applySchema } from "../src/neo4j/cypher-files.ts";
import { Registry } from "../src/registry/Registry.ts";
import { provideNeo4j } from "../test/helpers/neo4j-server.ts";

const documents = Number(process.argv[2] ?? 2000);
const factsPerDoc = Number(process.argv[3] ?? 12);
const PREDICATES = [["ThreatActor", "TARGETED", "Sector"], ["State", "SANCTIONED", "Person"], ["Person", "MEMBER_OF", "ThreatActor"], ["ThreatActor", "AFFILIATED_WITH", "State"], ["ThreatActor", "COMPROMISED", "Organization"]] as const;
const registry = Registry.load();
const actors = registry.entities().filter((e) => e.type === "ThreatActor").map((e) => e.name);
const states = ["China", "Russia", "Iran", "North Korea", "United States", "United Kingdom"];
const sectors = ["Energy", "Defence", "Telecommunications", "Healthcare", "Water"];

function name(type: string, i: number): string {
    if (type === "ThreatActor") return actors[i % actors.length]!;
    if (type === "State") return states[i % states.length]!;
    if (type === "Sector") return sectors[i % sectors.length]!;
    if (type === "Person") return `Bench Person ${i % 3000}`;
    return `Bench Organization ${i % 2000}`;
}

const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-bench-")), "corpus.jsonl");
const out = fs.createWriteStream(file);
for (let d = 0; d < documents; d++) {
    const entities = new Map<string, { id: string; type: string; name: string; aliases: string[] }>();
    const facts = [];
    for (let f = 0; f < factsPerDoc; f++) {
        const [st, p, ot] = PREDICATES[(d + f) % PREDICATES.length]!;
        const s = name(st, d * 7 + f), o = name(ot, d * 13 + f * 3);
        if (s === o) continue;
        for (const [n, t] of [[s, st], [o, ot]] as const) {
            if (!entities.has(n)) entities.set(n, { id: `e${entities.size}`, type: t, name: n, aliases: [] });
        }
        facts.push({ subject: entities.get(s)!.id, predicate: p, object: entities.get(o)!.id, certainty: f % 4 === 0 ? "alleged" : "asserted", evidence: { text: `${s} ${p.toLowerCase()} ${o}.` } });
    }
    const doc = { article: { id: `bench:${d}`, title: `Bench article ${d}`, publishedAt: `20${10 + (d % 15)}-0${1 + (d % 9)}-1${d % 10}` }, entities: [...entities.values()].map((e) => (e.type === "Organization" ? { ...e, kind: "other" } : e)), facts };
    out.write(JSON.stringify(doc) + "\n");
}
await new Promise((r) => out.end(r));

const server = await provideNeo4j();
const driver = neo4j.driver(server.uri, neo4j.auth.basic(server.user, server.password), { disableLosslessIntegers: true });
try {
    if (server.kind === "external" && process.env.CYBERKG_TEST_ALLOW_WIPE !== "1") throw new Error("Refusing to wipe NEO4J_URI: set CYBERKG_TEST_ALLOW_WIPE=1 for a disposable database");
    const session = driver.session();
    await session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS");
    await session.close();
    await applySchema(driver, "neo4j");
    const loader = new FactLoader(driver, "neo4j", registry);
    await loader.load(unitFromRegistry(registry));
    const rss: number[] = [];
    const started = performance.now();
    const summary = await loadFiles([file], loader, { onDocument: () => rss.push(process.memoryUsage().rss) });
    const seconds = (performance.now() - started) / 1000;
    const q = Math.max(1, Math.floor(rss.length / 4));
    const firstPeak = Math.max(...rss.slice(0, q)) / 2 ** 20;
    const lastPeak = Math.max(...rss.slice(-q)) / 2 ** 20;
    const again = performance.now();
    const second = await loadFiles([file], loader);
    const reloadSeconds = (performance.now() - again) / 1000;
    const result = {
        documents,
        factsPerDocument: factsPerDoc,
        loaded: summary.loaded,
        claims: summary.claims,
        seconds: +seconds.toFixed(1),
        documentsPerSecond: +(documents / seconds).toFixed(1),
        claimsPerSecond: +(summary.claims / seconds).toFixed(0),
        reloadUnchanged: second.unchanged,
        reloadDocumentsPerSecond: +(documents / reloadSeconds).toFixed(1),
        rssFirstQuarterMiB: +firstPeak.toFixed(0),
        rssLastQuarterMiB: +lastPeak.toFixed(0),
        memoryFlat: lastPeak <= firstPeak * 1.1,
    };
    process.stdout.write(JSON.stringify(result, null, 2) + "\n");
} finally {
    await driver.close();
    await server.stop();
}
