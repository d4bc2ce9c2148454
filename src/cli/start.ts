/**
 * `cyberkg start` (= `npm start`): ensure Neo4j (local runtime unless NEO4J_URI), apply the schema, load
 * data/articles/, serve GraphQL; print where everything is. Ctrl-C stops the API and the local Neo4j cleanly.
 */
import path from "node:path";
import type { Command } from "commander";
import { REPO_ROOT } from "../config.ts";
import type { RunningServer } from "../api/server.ts";
import { openGraph } from "./context.ts";

export function registerStart(program: Command): void {
    program
        .command("start")
        .description("Start everything: Neo4j (local unless NEO4J_URI), schema, demo data, GraphQL API")
        .option("--port <port>", "GraphQL port (env PORT, default 4000)")
        .option("--data <dir>", "facts documents to load at start", path.join(REPO_ROOT, "data", "articles"))
        .option("--no-data", "load nothing at start")
        .option("--no-watch", "do not poll the remembered feeds (`cyberkg feeds`), which start does when there are any")
        .option("--watch-interval <duration>", "time between feed polls", "15m")
        .action(async (options: { port?: string; data: string | false; watch: boolean; watchInterval: string }) => {
            const [{ startServer }, { loadFiles, formatSummary }, { log }] = await Promise.all([import("../api/server.ts"), import("../loader/load-files.ts"), import("../log.ts")]);
            const graph = await openGraph({ PORT: options.port });
            const { config, conn, driver } = graph;
            let server: RunningServer;
            try {
                if (options.data) {
                    const summary = await loadFiles([options.data], graph.loader);
                    process.stderr.write(formatSummary(summary) + "\n");
                }
                server = await startServer(config, driver, conn.database);
            } catch (error) {
                // Do not leave a Neo4j we started running behind a failed start (e.g. the API port is busy).
                await graph.close();
                if (conn.local?.ownsProcess) await conn.local.stop();
                throw error;
            }
            const lines = [
                "",
                "cyberkg is running",
                `  GraphQL:       ${server.url}  (IDE: open it in a browser)`,
                `  Neo4j Browser: ${conn.local ? conn.local.browserUrl : "(your server's Browser)"}`,
                `  Neo4j Bolt:    ${conn.uri}   database: ${conn.database}`,
                // The generated local password is shown (it exists nowhere else but a 0600 file); a password the user set is not echoed into logs.
                `  Credentials:   ${conn.local ? `${conn.user} / ${conn.password}  (kept in ${conn.local.passwordFile})` : `${conn.user} / (from NEO4J_PASSWORD)`}`,
                "Press Ctrl-C to stop.",
                "",
            ];
            process.stdout.write(lines.join("\n"));

            // The feed watcher, when feeds exist (src/news/watch.ts); one line per poll on stderr.
            const watching = new AbortController();
            let watcher: Promise<void> | undefined;
            if (options.watch) {
                const [{ listFeeds }, { watchFeeds }, { parseInterval }, { extractSettings }] = await Promise.all([import("../news/feeds.ts"), import("../news/watch.ts"), import("./feeds.ts"), import("./extract.ts")]);
                const feeds = await listFeeds(driver, conn.database);
                if (feeds.length > 0) {
                    const intervalMs = await parseInterval(options.watchInterval);
                    process.stdout.write(`  Watching ${feeds.length} feed(s) every ${options.watchInterval} (--no-watch to disable)\n`);
                    const deps = { config, driver, database: conn.database, loader: graph.loader, registry: graph.registry, extractSettings: () => extractSettings(["feed"]), onLine: (l: string) => process.stderr.write(l + "\n") };
                    watcher = watchFeeds(deps, intervalMs, watching.signal).catch((error: unknown) => {
                        log.error({ err: (error as Error).message }, "feed watcher stopped");
                    });
                }
            }

            let stopping = false;
            const stop = async (signal: string) => {
                if (stopping) return;
                stopping = true;
                log.info({ signal }, "shutting down");
                watching.abort();
                await watcher;
                await server.close();
                await graph.close();
                if (conn.local?.ownsProcess) await conn.local.stop();
                process.exit(0);
            };
            process.once("SIGINT", () => void stop("SIGINT"));
            process.once("SIGTERM", () => void stop("SIGTERM"));
        });
}
