/**
 * What the two local Java servers (Neo4j in src/neo4j/runtime/, CoreNLP in src/nlp/runtime/) share: finding Java,
 * checking a pid, and the tail of a log for an error message.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** The `java` of JAVA_HOME (or on PATH) and its major version; undefined when it does not run. */
export function javaAt(javaHome?: string): { java: string; major?: number } {
    const java = javaHome ? path.join(javaHome, "bin", "java") : "java";
    const result = spawnSync(java, ["-version"], { encoding: "utf8" });
    if (result.error || result.status !== 0) return { java };
    return { java, major: Number(/version "(\d+)/.exec(result.stderr)?.[1] ?? 0) };
}

/** A process of this pid exists (signal 0). */
export function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

/** The last lines of a log file, for an error message. */
export function readTail(file: string, lines: number): string {
    try {
        return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
        return "(no log)";
    }
}
