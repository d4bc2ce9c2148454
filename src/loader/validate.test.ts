/**
 * Hostile-input limits (issue 12): each is refused by validation — before anything could be written — with the
 * field and the reason; names with lone surrogates, NUL or control characters are refused, never replaced.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { ValidationError } from "../errors.ts";
import { DOCUMENT_LIMITS } from "../model/facts-document.ts";
import { readDocuments } from "./read-documents.ts";
import { validateDocument } from "./validate.ts";

const base = () => ({
    article: { id: "article:limits", title: "Limits", text: "APT99 targeted Energy." },
    entities: [
        { id: "a", type: "ThreatActor", name: "APT99", aliases: [] as string[] },
        { id: "s", type: "Sector", name: "Energy", aliases: [] as string[] },
    ],
    facts: [{ subject: "a", predicate: "TARGETED", object: "s" }] as unknown[],
});

function rejects(value: unknown, path: string, reason: RegExp) {
    try {
        validateDocument(value, "doc.json");
    } catch (error) {
        assert.ok(error instanceof ValidationError, String(error));
        const issue = error.issues.find((i) => i.path === path);
        assert.ok(issue, `no issue at '${path}': ${error.message}`);
        assert.match(issue.message, reason);
        assert.match(error.message, /^doc\.json: /);
        return;
    }
    assert.fail(`accepted: ${JSON.stringify(value).slice(0, 200)}`);
}

describe("document limits", () => {
    it("accepts the base document", () => {
        assert.equal(validateDocument(base(), "doc.json").entities.length, 2);
    });
    it("refuses null, arrays and scalars as a document with a clear message", () => {
        for (const [value, what] of [[null, "null"], [[], "an array"], ["x", "string"], [3, "number"]] as const) rejects(value, "", new RegExp(`must be a JSON object, got ${what}`));
    });
    it("refuses an 8 KB entity name and an over-long alias, naming the field", () => {
        rejects({ ...base(), entities: [{ ...base().entities[0], name: "A".repeat(8192) }, base().entities[1]] }, "entities[0].name", /longer than 300 characters/);
        rejects({ ...base(), entities: [{ ...base().entities[0], aliases: ["ok", "B".repeat(301)] }, base().entities[1]] }, "entities[0].aliases[1]", /longer than 300/);
        assert.doesNotThrow(() => validateDocument({ ...base(), entities: [{ ...base().entities[0], name: "A".repeat(300) }, base().entities[1]] }, "doc.json"));
    });
    it("refuses 100k facts at once, before looking at any of them", () => {
        const facts = Array.from({ length: 100_000 }, () => ({ subject: "a", predicate: "TARGETED", object: "s" }));
        const start = performance.now();
        rejects({ ...base(), facts }, "facts", /100000 facts is more than the limit of 5000/);
        assert.ok(performance.now() - start < 2000, "the limit check walked the facts");
        rejects({ ...base(), entities: Array.from({ length: DOCUMENT_LIMITS.maxEntities + 1 }, (_, i) => ({ id: `e${i}`, type: "Sector", name: `S${i}` })) }, "entities", /entities is more than the limit/);
    });
    it("refuses an over-long article text and an over-sized document", () => {
        rejects({ ...base(), article: { ...base().article, text: "x".repeat(DOCUMENT_LIMITS.maxArticleTextLength + 1) } }, "article.text", /longer than/);
        rejects({ ...base(), article: { ...base().article, padding: "x".repeat(DOCUMENT_LIMITS.maxDocumentBytes) } }, "", /bytes is more than the limit/);
    });
    it("refuses lone surrogates, NUL and control characters in names instead of replacing them", () => {
        rejects({ ...base(), entities: [{ ...base().entities[0], name: "APT\uD83D99" }, base().entities[1]] }, "entities[0].name", /lone UTF-16 surrogate U\+D83D at character 3/);
        rejects({ ...base(), entities: [{ ...base().entities[0], name: "APT\u000099" }, base().entities[1]] }, "entities[0].name", /control character U\+0000/);
        rejects({ ...base(), entities: [{ ...base().entities[0], aliases: ["A\u0007"] }, base().entities[1]] }, "entities[0].aliases[0]", /U\+0007/);
        rejects({ ...base(), article: { ...base().article, title: "T\uDC00" } }, "article.title", /surrogate/);
        // Paired surrogates (an emoji), other scripts and newlines in article text are fine.
        const ok = validateDocument({ ...base(), article: { ...base().article, text: "APT99 targeted Energy.\n\tMore 🙂." }, entities: [{ ...base().entities[0], name: "АРТ99 🙂 Ünï" }, base().entities[1]] }, "doc.json");
        assert.equal(ok.entities[0]!.name, "АРТ99 🙂 Ünï");
    });
});

describe("reading files: invalid UTF-8 is an error for that document, never U+FFFD", () => {
    it("names the line and byte; the other lines still read", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-utf8-"));
        const jsonl = path.join(dir, "docs.jsonl");
        fs.writeFileSync(jsonl, Buffer.concat([Buffer.from('{"a":1}\r\n{"b":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n\n{"c":"é"}')]));
        const json = path.join(dir, "doc.json");
        fs.writeFileSync(json, Buffer.concat([Buffer.from('{"title":"x'), Buffer.from([0xc3]), Buffer.from('"}')]));
        const items = [];
        for await (const item of readDocuments([jsonl, json])) items.push(item);
        assert.deepEqual(items, [
            { source: `${jsonl}:1`, value: { a: 1 } },
            { source: `${jsonl}:2`, error: "is not valid UTF-8 (first bad byte at offset 6 of the line)" },
            { source: `${jsonl}:4`, value: { c: "é" } },
            { source: json, error: "is not valid UTF-8 (first bad byte at offset 11)" },
        ]);
    });
    it("a JSON syntax error names the line and column (JSON file) or the column (JSON lines)", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-json-"));
        const json = path.join(dir, "doc.json");
        fs.writeFileSync(json, '{\n  "title": "x",\n  "text": "y"\n  "facts": []\n}');
        const jsonl = path.join(dir, "docs.jsonl");
        fs.writeFileSync(jsonl, '{"a":1}\n{"b" 2}\n');
        const items = [];
        for await (const item of readDocuments([json, jsonl])) items.push(item);
        assert.match(items[0]!.error ?? "", /^invalid JSON at line 4, column 3: Expected ',' or '\}' after property value$/);
        assert.match(items[2]!.error ?? "", /^invalid JSON at column 6: Expected .:. after property name$/);
        assert.equal(items[2]!.source, `${jsonl}:2`);
    });
    it("refuses a file above the document size limit without reading it", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-big-"));
        const file = path.join(dir, "big.json");
        fs.writeFileSync(file, `{"pad":"${"x".repeat(DOCUMENT_LIMITS.maxDocumentBytes)}"}`);
        const items = [];
        for await (const item of readDocuments([file])) items.push(item);
        assert.equal(items.length, 1);
        assert.match(items[0]!.error ?? "", /bytes is more than the limit of 10000000 bytes/);
    });
    it("cyberkg load --dry-run reports a 100k-fact document as over the limit", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-100k-"));
        const file = path.join(dir, "huge.json");
        fs.writeFileSync(file, JSON.stringify({ ...base(), facts: Array.from({ length: 100_000 }, () => ({ subject: "a", predicate: "TARGETED", object: "s" })) }));
        let output = "";
        try {
            execFileSync(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "../cli/index.ts"), "load", "--dry-run", file], { encoding: "utf8", stdio: "pipe", env: { ...process.env, NEO4J_URI: "bolt://127.0.0.1:1", NEO4J_PASSWORD: "unused-password" } });
        } catch (error) {
            output = String((error as { stderr?: string }).stderr) + String((error as { stdout?: string }).stdout);
        }
        assert.match(output, /huge\.json: facts: 100000 facts is more than the limit of 5000/);
    });
});
