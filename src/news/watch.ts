/**
 * The watcher: every interval, one poll of each remembered feed (src/news/feeds.ts), one line per poll. Used by
 * `cyberkg watch` and by `cyberkg start` when feeds exist. Extraction settings (and so CoreNLP) are opened only
 * when a poll brings an article to extract.
 */
import type { Driver } from "neo4j-driver";
import type { ExtractSettings } from "../cli/extract.ts";
import type { FactLoader } from "../loader/FactLoader.ts";
import type { RegistryLike } from "../extractor/index.ts";
import type { Config } from "../config.ts";
import { Fetcher } from "./fetch.ts";
import { listFeeds, pollFeed, pollLine, type PollProgress, type PollResult } from "./feeds.ts";
import { outcomeLine } from "./ingest.ts";

export interface WatchDeps {
    config: Config;
    driver: Driver;
    database: string;
    loader: FactLoader;
    registry: RegistryLike;
    /** Opens the extraction settings (CoreNLP) on first need. */
    extractSettings: () => Promise<ExtractSettings>;
    onLine: (line: string) => void;
    /** Per-item progress of each poll (a bar on a terminal). */
    progress?: PollProgress;
}

/** Polls every feed once; returns the results in feed order. */
export async function pollAll(deps: WatchDeps): Promise<PollResult[]> {
    const fetcher = new Fetcher(deps.config.fetch);
    let settings: ExtractSettings | undefined;
    const ingestDeps = async () => ({ driver: deps.driver, database: deps.database, loader: deps.loader, registry: deps.registry, extract: (settings ??= await deps.extractSettings()) });
    const results: PollResult[] = [];
    try {
        for (const feed of await listFeeds(deps.driver, deps.database)) {
            const r = await pollFeed(feed, fetcher, deps, ingestDeps, (o) => {
                const line = outcomeLine(o);
                if (line) deps.onLine(`  ${line}`);
            }, deps.progress);
            deps.onLine(pollLine(r));
            results.push(r);
        }
    } finally {
        await fetcher.close();
    }
    return results;
}

/** Polls now, then every `intervalMs`, until `signal` aborts. */
export async function watchFeeds(deps: WatchDeps, intervalMs: number, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
        await pollAll(deps);
        if (signal.aborted) break;
        await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, intervalMs);
            signal.addEventListener("abort", () => { clearTimeout(t); resolve(); }, { once: true });
        });
    }
}
