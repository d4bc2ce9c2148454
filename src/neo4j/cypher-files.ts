/** Reading and running the `.cypher` files in cypher/: statements separated by `;` at line ends, `//` comments. */
import fs from "node:fs";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import { REPO_ROOT } from "../config.ts";

export const CYPHER_DIR = path.join(REPO_ROOT, "cypher");

export function readCypherStatements(file: string): string[] {
    const text = fs.readFileSync(path.isAbsolute(file) ? file : path.join(CYPHER_DIR, file), "utf8");
    return text
        .split(/;\s*(?:\r?\n|$)/)
        .map((s) => s.split("\n").filter((l) => !l.trim().startsWith("//")).join("\n").trim())
        .filter((s) => s.length > 0);
}

/** Applies cypher/schema.cypher: every statement is `IF NOT EXISTS`, so this is idempotent. */
export async function applySchema(driver: Driver, database: string): Promise<number> {
    const statements = readCypherStatements("schema.cypher");
    for (const statement of statements) await driver.executeQuery(statement, {}, { database });
    await driver.executeQuery("CALL db.awaitIndexes(120)", {}, { database });
    return statements.length;
}
