/**
 * Extraction benchmark, end to end: corpus articles (test/fixtures/articles/**\/*.txt, repeated up to N) →
 * CoreNLP (NLP_URL, else the local server, started and warmed first) → extractor → facts documents, at each
 * concurrency (parallel NLP requests, as `extract` runs with NLP_CONCURRENCY). Prints articles/s, tokens/s, the
 * share of time spent waiting for CoreNLP, and this process's RSS/heap sampled every 100 ms over each run
 * (first vs last quarter: a flat footprint shows as equal numbers).
 *   npm run bench:extract [-- N] [--concurrency 1,2,4]        N defaults to 200; `-- 5000` is the memory run
 */
import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { loadConfig, REPO_ROOT } from "../src/config.ts";
import { mapOrdered } from "../src/cli/extract.ts";
import { extractDocument } from "../src/extractor/pipeline.ts";
import { parseArticle, type ArticleInput } from "../src/extractor/text.ts";
import { openNlp, type NlpAnnotator } from "../src/nlp/index.ts";
import { Registry } from "../src/registry/Registry.ts";

const program = new Command()
    .argument("[articles]", "articles per run (the corpus repeated)", "200")
    .option("--concurrency <list>", "comma-separated concurrencies", "1,2,4")
    .parse();
const total = Number(program.args[0] ?? 200);
const levels = String(program.opts<{ concurrency: string }>().concurrency).split(",").map(Number);

function corpusFiles(dir: string): string[] {
    return fs
        .readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile() && e.name.endsWith(".txt") && e.name !== "README.txt")
        .map((e) => path.join(e.parentPath, e.name))
        .sort();
}
const corpus: ArticleInput[] = corpusFiles(path.join(REPO_ROOT, "test", "fixtures", "articles")).map((f) => parseArticle(fs.readFileSync(f, "utf8"), ".txt"));
if (corpus.length === 0) throw new Error("no corpus articles under test/fixtures/articles");
const articles = Array.from({ length: total }, (_, k) => corpus[k % corpus.length]!);

const config = loadConfig();
const registry = Registry.load();
const client = await openNlp(config, { onProgress: (m) => process.stderr.write(m + "\n") });
let tokens = 0;
let nlpMs = 0;
const counting: NlpAnnotator = {
    async annotate(text, options) {
        const t = performance.now();
        const doc = await client.annotate(text, options);
        nlpMs += performance.now() - t;
        for (const s of doc.sentences) tokens += s.tokens.length;
        return doc;
    },
};
// Warm: the server's pipeline and our extractor's lexicon.
for (const a of corpus.slice(0, 2)) await extractDocument(a, registry, client);

const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
interface Row {
    c: number;
    secs: number;
    tokens: number;
    facts: number;
    nlpShare: number;
    rss: number[];
    heap: number[];
}
const rows: Row[] = [];
for (const c of levels) {
    tokens = 0;
    nlpMs = 0;
    let facts = 0;
    const rss: number[] = [];
    const heap: number[] = [];
    const sample = () => {
        const m = process.memoryUsage();
        rss.push(m.rss);
        heap.push(m.heapUsed);
    };
    const timer = setInterval(sample, 100);
    const t0 = performance.now();
    let done = 0;
    for await (const doc of mapOrdered(articles, c, (a) => extractDocument(a, registry, counting))) {
        facts += doc.facts.length;
        if (++done % 50 === 0) process.stderr.write(`  concurrency ${c}: ${done}/${total}\r`);
    }
    const secs = (performance.now() - t0) / 1000;
    clearInterval(timer);
    sample();
    rows.push({ c, secs, tokens, facts, nlpShare: nlpMs / c / 1000 / secs, rss, heap });
}

const quarter = (xs: number[], which: "first" | "last") => {
    const n = Math.max(1, Math.floor(xs.length / 4));
    const part = which === "first" ? xs.slice(0, n) : xs.slice(-n);
    return part.reduce((a, b) => a + b, 0) / part.length;
};
console.log(`\n${total} articles per run (${corpus.length} distinct corpus articles, repeated); CoreNLP at ${client.url}, NLP_THREADS=${config.nlp.threads} for a local server\n`);
console.log("| concurrency | seconds | articles/s | tokens/s | facts | waiting on CoreNLP | RSS MB first¼ → last¼ (peak) | heap MB first¼ → last¼ (peak) |");
console.log("|---:|---:|---:|---:|---:|---:|---|---|");
for (const r of rows) {
    console.log(
        `| ${r.c} | ${r.secs.toFixed(1)} | ${(total / r.secs).toFixed(2)} | ${(r.tokens / r.secs).toFixed(0)} | ${r.facts} | ${(r.nlpShare * 100).toFixed(0)}% | ${mb(quarter(r.rss, "first"))} → ${mb(quarter(r.rss, "last"))} (${mb(Math.max(...r.rss))}) | ${mb(quarter(r.heap, "first"))} → ${mb(quarter(r.heap, "last"))} (${mb(Math.max(...r.heap))}) |`,
    );
}
console.log("\nWall-clock numbers depend on what else runs on the machine (the CoreNLP server shares its cores).");
