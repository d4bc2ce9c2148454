import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Registry } from "../registry/Registry.ts";
import { FactsDocumentSchema } from "../model/facts-document.ts";
import { compareAttributes, compareDocuments, listCorpus, numbersOnly, readCorpusArticle, runCorpus, scoreCorpus, type Doc } from "./evaluate.ts";

// Corpus scores are reported by `npm run eval:extract`, not gated here: these tests check the scoring itself.

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

test("matching is one-to-one: a repeated prediction is a false fact", () => {
    const doc: Doc = {
        entities: [
            { id: "a", type: "ThreatActor", name: "APT31", aliases: [] },
            { id: "s", type: "Sector", name: "energy", aliases: [] },
        ],
        facts: [{ subject: "a", predicate: "TARGETED", object: "s" }],
    };
    const predicted: Doc = { ...doc, facts: [doc.facts[0]!, { ...doc.facts[0]! }] };
    const r = compareDocuments(predicted, doc);
    assert.deepEqual(r.matched, [[0, 0]]);
    assert.deepEqual(r.falseFacts, [1]);
});

// A small gold document with three facts: one asserted without claimant, one alleged by the NCSC, one likely by the NCSC.
const entities: Doc["entities"] = [
    { id: "actor:apt31", type: "ThreatActor", name: "APT31", aliases: ["Zirconium"] },
    { id: "state:cn", type: "State", name: "China", aliases: [] },
    { id: "org:ncsc", type: "Organization", name: "National Cyber Security Centre", aliases: ["NCSC"] },
    { id: "org:fbi", type: "Organization", name: "Federal Bureau of Investigation", aliases: ["FBI"] },
    { id: "org:pol", type: "Organization", name: "UK politicians", aliases: [] },
    { id: "sector:energy", type: "Sector", name: "energy", aliases: [] },
];
const gold: Doc = {
    entities,
    facts: [
        { subject: "actor:apt31", predicate: "AFFILIATED_WITH", object: "state:cn" },
        { subject: "actor:apt31", predicate: "TARGETED", object: "org:pol", certainty: "alleged", claimedBy: "org:ncsc" },
        { subject: "actor:apt31", predicate: "TARGETED", object: "sector:energy", certainty: "likely", claimedBy: "org:ncsc" },
    ],
};
// The prediction uses other ids and an alias for the claimant.
const predictedEntities: Doc["entities"] = [
    { id: "x1", type: "ThreatActor", name: "Zirconium", aliases: [] },
    { id: "x2", type: "State", name: "CHINA", aliases: [] },
    { id: "x3", type: "Organization", name: "NCSC", aliases: [] },
    { id: "x4", type: "Organization", name: "FBI", aliases: [] },
    { id: "x5", type: "Organization", name: "UK Politicians", aliases: [] },
    { id: "x6", type: "Sector", name: "Energy", aliases: [] },
];

test("certainty agreement: the share of matched facts whose certainty equals the gold's (absent = asserted)", () => {
    const predicted: Doc = {
        entities: predictedEntities,
        facts: [
            { subject: "x1", predicate: "AFFILIATED_WITH", object: "x2", certainty: "asserted" }, // gold absent = asserted: agrees
            { subject: "x1", predicate: "TARGETED", object: "x5", certainty: "asserted", claimedBy: "x3" }, // gold alleged: disagrees
            { subject: "x1", predicate: "TARGETED", object: "x6", certainty: "likely", claimedBy: "x3" }, // agrees
            { subject: "x1", predicate: "COMPROMISED", object: "x6", certainty: "alleged" }, // unmatched: not counted
        ],
    };
    const r = scoreCorpus([{ name: "t", predicted, gold }]);
    assert.equal(r.overall.tp, 3);
    assert.equal(r.overall.fp, 1);
    assert.deepEqual(r.certainty, { agree: 2, total: 3, rate: 2 / 3 });
    assert.deepEqual(
        r.articles[0]!.certaintyMismatches.map((m) => [m.object, m.predicted, m.gold]),
        [["UK Politicians", "asserted", "alleged"]],
    );
});

test("claimant accuracy: over matched facts with a claimant on either side; entities match by name/alias", () => {
    const predicted: Doc = {
        entities: predictedEntities,
        facts: [
            { subject: "x1", predicate: "AFFILIATED_WITH", object: "x2", claimedBy: "x4" }, // gold has none, prediction has one: wrong
            { subject: "x1", predicate: "TARGETED", object: "x5", certainty: "alleged", claimedBy: "x3" }, // NCSC = National Cyber Security Centre: right
            { subject: "x1", predicate: "TARGETED", object: "x6", certainty: "likely" }, // gold has NCSC, prediction none: wrong
        ],
    };
    const r = scoreCorpus([{ name: "t", predicted, gold }]);
    assert.deepEqual(r.claimant, { agree: 1, total: 3, rate: 1 / 3 });
    assert.deepEqual(
        r.articles[0]!.claimantMismatches.map((m) => [m.object, m.predicted, m.gold]),
        [
            ["CHINA", "FBI", "(none)"],
            ["Energy", "(none)", "National Cyber Security Centre"],
        ],
    );
    // A fact without a claimant on either side is not counted; a wrong claimant entity is wrong.
    const other: Doc = {
        entities: predictedEntities,
        facts: [
            { subject: "x1", predicate: "AFFILIATED_WITH", object: "x2" },
            { subject: "x1", predicate: "TARGETED", object: "x5", certainty: "alleged", claimedBy: "x4" },
        ],
    };
    const a = compareAttributes(other, gold, compareDocuments(other, gold).matched);
    assert.deepEqual(a.claimant, { agree: 0, total: 1, rate: 0 });
    // A claimedBy naming no entity of its document matches nothing.
    const dangling: Doc = { entities: predictedEntities, facts: [{ subject: "x1", predicate: "TARGETED", object: "x5", claimedBy: "org:ncsc" }] };
    assert.equal(compareAttributes(dangling, gold, compareDocuments(dangling, gold).matched).claimant.agree, 0);
});

test("date agreement: over matched facts with a date on either side, both ends equal", () => {
    const dated: Doc = {
        entities,
        facts: [
            { subject: "actor:apt31", predicate: "AFFILIATED_WITH", object: "state:cn" },
            { subject: "actor:apt31", predicate: "TARGETED", object: "org:pol", validFrom: "2021" },
            { subject: "actor:apt31", predicate: "TARGETED", object: "sector:energy", validFrom: "2021-03", validTo: "2022" },
        ],
    };
    const predicted: Doc = {
        entities: predictedEntities,
        facts: [
            { subject: "x1", predicate: "AFFILIATED_WITH", object: "x2", validFrom: "2020" }, // gold has none: wrong
            { subject: "x1", predicate: "TARGETED", object: "x5", validFrom: "2021" }, // right
            { subject: "x1", predicate: "TARGETED", object: "x6", validFrom: "2021-03" }, // no validTo: wrong
        ],
    };
    const r = scoreCorpus([{ name: "t", predicted, gold: dated }]);
    assert.deepEqual(r.dates, { agree: 1, total: 3, rate: 1 / 3 });
    assert.deepEqual(
        r.articles[0]!.dateMismatches.map((m) => [m.object, m.predicted, m.gold]),
        [
            ["CHINA", "2020..", "(none)"],
            ["Energy", "2021-03..", "2021-03..2022"],
        ],
    );
    // no date on either side is not counted
    assert.deepEqual(scoreCorpus([{ name: "t", predicted: { entities: predictedEntities, facts: [] }, gold }]).dates, { agree: 0, total: 0, rate: null });
});

test("certainty and claimant sum over articles; nothing matched gives rate null", () => {
    const predicted: Doc = { entities: predictedEntities, facts: [{ subject: "x1", predicate: "TARGETED", object: "x5", certainty: "alleged", claimedBy: "x3" }] };
    const empty: Doc = { entities: [], facts: [] };
    const r = scoreCorpus([
        { name: "a", predicted, gold },
        { name: "b", predicted: empty, gold },
    ]);
    assert.deepEqual(r.certainty, { agree: 1, total: 1, rate: 1 });
    assert.deepEqual(r.claimant, { agree: 1, total: 1, rate: 1 });
    assert.equal(r.overall.fn, 5);
    assert.equal(r.articleCount, 2);
    const none = scoreCorpus([{ name: "b", predicted: empty, gold }]);
    assert.equal(none.certainty.rate, null);
    assert.equal(none.claimant.rate, null);
    assert.equal(none.overall.recall, 0);
});

test("numbersOnly keeps the figures and drops every per-article error list", () => {
    const r = scoreCorpus([{ name: "t", predicted: { entities: [], facts: [] }, gold }]);
    const n = numbersOnly(r);
    assert.equal("articles" in n, false);
    assert.equal(n.overall.fn, 3);
    assert.equal(JSON.stringify(n).includes("UK politicians"), false);
});

function writePair(dir: string, name: string, doc: object): void {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.txt`), `Title ${name}\n\nAPT31 targeted UK politicians.\n`);
    writeFileSync(join(dir, `${name}.facts.json`), JSON.stringify(doc));
}
const goldFile = (id: string) => ({ article: { id, title: id }, ...gold });

test("split listing: dev/ and the shared texts with gold/ are dev, heldout/ is held-out; texts without gold are skipped", () => {
    const root = mkdtempSync(join(tmpdir(), "cyberkg-corpus-"));
    try {
        writePair(join(root, "dev"), "01-a", goldFile("01-a"));
        writePair(join(root, "dev"), "cn-01-b", goldFile("cn-01-b"));
        writeFileSync(join(root, "dev", "ru-09-no-gold.txt"), "Title\n\nText.\n");
        writePair(join(root, "heldout"), "ir-01-c", goldFile("ir-01-c"));
        mkdirSync(join(root, "gold"));
        writeFileSync(join(root, "gold", "src_1.facts.json"), JSON.stringify(goldFile("src_1")));
        const shared = join(root, "elsewhere");
        mkdirSync(shared);
        writeFileSync(join(shared, "src_1.txt"), "Body only.\n");
        writeFileSync(join(shared, "src_2.txt"), "No gold for this one.\n");
        const sharedTexts = [join(shared, "src_1.txt"), join(shared, "src_2.txt")];

        const all = listCorpus({ root, shared: sharedTexts });
        assert.deepEqual(
            all.map((i) => `${i.split}:${i.name}`),
            ["dev:01-a", "dev:cn-01-b", "dev:src_1", "heldout:ir-01-c"],
        );
        assert.equal(all.find((i) => i.name === "src_1")!.goldPath, join(root, "gold", "src_1.facts.json"));
        assert.deepEqual(
            listCorpus({ root, shared: sharedTexts, splits: ["heldout"] }).map((i) => i.name),
            ["ir-01-c"],
        );
        assert.deepEqual(
            listCorpus({ root, shared: sharedTexts, splits: ["dev"] }).map((i) => i.name),
            ["01-a", "cn-01-b", "src_1"],
        );
    } finally {
        rmSync(root, { recursive: true, force: true });
    }
});

test("runCorpus scores each split separately, records failed extractions, and rejects a bad gold file by name", async () => {
    const root = mkdtempSync(join(tmpdir(), "cyberkg-corpus-"));
    try {
        writePair(join(root, "dev"), "01-a", goldFile("01-a"));
        writePair(join(root, "heldout"), "h-01", goldFile("h-01"));
        writePair(join(root, "heldout"), "h-02", goldFile("h-02"));
        const items = listCorpus({ root, shared: [] });
        const perfect = (): Doc => gold;
        const { reports, failures } = await runCorpus(
            items,
            async (_input, item) => {
                await new Promise((r) => setTimeout(r, item.name === "01-a" ? 30 : 1)); // finishes last: order must still hold
                if (item.name === "h-02") throw new Error("NLP timed out");
                return perfect();
            },
            { concurrency: 2 },
        );
        assert.equal(reports.dev!.articleCount, 1);
        assert.equal(reports.dev!.overall.f1, 1);
        assert.equal(reports.heldout!.articleCount, 2);
        assert.deepEqual([reports.heldout!.overall.tp, reports.heldout!.overall.fn], [3, 3]);
        assert.deepEqual(failures, [{ name: "h-02", split: "heldout", error: "NLP timed out" }]);

        writeFileSync(join(root, "dev", "01-a.facts.json"), JSON.stringify({ article: { title: "x" }, entities: [], facts: [{ subject: "a", predicate: "HACKED", object: "b" }] }));
        await assert.rejects(
            runCorpus(listCorpus({ root, shared: [], splits: ["dev"] }), perfect),
            (err: Error) => err.message.includes("01-a.facts.json") && err.message.includes("HACKED"),
        );
    } finally {
        rmSync(root, { recursive: true, force: true });
    }
});

test("every gold document of the corpus validates against the schema", () => {
    const items = listCorpus();
    assert.ok(items.some((i) => i.split === "dev"), "expected dev articles in test/fixtures/articles/dev");
    for (const it of items) {
        const r = FactsDocumentSchema.safeParse(JSON.parse(readFileSync(it.goldPath, "utf8")));
        assert.ok(r.success, `${it.goldPath}: ${r.success ? "" : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    }
});

test("every extracted dev document validates against the schema and loads as a facts document", async () => {
    const { extractDocument } = await import("./pipeline.ts");
    const { CoreNlpClient } = await import("../nlp/client.ts");
    const { loadConfig } = await import("../config.ts");
    const url = loadConfig().nlp.url;
    assert.ok(url, "NLP_URL must name a CoreNLP server (npm run test:unit provides one)");
    const nlp = new CoreNlpClient(url, { timeoutMs: 120_000 });
    const registry = Registry.load();
    let facts = 0;
    for (const it of listCorpus({ splits: ["dev"] })) {
        const doc = FactsDocumentSchema.parse(await extractDocument(readCorpusArticle(it), registry, nlp));
        facts += doc.facts.length;
    }
    assert.ok(facts > 100, `expected the dev corpus to give facts, got ${facts}`);
});
