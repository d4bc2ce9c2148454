/**
 * Every example sentence of every pattern file, through the whole pipeline on the real CoreNLP server
 * (NLP_URL, provided by test/run-unit.ts): the facts it lists must come out, and nothing else.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { normalizeName } from "../model/normalize.ts";
import { loadPatternBook, parseExample, PATTERN_DIR } from "./patterns.ts";
import { factsOf } from "./testing.ts";

const book = loadPatternBook();

test("the pattern files are valid and every pattern has an example", () => {
    assert.ok(book.patterns.length >= 30, `expected the pattern book, got ${book.patterns.length} patterns`);
    for (const p of book.patterns) assert.ok(p.examples.length > 0, p.id);
});

test("a malformed pattern file is refused with its file, pattern and field", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "patterns-"));
    fs.copyFileSync(path.join(PATTERN_DIR, "words.yaml"), path.join(dir, "words.yaml"));
    fs.writeFileSync(path.join(dir, "bad.yaml"), "- id: bad.one\n  kind: verb\n  lemmas: [hack]\n  predicate: HACKED\n  examples: [\"x =>\"]\n");
    assert.throws(() => loadPatternBook(dir), /bad\.yaml: \[0\] \(bad\.one\)\.predicate/);
    fs.writeFileSync(path.join(dir, "bad.yaml"), "- id: bad.one\n  kind: verb\n  lemmas: [hack]\n  predicate: COMPROMISED\n  examples: []\n");
    assert.throws(() => loadPatternBook(dir), /bad\.yaml: \[0\] \(bad\.one\)\.examples: every pattern needs at least one example/);
});

for (const p of book.patterns) {
    for (const example of p.examples) {
        test(`${p.id}: ${example}`, async () => {
            const { text, facts: expected } = parseExample(example);
            const got = await factsOf(text);
            const matches = (e: (typeof expected)[number], g: (typeof got)[number]) => g.p === e.predicate && g.s.has(normalizeName(e.subject)) && g.o.has(normalizeName(e.object)) && (!e.certainty || g.certainty === e.certainty);
            const missing = expected.filter((e) => !got.some((g) => matches(e, g)));
            const extra = got.filter((g) => !expected.some((e) => matches(e, g)));
            assert.deepEqual(
                { missing: missing.map((e) => `${e.subject} ${e.predicate} ${e.object}${e.certainty ? ` [${e.certainty}]` : ""}`), extra: extra.map((g) => g.line) },
                { missing: [], extra: [] },
                `"${text}" gave:\n  ${got.map((g) => g.line).join("\n  ") || "(nothing)"}`,
            );
        });
    }
}
