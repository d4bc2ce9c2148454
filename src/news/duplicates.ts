/**
 * Copies of articles already in the graph, found before extraction through two indexes (never a scan of the
 * stored bodies): `article_text_hash` for identical normalised bodies and the `article_bands` full-text index
 * of MinHash band tokens for near-identical ones (src/model/fingerprint.ts has the rule and the threshold).
 *
 * A copy is never a second :Source: the original article records it — `urls` (every URL it was seen at, its own
 * first), `copies` (how many distinct copies) and `copyKeys` (what identifies each copy: its URL, else its text
 * hash), so recording the same copy again changes nothing — and it adds no claim, hence no support.
 */
import type { Driver, ManagedTransaction } from "neo4j-driver";
import { NEAR_DUPLICATE_THRESHOLD, similarity, type Fingerprint } from "../model/fingerprint.ts";

export interface StoredArticle {
    id: string;
    title: string;
    textHash?: string;
}

export interface Original {
    id: string;
    title: string;
    /** 1 for an identical body, else the estimated shingle similarity. */
    similarity: number;
}

const BY_TEXT_HASH = `
MATCH (a:Article {textHash: $textHash})
WHERE a.id <> $selfId AND a.retractedAt IS NULL
RETURN a.id AS id, a.title AS title ORDER BY a.loadedAt, a.id LIMIT 1`;

const BY_BANDS = `
CALL db.index.fulltext.queryNodes('article_bands', $query, {limit: 20}) YIELD node, score
WHERE node.id <> $selfId AND node.retractedAt IS NULL
RETURN node.id AS id, node.title AS title, node.minhash AS minhash, node.loadedAt AS loadedAt`;

/** The article already stored under `id` (the same URL or file), if any. */
export async function storedArticle(driver: Driver, database: string, id: string): Promise<StoredArticle | undefined> {
    const { records } = await driver.executeQuery("MATCH (a:Article {id: $id}) RETURN a.id AS id, a.title AS title, a.textHash AS textHash", { id }, { database, routing: "READ" });
    const r = records[0];
    return r ? { id: r.get("id") as string, title: r.get("title") as string, ...(r.get("textHash") ? { textHash: r.get("textHash") as string } : {}) } : undefined;
}

/** The stored article (other than `selfId`) this body is a copy of, if any: identical first, else the most similar. */
export async function findOriginal(driver: Driver, database: string, print: Fingerprint, selfId: string): Promise<Original | undefined> {
    const exact = await driver.executeQuery(BY_TEXT_HASH, { textHash: print.textHash, selfId }, { database, routing: "READ" });
    const hit = exact.records[0];
    if (hit) return { id: hit.get("id") as string, title: hit.get("title") as string, similarity: 1 };
    if (print.minhash.length === 0) return undefined;
    const { records } = await driver.executeQuery(BY_BANDS, { query: print.bandText, selfId }, { database, routing: "READ" });
    let best: Original | undefined;
    for (const r of records) {
        const s = similarity(print.minhash, (r.get("minhash") as number[] | null) ?? []);
        if (s >= NEAR_DUPLICATE_THRESHOLD && (!best || s > best.similarity)) best = { id: r.get("id") as string, title: r.get("title") as string, similarity: s };
    }
    return best;
}

/**
 * Records a copy on its original: its URL joins `urls`, its key joins `copyKeys` and `copies` counts them.
 * Returns false when this copy was recorded before (nothing changed).
 */
export async function recordCopy(driver: Driver, database: string, originalId: string, copy: { key: string; urls: string[] }): Promise<boolean> {
    const session = driver.session({ database });
    try {
        return await session.executeWrite(async (tx: ManagedTransaction) => {
            const { records } = await tx.run(
                `MATCH (a:Article {id: $id})
                 WITH a, coalesce(a.copyKeys, []) AS keys
                 WHERE NOT $key IN keys
                 WITH a, keys, coalesce(a.urls, CASE WHEN a.url IS NULL THEN [] ELSE [a.url] END) AS urls
                 SET a.copyKeys = keys + $key,
                     a.copies = size(keys) + 1,
                     a.urls = urls + [u IN $urls WHERE NOT u IN urls]
                 RETURN a.copies AS copies`,
                { id: originalId, key: copy.key, urls: [...new Set(copy.urls)] },
            );
            return records.length > 0;
        });
    } finally {
        await session.close();
    }
}
