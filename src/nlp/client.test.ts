/**
 * The CoreNLP client against a real server: NLP_URL, provided by `npm run test:unit` / `npm run test:int`
 * (test/run-unit.ts starts the local runtime when NLP_URL is not set).
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { CoreNlpClient } from "./client.ts";
import { NlpRequestError, NlpUnavailableError } from "./errors.ts";
import { freePort } from "../neo4j/runtime/LocalNeo4j.ts";

const NLP_URL = process.env.NLP_URL;
if (!NLP_URL) throw new Error("NLP_URL is not set: run this through `npm run test:unit` (test/run-unit.ts provides a CoreNLP server), or set NLP_URL");
const client = new CoreNlpClient(NLP_URL, { timeoutMs: 120_000 });

describe("CoreNlpClient", () => {
    it("offsets index the JS string (UTF-16 code units), through accents, emoji and astral letters", async () => {
        const text = "Café owner Zoë 😀 said 𝒜PT-X hacked the Élysée in Zürich.\n\nThen 🇫🇷 France responded.";
        const doc = await client.annotate(text);
        assert.equal(doc.sentences.length, 2, "a blank line ends a sentence");
        const tokens = doc.sentences.flatMap((s) => s.tokens);
        assert.ok(tokens.some((t) => t.text === "Élysée"));
        assert.ok(tokens.some((t) => t.text === "Zürich"));
        for (const t of tokens) assert.equal(text.slice(t.begin, t.end), t.text, `token ${JSON.stringify(t.text)} at ${t.begin}-${t.end}`);
        for (const s of doc.sentences) assert.equal(text.slice(s.begin, s.end), text.slice(s.tokens[0]!.begin, s.tokens.at(-1)!.end));
        const france = tokens.find((t) => t.text === "France")!;
        assert.equal(france.begin, text.indexOf("France"));
    });

    it("gives lemmas, POS, the coarse NER labels (LOCATION, MISC, PERSON, ORGANIZATION, DATE) and both dependency graphs", async () => {
        const text = "Russian hackers from Moscow targeted Germany in March 2024, and John Smith of Microsoft said the attacks were ongoing.";
        const s = (await client.annotate(text)).sentences[0]!;
        const ner = (w: string) => s.tokens.find((t) => t.word === w)?.ner;
        // fine-grained NER is off (src/nlp/properties.ts): places are LOCATION, demonyms MISC
        assert.equal(ner("Russian"), "MISC");
        assert.equal(ner("Moscow"), "LOCATION");
        assert.equal(ner("Germany"), "LOCATION");
        assert.equal(ner("March"), "DATE");
        assert.equal(ner("Smith"), "PERSON");
        assert.equal(ner("Microsoft"), "ORGANIZATION");
        assert.equal(s.tokens.find((t) => t.word === "hackers")!.lemma, "hacker");
        assert.equal(s.tokens.find((t) => t.word === "targeted")!.pos, "VBD");
        // enhanced++ has relations the basic tree does not (e.g. a preposition in the relation name)
        assert.ok(s.deps.some((d) => d.dep.includes(":")), JSON.stringify(s.deps.map((d) => d.dep)));
        assert.ok(s.deps.length >= s.basic.length);
    });

    it("tokens split inside a word keep offsets into it (cannot → can + not)", async () => {
        const text = "The group cannot (APT29) be stopped.";
        const tokens = (await client.annotate(text)).sentences[0]!.tokens;
        const can = tokens.find((t) => t.word === "can")!;
        const not = tokens.find((t) => t.word === "not")!;
        assert.deepEqual([can.begin, can.end, not.begin, not.end], [10, 13, 13, 16]);
        assert.equal(not.lemma, "not");
        const paren = tokens.find((t) => t.text === "(")!;
        assert.equal(text.slice(paren.begin, paren.end), "(");
    });

    it("an aborted signal ends the request with a clear error", async () => {
        const controller = new AbortController();
        const pending = client.annotate("APT28 breached the Bundestag. ".repeat(400), { signal: controller.signal });
        setTimeout(() => controller.abort(), 20);
        await assert.rejects(pending, (e: unknown) => e instanceof NlpRequestError && e.reason === "aborted" && /aborted/.test(e.message));
        const already = AbortSignal.abort();
        await assert.rejects(client.annotate("x", { signal: already }));
    });

    it("the per-request timeout names the server and NLP_TIMEOUT_MS", async () => {
        const impatient = new CoreNlpClient(NLP_URL, { timeoutMs: 5 });
        await assert.rejects(impatient.annotate("APT28 breached the Bundestag. ".repeat(400)), (e: unknown) => e instanceof NlpRequestError && e.reason === "timeout" && e.message.includes("NLP_TIMEOUT_MS") && e.message.includes(NLP_URL));
    });

    it("an unreachable server gives one error saying how to start one", async () => {
        const url = `http://127.0.0.1:${await freePort()}`;
        await assert.rejects(new CoreNlpClient(url, { timeoutMs: 5000 }).annotate("text"), (e: unknown) => {
            assert.ok(e instanceof NlpUnavailableError);
            assert.match(e.message, new RegExp(`CoreNLP at ${url} did not answer: ECONNREFUSED; start it with \`npx cyberkg nlp start\` or fix NLP_URL`));
            return true;
        });
    });

    it("an answer without the annotations asked for (a default pipeline, not CoreNLP) is rejected, naming what is missing", async () => {
        const fake = http.createServer((req, res) => {
            req.resume();
            const body = req.url?.startsWith("/?properties=") ? { sentences: [{ index: 0, tokens: [{ index: 1, word: "x", originalText: "x", characterOffsetBegin: 0, characterOffsetEnd: 1 }] }] } : {};
            res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
        });
        await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
        try {
            const url = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
            await assert.rejects(new CoreNlpClient(url, { timeoutMs: 5000 }).annotate("x"), /answered without sentences\.0\.tokens\.0\.lemma .*must run the annotators tokenize,ssplit,pos,lemma,ner,depparse/);
        } finally {
            fake.close();
        }
    });

    it("a server error comes back with its status and reason", async () => {
        const fake = http.createServer((req, res) => {
            req.resume();
            res.writeHead(500).end("java.lang.RuntimeException: Input length 200001 exceeds the maximum of 100000\n\tat ...");
        });
        await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
        try {
            const url = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
            await assert.rejects(new CoreNlpClient(url, { timeoutMs: 5000 }).annotate("x"), /rejected the text \(HTTP 500\): java.lang.RuntimeException: Input length 200001 exceeds the maximum of 100000$/);
        } finally {
            fake.close();
        }
    });
});
