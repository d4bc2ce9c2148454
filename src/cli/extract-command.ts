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
        .option("--published-at <date>", "publication date when the files do not carry one (2024-03-25, \"25 March 2024\", …)")
        .action(async function (this: Command, inputs: string[], options: { out?: string; publishedAt?: string }) {
            const publishedAt = await publishedAtOf(this, options.publishedAt);
            await (await import("./extract.ts")).runExtract(inputs, { ...options, publishedAt });
        });

    program
        .command("ingest")
        .description("Extract facts from articles, web pages and feeds and load them; copies of stored articles are recorded, not loaded (or --review: write the documents for a person to correct first)")
        .argument("<inputs...>", "article files or directories, http(s) URLs of article pages, or URLs of RSS 2.0 / Atom / JSON feeds")
        .option("--review <dir>", "write the facts documents here for a person to review instead of loading them (then `cyberkg load <dir>`); with URLs, stored articles and copies are left out and the graph is only read")
        .option("--published-at <date>", "publication date for articles that carry none (2024-03-25, \"25 March 2024\", …)")
        .action(async function (this: Command, inputs: string[], options: { review?: string; publishedAt?: string }) {
            const publishedAt = await publishedAtOf(this, options.publishedAt);
            await (await import("./ingest.ts")).runIngest(inputs, { ...options, publishedAt });
        });
}

/** The --published-at value normalised (src/cli/published-at.ts, loaded only when given), or a usage error naming the accepted forms. */
async function publishedAtOf(command: Command, value: string | undefined): Promise<string | undefined> {
    if (value === undefined) return undefined;
    const { parsePublishedAt } = await import("./published-at.ts");
    try {
        return parsePublishedAt(value);
    } catch (error) {
        return command.error(`error: option '--published-at <date>': ${(error as Error).message}`, { exitCode: 2, code: "cyberkg.publishedAt" });
    }
}
