/**
 * The news pipeline, shared by `cyberkg ingest`, `cyberkg watch` and the API's `ingestArticle`:
 *
 * 1. In input order, cheap decisions before any extraction: an article whose stored text (same id) has the same
 *    fingerprint is **unchanged**; one whose body is identical or nearly so to another stored article — or to an
 *    earlier article of this batch — is a **copy** of it (recorded on the original, src/news/duplicates.ts);
 *    everything else is extracted.
 * 2. Extraction through CoreNLP with NLP_CONCURRENCY articles in flight, each time-boxed; then each document is
 *    validated and loaded in its own transaction (FactLoader), in input order.
 *
 * A failed article is reported and the others go on; only an unreachable CoreNLP or Neo4j stops the run.
 *
 * Review mode (`cyberkg ingest --review <dir>` with URLs): the same decisions, but each extracted document goes to
 * the `review` writer (a file for a person to correct, then `cyberkg load`) instead of the graph, and nothing is
 * written to the graph: copies are reported, not recorded (ingesting them without --review records them).
 */
import type { Driver } from "neo4j-driver";
import { mapOrdered, timeBoxed, type ExtractSettings } from "../cli/extract.ts";
import { CyberkgError, ErrorCode, Neo4jUnavailableError } from "../errors.ts";
import { EXTRACTOR_NAME, EXTRACTOR_VERSION, extractDocument, type RegistryLike } from "../extractor/index.ts";
import type { FactLoader } from "../loader/FactLoader.ts";
import { unitFromDocument } from "../loader/load-unit.ts";
import { validateDocument } from "../loader/validate.ts";
import { articleId, type FactsDocument } from "../model/facts-document.ts";
import { fingerprint, NEAR_DUPLICATE_THRESHOLD, similarity, type Fingerprint } from "../model/fingerprint.ts";
import { NlpUnavailableError } from "../nlp/index.ts";
import { findOriginal, recordCopy, storedArticle } from "./duplicates.ts";
import type { NewsArticle } from "./sources.ts";

export const EXTRACTED_BY = `${EXTRACTOR_NAME}@${EXTRACTOR_VERSION}`;

export interface IngestDeps {
    driver: Driver;
    database: string;
    loader: FactLoader;
    registry: RegistryLike;
    extract: ExtractSettings;
}

export type Outcome =
    | { origin: string; status: "loaded" | "replaced" | "unchanged"; sourceId: string; title: string; facts: number; claims: number; entitiesNew: string[]; entitiesMatched: number; feedItemKey?: string }
    | { origin: string; status: "copy"; sourceId: string; title: string; copyOf: string; similarity: number; recorded: boolean; review?: true; feedItemKey?: string }
    | { origin: string; status: "written"; sourceId: string; title: string; facts: number; file: string; feedItemKey?: string }
    | { origin: string; status: "failed"; error: CyberkgError; feedItemKey?: string };

export interface NewsSummary {
    /** Review mode: documents written for a person. */
    written: number;
    loaded: number;
    replaced: number;
    unchanged: number;
    copies: number;
    failed: number;
    facts: number;
    claims: number;
    entitiesNew: number;
}

export function summarize(outcomes: readonly Outcome[], failedBefore = 0): NewsSummary {
    const s: NewsSummary = { written: 0, loaded: 0, replaced: 0, unchanged: 0, copies: 0, failed: failedBefore, facts: 0, claims: 0, entitiesNew: 0 };
    for (const o of outcomes) {
        if (o.status === "copy") {
            // A copy recorded by an earlier run is nothing new.
            if (o.recorded || o.review) s.copies++;
            else s.unchanged++;
        }
        else if (o.status === "failed") s.failed++;
        else if (o.status === "written") {
            s.written++;
            s.facts += o.facts;
        } else {
            s[o.status]++;
            if (o.status !== "unchanged") {
                s.facts += o.facts;
                s.claims += o.claims;
                s.entitiesNew += o.entitiesNew.length;
            }
        }
    }
    return s;
}

export function formatNewsSummary(s: NewsSummary): string {
    return `Articles: ${s.loaded} loaded, ${s.replaced} replaced, ${s.unchanged} unchanged, ${s.copies} copies of stored articles, ${s.failed} failed\nFacts: ${s.facts}; claims written: ${s.claims}; new entities: ${s.entitiesNew}`;
}

/** One line for an item that did not load as a new article (copies and failures), or undefined. */
export function outcomeLine(o: Outcome): string | undefined {
    if (o.status === "failed") return `failed: ${o.error.message}`;
    if (o.status === "copy") return `copy: ${o.origin} is a copy of ${o.copyOf} "${o.title}" (similarity ${o.similarity.toFixed(2)})${o.review ? ": not written for review (ingest it without --review to record the copy)" : o.recorded ? "" : ", recorded before"}`;
    return undefined;
}

interface Planned {
    article: NewsArticle;
    id: string;
    print: Fingerprint;
}

const fail = (article: NewsArticle, error: CyberkgError): Outcome => ({ origin: article.origin, status: "failed", error, ...(article.feedItemKey ? { feedItemKey: article.feedItemKey } : {}) });

/** The id the article's source gets (explicit for web articles; else the contract's default from title and text). */
function idOf(article: NewsArticle): string {
    return article.id ?? articleId({ title: article.input.title.trim() || "Untitled", text: article.input.text, language: "en", ...(article.input.url ? { url: article.input.url } : {}) });
}

export interface IngestOptions {
    /** Review mode: writes an extracted document for a person (returns where); the graph is only read. */
    review?: (doc: FactsDocument, article: NewsArticle) => string;
}

/** Runs the pipeline over the articles; `onOutcome` hears each one as it is decided (for progress lines). */
export async function ingestArticles(articles: readonly NewsArticle[], deps: IngestDeps, onOutcome: (o: Outcome) => void = () => {}, options: IngestOptions = {}): Promise<Outcome[]> {
    const review = options.review;
    const outcomes = new Map<NewsArticle, Outcome>();
    const decide = (a: NewsArticle, o: Outcome) => {
        outcomes.set(a, o);
        onOutcome(o);
    };
    const toExtract: Planned[] = [];
    /** Copies of an article of this batch: recorded once their original is loaded. */
    const batchCopies = new Map<Planned, { article: NewsArticle; similarity: number }[]>();
    const { maxArticleChars } = deps.extract;

    const ids = new Set<string>();
    for (const article of articles) {
        const { text } = article.input;
        if (text.trim().length === 0) {
            decide(article, fail(article, new CyberkgError(ErrorCode.EXTRACTION, `${article.origin}: the article is empty`)));
            continue;
        }
        if (text.length > maxArticleChars) {
            decide(article, fail(article, new CyberkgError(ErrorCode.EXTRACTION, `${article.origin}: the article has ${text.length} characters, more than the limit of ${maxArticleChars} (MAX_ARTICLE_CHARS): split it, or raise MAX_ARTICLE_CHARS`)));
            continue;
        }
        const id = idOf(article);
        // The same article twice in one run (two feeds carrying one URL): once is enough.
        if (ids.has(id)) continue;
        ids.add(id);
        const print = fingerprint(text);
        const stored = await storedArticle(deps.driver, deps.database, id);
        if (stored?.textHash === print.textHash) {
            decide(article, { origin: article.origin, status: "unchanged", sourceId: id, title: stored.title, facts: 0, claims: 0, entitiesNew: [], entitiesMatched: 0, ...(article.feedItemKey ? { feedItemKey: article.feedItemKey } : {}) });
            continue;
        }
        if (!stored) {
            const inBatch = toExtract.map((p) => ({ p, s: p.id === id ? 0 : p.print.textHash === print.textHash ? 1 : similarity(p.print.minhash, print.minhash) })).sort((a, b) => b.s - a.s)[0];
            if (inBatch && inBatch.s >= NEAR_DUPLICATE_THRESHOLD) {
                batchCopies.set(inBatch.p, [...(batchCopies.get(inBatch.p) ?? []), { article, similarity: inBatch.s }]);
                continue;
            }
            const original = await findOriginal(deps.driver, deps.database, print, id);
            if (original) {
                const recorded = review ? false : await recordCopy(deps.driver, deps.database, original.id, copyOf(article, print));
                decide(article, { origin: article.origin, status: "copy", sourceId: original.id, title: original.title, copyOf: original.id, similarity: original.similarity, recorded, ...(review ? { review: true as const } : {}), ...(article.feedItemKey ? { feedItemKey: article.feedItemKey } : {}) });
                continue;
            }
        }
        toExtract.push({ article, id, print });
    }

    for await (const { planned, doc, error } of mapOrdered(toExtract, deps.extract.concurrency, (p) => extractPlanned(p, deps))) {
        const { article } = planned;
        let outcome: Outcome;
        if (error) outcome = fail(article, error);
        else if (review) {
            outcome = { origin: article.origin, status: "written", sourceId: doc.article.id ?? planned.id, title: doc.article.title, facts: doc.facts.length, file: review(doc, article), ...(article.feedItemKey ? { feedItemKey: article.feedItemKey } : {}) };
        } else {
            try {
                const unit = unitFromDocument(doc, article.origin);
                unit.source.extractedBy = EXTRACTED_BY;
                const r = await deps.loader.load(unit);
                outcome = { origin: article.origin, status: r.status, sourceId: r.sourceId, title: doc.article.title, facts: r.facts, claims: r.claims, entitiesNew: r.entitiesNew, entitiesMatched: r.entitiesMatched, ...(article.feedItemKey ? { feedItemKey: article.feedItemKey } : {}) };
            } catch (e) {
                if (!(e instanceof CyberkgError) || e instanceof Neo4jUnavailableError) throw e;
                outcome = fail(article, e);
            }
        }
        decide(article, outcome);
        for (const copy of batchCopies.get(planned) ?? []) {
            if (outcome.status === "failed") {
                decide(copy.article, fail(copy.article, new CyberkgError(ErrorCode.EXTRACTION, `${copy.article.origin}: a copy of ${article.origin}, which failed`)));
                continue;
            }
            const recorded = review ? false : await recordCopy(deps.driver, deps.database, planned.id, copyOf(copy.article, fingerprint(copy.article.input.text)));
            decide(copy.article, { origin: copy.article.origin, status: "copy", sourceId: planned.id, title: outcome.title, copyOf: planned.id, similarity: copy.similarity, recorded, ...(review ? { review: true as const } : {}), ...(copy.article.feedItemKey ? { feedItemKey: copy.article.feedItemKey } : {}) });
        }
    }
    return articles.map((a) => outcomes.get(a)).filter((o): o is Outcome => o !== undefined);
}

function copyOf(article: NewsArticle, print: Fingerprint): { key: string; urls: string[] } {
    const urls = [...new Set([article.input.url, article.canonicalUrl].filter((u): u is string => u !== undefined))];
    return { key: article.canonicalUrl ?? article.input.url ?? `text:${print.textHash}`, urls };
}

/** The facts document of one article: the extractor's, with the article's identity and web metadata. */
async function extractPlanned(planned: Planned, deps: IngestDeps): Promise<{ planned: Planned; doc: FactsDocument; error?: undefined } | { planned: Planned; doc?: undefined; error: CyberkgError }> {
    const { article, id } = planned;
    const name = article.origin;
    try {
        const raw = await timeBoxed(name, deps.extract.timeoutMs, (signal) => extractDocument(article.input, deps.registry, deps.extract.nlp, { signal }));
        const withMeta = {
            ...raw,
            article: {
                ...raw.article,
                id,
                ...(article.canonicalUrl ? { canonicalUrl: article.canonicalUrl } : {}),
                ...(article.author ? { author: article.author } : {}),
                ...(article.fetchedAt ? { fetchedAt: article.fetchedAt } : {}),
            },
        };
        return { planned, doc: validateDocument(withMeta, name) };
    } catch (error) {
        if (error instanceof NlpUnavailableError) throw error;
        if (error instanceof CyberkgError) return { planned, error: error.message.startsWith(`${name}:`) ? error : new CyberkgError(error.code, `${name}: ${error.message}`, { cause: error }) };
        return { planned, error: new CyberkgError(ErrorCode.EXTRACTION, `${name}: extraction failed (${error instanceof Error ? error.message : String(error)})`, { cause: error }) };
    }
}
