/**
 * For the extractor's tests: a sentence through the whole pipeline on the real CoreNLP server the test runner
 * provides (NLP_URL), as fact lines that accept any name or alias of each side.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../config.ts";
import type { FactsDocument } from "../model/facts-document.ts";
import { normalizeName } from "../model/normalize.ts";
import { CoreNlpClient } from "../nlp/client.ts";
import { Registry } from "../registry/Registry.ts";
import { extractDocument } from "./pipeline.ts";

let client: CoreNlpClient | undefined;
const registry = Registry.load();

export async function extractText(text: string, publishedAt?: string): Promise<FactsDocument> {
    const url = loadConfig().nlp.url;
    assert.ok(url, "NLP_URL must name a CoreNLP server (npm run test:unit provides one)");
    client ??= new CoreNlpClient(url, { timeoutMs: 120_000 });
    return extractDocument({ text, ...(publishedAt ? { publishedAt } : {}) }, registry, client);
}

export interface FactLine {
    s: Set<string>;
    p: string;
    o: Set<string>;
    certainty: string;
    claimedBy?: Set<string>;
    line: string;
}

export async function factsOf(text: string): Promise<FactLine[]> {
    const doc = await extractText(text);
    const names = new Map(doc.entities.map((e) => [e.id, new Set([e.name, ...e.aliases].map(normalizeName))]));
    const display = new Map(doc.entities.map((e) => [e.id, e.name]));
    return doc.facts.map((f) => ({
        s: names.get(f.subject)!,
        p: f.predicate,
        o: names.get(f.object)!,
        certainty: f.certainty,
        ...(f.claimedBy ? { claimedBy: names.get(f.claimedBy)! } : {}),
        line: `${display.get(f.subject)} ${f.predicate} ${display.get(f.object)} [${f.certainty}${f.claimedBy ? ` by ${display.get(f.claimedBy)}` : ""}]`,
    }));
}

/** The fact "S P O" if the lines have it. */
export function find(lines: FactLine[], s: string, p: string, o: string): FactLine | undefined {
    return lines.find((l) => l.p === p && l.s.has(normalizeName(s)) && l.o.has(normalizeName(o)));
}
