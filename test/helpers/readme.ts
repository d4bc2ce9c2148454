/** The README's fenced code blocks of one language, so tests can run exactly what the README shows. */
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../../src/config.ts";

export function readmeBlocks(language: string, file = "README.md"): string[] {
    const text = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
    const blocks: string[] = [];
    const fence = new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g");
    for (const match of text.matchAll(fence)) blocks.push(match[1]!.trim());
    return blocks;
}
