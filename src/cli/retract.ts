/** `cyberkg retract <article-id>`: withdraw an article's claims (kept for audit, or purged). */
import type { Command } from "commander";
import { openGraph } from "./context.ts";

export function registerRetract(program: Command): void {
    program
        .command("retract")
        .description("Withdraw an article: its claims are marked retracted and edges nothing else supports leave the graph")
        .argument("<article-id>", "the article's id (see `article.id` in its facts document)")
        .option("--purge", "delete the claims instead of keeping them for audit")
        .action(async (id: string, options: { purge?: boolean }) => {
            const graph = await openGraph();
            try {
                const result = await graph.loader.retract(id, { purge: options.purge });
                process.stdout.write(`Retracted ${id}: ${result.claims} claims ${options.purge ? "deleted" : "marked retracted"}, ${result.edgesAffected} edges recomputed\n`);
            } finally {
                await graph.close();
            }
        });
}
