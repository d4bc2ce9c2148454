/**
 * `cyberkg ingest <file|dir|URL|feed URL>...`: files and directories as before, article pages and feeds fetched
 * politely (src/news/fetch.ts), near-duplicates recorded as copies of the stored article, the rest extracted and
 * loaded (src/news/ingest.ts). One line on stderr per failed item, a progress bar on a terminal, a summary on stdout.
 */
import fs from "node:fs";
import path from "node:path";
import cliProgress from "cli-progress";
import { loadConfig } from "../config.ts";
import { CyberkgError } from "../errors.ts";
import { Fetcher } from "../news/fetch.ts";
import { formatNewsSummary, ingestArticles, outcomeLine, summarize, type Outcome } from "../news/ingest.ts";
import { isUrl, readFile, readUrl, type Failure, type NewsArticle } from "../news/sources.ts";
import type { FactsDocument } from "../model/facts-document.ts";
import { slugify } from "../model/normalize.ts";
import { Registry } from "../registry/Registry.ts";
import { articleFiles, extractSettings, runIngest as runFileIngest } from "./extract.ts";
import { openGraph } from "./context.ts";

export interface GatherResult {
    articles: NewsArticle[];
    failures: Failure[];
}

/** Reads every input: files and directories from disk, URLs through the fetcher (a feed gives its items). */
export async function gatherArticles(inputs: string[], fetcher: Fetcher, onFetch: (origin: string) => void = () => {}): Promise<GatherResult> {
    const articles: NewsArticle[] = [];
    const failures: Failure[] = [];
    const urls = inputs.filter(isUrl);
    const paths = inputs.filter((i) => !isUrl(i));
    for (const file of paths.length > 0 ? articleFiles(paths) : []) {
        try {
            articles.push(await readFile(file));
        } catch (error) {
            failures.push({ origin: file, error: error instanceof CyberkgError ? error : new CyberkgError("EXTRACTION_FAILED", `${file}: ${(error as Error).message}`) });
        }
    }
    for (const url of urls) {
        onFetch(url);
        try {
            const read = await readUrl(url, fetcher, { onItem: onFetch });
            articles.push(...read.articles);
            failures.push(...read.failures);
        } catch (error) {
            if (!(error instanceof CyberkgError)) throw error;
            failures.push({ origin: url, error });
        }
    }
    return { articles, failures };
}

export async function runIngest(inputs: string[], options: { review?: string; publishedAt?: string }): Promise<void> {
    // Files only: extract and write the documents, no graph needed (src/cli/extract.ts). With URLs: the news pipeline
    // in review mode (the graph is read to leave out stored and copied articles, never written).
    if (options.review && !inputs.some(isUrl)) return runFileIngest(inputs, options);
    const config = loadConfig();
    const fetcher = new Fetcher(config.fetch);
    const tty = process.stderr.isTTY;
    let gathered: GatherResult;
    try {
        gathered = await gatherArticles(inputs, fetcher, (origin) => tty && process.stderr.write(`fetching ${origin}\x1b[K\r`));
    } finally {
        await fetcher.close();
    }
    if (tty) process.stderr.write("\x1b[K");
    for (const f of gathered.failures) process.stderr.write(`failed: ${f.error.message}\n`);
    if (options.publishedAt) for (const a of gathered.articles) a.input.publishedAt ??= options.publishedAt;
    const reviewDir = options.review;
    const review = reviewDir ? reviewWriter(reviewDir) : undefined;
    const outcomes: Outcome[] = [];
    if (gathered.articles.length > 0) {
        const settings = await extractSettings(gathered.articles.map((a) => a.origin));
        const graph = await openGraph();
        const bar = tty && gathered.articles.length > 1 ? new cliProgress.SingleBar({ format: `${reviewDir ? "Extracting" : "Ingesting"} {bar} {value}/{total} | {file}`, stream: process.stderr }, cliProgress.Presets.shades_classic) : undefined;
        bar?.start(gathered.articles.length, 0, { file: "" });
        try {
            outcomes.push(
                ...(await ingestArticles(gathered.articles, { driver: graph.driver, database: graph.conn.database, loader: graph.loader, registry: Registry.load(), extract: settings }, (o) => {
                    const line = outcomeLine(o);
                    if (line) process.stderr.write(`${bar ? "\n" : ""}${line}\n`);
                    bar?.increment(1, { file: o.origin });
                }, review ? { review } : {})),
            );
        } finally {
            bar?.stop();
            await graph.close();
        }
    }
    const summary = summarize(outcomes, gathered.failures.length);
    if (reviewDir) {
        process.stdout.write(
            `Wrote ${summary.written} facts document(s) (${summary.facts} facts) to ${reviewDir}: correct them (set reviewStatus), then \`npx cyberkg load ${reviewDir}\`\n` +
                `Not written: ${summary.unchanged} already stored unchanged, ${summary.copies} copies of other articles, ${summary.failed} failed\n`,
        );
        if (summary.failed > 0) process.exitCode = 2;
        return;
    }
    process.stdout.write(formatNewsSummary(summary) + "\n");
    if (summary.failed > 0) process.exitCode = 2;
}

/**
 * Writes each document of `ingest --review` to `dir` as `<name>.facts.json`: a file's base name (as for files
 * without URLs), a page's host and path, with the article id's hash so two pages never share a file.
 */
function reviewWriter(dir: string): (doc: FactsDocument, article: NewsArticle) => string {
    fs.mkdirSync(dir, { recursive: true });
    return (doc, article) => {
        const file = path.join(dir, reviewFileName(article.origin, doc.article.id ?? ""));
        fs.writeFileSync(file, JSON.stringify(doc, null, 2) + "\n");
        return file;
    };
}

export function reviewFileName(origin: string, id: string): string {
    if (!isUrl(origin)) return `${path.basename(origin, path.extname(origin))}.facts.json`;
    const u = new URL(origin);
    const base = slugify(`${u.hostname} ${u.pathname.replace(/\.[a-z0-9]+$/i, "")}`).slice(0, 80).replace(/-+$/, "");
    return `${base}-${id.replace(/^article:/, "").slice(0, 8)}.facts.json`;
}
