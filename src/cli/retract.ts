/** `cyberkg retract <article-id>`: withdraw an article's claims (kept for audit, or purged). */
import type { Command } from "commander";
import os from "node:os";
import { openGraph } from "./context.ts";

/** Who runs the command, for audit records: the operating-system user. */
export function cliUser(): string {
    try {
        return `cli:${os.userInfo().username}`;
    } catch {
        return "cli:unknown";
    }
}

export function registerRetract(program: Command): void {
    program
        .command("retract")
        .description("Withdraw an article: its claims are marked retracted and edges nothing else supports leave the graph")
        .argument("<article-id>", "the article's id (see `article.id` in its facts document)")
        .option("--purge", "delete the claims instead of keeping them for audit")
        .option("--reason <text>", "why it is withdrawn (kept with the retracted claims, with your user name and the time)")
        .action(async (id: string, options: { purge?: boolean; reason?: string }) => {
            const graph = await openGraph();
            try {
                const result = await graph.loader.retract(id, { purge: options.purge, reason: options.reason, by: cliUser() });
                process.stdout.write(`Retracted ${id}: ${result.claims} claims ${options.purge ? "deleted" : "marked retracted"}, ${result.edgesAffected} edges recomputed\n`);
            } finally {
                await graph.close();
            }
        });
}
