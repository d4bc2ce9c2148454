/**
 * Feeds: RSS 2.0, Atom, RDF and JSON Feed, parsed by feedsmith, reduced to what ingesting needs — per item a
 * stable key (GUID / id, else the link), the article link, title, date and any full text the feed carries.
 */
import { parseFeed } from "feedsmith";
import { normalizeDate } from "./readable.ts";

export interface FeedItem {
    /** What identifies the item across polls: its GUID/id, else its link. */
    key: string;
    url?: string;
    title?: string;
    /** The feed's date for the item (the page's own metadata wins over it). */
    publishedAt?: string;
    /** Full text or HTML the feed carries for the item (used when the item has no link). */
    content?: string;
}

export interface ParsedFeed {
    format: "rss" | "atom" | "rdf" | "json";
    title?: string;
    items: FeedItem[];
}

/** Whether a fetched body looks like a feed (before parsing it). */
export function looksLikeFeed(mediaType: string, text: string): boolean {
    if (/rss|atom|feed\+json|rdf/.test(mediaType)) return true;
    const head = text.slice(0, 2000).replace(/^\uFEFF/, "").trimStart();
    if (mediaType.includes("json")) return /"version"\s*:\s*"https?:\/\/jsonfeed\.org/.test(head);
    if (mediaType.includes("xml") || head.startsWith("<?xml")) return /<(rss|feed|rdf:RDF)\b/.test(head);
    return false;
}

function absolute(link: string | undefined, base: string): string | undefined {
    if (!link) return undefined;
    try {
        const url = new URL(link.trim(), base);
        return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
    } catch {
        return undefined;
    }
}

function textOf(value: unknown): string | undefined {
    if (typeof value === "string") return value.trim() || undefined;
    if (value && typeof value === "object" && "value" in value) return textOf((value as { value: unknown }).value);
    return undefined;
}

function item(key: string | undefined, url: string | undefined, title: string | undefined, date: string | undefined, content: string | undefined): FeedItem | undefined {
    const k = key?.trim() || url;
    if (!k) return undefined;
    return { key: k, ...(url ? { url } : {}), ...(title ? { title } : {}), ...(normalizeDate(date) ? { publishedAt: normalizeDate(date)! } : {}), ...(content ? { content } : {}) };
}

/** Parses a feed body fetched from `base`; throws (feedsmith's error) when it is not a feed. */
export function parseFeedText(text: string, base: string): ParsedFeed {
    const body = text.replace(/^\uFEFF/, "");
    const input: string | object = body.trimStart().startsWith("{") ? (JSON.parse(body) as object) : body;
    // feedsmith's types are generic per format; only the few fields read below are relied on.
    const parsed = parseFeed(input as string) as unknown as { format: ParsedFeed["format"]; feed: Record<string, unknown> };
    const feed = parsed.feed as Record<string, any>;
    const items: (FeedItem | undefined)[] = [];
    if (parsed.format === "atom") {
        for (const e of (feed.entries ?? []) as any[]) {
            const links = (e.links ?? []) as { href?: string; rel?: string }[];
            const link = links.find((l) => !l.rel || l.rel === "alternate")?.href ?? links[0]?.href;
            items.push(item(e.id, absolute(link, base), textOf(e.title), e.published ?? e.updated, textOf(e.content)));
        }
    } else if (parsed.format === "json") {
        for (const e of (feed.items ?? []) as any[]) {
            items.push(item(e.id === undefined ? undefined : String(e.id), absolute(e.url ?? e.external_url, base), e.title, e.date_published ?? e.date_modified, e.content_html ?? e.content_text));
        }
    } else {
        for (const e of (feed.items ?? []) as any[]) {
            const guid = textOf(e.guid) ?? textOf(e.about);
            items.push(item(guid, absolute(e.link, base), textOf(e.title), e.pubDate ?? e.dc?.date ?? e.dc?.dates?.[0], textOf(e.content?.encoded)));
        }
    }
    const title = textOf(feed.title);
    return { format: parsed.format, ...(title ? { title } : {}), items: items.filter((i): i is FeedItem => i !== undefined) };
}
