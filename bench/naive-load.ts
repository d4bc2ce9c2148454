/**
 * The naive baseline of `bench:load`: what a first script does — one write transaction per fact, plain MERGE by
 * id (with the same uniqueness constraints as cyberkg), no batching, no name resolution beyond an id per name.
 */
import { createHash } from "node:crypto";
import type { Driver } from "neo4j-driver";
import type { FactsDocumentInput } from "../src/model/facts-document.ts";
import { slugify } from "../src/model/normalize.ts";
import { PREDICATES, type Predicate } from "../src/model/vocabulary.ts";

// Types are interpolated only from the vocabulary (never from input), one statement per predicate.
const STATEMENTS = new Map<Predicate, string>(
    PREDICATES.map((p) => [
        p,
        `MERGE (a:Source {id: $article.id}) ON CREATE SET a:Article, a.title = $article.title, a.publishedAt = $article.publishedAt
         MERGE (s:Entity {id: $s.id}) ON CREATE SET s.name = $s.name, s.aliases = [] SET s:$($s.type)
         MERGE (o:Entity {id: $o.id}) ON CREATE SET o.name = $o.name, o.aliases = [] SET o:$($o.type)
         MERGE (c:Claim {id: $claim.id}) SET c += $claim
         MERGE (c)-[:SUBJECT]->(s)
         MERGE (c)-[:OBJECT]->(o)
         MERGE (c)-[:FROM]->(a)
         MERGE (s)-[r:${p}]->(o) SET r.claimCount = coalesce(r.claimCount, 0) + 1`,
    ]),
);

export interface NaiveFact {
    article: { id: string; title: string; publishedAt?: string };
    s: { id: string; name: string; type: string };
    o: { id: string; name: string; type: string };
    predicate: Predicate;
    claim: Record<string, string | number>;
}

/** The first `limit` facts of the documents, each with everything its transaction needs. */
export function naiveFacts(docs: Iterable<FactsDocumentInput>, limit: number): NaiveFact[] {
    const facts: NaiveFact[] = [];
    for (const doc of docs) {
        const entities = new Map(doc.entities.map((e) => [e.id, { id: `${e.type}:${slugify(e.name)}`, name: e.name, type: e.type }]));
        const article = { id: doc.article.id!, title: doc.article.title, ...(doc.article.publishedAt ? { publishedAt: doc.article.publishedAt } : {}) };
        for (const f of doc.facts) {
            if (facts.length >= limit) return facts;
            const s = entities.get(f.subject)!;
            const o = entities.get(f.object)!;
            const id = "claim:" + createHash("sha256").update(`${article.id}|${s.id}|${f.predicate}|${o.id}`).digest("hex").slice(0, 24);
            facts.push({ article, s, o, predicate: f.predicate, claim: { id, predicate: f.predicate, certainty: f.certainty ?? "asserted", evidence: f.evidence?.text ?? "" } });
        }
    }
    return facts;
}

export async function naiveLoad(driver: Driver, facts: NaiveFact[], database = "neo4j"): Promise<void> {
    const session = driver.session({ database });
    try {
        for (const f of facts) await session.executeWrite((tx) => tx.run(STATEMENTS.get(f.predicate)!, { article: f.article, s: f.s, o: f.o, claim: f.claim }));
    } finally {
        await session.close();
    }
}
