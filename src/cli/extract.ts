/**
 * `cyberkg extract <files|dirs|->`: article text (.txt: title on the first line; .html: <title>/<h1> and the
 * main text) → facts documents. Stdout gets one JSON document per line (what `cyberkg load -` reads), or
 * `--out <dir>` gets one pretty `<name>.facts.json` per article.
 * `cyberkg ingest <files|dirs>` = extract + load, or `--review` to write the documents for correction first.
 */
import fs from "node:fs";
import path from "node:path";
import { text as readStream } from "node:stream/consumers";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { CyberkgError, ErrorCode } from "../errors.ts";
import { extractArticle, parseArticle, readArticleFile, type ArticleInput } from "../extractor/index.ts";
import { addResult, emptySummary, formatSummary } from "../loader/load-files.ts";
import { expandInputs } from "../loader/read-documents.ts";
import { unitFromDocument } from "../loader/load-unit.ts";
import { validateDocument } from "../loader/validate.ts";
import type { FactsDocument } from "../model/facts-document.ts";
import { Registry } from "../registry/Registry.ts";
import { openGraph } from "./context.ts";

const ARTICLE_EXTENSIONS = new Set([".txt", ".html", ".htm", ".md"]);

/** Article files under the inputs (directories recursively, sorted); `-` is stdin. */
export function articleFiles(inputs: string[]): string[] {
    return expandInputs(inputs, ARTICLE_EXTENSIONS);
}

async function readInput(file: string): Promise<ArticleInput> {
    if (file === "-") return parseArticle(await readStream(process.stdin), "");
    return readArticleFile(file);
}

export type Extracted = { file: string; doc: FactsDocument; error?: undefined } | { file: string; doc?: undefined; error: CyberkgError };

/** One facts document per article, or the reason an article gave none (the others still come). */
export async function* extractFiles(files: string[], registry: Registry, publishedAt?: string): AsyncGenerator<Extracted> {
    for (const file of files) {
        try {
            const input = await readInput(file);
            if (input.text.trim().length === 0) throw new CyberkgError(ErrorCode.EXTRACTION, `${file}: the article is empty`);
            const doc = extractArticle({ ...input, publishedAt: publishedAt ?? input.publishedAt }, registry);
            // The extractor's output must be a valid facts document: check it like any other input.
            yield { file, doc: validateDocument(doc, file) };
        } catch (error) {
            if (!(error instanceof CyberkgError)) throw error;
            yield { file, error };
        }
    }
}

function outName(file: string): string {
    return (file === "-" ? "stdin" : path.basename(file, path.extname(file))) + ".facts.json";
}

function progressBar(total: number, label: string) {
    if (!process.stderr.isTTY || total < 2) return undefined;
    const bar = new cliProgress.SingleBar({ format: `${label} {bar} {value}/{total} | {file}`, stream: process.stderr }, cliProgress.Presets.shades_classic);
    bar.start(total, 0, { file: "" });
    return bar;
}

export function registerExtract(program: Command): void {
    program
        .command("extract")
        .description("Extract facts documents from articles (.txt with the title on line 1, or .html), offline")
        .argument("<inputs...>", "article files or directories; - reads one article from stdin")
        .option("--out <dir>", "write <name>.facts.json files here instead of JSON lines on stdout")
        .option("--published-at <date>", "publication date (YYYY-MM-DD) when the files do not carry one")
        .action(async (inputs: string[], options: { out?: string; publishedAt?: string }) => {
            const files = articleFiles(inputs);
            const registry = Registry.load();
            if (options.out) fs.mkdirSync(options.out, { recursive: true });
            const bar = options.out ? progressBar(files.length, "Extracting") : undefined;
            let facts = 0;
            let failed = 0;
            for await (const { file, doc, error } of extractFiles(files, registry, options.publishedAt)) {
                if (error) {
                    failed++;
                    process.stderr.write(`${bar ? "\n" : ""}not extracted: ${error.message}\n`);
                    continue;
                }
                facts += doc.facts.length;
                if (options.out) fs.writeFileSync(path.join(options.out, outName(file)), JSON.stringify(doc, null, 2) + "\n");
                else process.stdout.write(JSON.stringify(doc) + "\n");
                bar?.increment(1, { file });
            }
            bar?.stop();
            process.stderr.write(`Extracted ${files.length - failed} article(s), ${facts} facts${options.out ? ` into ${options.out}` : ""}${failed ? `; ${failed} failed` : ""}\n`);
            if (failed > 0) process.exitCode = 2;
        });

    program
        .command("ingest")
        .description("Extract facts from articles and load them (or --review: write them for a person to correct first)")
        .argument("<inputs...>", "article files or directories")
        .option("--review <dir>", "write the facts documents here for review instead of loading them")
        .option("--published-at <date>", "publication date (YYYY-MM-DD) when the files do not carry one")
        .action(async (inputs: string[], options: { review?: string; publishedAt?: string }) => {
            const files = articleFiles(inputs);
            const registry = Registry.load();
            if (options.review) {
                fs.mkdirSync(options.review, { recursive: true });
                for await (const { file, doc, error } of extractFiles(files, registry, options.publishedAt)) {
                    if (error) process.stderr.write(`not extracted: ${error.message}\n`);
                    else fs.writeFileSync(path.join(options.review, outName(file)), JSON.stringify(doc, null, 2) + "\n");
                }
                process.stdout.write(`Wrote ${files.length} facts document(s) to ${options.review}: correct them (set reviewStatus), then \`npx cyberkg load ${options.review}\`\n`);
                return;
            }
            const graph = await openGraph();
            const bar = progressBar(files.length, "Ingesting");
            const summary = emptySummary();
            try {
                for await (const { file, doc, error: extractError } of extractFiles(files, registry, options.publishedAt)) {
                    try {
                        if (extractError) throw extractError;
                        addResult(summary, await graph.loader.load(unitFromDocument(doc, file)));
                    } catch (error) {
                        if (!(error instanceof CyberkgError)) throw error;
                        summary.rejected++;
                        summary.errors.push({ source: file, message: error.message });
                        process.stderr.write(`rejected: ${error.message}\n`);
                    }
                    bar?.increment(1, { file });
                }
            } finally {
                bar?.stop();
                await graph.close();
            }
            process.stdout.write(formatSummary(summary) + "\n");
            if (summary.rejected > 0) process.exitCode = 2;
        });
}
