/**
 * Scores the extractor (src/extractor/pipeline.ts extractDocument) on the annotated corpus, dev and held-out
 * separately (test/fixtures/articles/README.md):
 *   tsx scripts/eval-extract.ts [--split dev|heldout|all] [--verbose] [--json [file]] [--dir <corpus root>] [--only NAME]
 *                               [--timeout <ms per article>] [--concurrency 2] [--nlp-cache <dir> | --no-nlp-cache]
 * --verbose lists misses, false facts and certainty/claimant mismatches for dev only; held-out gives numbers only.
 * NLP: the server the config names (NLP_URL, else the local CoreNLP runtime, started on demand).
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, Option } from "commander";
import { Registry } from "../src/registry/Registry.ts";
import { extractDocument } from "../src/extractor/pipeline.ts";
import { listCorpus, numbersOnly, runCorpus, DEFAULT_CORPUS_DIR, SPLITS, type Agreement, type Counts, type EvalReport, type Split } from "../src/extractor/evaluate.ts";
import { loadConfig } from "../src/config.ts";
import { openNlp } from "../src/nlp/index.ts";
import { PIPELINE_PROPERTIES } from "../src/nlp/properties.ts";
import type { NlpAnnotator, NlpDocument } from "../src/nlp/types.ts";

const program = new Command()
    .name("eval-extract")
    .addOption(new Option("--split <split>", "which split to score").choices(["dev", "heldout", "all"]).default("all"))
    .option("-v, --verbose", "list misses, false facts and certainty/claimant mismatches per article (dev only)")
    .option("--json [file]", "write the report as JSON (to the file, or to stdout)")
    .option("--dir <dir>", "corpus root (with dev/, heldout/, gold/)", DEFAULT_CORPUS_DIR)
    .option("--only <name>", "only articles whose name contains this")
    .option("--timeout <ms>", "time box per article", "180000")
    .option("--concurrency <n>", "articles annotated at a time", "2")
    .option("--nlp-cache <dir>", "cache of NLP annotations (keyed by server, settings and text)", join(tmpdir(), "cyberkg-eval-nlp-cache"))
    .option("--no-nlp-cache", "annotate every article afresh")
    .parse();
const opts = program.opts<{
    split: "dev" | "heldout" | "all";
    verbose?: boolean;
    json?: boolean | string;
    dir: string;
    only?: string;
    timeout: string;
    concurrency: string;
    nlpCache: string | false;
}>();

const HELDOUT_NOTICE = "held-out: numbers only. Its misses and false facts are never shown: do not look at held-out errors while tuning.";

/**
 * Annotations are deterministic for a server and its settings, so repeated evaluations reuse them: one JSON file
 * per (key, text) in `dir`. Annotating the corpus on a busy 2-core machine takes minutes; scoring takes a second.
 */
function cached(inner: NlpAnnotator, dir: string, key: string): NlpAnnotator {
    mkdirSync(dir, { recursive: true });
    return {
        async annotate(text, options) {
            const file = join(dir, createHash("sha256").update(key).update("\0").update(text).digest("hex") + ".json");
            try {
                return JSON.parse(readFileSync(file, "utf8")) as NlpDocument;
            } catch {
                const doc = await inner.annotate(text, options);
                writeFileSync(file + ".tmp", JSON.stringify(doc));
                renameSync(file + ".tmp", file);
                return doc;
            }
        },
    };
}

// ---------------------------------------------------------------------------------------------

const splits: Split[] = opts.split === "all" ? [...SPLITS] : [opts.split];
let items = listCorpus({ root: opts.dir, splits });
if (opts.only) items = items.filter((i) => i.name.includes(opts.only!));
if (items.length === 0) {
    console.error(`eval-extract: no annotated articles for split ${opts.split} under ${opts.dir}${opts.only ? ` matching '${opts.only}'` : ""}`);
    process.exit(1);
}

// The NLP server the config names (NLP_URL, else the local runtime, started on demand).
const client = await openNlp(loadConfig(), { onProgress: (m) => process.stderr.write(m + "\n") });
const nlpUrl = client.url;
const registry = Registry.load();
const nlp = opts.nlpCache ? cached(client, opts.nlpCache, `${JSON.stringify(PIPELINE_PROPERTIES)}`) : client;
const timeoutMs = Number(opts.timeout);
const started = performance.now();
const { reports, failures } = await runCorpus(items, (input) => extractDocument(input, registry, nlp, { signal: AbortSignal.timeout(timeoutMs) }), {
    concurrency: Number(opts.concurrency),
});
const seconds = (performance.now() - started) / 1000;

const jsonReport = {
    nlpUrl,
    seconds: Number(seconds.toFixed(1)),
    ...(reports.dev ? { dev: reports.dev } : {}),
    ...(reports.heldout ? { heldout: { notice: HELDOUT_NOTICE, ...numbersOnly(reports.heldout) } } : {}),
    failures,
};

if (opts.json === true) {
    console.log(JSON.stringify(jsonReport, null, 2));
} else {
    if (typeof opts.json === "string") writeFileSync(opts.json, JSON.stringify(jsonReport, null, 2) + "\n");
    const fmt = (c: Counts) => `P ${c.precision.toFixed(3)}  R ${c.recall.toFixed(3)}  F1 ${c.f1.toFixed(3)}  (tp ${c.tp}, fp ${c.fp}, fn ${c.fn})`;
    const share = (a: Agreement) => (a.rate === null ? "n/a" : `${a.rate.toFixed(3)}  (${a.agree}/${a.total})`);
    const summary = (title: string, r: EvalReport) => {
        console.log(`\n== ${title}: ${r.articleCount} articles`);
        console.log(`overall             ${fmt(r.overall)}`);
        for (const [p, c] of Object.entries(r.perPredicate)) console.log(`  ${p.padEnd(18)}${fmt(c)}`);
        console.log(`certainty agreement ${share(r.certainty)}  of matched facts`);
        console.log(`claimant accuracy   ${share(r.claimant)}  of matched facts with a claimant in gold or prediction`);
        console.log(`date agreement      ${share(r.dates)}  of matched facts with a date in gold or prediction`);
    };
    if (opts.verbose && reports.dev) {
        for (const a of reports.dev.articles) {
            console.log(`\n## ${a.name}: ${fmt(a.counts)}`);
            for (const m of a.misses) console.log(`  MISS  ${m.subject} ${m.predicate} ${m.object}${m.evidence ? `   «${m.evidence.slice(0, 160)}»` : ""}`);
            for (const f of a.falseFacts) console.log(`  FALSE ${f.subject} ${f.predicate} ${f.object}${f.evidence ? `   «${f.evidence.slice(0, 140)}»` : ""}`);
            for (const m of a.certaintyMismatches) console.log(`  CERT  ${m.subject} ${m.predicate} ${m.object}: ${m.predicted}, gold ${m.gold}`);
            for (const m of a.claimantMismatches) console.log(`  CLAIM ${m.subject} ${m.predicate} ${m.object}: ${m.predicted}, gold ${m.gold}`);
            for (const m of a.dateMismatches) console.log(`  DATE  ${m.subject} ${m.predicate} ${m.object}: ${m.predicted}, gold ${m.gold}${m.evidence ? `   «${m.evidence.slice(0, 120)}»` : ""}`);
        }
    }
    if (reports.dev) summary("dev (dev/ + the shared source article)", reports.dev);
    if (reports.heldout) {
        summary("held-out (heldout/)", reports.heldout);
        console.log(HELDOUT_NOTICE);
    }
    if (failures.length > 0) {
        console.log(`\n${failures.length} article(s) failed to extract (scored as empty):`);
        for (const f of failures) console.log(`  ${f.split}/${f.name}: ${f.error}`);
    }
    console.log(`\n${items.length} articles in ${seconds.toFixed(1)} s (NLP ${nlpUrl})`);
}
