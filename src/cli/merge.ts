/** `cyberkg merge <survivor> <merged>` and `cyberkg unmerge <merged>`: explicit, reversible identity decisions. */
import type { Command } from "commander";
import { openGraph } from "./context.ts";
import { cliUser } from "./retract.ts";

export function registerMerge(program: Command): void {
    program
        .command("merge")
        .description("Merge entity B into entity A (same type): B's claims move to A, B's names become A's aliases; undo with unmerge")
        .argument("<a>", "id of the entity that stays, e.g. actor:apt31")
        .argument("<b>", "id of the entity merged into it")
        .option("--reason <text>", "why (kept in the merge history with your user name and the time)")
        .action(async (a: string, b: string, options: { reason?: string }) => {
            const { mergeEntities } = await import("../loader/merge.ts");
            const graph = await openGraph();
            try {
                const result = await mergeEntities(graph.driver, graph.conn.database, a, b, { by: cliUser(), reason: options.reason });
                process.stdout.write(`Merged ${b} into ${a}: ${result.claimsMoved} claims moved\n`);
            } finally {
                await graph.close();
            }
        });
    program
        .command("unmerge")
        .description("Undo a merge: the merged entity comes back with its own claims and names")
        .argument("<b>", "id of the entity that was merged")
        .option("--reason <text>", "why (kept in the merge history with your user name and the time)")
        .action(async (b: string, options: { reason?: string }) => {
            const { unmergeEntity } = await import("../loader/merge.ts");
            const graph = await openGraph();
            try {
                const result = await unmergeEntity(graph.driver, graph.conn.database, b, { by: cliUser(), reason: options.reason });
                process.stdout.write(`Unmerged ${b} from ${result.survivorId}: ${result.claimsMoved} claims moved back\n`);
            } finally {
                await graph.close();
            }
        });
}
