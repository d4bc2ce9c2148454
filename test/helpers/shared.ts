/**
 * The read-only shared folder (the source article, public STIX/ATT&CK/MISP data) that tests and benchmarks
 * read in place, never copied into the repository. Found at $CYBERKG_SHARED_DIR, else ../shared next to the
 * checkout, else /work/shared.
 */
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../../src/config.ts";

export function sharedDir(): string {
    const candidates = [process.env.CYBERKG_SHARED_DIR, path.resolve(REPO_ROOT, "..", "shared"), "/work/shared"].filter((c): c is string => Boolean(c));
    const found = candidates.find((c) => fs.existsSync(path.join(c, "articles")));
    if (!found) throw new Error(`The shared data folder was not found (tried ${candidates.join(", ")}): set CYBERKG_SHARED_DIR`);
    return found;
}

export function sharedPath(...parts: string[]): string {
    return path.join(sharedDir(), ...parts);
}
