import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { REPO_ROOT } from "../config.ts";
import { FactsDocumentSchema } from "./facts-document.ts";
import { factsJsonSchema } from "./json-schema.ts";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const committed = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "facts.schema.json"), "utf8"));
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
const validateJsonSchema = ajv.compile(committed);

const valid = {
    article: { id: "t1", title: "Test", publishedAt: "2024-03", text: "APT99 targeted Examplestan." },
    entities: [
        { id: "a", type: "ThreatActor", name: "APT99", aliases: [] },
        { id: "s", type: "State", name: "Examplestan", code: "EX", aliases: [] },
    ],
    facts: [{ subject: "a", predicate: "TARGETED", object: "s", certainty: "alleged", validFrom: "2021", evidence: { text: "APT99 targeted Examplestan.", start: 0, end: 27 } }],
};

function mutate(change: (doc: any) => void): unknown {
    const doc = structuredClone(valid);
    change(doc);
    return doc;
}

/** Broken in ways JSON Schema can express: both validators must reject them. */
const structurallyInvalid: Record<string, unknown> = {
    "unknown predicate": mutate((d) => (d.facts[0].predicate = "HACKED")),
    "unknown certainty": mutate((d) => (d.facts[0].certainty = "maybe")),
    "bad partial date": mutate((d) => (d.facts[0].validFrom = "21/03/2021")),
    "wrong JSON type": mutate((d) => (d.entities[0].aliases = "APT-99")),
    "missing title": mutate((d) => delete d.article.title),
    "unknown entity type": mutate((d) => (d.entities[0].type = "Malware")),
    "unknown field": mutate((d) => (d.facts[0].source = "x")),
    "confidence above 1": mutate((d) => (d.facts[0].confidence = 1.5)),
    "lower-case country code": mutate((d) => (d.entities[1].code = "ex")),
};

/** Broken across fields: only the zod validator (what the loader runs) can see these. */
const referentiallyInvalid: Record<string, [unknown, RegExp]> = {
    "dangling entity id": [mutate((d) => (d.facts[0].object = "nobody")), /no entity with id 'nobody'/],
    "type rule broken": [mutate((d) => (d.facts[0].predicate = "MEMBER_OF")), /subject is a ThreatActor, but the rule is MEMBER_OF: Person/],
    "evidence offsets off": [mutate((d) => (d.facts[0].evidence.end = 10)), /evidence text does not match/],
    "impossible date": [mutate((d) => (d.facts[0].validFrom = "2023-02-30")), /not a real calendar date/],
};

describe("facts document: zod validator and published JSON Schema", () => {
    it("keeps facts.schema.json in sync with the zod schema (run `npm run schema:json`)", () => {
        assert.deepEqual(committed, JSON.parse(JSON.stringify(factsJsonSchema())));
    });

    it("accepts a valid document in both", () => {
        assert.equal(FactsDocumentSchema.safeParse(valid).success, true);
        assert.equal(validateJsonSchema(valid), true, JSON.stringify(validateJsonSchema.errors));
    });

    it("accepts the demo data in both", () => {
        const dir = path.join(REPO_ROOT, "data", "articles");
        for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
            const doc = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
            assert.equal(FactsDocumentSchema.safeParse(doc).success, true, file);
            assert.equal(validateJsonSchema(doc), true, `${file}: ${JSON.stringify(validateJsonSchema.errors)}`);
        }
    });

    it("accepts the README's complete example in both", () => {
        const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
        const block = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.includes('"$schema": "./facts.schema.json"'));
        assert.ok(block, "README has a JSON facts-document example");
        const doc = JSON.parse(block);
        const parsed = FactsDocumentSchema.safeParse(doc);
        assert.equal(parsed.success, true, JSON.stringify(parsed.error?.issues));
        assert.equal(validateJsonSchema(doc), true, JSON.stringify(validateJsonSchema.errors));
    });

    for (const [name, doc] of Object.entries(structurallyInvalid)) {
        it(`rejects a document with ${name} in both`, () => {
            assert.equal(FactsDocumentSchema.safeParse(doc).success, false);
            assert.equal(validateJsonSchema(doc), false);
        });
    }

    for (const [name, [doc, message]] of Object.entries(referentiallyInvalid)) {
        it(`rejects a document with ${name}, naming the rule`, () => {
            const result = FactsDocumentSchema.safeParse(doc);
            assert.equal(result.success, false);
            assert.match(result.error!.issues.map((i) => i.message).join("\n"), message);
        });
    }
});
