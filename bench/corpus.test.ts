import assert from "node:assert/strict";
import { test } from "node:test";
import { FactsDocumentSchema } from "../src/model/facts-document.ts";
import { PREDICATES } from "../src/model/vocabulary.ts";
import { Registry } from "../src/registry/Registry.ts";
import { generateCorpus } from "./corpus.ts";

const registry = Registry.load();
const docs = [...generateCorpus(registry, { documents: 600, seed: 3 })];

test("every generated document is a valid facts document", () => {
    for (const doc of docs) {
        const parsed = FactsDocumentSchema.safeParse(doc);
        assert.ok(parsed.success, `${doc.article.id}: ${parsed.success ? "" : JSON.stringify(parsed.error.issues.slice(0, 3))}`);
    }
});

test("the same seed gives the same corpus, another seed another one", () => {
    const again = [...generateCorpus(registry, { documents: 600, seed: 3 })];
    assert.equal(JSON.stringify(again), JSON.stringify(docs));
    const other = [...generateCorpus(registry, { documents: 600, seed: 4 })];
    assert.notEqual(JSON.stringify(other), JSON.stringify(docs));
});

test("the corpus has the shape of real reporting", () => {
    const facts = docs.flatMap((d) => d.facts);
    const counts = docs.map((d) => d.facts.length);
    assert.ok(Math.min(...counts) >= 5 && Math.max(...counts) <= 20, `facts per document ${Math.min(...counts)}–${Math.max(...counts)}`);
    assert.deepEqual(new Set(facts.map((f) => f.predicate)), new Set(PREDICATES), "all predicates");
    // Hubs: China in a large share of documents; a long tail of names seen once.
    const docsNaming = new Map<string, number>();
    for (const d of docs) for (const e of d.entities) docsNaming.set(`${e.type}:${e.name}`, (docsNaming.get(`${e.type}:${e.name}`) ?? 0) + 1);
    assert.ok(docsNaming.get("State:China")! > docs.length * 0.3, `China in ${docsNaming.get("State:China")} of ${docs.length} documents`);
    const once = [...docsNaming].filter(([k, n]) => n === 1 && /^(Person|Organization):/.test(k)).length;
    assert.ok(once > docs.length, `${once} people and companies named once`);
    // Alias variants: registry aliases and long-tail entities carrying their full name as an alias.
    assert.ok(docs.some((d) => d.entities.some((e) => e.name === "Zirconium" || e.name === "Judgment Panda")), "an APT31 alias");
    assert.ok(docs.some((d) => d.entities.some((e) => e.type === "Person" && (e.aliases ?? []).length === 1)), "a person named by a variant");
    // The same sentence in several documents (a story several outlets tell).
    const sentences = new Map<string, Set<string>>();
    for (const d of docs) for (const f of d.facts) sentences.set(f.evidence!.text, (sentences.get(f.evidence!.text) ?? new Set()).add(d.article.id!));
    assert.ok([...sentences.values()].filter((s) => s.size > 1).length > 100, "facts repeated across documents");
    const years = new Set(docs.map((d) => String(d.article.publishedAt).slice(0, 4)));
    assert.ok(years.has("2011") && years.has("2025") && years.size === 15, [...years].sort().join(","));
    // Reloads: an article id again, with other facts.
    const byId = new Map<string, string[]>();
    for (const d of docs) byId.set(d.article.id!, [...(byId.get(d.article.id!) ?? []), JSON.stringify(d.facts)]);
    const reloads = [...byId.values()].filter((v) => v.length > 1);
    assert.ok(reloads.length >= 5, `${reloads.length} reloaded articles`);
    assert.ok(reloads.every((v) => new Set(v).size === v.length), "a reload changes the facts");
});
