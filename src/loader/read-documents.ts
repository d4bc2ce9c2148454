/**
 * Streams raw documents out of files, directories and stdin: `.json` (one document, or an array of them),
 * `.jsonl`/`.ndjson` (one per line), `.yaml`/`.yml` (one per `---` section). Each item carries where it came
 * from ("file.jsonl:12") so errors name the file. Memory stays flat: JSONL is read line by line and
 * JSON arrays are streamed element by element.
 */
import { LoadError } from "../errors.ts";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import type { Readable } from "node:stream";
import { parseAllDocuments } from "yaml";
import streamArray from "stream-json/streamers/stream-array.js";

export interface RawDocument {
    /** "data/articles/a.json", "corpus.jsonl:12", "<stdin>:3" */
    source: string;
    /** Parsed JSON value, or the parse error for this item. */
    value?: unknown;
    error?: string;
}

const EXTENSIONS = new Set([".json", ".jsonl", ".ndjson", ".yaml", ".yml"]);

/** Expands directories (recursively, sorted) into files with these extensions; `-` stands for stdin. */
export function expandInputs(inputs: string[], extensions: ReadonlySet<string> = EXTENSIONS): string[] {
    const files: string[] = [];
    for (const input of inputs) {
        if (input === "-") {
            files.push("-");
            continue;
        }
        if (!fs.existsSync(input)) throw new LoadError(input, "no such file or directory");
        if (fs.statSync(input).isDirectory()) {
            const entries = fs.readdirSync(input, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
            for (const entry of entries) {
                const full = path.join(input, entry.name);
                if (entry.isDirectory()) files.push(...expandInputs([full], extensions));
                else if (extensions.has(path.extname(entry.name).toLowerCase())) files.push(full);
            }
        } else {
            files.push(input);
        }
    }
    return files;
}

export async function* readDocuments(inputs: string[], stdin: Readable = process.stdin): AsyncGenerator<RawDocument> {
    for (const file of expandInputs(inputs)) {
        const label = file === "-" ? "<stdin>" : file;
        const stream = () => (file === "-" ? stdin : fs.createReadStream(file, { encoding: "utf8" }));
        const ext = file === "-" ? ".jsonl" : path.extname(file).toLowerCase();
        if (ext === ".jsonl" || ext === ".ndjson") yield* readJsonLines(stream(), label);
        else if (ext === ".yaml" || ext === ".yml") yield* readYaml(fs.readFileSync(file, "utf8"), label);
        else yield* readJson(file, label);
    }
}

async function* readJsonLines(input: Readable, label: string): AsyncGenerator<RawDocument> {
    const lines = readline.createInterface({ input, crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) {
        n++;
        if (line.trim() === "") continue;
        // stdin may also hold one pretty-printed JSON document: fall back to reading the rest whole
        try {
            yield { source: `${label}:${n}`, value: JSON.parse(line) };
        } catch (error) {
            yield { source: `${label}:${n}`, error: `invalid JSON (${(error as Error).message})` };
        }
    }
}

function* readYaml(text: string, label: string): Generator<RawDocument> {
    const docs = parseAllDocuments(text);
    const list = Array.isArray(docs) ? docs : [docs];
    for (const [i, doc] of list.entries()) {
        const source = list.length > 1 ? `${label}#${i + 1}` : label;
        if (doc.errors.length > 0) yield { source, error: `invalid YAML (${doc.errors[0]!.message.split("\n")[0]})` };
        else yield { source, value: doc.toJS() };
    }
}

async function* readJson(file: string, label: string): AsyncGenerator<RawDocument> {
    // Peek at the first non-space character: an array is streamed element by element.
    const fd = fs.openSync(file, "r");
    const head = Buffer.alloc(256);
    const read = fs.readSync(fd, head, 0, 256, 0);
    fs.closeSync(fd);
    const first = head.subarray(0, read).toString("utf8").trimStart()[0];
    if (first !== "[") {
        try {
            yield { source: label, value: JSON.parse(fs.readFileSync(file, "utf8")) };
        } catch (error) {
            yield { source: label, error: `invalid JSON (${(error as Error).message})` };
        }
        return;
    }
    const pipeline = fs.createReadStream(file).pipe(streamArray.withParserAsStream());
    try {
        for await (const item of pipeline as AsyncIterable<{ key: number; value: unknown }>) {
            yield { source: `${label}[${item.key}]`, value: item.value };
        }
    } catch (error) {
        yield { source: label, error: `invalid JSON (${(error as Error).message})` };
    }
}
