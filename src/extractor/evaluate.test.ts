import { test } from "node:test";
import assert from "node:assert/strict";
import { Registry } from "../registry/Registry.ts";
import { FactsDocumentSchema } from "../model/facts-document.ts";
import { compareDocuments, evaluateCorpus, listCorpus, scoreCorpus } from "./evaluate.ts";

/**
 * The corpus score must not regress. Thresholds are the achieved scores minus a small margin;
 * raise them when the extractor improves.
 */
const MIN_PRECISION = 0.95;
const MIN_F1 = 0.865;

test("corpus: precision and F1 do not regress", () => {
    const items = listCorpus();
    assert.ok(items.length >= 5, `expected the annotated corpus in test/fixtures/articles, found ${items.length} articles`);
    const report = evaluateCorpus(Registry.load(), items);
    const o = report.overall;
    assert.ok(o.precision >= MIN_PRECISION, `precision ${o.precision.toFixed(3)} < ${MIN_PRECISION}`);
    assert.ok(o.f1 >= MIN_F1, `F1 ${o.f1.toFixed(3)} < ${MIN_F1}`);
});

test("matching: by id or by any normalised name/alias on either side", () => {
    const gold = {
        entities: [
            { id: "org:ofac", type: "Organization" as const, name: "Office of Foreign Assets Control", aliases: ["OFAC"] },
            { id: "person:x", type: "Person" as const, name: "Ni Gaobin", aliases: [] },
        ],
        facts: [{ subject: "org:ofac", predicate: "SANCTIONED" as const, object: "person:x" }],
    };
    const predicted = {
        entities: [
            { id: "org:something", type: "Organization" as const, name: "O.F.A.C.", aliases: [] },
            { id: "person:ni", type: "Person" as const, name: "NI GAOBIN", aliases: [] },
        ],
        facts: [
            { subject: "org:something", predicate: "SANCTIONED" as const, object: "person:ni" },
            { subject: "org:something", predicate: "CHARGED" as const, object: "person:ni" },
        ],
    };
    const r = compareDocuments(predicted, gold);
    assert.equal(r.matched.length, 1);
    assert.deepEqual(r.falseFacts, [1]);
    assert.deepEqual(r.misses, []);
    const s = scoreCorpus([{ name: "t", predicted, gold }]);
    assert.equal(s.overall.precision, 0.5);
    assert.equal(s.overall.recall, 1);
    assert.equal(s.perPredicate.SANCTIONED?.f1, 1);
});

test("every extracted corpus document validates against the schema", async () => {
    const { readFileSync } = await import("node:fs");
    const { extractArticle } = await import("./extract.ts");
    const { parseArticle } = await import("./text.ts");
    const registry = Registry.load();
    for (const it of listCorpus()) {
        const doc = extractArticle(parseArticle(readFileSync(it.textPath, "utf8"), ".txt"), registry);
        FactsDocumentSchema.parse(doc);
    }
});
