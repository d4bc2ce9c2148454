/**
 * The API's `ingestArticle`: one article, given as text or fetched from its URL, through the same pipeline as
 * `cyberkg ingest` (src/news/ingest.ts). Bad arguments are FACTS_INVALID naming the argument; a page that cannot
 * be fetched is FETCH_FAILED with the reason.
 */
import type { Driver } from "neo4j-driver";
import { loadConfig } from "../config.ts";
import { CyberkgError, ValidationError } from "../errors.ts";
import type { RegistryLike } from "../extractor/index.ts";
import type { FactLoader } from "../loader/FactLoader.ts";
import { openNlp, type NlpAnnotator } from "../nlp/index.ts";
import { Fetcher } from "./fetch.ts";
import { ingestArticles } from "./ingest.ts";
import { normalizeDate } from "./readable.ts";
import { articleFromText, readUrl } from "./sources.ts";
import { PARTIAL_DATE } from "../model/facts-document.ts";

const SOURCE = "ingestArticle";

let nlp: Promise<NlpAnnotator> | undefined;

export interface IngestArticleArgs {
    url?: string | null;
    text?: string | null;
    title?: string | null;
    publishedAt?: string | null;
}

export async function ingestArticleRequest(args: IngestArticleArgs, deps: { driver: Driver; database: string; loader: FactLoader; registry: RegistryLike }) {
    const config = loadConfig();
    const bad = (path: string, message: string) => new ValidationError(SOURCE, [{ path, message }]);
    const url = args.url?.trim() || undefined;
    const text = args.text ?? undefined;
    if (!url && (text === undefined || text.trim() === "")) throw bad("text", "give the article's text, or its url to fetch it");
    if (url && !/^https?:\/\/[^\s]+$/i.test(url)) throw bad("url", `'${url}' is not an http(s) URL`);
    let publishedAt: string | undefined;
    if (args.publishedAt) {
        publishedAt = PARTIAL_DATE.test(args.publishedAt) ? args.publishedAt : normalizeDate(args.publishedAt);
        if (!publishedAt) throw bad("publishedAt", `'${args.publishedAt}' is not a date (YYYY[-MM[-DD]] or an ISO 8601 timestamp)`);
    }
    let article;
    if (text !== undefined && text.trim() !== "") {
        article = articleFromText(text, { ...(url ? { url } : {}), ...(args.title ? { title: args.title } : {}), ...(publishedAt ? { publishedAt } : {}) });
    } else {
        const fetcher = new Fetcher(config.fetch);
        try {
            const read = await readUrl(url!, fetcher, { skip: () => true });
            if (read.feed) throw bad("url", `${url} is a feed, not an article page: add it with \`cyberkg feeds add\``);
            article = read.articles[0]!;
        } finally {
            await fetcher.close();
        }
        if (args.title) article.input.title = args.title;
        if (publishedAt) article.input.publishedAt = publishedAt;
    }
    nlp ??= openNlp(config).catch((error: unknown) => {
        nlp = undefined;
        throw error;
    });
    const extract = { nlp: await nlp, concurrency: 1, maxArticleChars: config.extract.maxArticleChars, timeoutMs: config.extract.timeoutMs };
    const [outcome] = await ingestArticles([article], { ...deps, extract });
    if (!outcome) throw new CyberkgError("EXTRACTION_FAILED", `${article.origin}: nothing was ingested`);
    if (outcome.status === "failed") throw outcome.error;
    if (outcome.status === "written") throw new CyberkgError("EXTRACTION_FAILED", `${article.origin}: written for review, not ingested`); // no review mode here
    if (outcome.status === "copy") return { sourceId: outcome.sourceId, status: "copy-of", copyOf: outcome.copyOf, similarity: outcome.similarity, title: outcome.title, facts: 0, claims: 0, entitiesNew: [] };
    return { sourceId: outcome.sourceId, status: outcome.status, copyOf: null, similarity: null, title: outcome.title, facts: outcome.facts, claims: outcome.claims, entitiesNew: outcome.entitiesNew };
}
