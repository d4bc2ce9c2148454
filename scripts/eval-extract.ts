/**
 * Scores the extractor on the annotated corpus (test/fixtures/articles) and the shared source article.
 *   tsx scripts/eval-extract.ts [--verbose] [--json] [--dir test/fixtures/articles] [--only NAME]
 */
import { Command } from "commander";
import { Registry } from "../src/registry/Registry.ts";
import { evaluateCorpus, listCorpus, DEFAULT_CORPUS_DIR, type Counts } from "../src/extractor/evaluate.ts";

const program = new Command()
    .name("eval-extract")
    .option("-v, --verbose", "list misses and false facts per article")
    .option("--json", "machine-readable output")
    .option("--dir <dir>", "corpus directory", DEFAULT_CORPUS_DIR)
    .option("--only <name>", "only articles whose name contains this")
    .parse();
const opts = program.opts<{ verbose?: boolean; json?: boolean; dir: string; only?: string }>();

const registry = Registry.load();
let items = listCorpus(opts.dir);
if (opts.only) items = items.filter((i) => i.name.includes(opts.only!));
const report = evaluateCorpus(registry, items);

if (opts.json) {
    console.log(JSON.stringify({ articleCount: items.length, ...report }, null, 2));
} else {
    const fmt = (c: Counts) => `P ${c.precision.toFixed(3)}  R ${c.recall.toFixed(3)}  F1 ${c.f1.toFixed(3)}  (tp ${c.tp}, fp ${c.fp}, fn ${c.fn})`;
    if (opts.verbose) {
        for (const a of report.articles) {
            console.log(`\n## ${a.name}: ${fmt(a.counts)}`);
            for (const m of a.misses) console.log(`  MISS  ${m.subject} ${m.predicate} ${m.object}${m.evidence ? `   «${m.evidence.slice(0, 160)}»` : ""}`);
            for (const f of a.falseFacts) console.log(`  FALSE ${f.subject} ${f.predicate} ${f.object}${f.evidence ? `   «${f.evidence.slice(0, 140)}»` : ""}`);
        }
        console.log("");
    }
    console.log(`articles: ${items.length}`);
    console.log(`overall        ${fmt(report.overall)}`);
    for (const [p, c] of Object.entries(report.perPredicate)) console.log(`${p.padEnd(15)}${fmt(c)}`);
}
