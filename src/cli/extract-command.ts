/**
 * Registers `cyberkg extract` and `cyberkg ingest`. The extractor, CoreNLP client and loader are imported when a
 * command runs (src/cli/extract.ts), so `cyberkg --help` does not pay for them.
 */
import type { Command } from "commander";

export function registerExtract(program: Command): void {
    program
        .command("extract")
        .description("Extract facts documents from articles (.txt with the title on line 1, or .html) with Stanford CoreNLP (local, or NLP_URL)")
        .argument("<inputs...>", "article files or directories; - reads one article from stdin")
        .option("--out <dir>", "write <name>.facts.json files here instead of JSON lines on stdout")
        .option("--published-at <date>", "publication date (YYYY-MM-DD) when the files do not carry one")
        .action(async (inputs: string[], options: { out?: string; publishedAt?: string }) => (await import("./extract.ts")).runExtract(inputs, options));

    program
        .command("ingest")
        .description("Extract facts from articles, web pages and feeds and load them; copies of stored articles are recorded, not loaded (or --review: write the documents of files for a person to correct first)")
        .argument("<inputs...>", "article files or directories, http(s) URLs of article pages, or URLs of RSS 2.0 / Atom / JSON feeds")
        .option("--review <dir>", "write the facts documents here for review instead of loading them (files only)")
        .option("--published-at <date>", "publication date (YYYY-MM-DD) for articles that carry none")
        .action(async (inputs: string[], options: { review?: string; publishedAt?: string }) => (await import("./ingest.ts")).runIngest(inputs, options));
}
