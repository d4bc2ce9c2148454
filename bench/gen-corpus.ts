/**
 * Writes a deterministic synthetic corpus of facts documents as JSON lines (see corpus.ts for its shape):
 *   npm run gen:corpus -- --documents 1000 --seed 1 [--out corpus.jsonl] [--reload-share 0.03]
 * Without --out the lines go to stdout. Same options, same bytes.
 */
import fs from "node:fs";
import { once } from "node:events";
import { Command, InvalidArgumentError } from "commander";
import { Registry } from "../src/registry/Registry.ts";
import { generateCorpus } from "./corpus.ts";

function integer(min: number) {
    return (value: string) => {
        const n = Number(value);
        if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`must be an integer ≥ ${min}`);
        return n;
    };
}
function share(value: string) {
    const n = Number(value);
    if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError("must be a number between 0 and 1");
    return n;
}

const program = new Command("gen:corpus")
    .description("Generate a synthetic facts-document corpus (JSON lines)")
    .requiredOption("--documents <n>", "number of documents", integer(1))
    .option("--seed <n>", "random seed (same seed, same corpus)", integer(0), 1)
    .option("--reload-share <share>", "share of documents that reload an earlier article with changed facts", share, 0.03)
    .option("--out <file>", "write to this file instead of stdout")
    .parse();
const opts = program.opts<{ documents: number; seed: number; reloadShare: number; out?: string }>();

// `gen:corpus … | head` closes the pipe early: stop quietly.
process.stdout.on("error", (error: NodeJS.ErrnoException) => (error.code === "EPIPE" ? process.exit(0) : Promise.reject(error)));
const out = opts.out ? fs.createWriteStream(opts.out) : process.stdout;
let facts = 0;
for (const doc of generateCorpus(Registry.load(), { documents: opts.documents, seed: opts.seed, reloadShare: opts.reloadShare })) {
    facts += doc.facts.length;
    if (!out.write(JSON.stringify(doc) + "\n")) await once(out, "drain");
}
if (opts.out) {
    await new Promise<void>((resolve) => out.end(() => resolve()));
    process.stderr.write(`Wrote ${opts.documents} documents, ${facts} facts to ${opts.out}\n`);
}
