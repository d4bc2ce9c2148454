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

/**
 * The jars Maven fetched into `dirs`, as a list kept next to the fetch marker (`<marker>-files`), so a start can
 * tell an incomplete copy (a deleted jar, an interrupted copy) from a complete one before Java fails on a missing
 * class. Written through a rename: the marker files may be hard links shared by several checkouts.
 */
export function recordFetchedFiles(marker: string, dirs: string[]): void {
    const files = dirs.flatMap((dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".jar")).map((f) => path.join(path.basename(dir), f)) : []));
    const list = `${marker}-files`;
    fs.writeFileSync(`${list}.${process.pid}`, files.sort().join("\n") + "\n");
    fs.renameSync(`${list}.${process.pid}`, list);
}

/**
 * What is missing of a fetched set of jars (paths relative to `root`): every file the list names, or — for a fetch
 * that kept no list — the `required` patterns (the poms' direct artifacts), each relative path matched in its dir.
 * When a fetch without a list turns out complete, its list is recorded now.
 */
export function missingFetchedFiles(root: string, marker: string, required: { dir: string; pattern: RegExp; name: string }[]): string[] {
    const list = `${marker}-files`;
    if (fs.existsSync(list)) {
        return fs
            .readFileSync(list, "utf8")
            .split("\n")
            .filter(Boolean)
            .filter((f) => !fs.existsSync(path.join(root, f)));
    }
    const missing = required.filter(({ dir, pattern }) => !(fs.existsSync(path.join(root, dir)) && fs.readdirSync(path.join(root, dir)).some((f) => pattern.test(f)))).map((r) => path.join(r.dir, r.name));
    if (missing.length === 0) recordFetchedFiles(marker, [...new Set(required.map((r) => path.join(root, r.dir)))]);
    return missing;
}

/** "lib/a.jar, lib/b.jar and 3 more" */
export function fewOf(files: string[], shown = 2): string {
    return files.length <= shown ? files.join(", ") : `${files.slice(0, shown).join(", ")} and ${files.length - shown} more`;
}
