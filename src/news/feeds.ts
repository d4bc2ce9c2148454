/**
 * Remembered feeds: `(:Feed {url, name, addedAt, lastPolledAt, lastStatus, etag, lastModified, seen})` and one
 * poll of a feed — a conditional GET with the stored validators (304: nothing to do), then only the items whose
 * key (GUID/id, else link) is not in `seen` are fetched and go through the news pipeline (which still recognises
 * an unchanged article or a copy by its content hash). An item that failed for a passing reason (5xx, time-out)
 * is tried again at the next poll; one that failed for good (404, a PDF) is not.
 */
import type { Driver } from "neo4j-driver";
import { CyberkgError, ErrorCode, NotFoundError } from "../errors.ts";
import { TransientFetchError, type Fetcher } from "./fetch.ts";
import { ingestArticles, summarize, type IngestDeps, type NewsSummary, type Outcome } from "./ingest.ts";
import { readUrl } from "./sources.ts";

/** How many item keys a feed remembers (the newest). */
export const SEEN_LIMIT = 5_000;

export interface FeedRecord {
    url: string;
    name: string;
    addedAt: string;
    lastPolledAt?: string;
    lastStatus?: string;
    etag?: string;
    lastModified?: string;
    seen: string[];
}

export async function addFeed(driver: Driver, database: string, url: string, name: string): Promise<boolean> {
    const { records } = await driver.executeQuery(
        `MERGE (f:Feed {url: $url})
         ON CREATE SET f.name = $name, f.addedAt = $now, f.seen = [], f.created = true
         WITH f, coalesce(f.created, false) AS created
         REMOVE f.created
         RETURN created`,
        { url, name, now: new Date().toISOString() },
        { database },
    );
    return records[0]!.get("created") as boolean;
}

export async function listFeeds(driver: Driver, database: string): Promise<FeedRecord[]> {
    const { records } = await driver.executeQuery("MATCH (f:Feed) RETURN f {.*} AS f ORDER BY f.name, f.url", {}, { database, routing: "READ" });
    return records.map((r) => {
        const f = r.get("f") as FeedRecord;
        return { ...f, seen: f.seen ?? [] };
    });
}

/** Removes a feed named by URL or name; the articles it brought stay. */
export async function removeFeed(driver: Driver, database: string, urlOrName: string): Promise<FeedRecord> {
    const { records } = await driver.executeQuery(
        `MATCH (f:Feed) WHERE f.url = $key OR f.name = $key
         WITH collect(f) AS feeds
         WHERE size(feeds) = 1
         UNWIND feeds AS f
         WITH f, f {.*} AS props
         DELETE f
         RETURN props`,
        { key: urlOrName },
        { database },
    );
    if (records.length === 0) {
        const all = await listFeeds(driver, database);
        const matching = all.filter((f) => f.url === urlOrName || f.name === urlOrName);
        if (matching.length > 1) throw new CyberkgError(ErrorCode.NOT_FOUND, `${matching.length} feeds are named '${urlOrName}': remove one by its URL`);
        throw new NotFoundError(`No feed with URL or name '${urlOrName}' (see \`cyberkg feeds list\`)`);
    }
    return records[0]!.get("props") as FeedRecord;
}

/** Per-item progress of a poll (the CLI draws it as a bar on a terminal: src/cli/poll-progress.ts). */
export interface PollProgress {
    /** A phase of one feed's poll begins: its new items are fetched, then their articles extracted and loaded. */
    phase(feed: string, phase: "fetching" | "ingesting", total: number): void;
    /** One item of the phase is done (its URL). */
    step(origin: string): void;
    /** The feed's poll is over. */
    end(): void;
}

export interface PollResult {
    feed: FeedRecord;
    notModified: boolean;
    /** Items not seen before. */
    fresh: number;
    summary: NewsSummary;
    outcomes: Outcome[];
    error?: CyberkgError;
}

/** One poll of one feed (see the module comment); the feed's state is updated whatever happened. */
export async function pollFeed(
    feed: FeedRecord,
    fetcher: Fetcher,
    graph: { driver: Driver; database: string },
    deps: () => Promise<IngestDeps>,
    onOutcome?: (o: Outcome) => void,
    progress?: PollProgress,
): Promise<PollResult> {
    const seen = new Set(feed.seen);
    const now = new Date().toISOString();
    let result: PollResult;
    try {
        const read = await readUrl(feed.url, fetcher, {
            ...(feed.etag ? { etag: feed.etag } : {}),
            ...(feed.lastModified ? { lastModified: feed.lastModified } : {}),
            skip: (item) => seen.has(item.key),
            onItems: (n) => progress?.phase(feed.name, "fetching", n),
            onItemDone: (origin) => progress?.step(origin),
        });
        if (read.articles.length > 0) progress?.phase(feed.name, "ingesting", read.articles.length);
        const outcomes =
            read.articles.length > 0
                ? await ingestArticles(read.articles, await deps(), (o) => {
                      progress?.step(o.origin);
                      onOutcome?.(o);
                  })
                : [];
        progress?.end();
        for (const f of read.failures) onOutcome?.({ origin: f.origin, status: "failed", error: f.error, ...(f.feedItemKey ? { feedItemKey: f.feedItemKey } : {}) });
        const done = [
            ...outcomes.filter((o) => o.status !== "failed" || !(o.error instanceof TransientFetchError)).map((o) => o.feedItemKey),
            ...read.failures.filter((f) => !(f.error instanceof TransientFetchError)).map((f) => f.feedItemKey),
            // Items that were skipped inside the pipeline (the same URL twice) are done too.
            ...read.articles.filter((a) => !outcomes.some((o) => o.origin === a.origin)).map((a) => a.feedItemKey),
        ].filter((k): k is string => k !== undefined);
        const summary = summarize(outcomes, read.failures.length);
        result = { feed, notModified: read.notModified ?? false, fresh: read.articles.length + read.failures.length, summary, outcomes };
        const nextSeen = [...feed.seen.filter((k) => !done.includes(k)), ...new Set(done)].slice(-SEEN_LIMIT);
        await saveState(graph, feed.url, { lastPolledAt: now, lastStatus: pollLine(result), seen: nextSeen, etag: read.notModified ? (feed.etag ?? null) : (read.etag ?? null), lastModified: read.notModified ? (feed.lastModified ?? null) : (read.lastModified ?? null) });
    } catch (error) {
        progress?.end();
        if (!(error instanceof CyberkgError)) throw error;
        result = { feed, notModified: false, fresh: 0, summary: summarize([], 1), outcomes: [], error };
        await saveState(graph, feed.url, { lastPolledAt: now, lastStatus: pollLine(result) });
    }
    return result;
}

async function saveState({ driver, database }: { driver: Driver; database: string }, url: string, state: Record<string, unknown>): Promise<void> {
    await driver.executeQuery("MATCH (f:Feed {url: $url}) SET f += $state", { url, state }, { database });
}

/** The one line a poll prints. */
export function pollLine(r: PollResult): string {
    const head = `${new Date().toISOString()} ${r.feed.name}`;
    if (r.error) return `${head}: failed: ${r.error.message}`;
    if (r.notModified) return `${head}: not modified`;
    const s = r.summary;
    return `${head}: ${r.fresh} new item(s): ${s.loaded} loaded, ${s.replaced} replaced, ${s.unchanged} unchanged, ${s.copies} copies, ${s.failed} failed, ${s.facts} facts`;
}
