/**
 * `npm run bench:dedup [-- 1000,5000,20000]`: near-duplicate lookup (src/news/duplicates.ts findOriginal) as the
 * article store grows. Synthetic articles (~300 random words from a 5,000-word vocabulary, so bodies share words
 * but not shingles) are written with their fingerprints straight into :Article nodes; at each size, 100 lookups of
 * fresh bodies (no match) and 100 of lightly edited stored bodies (a match) are timed; `--overlap` adds shared
 * boilerplate sentences to every body. An index lookup stays flat
 * as the store grows; a scan would grow with it. Untimed warm-up lookups come first; each row gives the load average. Throwaway local Neo4j (or NEO4J_URI with CYBERKG_TEST_ALLOW_WIPE=1).
 */
import os from "node:os";
import "../src/neo4j/tcp-nodelay.ts";
import neo4j from "neo4j-driver";
import { applySchema } from "../src/neo4j/cypher-files.ts";
import { fingerprint } from "../src/model/fingerprint.ts";
import { findOriginal } from "../src/news/duplicates.ts";
import { provideNeo4j } from "../test/helpers/neo4j-server.ts";

const sizes = (process.argv[2] ?? "1000,5000,20000").split(",").map(Number);
// --overlap: every body also carries 3 of 20 boilerplate sentences (15 words each: bylines, "follow us", legal
// notices) that many stored articles share, as real news does; their shingles and bands are common to thousands.
const overlap = process.argv.includes("--overlap");
let seed = 42;
const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const vocabulary = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`);
const words = (n: number) => Array.from({ length: n }, () => vocabulary[Math.floor(random() * vocabulary.length)]).join(" ");
const boilerplate = Array.from({ length: 20 }, () => words(15));
const body = () => (overlap ? [words(100), boilerplate[Math.floor(random() * 20)], words(100), boilerplate[Math.floor(random() * 20)], words(55), boilerplate[Math.floor(random() * 20)]].join(" ") : words(300));

const server = await provideNeo4j();
const driver = neo4j.driver(server.uri, neo4j.auth.basic(server.user, server.password), { disableLosslessIntegers: true });
try {
    if (server.kind === "external" && process.env.CYBERKG_TEST_ALLOW_WIPE !== "1") throw new Error("Refusing to wipe NEO4J_URI: set CYBERKG_TEST_ALLOW_WIPE=1 for a disposable database");
    const session = driver.session();
    await session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS");
    await session.close();
    await applySchema(driver, "neo4j");
    const stored: string[] = [];
    const rows: string[] = [];
    for (const size of sizes) {
        while (stored.length < size) {
            const batch = [];
            for (let i = 0; i < 500 && stored.length < size; i++) {
                const text = body();
                stored.push(text);
                batch.push({ id: `article:bench-${stored.length}`, title: `Bench ${stored.length}`, ...fingerprint(text) });
            }
            await driver.executeQuery("UNWIND $rows AS r CREATE (a:Source:Article) SET a = r, a.loadedAt = datetime()", { rows: batch }, { database: "neo4j" });
        }
        const time = async (texts: string[]) => {
            const started = performance.now();
            let found = 0;
            for (const t of texts) if (await findOriginal(driver, "neo4j", fingerprint(t), "article:none")) found++;
            return { ms: (performance.now() - started) / texts.length, found };
        };
        // The first lookups of a run pay for query planning and JIT warm-up (they were 3-4x slower than the same
        // lookups at the next size): untimed lookups first, so every row measures the steady state.
        if (rows.length === 0) await time(Array.from({ length: 50 }, body));
        const fresh = await time(Array.from({ length: 100 }, body));
        const edited = await time(Array.from({ length: 100 }, () => stored[Math.floor(random() * stored.length)]!.replace(/^(\S+ ){5}/, "Updated at noon: ")));
        rows.push(`| ${size} | ${fresh.ms.toFixed(2)} | ${fresh.found}/100 | ${edited.ms.toFixed(2)} | ${edited.found}/100 | ${os.loadavg()[0]!.toFixed(1)} |`);
        process.stderr.write(rows.at(-1)! + "\n");
    }
    process.stdout.write([`${overlap ? "with shared boilerplate (--overlap)" : "random bodies"}`, "| stored articles | ms per lookup, fresh body | false matches | ms per lookup, edited copy | copies found | 1-min load avg |", "|---:|---:|---:|---:|---:|---:|", ...rows].join("\n") + "\n");
} finally {
    await driver.close();
    await server.stop();
}
