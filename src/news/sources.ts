/**
 * What `ingest` reads: files and directories (the extractor's reader), article page URLs (Readability) and feed
 * URLs (each item's page fetched; its feed date used only when the page has none). Every failure is an item of
 * its own, so one bad page never stops the rest.
 */
import { htmlToArticle, readArticleFile, type ArticleInput } from "../extractor/index.ts";
import { CyberkgError, ErrorCode, FetchError } from "../errors.ts";
import { articleIdForUrl } from "../model/facts-document.ts";
import { looksLikeFeed, parseFeedText, type FeedItem, type ParsedFeed } from "./feed.ts";
import type { Fetched, Fetcher } from "./fetch.ts";
import { readArticleHtml } from "./readable.ts";

/** One article ready for the pipeline (src/news/ingest.ts). */
export interface NewsArticle {
    /** A file path or URL, for messages. */
    origin: string;
    input: ArticleInput & { text: string; title: string };
    /** Articles read from the web have their id from their canonical URL. */
    id?: string;
    canonicalUrl?: string;
    author?: string;
    fetchedAt?: string;
    /** The feed item it came from (what `watch` remembers). */
    feedItemKey?: string;
}

export interface Failure {
    origin: string;
    error: CyberkgError;
    /** The feed item that failed. */
    feedItemKey?: string;
}

export interface ReadResult {
    articles: NewsArticle[];
    failures: Failure[];
    /** Set when the URL was a feed. */
    feed?: ParsedFeed;
    fetched?: Fetched;
}

export function isUrl(input: string): boolean {
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(input);
}

export async function readFile(file: string): Promise<NewsArticle> {
    const input = await readArticleFile(file);
    return { origin: file, input: { ...input, title: input.title ?? "Untitled", text: input.text } };
}

function articleFromPage(page: Fetched, item?: FeedItem): NewsArticle {
    if (!page.mediaType.includes("html")) {
        throw new FetchError(page.url, `is ${page.mediaType}, not an HTML page${item ? " (a feed item must link to an article page)" : ""}`);
    }
    const web = readArticleHtml(page.text, page.finalUrl);
    if (web.text.trim().length === 0) throw new CyberkgError(ErrorCode.EXTRACTION, `${page.url}: the page has no readable article text`);
    const url = web.canonicalUrl ?? page.finalUrl;
    const publishedAt = web.publishedAt ?? item?.publishedAt;
    return {
        origin: page.url,
        id: articleIdForUrl(url),
        input: { text: web.text, title: web.title || item?.title || url, url: page.finalUrl, ...(publishedAt ? { publishedAt } : {}), ...(web.publisher ? { sourceName: web.publisher } : {}) },
        ...(web.canonicalUrl ? { canonicalUrl: web.canonicalUrl } : {}),
        ...(web.author ? { author: web.author } : {}),
        fetchedAt: page.fetchedAt,
        ...(item ? { feedItemKey: item.key } : {}),
    };
}

/** A feed item with no link but its text in the feed. */
function articleFromItemContent(item: FeedItem, feedUrl: string, feedTitle: string | undefined, fetchedAt: string): NewsArticle {
    const text = /<[a-z][\s\S]*>/i.test(item.content!) ? htmlToArticle(`<article>${item.content}</article>`).text : item.content!.trim();
    return {
        origin: `${feedUrl}#${item.key}`,
        id: articleIdForUrl(`${feedUrl}#${item.key}`),
        input: { text, title: item.title ?? "Untitled", ...(item.publishedAt ? { publishedAt: item.publishedAt } : {}), ...(feedTitle ? { sourceName: feedTitle } : {}) },
        fetchedAt,
        feedItemKey: item.key,
    };
}

export interface ReadUrlOptions {
    /** Conditional GET of the URL itself (a remembered feed). */
    etag?: string;
    lastModified?: string;
    /** Feed items to skip (already seen); their pages are not fetched. */
    skip?: (item: FeedItem) => boolean;
    /** The number of feed items to read (after `skip`), once the feed is parsed. */
    onItems?: (count: number) => void;
    /** A feed item is being read (its URL). */
    onItem?: (origin: string) => void;
    /** A feed item was read, or failed. */
    onItemDone?: (origin: string) => void;
}

/**
 * A URL → its article (a page) or its items' articles (a feed). A failure of the URL itself is thrown;
 * a failure of one item is returned with the others.
 */
export async function readUrl(url: string, fetcher: Fetcher, options: ReadUrlOptions = {}): Promise<ReadResult & { notModified?: boolean; etag?: string; lastModified?: string }> {
    const got = await fetcher.get(url, { ...(options.etag ? { etag: options.etag } : {}), ...(options.lastModified ? { lastModified: options.lastModified } : {}) });
    if (got.notModified) return { articles: [], failures: [], notModified: true, ...(got.etag ? { etag: got.etag } : {}), ...(got.lastModified ? { lastModified: got.lastModified } : {}) };
    const validators = { ...(got.etag ? { etag: got.etag } : {}), ...(got.lastModified ? { lastModified: got.lastModified } : {}) };
    if (!looksLikeFeed(got.mediaType, got.text)) {
        if (!got.mediaType.includes("html")) throw new FetchError(url, `is ${got.mediaType} but neither an HTML page nor a feed (RSS 2.0, Atom, JSON Feed)`);
        return { articles: [articleFromPage(got)], failures: [], fetched: got, ...validators };
    }
    let feed: ParsedFeed;
    try {
        feed = parseFeedText(got.text, got.finalUrl);
    } catch (error) {
        throw new FetchError(url, `is not a feed that can be read (${(error as Error).message})`, { cause: error });
    }
    const articles: NewsArticle[] = [];
    const failures: Failure[] = [];
    const items = feed.items.filter((item) => !options.skip?.(item));
    options.onItems?.(items.length);
    for (const item of items) {
        const origin = item.url ?? `${url}#${item.key}`;
        options.onItem?.(origin);
        try {
            if (item.url) articles.push(articleFromPage(await fetchPage(item.url, fetcher), item));
            else if (item.content) articles.push(articleFromItemContent(item, got.finalUrl, feed.title, got.fetchedAt));
            else throw new FetchError(origin, "the feed item has neither a link nor text");
        } catch (error) {
            if (!(error instanceof CyberkgError)) throw error;
            failures.push({ origin, error, feedItemKey: item.key });
        }
        options.onItemDone?.(origin);
    }
    return { articles, failures, feed, fetched: got, ...validators };
}

async function fetchPage(url: string, fetcher: Fetcher): Promise<Fetched> {
    const page = await fetcher.get(url);
    if (page.notModified) throw new FetchError(url, "answered 304 Not Modified to a request without validators");
    return page;
}

/** An article given as text (the API's ingestArticle): the same shape as a fetched one. */
export function articleFromText(text: string, { url, title, publishedAt }: { url?: string; title?: string; publishedAt?: string }): NewsArticle {
    const firstLine = text.split("\n").find((l) => l.trim())?.trim().slice(0, 300) ?? "Untitled";
    return {
        origin: url ?? "ingestArticle(text)",
        ...(url ? { id: articleIdForUrl(url) } : {}),
        input: { text: text.replace(/\r\n?/g, "\n"), title: title?.trim() || firstLine, ...(url ? { url } : {}), ...(publishedAt ? { publishedAt } : {}), ...(url ? { sourceName: new URL(url).hostname } : {}) },
    };
}
