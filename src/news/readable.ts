/**
 * A web page → the article in it: readable text (Mozilla's Readability over a linkedom DOM: the body without
 * navigation, ads, related links), title, byline, publisher, canonical URL and the publication date from the
 * page's metadata, in this order: `article:published_time` (and its kin), JSON-LD `datePublished`, a `<time>`
 * element of the article. The text is one paragraph a line (the extractor's sentence splitter relies on it).
 */
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { htmlToArticle } from "../extractor/index.ts";

export interface WebArticle {
    title: string;
    text: string;
    url: string;
    canonicalUrl?: string;
    publisher?: string;
    author?: string;
    /** YYYY-MM-DD or an ISO 8601 timestamp (UTC), from the page's own metadata. */
    publishedAt?: string;
}

type Doc = ReturnType<typeof parseHTML>["document"];

const DATE_METAS = ["article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate", "publish-date", "date", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date"];

/** A date string as the facts contract takes it: a day, or an ISO timestamp in UTC; undefined when it is no date. */
export function normalizeDate(value: string | undefined | null): string | undefined {
    if (!value) return undefined;
    const s = value.trim();
    if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
    const time = Date.parse(s);
    if (Number.isNaN(time)) return undefined;
    const year = new Date(time).getUTCFullYear();
    if (year < 1990 || year > 2100) return undefined;
    return new Date(time).toISOString();
}

function meta(doc: Doc, names: string[]): string | undefined {
    for (const name of names) {
        for (const el of doc.querySelectorAll("meta")) {
            const key = (el.getAttribute("property") ?? el.getAttribute("name") ?? el.getAttribute("itemprop") ?? "").toLowerCase();
            const content = el.getAttribute("content")?.trim();
            if (key === name && content) return content;
        }
    }
    return undefined;
}

/** Every JSON-LD object of the page, @graph flattened. */
function jsonLd(doc: Doc): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    const visit = (value: unknown) => {
        if (Array.isArray(value)) value.forEach(visit);
        else if (value && typeof value === "object") {
            out.push(value as Record<string, unknown>);
            const graph = (value as Record<string, unknown>)["@graph"];
            if (graph) visit(graph);
        }
    };
    for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
        try {
            visit(JSON.parse(script.textContent ?? ""));
        } catch {
            /* a broken JSON-LD block is ignored, as browsers do */
        }
    }
    return out;
}

const ARTICLE_TYPES = /Article|BlogPosting|Report|NewsArticle|WebPage/;

function ldName(value: unknown): string | undefined {
    if (typeof value === "string") return value.trim() || undefined;
    if (Array.isArray(value)) return value.map(ldName).filter(Boolean).join(", ") || undefined;
    if (value && typeof value === "object") return ldName((value as Record<string, unknown>).name);
    return undefined;
}

function httpUrl(value: string | undefined | null, base: string): string | undefined {
    if (!value) return undefined;
    try {
        const url = new URL(value.trim(), base);
        return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
    } catch {
        return undefined;
    }
}

function clean(value: string | undefined | null): string | undefined {
    const s = value?.replace(/\s+/g, " ").trim();
    return s ? s : undefined;
}

/** The article of an HTML page fetched from `url`. Throws when the page has no readable text. */
export function readArticleHtml(html: string, url: string): WebArticle {
    const { document } = parseHTML(html);
    const ld = jsonLd(document).filter((o) => ARTICLE_TYPES.test(String(o["@type"] ?? "")));
    const article = ld.find((o) => /Article|BlogPosting|Report/.test(String(o["@type"]))) ?? ld[0];

    const timeEl = document.querySelector("article time[datetime]") ?? document.querySelector("time[pubdate][datetime]") ?? document.querySelector("time[datetime]");
    const publishedAt =
        normalizeDate(meta(document, DATE_METAS)) ?? normalizeDate(article?.datePublished as string | undefined) ?? normalizeDate(timeEl?.getAttribute("datetime"));
    const canonicalUrl = httpUrl(document.querySelector('link[rel="canonical"]')?.getAttribute("href"), url) ?? httpUrl(meta(document, ["og:url"]), url);
    const metaTitle = clean(meta(document, ["og:title", "twitter:title"])) ?? clean(article?.headline as string | undefined);
    const h1s = [...document.querySelectorAll("h1")].map((h) => clean(h.textContent)).filter(Boolean) as string[];
    const publisher = clean(meta(document, ["og:site_name", "application-name"])) ?? ldName(article?.publisher);
    const metaAuthor = clean(meta(document, ["author", "article:author", "parsely-author", "dc.creator"])) ?? ldName(article?.author);

    // Readability changes the document it reads: give it its own copy.
    const parsed = new Readability(parseHTML(html).document as unknown as Document, { charThreshold: 200 }).parse();
    let text = parsed?.content ? htmlToArticle(`<article>${parsed.content}</article>`).text : "";
    if (text.trim().length === 0) text = htmlToArticle(html).text;
    const byline = clean(parsed?.byline)?.replace(/^by\s+/i, "");
    const author = metaAuthor ?? byline;
    // A byline Readability left in the body ("By Jane Doe") is not part of the story.
    const lines = text.split("\n").filter((line, i) => !(i < 3 && author && new RegExp(`^by\\s+${escapeRegExp(author)}\\.?$`, "i").test(line.trim())));
    const title = metaTitle ?? (h1s.length === 1 ? h1s[0] : undefined) ?? clean(parsed?.title) ?? clean(document.querySelector("title")?.textContent) ?? new URL(url).pathname;
    const body = lines.filter((line) => line.trim() !== title).join("\n").trim();
    return {
        title: title.length > 300 ? title.slice(0, 297) + "..." : title,
        text: body,
        url,
        ...(canonicalUrl ? { canonicalUrl } : {}),
        ...(publisher ? { publisher } : { publisher: new URL(url).hostname }),
        ...(author ? { author } : {}),
        ...(publishedAt ? { publishedAt } : {}),
    };
}

function escapeRegExp(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
