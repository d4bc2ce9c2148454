/**
 * `cyberkg feeds add <url> [--name]`, `feeds list`, `feeds remove <url|name>` (feeds are :Feed nodes in the graph)
 * and `cyberkg watch [--interval 15m] [--once]`, which polls them and ingests only new items.
 */
import type { Command } from "commander";
import { CyberkgError, ErrorCode } from "../errors.ts";

export const DEFAULT_WATCH_INTERVAL = "15m";

/** "15m", "1h", "90s" → milliseconds (the `ms` package), at least 10 s. */
export async function parseInterval(value: string): Promise<number> {
    const { default: ms } = await import("ms");
    const n = ms(value as Parameters<typeof ms>[0]) as number | undefined;
    if (typeof n !== "number" || !Number.isFinite(n) || n < 10_000) throw new CyberkgError(ErrorCode.CONFIG, `--interval: '${value}' is not a duration of at least 10s (e.g. 15m, 1h)`);
    return n;
}

export function registerFeeds(program: Command): void {
    const feeds = program.command("feeds").description("Feeds that `cyberkg watch` (and `npm start`) poll: RSS 2.0, Atom or JSON Feed URLs, kept in the graph");
    feeds
        .command("add")
        .description("Remember a feed (fetched once to check that it is a feed; nothing is ingested yet)")
        .argument("<url>", "the feed's http(s) URL")
        .option("--name <name>", "a short name (default: the feed's title)")
        .action(async (url: string, options: { name?: string }) => {
            const [{ openGraph }, { Fetcher }, { readUrl }, { addFeed }, { loadConfig }] = await Promise.all([import("./context.ts"), import("../news/fetch.ts"), import("../news/sources.ts"), import("../news/feeds.ts"), import("../config.ts")]);
            const fetcher = new Fetcher(loadConfig().fetch);
            let title: string | undefined;
            try {
                const read = await readUrl(url, fetcher, { skip: () => true });
                if (!read.feed) throw new CyberkgError(ErrorCode.FETCH, `${url}: is an article page, not a feed (ingest it with \`cyberkg ingest ${url}\`)`);
                title = read.feed.title;
            } finally {
                await fetcher.close();
            }
            const graph = await openGraph();
            try {
                const name = options.name ?? title ?? new URL(url).hostname;
                const created = await addFeed(graph.driver, graph.conn.database, url, name);
                process.stdout.write(created ? `Added feed "${name}" (${url}); \`cyberkg watch\` polls it\n` : `Feed ${url} was already added\n`);
            } finally {
                await graph.close();
            }
        });
    feeds
        .command("list")
        .description("The remembered feeds, their last poll and how many items they have seen")
        .action(async () => {
            const [{ openGraph }, { listFeeds }] = await Promise.all([import("./context.ts"), import("../news/feeds.ts")]);
            const graph = await openGraph();
            try {
                const all = await listFeeds(graph.driver, graph.conn.database);
                if (all.length === 0) process.stdout.write("No feeds: add one with `cyberkg feeds add <url>`\n");
                for (const f of all) process.stdout.write(`${f.name}\t${f.url}\t${f.seen.length} item(s) seen\tlast poll: ${f.lastPolledAt ?? "never"}\n`);
            } finally {
                await graph.close();
            }
        });
    feeds
        .command("remove")
        .description("Forget a feed (the articles it brought stay)")
        .argument("<url-or-name>")
        .action(async (key: string) => {
            const [{ openGraph }, { removeFeed }] = await Promise.all([import("./context.ts"), import("../news/feeds.ts")]);
            const graph = await openGraph();
            try {
                const f = await removeFeed(graph.driver, graph.conn.database, key);
                process.stdout.write(`Removed feed "${f.name}" (${f.url})\n`);
            } finally {
                await graph.close();
            }
        });

    program
        .command("watch")
        .description("Poll the remembered feeds and ingest only new items, one line per poll (and a per-item progress bar on a terminal), until Ctrl-C")
        .option("--interval <duration>", "time between polls", DEFAULT_WATCH_INTERVAL)
        .option("--once", "poll each feed once and exit")
        .action(async (options: { interval: string; once?: boolean }) => {
            const intervalMs = await parseInterval(options.interval);
            const [{ openGraph }, { extractSettings }, { pollAll, watchFeeds }, { listFeeds }, { terminalPollProgress }] = await Promise.all([
                import("./context.ts"),
                import("./extract.ts"),
                import("../news/watch.ts"),
                import("../news/feeds.ts"),
                import("./poll-progress.ts"),
            ]);
            const graph = await openGraph();
            try {
                if ((await listFeeds(graph.driver, graph.conn.database)).length === 0) throw new CyberkgError(ErrorCode.NOT_FOUND, "No feeds to watch: add one with `cyberkg feeds add <url>`");
                const terminal = terminalPollProgress();
                const deps = {
                    config: graph.config,
                    driver: graph.driver,
                    database: graph.conn.database,
                    loader: graph.loader,
                    registry: graph.registry,
                    extractSettings: () => extractSettings(["feed"]),
                    onLine: terminal ? terminal.line : (l: string) => void process.stdout.write(l + "\n"),
                    ...(terminal ? { progress: terminal.progress } : {}),
                };
                if (options.once) {
                    const results = await pollAll(deps);
                    if (results.some((r) => r.error || r.summary.failed > 0)) process.exitCode = 2;
                    return;
                }
                process.stderr.write(`Watching feeds every ${options.interval}; Ctrl-C stops\n`);
                const controller = new AbortController();
                process.once("SIGINT", () => controller.abort());
                process.once("SIGTERM", () => controller.abort());
                await watchFeeds(deps, intervalMs, controller.signal);
            } finally {
                await graph.close();
            }
        });
}
