/**
 * Extraction benchmark: runs the extractor over the corpus repeatedly (at least --seconds, default 6 s)
 * and prints articles/second and peak RSS/heap, sampled after every article, per iteration — so a
 * growing footprint shows as rising numbers across iterations.
 * Wall-clock articles/s depends on machine load; articles per CPU second is the rate one process reaches on an idle core.
 *   tsx bench/extract.ts [--seconds 6] [--iterations N]
 */
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { Registry } from "../src/registry/Registry.ts";
import { extractArticle } from "../src/extractor/extract.ts";
import { listCorpus } from "../src/extractor/evaluate.ts";
import { parseArticle, type ArticleInput } from "../src/extractor/text.ts";

const opts = new Command().option("--seconds <n>", "minimum run time", "6").option("--iterations <n>", "fixed number of passes over the corpus").parse().opts<{ seconds: string; iterations?: string }>();

const registry = Registry.load();
const articles: ArticleInput[] = listCorpus().map((it) => parseArticle(readFileSync(it.textPath, "utf8"), ".txt"));
if (articles.length === 0) throw new Error("no corpus articles found");
const mb = (n: number) => (n / 1024 / 1024).toFixed(1);

// warm-up (builds the registry lexicon once)
for (const a of articles) extractArticle(a, registry);

const minMs = Number(opts.seconds) * 1000;
const maxIter = opts.iterations ? Number(opts.iterations) : Infinity;
let done = 0;
let facts = 0;
let peakRss = 0;
let peakHeap = 0;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
let extractMs = 0;
const rows: string[] = [];
for (let iter = 1; iter <= maxIter; iter++) {
    let iterRss = 0;
    let iterHeap = 0;
    const ti = performance.now();
    for (const a of articles) {
        const ta = performance.now();
        facts += extractArticle(a, registry).facts.length;
        extractMs += performance.now() - ta;
        done++;
        const m = process.memoryUsage();
        iterRss = Math.max(iterRss, m.rss);
        iterHeap = Math.max(iterHeap, m.heapUsed);
    }
    peakRss = Math.max(peakRss, iterRss);
    peakHeap = Math.max(peakHeap, iterHeap);
    const elapsed = performance.now() - t0;
    if (iter === 1 || iter % 10 === 0) rows.push(`iteration ${String(iter).padStart(4)}: ${(articles.length / ((performance.now() - ti) / 1000)).toFixed(0).padStart(5)} articles/s, peak rss ${mb(iterRss)} MB, peak heap ${mb(iterHeap)} MB`);
    if (elapsed >= minMs && maxIter === Infinity) break;
}
const secs = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSecs = (cpu.user + cpu.system) / 1e6;
for (const r of rows) console.log(r);
console.log(`\n${done} articles (${articles.length} distinct) in ${secs.toFixed(2)} s: ${(done / secs).toFixed(0)} articles/s wall clock, ${facts} facts`);
console.log(`extraction alone (memory sampling excluded): ${(done / (extractMs / 1000)).toFixed(0)} articles/s, ${(extractMs / done).toFixed(2)} ms per article`);
// wall-clock throughput depends on what else runs on the machine; CPU time does not
console.log(`CPU time ${cpuSecs.toFixed(2)} s: ${(done / cpuSecs).toFixed(0)} articles per CPU second (the single-process rate on an idle core)`);
console.log(`peak rss ${mb(peakRss)} MB, peak heap used ${mb(peakHeap)} MB`);
