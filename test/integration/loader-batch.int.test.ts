/**
 * Group commit (FactLoader.loadBatch) against a real Neo4j: a batch gives the graph that loading its documents one
 * by one gives; a batch with a bad document rejects exactly that one and writes every other; a batch transaction
 * terminated while it waits for a lock is written again, whole.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { Driver } from "neo4j-driver";
import { generateCorpus } from "../../bench/corpus.ts";
import { LoadError } from "../../src/errors.ts";
import type { BatchOutcome } from "../../src/loader/FactLoader.ts";
import { loadFiles } from "../../src/loader/load-files.ts";
import { unitFromDocument } from "../../src/loader/load-unit.ts";
import { validateDocument } from "../../src/loader/validate.ts";
import { Registry } from "../../src/registry/Registry.ts";
import { DATABASE, closeTestDriver, freshGraph } from "../helpers/graph.ts";

after(closeTestDriver);

const registry = Registry.load();
// Hubs, a long tail, alias variants, facts repeated across documents, and reloads of changed documents.
const docs = [...generateCorpus(registry, { documents: 90, seed: 7 })];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-batch-"));
const corpus = path.join(dir, "corpus.jsonl");
fs.writeFileSync(corpus, docs.map((d) => JSON.stringify(d)).join("\n") + "\n");

/** Every node (labels, properties) and relationship, write times left out: equal hashes mean the same graph. */
async function checksum(driver: Driver, ignore: string[] = []): Promise<{ hash: string; nodes: number; relationships: number }> {
    const volatile = new Set(["loadedAt", "createdAt", "liveFrom", "liveUntil", "supersededAt", "withdrawnAt", ...ignore]);
    const canon = (props: Record<string, unknown>) =>
        JSON.stringify(
            Object.keys(props)
                .filter((k) => !volatile.has(k))
                .sort()
                .map((k) => [k, Array.isArray(props[k]) ? (props[k] as unknown[]).map(String) : String(props[k])]),
        );
    const nodes = await driver.executeQuery("MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props", {}, { database: DATABASE });
    const key = new Map<string, string>();
    for (const r of nodes.records) key.set(r.get("id"), `${[...r.get("labels")].sort().join(":")}${canon(r.get("props"))}`);
    const rels = await driver.executeQuery("MATCH (a)-[r]->(b) RETURN elementId(a) AS a, type(r) AS type, properties(r) AS props, elementId(b) AS b", {}, { database: DATABASE });
    const lines = [...key.values(), ...rels.records.map((r) => `${key.get(r.get("a"))}-${r.get("type")}${canon(r.get("props"))}->${key.get(r.get("b"))}`)].sort();
    return { hash: createHash("sha256").update(lines.join("\n")).digest("hex"), nodes: nodes.records.length, relationships: rels.records.length };
}

const units = (from: number, to: number) => docs.slice(from, to).map((d, i) => unitFromDocument(validateDocument(d, `doc-${from + i}`), `doc-${from + i}`));
const loaded = (outcomes: BatchOutcome[]) => outcomes.filter((o) => o !== undefined && !(o instanceof Error)).length;

describe("group commit", () => {
    it("gives the same graph, node for node, as loading the documents one by one", async () => {
        let g = await freshGraph();
        const one = await loadFiles([corpus], g.loader, { batchSize: 1 });
        assert.equal(g.loader.stats.groupCommits, 0);
        const alone = await checksum(g.driver);

        g = await freshGraph();
        const grouped = await loadFiles([corpus], g.loader, { batchSize: 30 });
        // Not vacuous: most documents went through group transactions, and the corpus has reloads (sent alone).
        assert.ok(g.loader.stats.groupedUnits >= 60, JSON.stringify(g.loader.stats));
        assert.ok(one.replaced > 0, "the corpus reloads changed documents");
        assert.equal(g.loader.stats.fallbacks, 0);
        assert.deepEqual({ ...grouped, newEntityIds: grouped.newEntityIds.sort() }, { ...one, newEntityIds: one.newEntityIds.sort() });
        process.stderr.write(`[group commit] ${JSON.stringify(g.loader.stats)}\n`);
        assert.deepEqual(await checksum(g.driver), alone);
    });

    it("rejects exactly the bad document of a batch, with its own error, and writes every other one whole", async () => {
        const g = await freshGraph();
        const batch = units(0, 8);
        // Passes every check in the loader, fails inside Neo4j (a property cannot hold a list of mixed types).
        (batch[3]!.entities[0]!.attributes as Record<string, unknown>).bogus = [1, "one"];
        const outcomes = await g.loader.loadBatch(batch);
        assert.equal(g.loader.stats.fallbacks, 1);
        assert.ok(outcomes[3] instanceof LoadError, String(outcomes[3]));
        assert.match(outcomes[3].message, /^doc-3: not loaded, nothing written \(Neo4j only supports a subset of Cypher types for storage/);
        assert.equal(loaded(outcomes), 7);
        const { records } = await g.driver.executeQuery(
            "UNWIND $ids AS id OPTIONAL MATCH (s:Source {id: id}) RETURN id, count { (s)<-[:FROM]-(:Claim) } AS claims, s IS NOT NULL AS present",
            { ids: batch.map((u) => u.source.id) },
            { database: DATABASE },
        );
        records.forEach((r, i) => {
            assert.equal(r.get("present"), i !== 3, `source ${r.get("id")}`);
            if (i !== 3) assert.equal(r.get("claims"), (outcomes[i] as { claims: number }).claims, `all claims of ${r.get("id")}`);
            else assert.equal(r.get("claims"), 0);
        });
    });

    it("stops at the bad document with stopAtFirstError: those before it are written, none after it", async () => {
        const g = await freshGraph();
        const batch = units(0, 6);
        (batch[2]!.entities[0]!.attributes as Record<string, unknown>).bogus = [1, "one"];
        const outcomes = await g.loader.loadBatch(batch, { stopAtFirstError: true });
        assert.equal(loaded(outcomes.slice(0, 2)), 2);
        assert.ok(outcomes[2] instanceof LoadError);
        assert.deepEqual(outcomes.slice(3), [undefined, undefined, undefined]);
        const { records } = await g.driver.executeQuery("UNWIND $ids AS id MATCH (s:Source {id: id}) RETURN count(s) AS n", { ids: batch.slice(2).map((u) => u.source.id) }, { database: DATABASE });
        assert.equal(records[0]!.get("n"), 0);
    });

    /** Holds write locks on every State (hubs the batch needs) and terminates the batch's transaction `times` times while it waits for them. */
    async function terminateBatchTransaction(driver: Driver, times: number, work: () => Promise<BatchOutcome[]>): Promise<BatchOutcome[]> {
        const blocker = driver.session({ database: DATABASE });
        const tx = await blocker.beginTransaction();
        await tx.run("MATCH (s:State) SET s.lockedByTest = true");
        const running = work();
        const admin = driver.session({ database: DATABASE });
        try {
            for (let k = 0; k < times; k++) {
                let id: string | undefined;
                for (let wait = 0; !id && wait < 600; wait++) {
                    const { records } = await admin.run("SHOW TRANSACTIONS YIELD transactionId, status, currentQuery WHERE status STARTS WITH 'Blocked' AND currentQuery CONTAINS 'UNWIND' RETURN transactionId");
                    id = records[0]?.get("transactionId") as string | undefined;
                    if (!id) await new Promise((r) => setTimeout(r, 100));
                }
                assert.ok(id, `no blocked batch transaction found (round ${k + 1})`);
                await admin.run("TERMINATE TRANSACTION $id", { id });
            }
        } finally {
            await tx.rollback();
            await blocker.close();
            await admin.close();
        }
        return running;
    }

    it("writes a batch whose transaction was terminated while it waited for a hub's lock whole, in a new transaction", async () => {
        const g = await freshGraph();
        const batch = units(0, 10);
        const outcomes = await terminateBatchTransaction(g.driver, 1, () => g.loader.loadBatch(batch));
        assert.equal(loaded(outcomes), 10);
        assert.equal(g.loader.stats.groupCommits, 1);
        assert.equal(g.loader.stats.fallbacks, 0);
        const { records } = await g.driver.executeQuery("MATCH (a:Article) RETURN count(a) AS n", {}, { database: DATABASE });
        assert.equal(records[0]!.get("n"), 10);
    });
});

describe("a reload's unchanged documents found by their input hash", () => {
    /** The corpus loaded twice through loadBatch with units that carry no input hash: what the full path writes. */
    async function reference(batchSize: number) {
        const g = await freshGraph();
        const summaries = [];
        for (let pass = 0; pass < 2; pass++) {
            const counts = { loaded: 0, replaced: 0, unchanged: 0 };
            for (let i = 0; i < docs.length; i += batchSize) {
                for (const o of await g.loader.loadBatch(units(i, Math.min(docs.length, i + batchSize)))) {
                    assert.ok(o !== undefined && !(o instanceof Error), String(o));
                    counts[o.status]++;
                }
            }
            summaries.push(counts);
        }
        return { summaries, graph: await checksum(g.driver, ["inputHash"]) };
    }

    it("gives the summary and the graph of the full path, writing a changed document's earlier version again", async () => {
        const expected = await reference(100);
        const g = await freshGraph();
        const summaries = [];
        // One batch holds the whole corpus: a changed document's two versions meet in it.
        for (let pass = 0; pass < 2; pass++) {
            const s = await loadFiles([corpus], g.loader, { batchSize: 100 });
            summaries.push({ loaded: s.loaded, replaced: s.replaced, unchanged: s.unchanged });
        }
        // Not vacuous: the second pass found most documents by input hash, and wrote the corpus's earlier versions again.
        assert.ok(g.loader.stats.unchangedByInput >= 60, JSON.stringify(g.loader.stats));
        assert.ok(summaries[1]!.replaced > 0, JSON.stringify(summaries));
        assert.deepEqual(summaries, expected.summaries);
        assert.deepEqual(await checksum(g.driver, ["inputHash"]), expected.graph);
    });

    it("loads a retracted source again, and a document whose input differs but whose content does not is unchanged", async () => {
        const g = await freshGraph();
        const file = path.join(dir, "one.jsonl");
        fs.writeFileSync(file, JSON.stringify(docs[0]) + "\n");
        assert.equal((await loadFiles([file], g.loader)).loaded, 1);
        const [unit] = units(0, 1);
        await g.loader.retract(unit!.source.id);
        const again = await loadFiles([file], g.loader);
        assert.equal(g.loader.stats.unchangedByInput, 0);
        assert.deepEqual({ replaced: again.replaced, unchanged: again.unchanged }, { replaced: 1, unchanged: 0 });
        const { records } = await g.driver.executeQuery("MATCH (s:Source {id: $id}) RETURN s.retractedAt IS NULL AS live, s.inputHash IS NOT NULL AS hashed", { id: unit!.source.id }, { database: DATABASE });
        assert.deepEqual(records[0]!.toObject(), { live: true, hashed: true });
        // The same document with its keys in another order: another input hash, the same content hash.
        const reordered = Object.fromEntries(Object.entries(docs[0]!).reverse());
        fs.writeFileSync(file, JSON.stringify(reordered) + "\n");
        const third = await loadFiles([file], g.loader);
        assert.deepEqual({ unchanged: third.unchanged, byInput: g.loader.stats.unchangedByInput }, { unchanged: 1, byInput: 0 });
        fs.writeFileSync(file, JSON.stringify(docs[0]) + "\n");
        assert.equal((await loadFiles([file], g.loader)).unchanged, 1);
        assert.equal(g.loader.stats.unchangedByInput, 1);
    });
});
