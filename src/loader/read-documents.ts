/**
 * Streams raw documents out of files, directories and stdin: `.json` (one document, or an array of them),
 * `.jsonl`/`.ndjson` (one per line), `.yaml`/`.yml` (one per `---` section). Each item carries where it came
 * from ("file.jsonl:12") so errors name the file. Memory stays flat: JSONL is read line by line and
 * JSON arrays are streamed element by element.
 */
import { LoadError } from "../errors.ts";
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { Transform, pipeline as streamPipeline } from "node:stream";
import { parseAllDocuments } from "yaml";
import { DOCUMENT_LIMITS } from "../model/facts-document.ts";
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
        const stream = () => (file === "-" ? stdin : fs.createReadStream(file));
        const ext = file === "-" ? ".jsonl" : path.extname(file).toLowerCase();
        if (ext === ".jsonl" || ext === ".ndjson") {
            yield* readJsonLines(stream(), label);
            continue;
        }
        // Whole-file formats: refuse an oversized file before reading it, and bytes that are not UTF-8.
        const size = fs.statSync(file).size;
        if (size > DOCUMENT_LIMITS.maxDocumentBytes && (ext === ".yaml" || ext === ".yml" || !startsWithArray(file))) {
            yield { source: label, error: `${size} bytes is more than the limit of ${DOCUMENT_LIMITS.maxDocumentBytes} bytes for one document` };
            continue;
        }
        if (ext === ".yaml" || ext === ".yml") {
            const text = readUtf8(file);
            if (typeof text !== "string") yield { source: label, error: text.error };
            else yield* readYaml(text, label);
        } else yield* readJson(file, label);
    }
}

/** The file's text, or an error naming the byte offset of the first invalid UTF-8 sequence (never U+FFFD silently). */
function readUtf8(file: string): string | { error: string } {
    return decodeUtf8(fs.readFileSync(file));
}

/** Bytes as UTF-8 text, or an error naming the byte offset of the first invalid sequence (never U+FFFD silently). */
export function decodeUtf8(bytes: Uint8Array): string | { error: string } {
    try {
        return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
        return { error: `is not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(bytes)})` };
    }
}

/** Byte offset of the first invalid UTF-8 sequence: walk the lenient decoding and find the first U+FFFD that the bytes did not spell. */
function firstInvalidUtf8(bytes: Uint8Array): number {
    let offset = 0;
    for (const char of new TextDecoder("utf-8").decode(bytes)) {
        if (char === "\uFFFD" && !(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) return offset;
        offset += Buffer.byteLength(char);
    }
    return offset;
}

/** Decodes a byte stream as UTF-8, failing on the first invalid sequence instead of replacing it with U+FFFD. */
function strictUtf8(): Transform {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    let offset = 0;
    return new Transform({
        readableObjectMode: false,
        transform(chunk: Buffer, _encoding, done) {
            try {
                const text = decoder.decode(chunk, { stream: true });
                offset += chunk.length;
                done(null, text);
            } catch {
                done(new Error(`is not valid UTF-8 (a bad byte in the ${offset}–${offset + chunk.length} byte range)`));
            }
        },
        flush(done) {
            try {
                done(null, decoder.decode());
            } catch {
                done(new Error("is not valid UTF-8 (it ends inside a character)"));
            }
        },
    });
}

function startsWithArray(file: string): boolean {
    const fd = fs.openSync(file, "r");
    const head = Buffer.alloc(256);
    const read = fs.readSync(fd, head, 0, 256, 0);
    fs.closeSync(fd);
    return head.subarray(0, read).toString("utf8").trimStart()[0] === "[";
}

/** Lines of a byte stream, each decoded as strict UTF-8 on its own (a bad line is reported, the others still read). */
async function* byteLines(input: Readable): AsyncGenerator<{ text?: string; error?: string }> {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let tooLong = false;
    const finish = (): { text?: string; error?: string } => {
        const bytes = Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
        if (tooLong) {
            tooLong = false;
            return { error: `a line of more than ${DOCUMENT_LIMITS.maxDocumentBytes} bytes is more than the limit for one document` };
        }
        try {
            return { text: decoder.decode(bytes).replace(/\r$/, "") };
        } catch {
            return { error: `is not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(bytes)} of the line)` };
        }
    };
    for await (const chunk of input as AsyncIterable<Buffer | string>) {
        let buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
        for (let nl = buf.indexOf(0x0a); nl >= 0; nl = buf.indexOf(0x0a)) {
            if (!tooLong) pending.push(buf.subarray(0, nl));
            yield finish();
            buf = buf.subarray(nl + 1);
        }
        // Keep at most the limit of an unfinished line in memory; past it, only remember that it was too long.
        if (!tooLong && pendingBytes + buf.length > DOCUMENT_LIMITS.maxDocumentBytes) {
            tooLong = true;
            pending = [];
        }
        if (!tooLong && buf.length) {
            pending.push(buf);
            pendingBytes += buf.length;
        }
    }
    if (pendingBytes > 0 || tooLong) yield finish();
}

async function* readJsonLines(input: Readable, label: string): AsyncGenerator<RawDocument> {
    let n = 0;
    for await (const line of byteLines(input)) {
        n++;
        const source = `${label}:${n}`;
        if (line.error !== undefined) {
            yield { source, error: line.error };
            continue;
        }
        if (line.text!.trim() === "") continue;
        try {
            yield { source, value: JSON.parse(line.text!) };
        } catch (error) {
            yield { source, error: jsonError(line.text!, error, false) };
        }
    }
}

/** "invalid JSON at line 3, column 5: Expected ',' …" — where in the file (or line) the parser stopped, and why. */
export function jsonError(text: string, error: unknown, multiline = true): string {
    const message = (error as Error).message.replace(/\s+in JSON at position \d+.*$/, "").replace(/^JSON\.parse: /, "");
    const pos = /at position (\d+)/.exec((error as Error).message);
    if (!pos) return `invalid JSON (${message})`;
    const at = Number(pos[1]);
    if (!multiline) return `invalid JSON at column ${at + 1}: ${message}`;
    const before = text.slice(0, at);
    const line = before.split("\n").length;
    const column = at - before.lastIndexOf("\n");
    return `invalid JSON at line ${line}, column ${column}: ${message}`;
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
        const text = readUtf8(file);
        if (typeof text !== "string") {
            yield { source: label, error: text.error };
            return;
        }
        try {
            yield { source: label, value: JSON.parse(text) };
        } catch (error) {
            yield { source: label, error: jsonError(text, error) };
        }
        return;
    }
    // pipeline (not .pipe) so that a decoding error ends the iteration below instead of being unhandled.
    const pipeline = streamPipeline(fs.createReadStream(file), strictUtf8(), streamArray.withParserAsStream(), () => {});
    try {
        for await (const item of pipeline as AsyncIterable<{ key: number; value: unknown }>) {
            yield { source: `${label}[${item.key}]`, value: item.value };
        }
    } catch (error) {
        yield { source: label, error: `invalid JSON (${(error as Error).message})` };
    }
}
