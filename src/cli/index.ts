/**
 * `cyberkg` — the command line. Each command lives in its own file; this one only wires them up and turns
 * errors into one-line messages with a non-zero exit status.
 */
import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { REPO_ROOT, loadConfig } from "../config.ts";
import { CyberkgError } from "../errors.ts";
import { registerStart } from "./start.ts";
import { registerNeo4j } from "./neo4j.ts";
import { registerNlp } from "./nlp.ts";
import { registerLoad } from "./load.ts";
import { registerRetract } from "./retract.ts";
import { registerExport } from "./export.ts";
import { registerMerge } from "./merge.ts";
import { registerImportStix } from "./import-stix.ts";
import { registerImportSanctions } from "./import-sanctions.ts";
import { registerExtract } from "./extract-command.ts";
import { registerReextract } from "./reextract.ts";
import { registerFeeds } from "./feeds.ts";
import { registerBackup } from "./backup.ts";

const program = new Command()
    .name("cyberkg")
    .description("Knowledge graph of state cyber operations and sanctions: article facts → Neo4j → GraphQL")
    .version((JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version, "-V, --version")
    .showHelpAfterError();

registerStart(program);
registerNeo4j(program);
registerNlp(program);
registerLoad(program);
registerRetract(program);
registerExport(program);
registerMerge(program);
registerImportStix(program);
registerImportSanctions(program);
registerExtract(program);
registerReextract(program);
registerFeeds(program);
registerBackup(program);

try {
    await program.parseAsync(process.argv);
} catch (error) {
    if (error instanceof CyberkgError) {
        process.stderr.write(`cyberkg: ${error.message}\n`);
        process.exit(1);
    }
    // A Neo4j error no command translated (credentials, connection) still gets one line and what to do.
    const { neo4jErrorMessage } = await import("../neo4j/connection.ts");
    let uri: string | undefined;
    try {
        uri = loadConfig().neo4j.uri;
    } catch {
        /* a bad config was reported already */
    }
    const message = neo4jErrorMessage(error, uri);
    if (message) {
        process.stderr.write(`cyberkg: ${message}\n`);
        process.exit(1);
    }
    throw error;
}
