/** `cyberkg backup <file>` and `cyberkg restore <file>` (src/neo4j/backup.ts says how each kind of server is handled). */
import type { Command } from "commander";
import { loadConfig } from "../config.ts";
import type { GraphChecksum } from "../neo4j/graph-checksum.ts";

const describe = (c: GraphChecksum) => `graph checksum ${c.hash.slice(0, 16)} (${c.nodes} nodes, ${c.relationships} relationships)`;

export function registerBackup(program: Command): void {
    program
        .command("backup")
        .description("Back up the whole graph to a file: neo4j-admin dump for the local Neo4j (stopped briefly), a Cypher script for NEO4J_URI")
        .argument("<file>", "the backup file to write")
        .option("--force", "overwrite the file if it exists")
        .addHelpText("after", "\nExamples:\n  npx cyberkg backup backups/cyberkg-2026-12-02.dump\n  NEO4J_URI=bolt://db:7687 NEO4J_PASSWORD=… npx cyberkg backup cyberkg.cypher\n")
        .action(async (file: string, options: { force?: boolean }) => {
            const started = Date.now();
            const { backup } = await import("../neo4j/backup.ts");
            const result = await backup(loadConfig(), file, { force: options.force, onProgress: (m) => process.stderr.write(m + "\n") });
            const size = `${(result.bytes / 1e6).toFixed(1)} MB`;
            process.stdout.write(`Backed up to ${result.file} (${result.kind === "dump" ? "neo4j-admin dump" : "Cypher script"}, ${size}) in ${((Date.now() - started) / 1000).toFixed(1)}s${result.checksum ? `; ${describe(result.checksum)}` : ""}\n`);
        });
    program
        .command("restore")
        .description("Restore a backup made by `cyberkg backup` (into an empty database unless --replace)")
        .argument("<file>", "the backup file (a neo4j-admin dump or a Cypher script)")
        .option("--replace", "replace the graph that is there (back it up first)")
        .addHelpText("after", "\nExamples:\n  npx cyberkg restore backups/cyberkg-2026-12-02.dump\n  npx cyberkg restore --replace cyberkg.cypher\n")
        .action(async (file: string, options: { replace?: boolean }) => {
            const started = Date.now();
            const { restore } = await import("../neo4j/backup.ts");
            const result = await restore(loadConfig(), file, { replace: options.replace, onProgress: (m) => process.stderr.write(m + "\n") });
            process.stdout.write(`Restored ${result.file} (${result.kind === "dump" ? "neo4j-admin dump" : "Cypher script"}) in ${((Date.now() - started) / 1000).toFixed(1)}s; ${describe(result.checksum)}\n`);
        });
}
