/**
 * `cyberkg extract <files|dirs|->`: article text (.txt: title on the first line; .html: <title>/<h1> and the
 * main text) → facts documents. Stdout gets one JSON document per line (what `cyberkg load -` reads), or
 * `--out <dir>` gets one pretty `<name>.facts.json` per article.
 * `cyberkg ingest <files|dirs>` = extract + load, or `--review` to write the documents for correction first.
 *
 * Both annotate through CoreNLP (`openNlp`: NLP_URL, else the local server, started detached on first use), with
 * NLP_CONCURRENCY articles in flight (output stays in input order). Each article is size-capped
 * (MAX_ARTICLE_CHARS) and time-boxed (EXTRACT_TIMEOUT_MS, its NLP request aborted); a bad article is reported
 * and the others go on. Only an unreachable CoreNLP stops the run (every article would fail the same way).
 */
import fs from "node:fs";
import path from "node:path";
import { buffer as readBytes } from "node:stream/consumers";
import cliProgress from "cli-progress";
import { loadConfig } from "../config.ts";
import { CyberkgError, ErrorCode } from "../errors.ts";
import { extractDocument, parseArticle, type ArticleInput } from "../extractor/index.ts";
import { addResult, emptySummary, formatSummary } from "../loader/load-files.ts";
import { decodeUtf8, expandInputs } from "../loader/read-documents.ts";
import { unitFromDocument } from "../loader/load-unit.ts";
import { validateDocument } from "../loader/validate.ts";
import type { FactsDocument } from "../model/facts-document.ts";
import { openNlp, NlpUnavailableError, type NlpAnnotator } from "../nlp/index.ts";
import { Registry } from "../registry/Registry.ts";
import { openGraph } from "./context.ts";

const ARTICLE_EXTENSIONS = new Set([".txt", ".html", ".htm", ".md"]);

/** Article files under the inputs (directories recursively, sorted); `-` is stdin. */
export function articleFiles(inputs: string[]): string[] {
    return expandInputs(inputs, ARTICLE_EXTENSIONS);
}

/** The article in a file (or stdin), decoded as strict UTF-8: invalid bytes are refused with their offset, never turned into U+FFFD. */
async function readInput(file: string): Promise<ArticleInput> {
    const bytes = file === "-" ? await readBytes(process.stdin) : await fs.promises.readFile(file);
    const text = decodeUtf8(bytes);
    if (typeof text !== "string") throw new CyberkgError(ErrorCode.EXTRACTION, `${file === "-" ? "stdin" : file}: ${text.error}`);
    return parseArticle(text, file === "-" ? "" : path.extname(file).toLowerCase());
}

export type Extracted = { file: string; doc: FactsDocument; error?: undefined } | { file: string; doc?: undefined; error: CyberkgError };

export interface ExtractSettings {
    nlp: NlpAnnotator;
    /** Articles in flight at once (NLP_CONCURRENCY). */
    concurrency: number;
    /** MAX_ARTICLE_CHARS */
    maxArticleChars: number;
    /** EXTRACT_TIMEOUT_MS */
    timeoutMs: number;
    /** Publication date for files that do not carry one. */
    publishedAt?: string;
}

/** One facts document per article, in input order, or the reason an article gave none (the others still come). */
export async function* extractFiles(files: string[], registry: Registry, settings: ExtractSettings): AsyncGenerator<Extracted> {
    yield* mapOrdered(files, settings.concurrency, (file) => extractOne(file, registry, settings));
}

async function extractOne(file: string, registry: Registry, settings: ExtractSettings): Promise<Extracted> {
    const name = file === "-" ? "stdin" : file;
    try {
        const input = await readInput(file);
        if (input.text.trim().length === 0) throw new CyberkgError(ErrorCode.EXTRACTION, `${name}: the article is empty`);
        if (input.text.length > settings.maxArticleChars) {
            throw new CyberkgError(
                ErrorCode.EXTRACTION,
                `${name}: the article has ${input.text.length} characters, more than the limit of ${settings.maxArticleChars} (MAX_ARTICLE_CHARS): split it, or raise MAX_ARTICLE_CHARS`,
            );
        }
        const article = { ...input, publishedAt: settings.publishedAt ?? input.publishedAt };
        const doc = await timeBoxed(name, settings.timeoutMs, (signal) => extractDocument(article, registry, settings.nlp, { signal }));
        // The extractor's output must be a valid facts document: check it like any other input.
        return { file, doc: validateDocument(doc, name) };
    } catch (error) {
        if (error instanceof NlpUnavailableError) throw error;
        if (error instanceof CyberkgError) return { file, error: error.message.startsWith(`${name}:`) ? error : new CyberkgError(error.code, `${name}: ${error.message}`, { cause: error }) };
        // A bug the article triggers must not end a batch: report it with the article, go on.
        return { file, error: new CyberkgError(ErrorCode.EXTRACTION, `${name}: extraction failed (${error instanceof Error ? `${error.name}: ${error.message}` : String(error)})`, { cause: error }) };
    }
}

/**
 * Runs one article's extraction with a time box: when it expires the signal aborts (cancelling the NLP request)
 * and the article fails; a result that arrives after the box (synchronous work overran it) is discarded too.
 */
export async function timeBoxed<T>(name: string, timeoutMs: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const error = () => new CyberkgError(ErrorCode.EXTRACTION, `${name}: extraction took longer than ${timeoutMs} ms (EXTRACT_TIMEOUT_MS); its NLP request was aborted`);
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
            const e = error();
            controller.abort(e);
            reject(e);
        }, timeoutMs);
    });
    const work = run(controller.signal);
    work.catch(() => {}); // it may reject after the box expired: nobody waits for it then
    try {
        const result = await Promise.race([work, expired]);
        if (performance.now() - started > timeoutMs) throw error();
        return result;
    } catch (e) {
        if (controller.signal.aborted) throw error();
        throw e;
    } finally {
        clearTimeout(timer);
    }
}

/**
 * `fn` over `items` with at most `concurrency` calls running, yielding results in input order. Calls start at
 * most `4 × concurrency` items ahead of the oldest unfinished one, so one slow article does not buffer the rest.
 */
export async function* mapOrdered<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): AsyncGenerator<R> {
    const window = Math.max(1, concurrency) * 4;
    let running = 0;
    const waiting: (() => void)[] = [];
    const run = async (item: T): Promise<R> => {
        while (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
        running++;
        try {
            return await fn(item);
        } finally {
            running--;
            waiting.shift()?.();
        }
    };
    const pending: Promise<R>[] = [];
    let next = 0;
    while (next < items.length || pending.length > 0) {
        while (next < items.length && pending.length < window) {
            const p = run(items[next++]!);
            p.catch(() => {}); // rejections surface when it is its turn (below)
            pending.push(p);
        }
        yield await pending.shift()!;
    }
}

/**
 * The extraction settings from the config, with the annotator (NLP_URL, or the local CoreNLP, started if needed;
 * with no article to extract, nothing is started).
 */
export async function extractSettings(files: readonly string[], publishedAt?: string): Promise<ExtractSettings> {
    const config = loadConfig();
    const onProgress = (m: string) => process.stderr.write(m + "\n");
    const nlp: NlpAnnotator = files.length > 0 ? await openNlp(config, { onProgress }) : { annotate: async () => ({ sentences: [] }) };
    return { nlp, concurrency: config.extract.concurrency, maxArticleChars: config.extract.maxArticleChars, timeoutMs: config.extract.timeoutMs, publishedAt };
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

/** `cyberkg extract`: articles → facts documents on stdout (JSON lines) or into --out. */
export async function runExtract(inputs: string[], options: { out?: string; publishedAt?: string }): Promise<void> {
    const files = articleFiles(inputs);
    const registry = Registry.load();
    const settings = await extractSettings(files, options.publishedAt);
    if (options.out) fs.mkdirSync(options.out, { recursive: true });
    const bar = options.out ? progressBar(files.length, "Extracting") : undefined;
    let facts = 0;
    let failed = 0;
    for await (const { file, doc, error } of extractFiles(files, registry, settings)) {
        if (error) {
            failed++;
            process.stderr.write(`${bar ? "\n" : ""}not extracted: ${error.message}\n`);
            bar?.increment(1, { file });
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
}

/** `cyberkg ingest`: extract and load, or --review to write the documents for a person first. */
export async function runIngest(inputs: string[], options: { review?: string; publishedAt?: string }): Promise<void> {
    const files = articleFiles(inputs);
    const registry = Registry.load();
    const settings = await extractSettings(files, options.publishedAt);
    if (options.review) {
        fs.mkdirSync(options.review, { recursive: true });
        let written = 0;
        for await (const { file, doc, error } of extractFiles(files, registry, settings)) {
            if (error) process.stderr.write(`not extracted: ${error.message}\n`);
            else {
                fs.writeFileSync(path.join(options.review, outName(file)), JSON.stringify(doc, null, 2) + "\n");
                written++;
            }
        }
        process.stdout.write(`Wrote ${written} facts document(s) to ${options.review}: correct them (set reviewStatus), then \`npx cyberkg load ${options.review}\`\n`);
        if (written < files.length) process.exitCode = 2;
        return;
    }
    const graph = await openGraph();
    const bar = progressBar(files.length, "Ingesting");
    const summary = emptySummary();
    try {
        for await (const { file, doc, error: extractError } of extractFiles(files, registry, settings)) {
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
}
