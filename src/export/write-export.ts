/** Writes a rendered export: one file to `out` (or stdout for `-`), or a directory of files. */
import fs from "node:fs";
import path from "node:path";
import { ConfigError } from "../errors.ts";
import type { ExportFile, ExportFormat } from "./formats.ts";

export function writeExport(format: ExportFormat, files: ExportFile[], out: string): string[] {
    if (format.layout === "file") {
        const content = files.map((f) => f.content).join("");
        if (out === "-") {
            process.stdout.write(content);
            return ["-"];
        }
        fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
        fs.writeFileSync(out, content);
        return [out];
    }
    if (out === "-") throw new ConfigError(`--format ${format.name} writes several files: give --out a directory`);
    fs.mkdirSync(out, { recursive: true });
    return files.map((f) => {
        const file = path.join(out, f.name);
        fs.writeFileSync(file, f.content);
        return file;
    });
}
