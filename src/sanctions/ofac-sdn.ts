/**
 * OFAC's legacy SDN CSV (`sdn.csv`, as the US Treasury publishes it), read as a stream with csv-parse:
 * no header line; 12 columns in OFAC's documented order; `-0- ` (with its trailing space) for an empty field;
 * several programs joined by `] [` with the outer brackets missing. Every row is either an entry or a bad row
 * with its line number and reason, so one broken row never stops the others.
 *
 * The text is decoded strictly (UTF-8 by default; OFAC has published Latin-1 too: `encoding: "latin1"`): a byte
 * sequence that is not valid in the encoding stops the read with the file and the byte offset, never U+FFFD.
 */
import fs from "node:fs";
import { Readable, Transform } from "node:stream";
import { parse } from "csv-parse";
import { CyberkgError, ErrorCode } from "../errors.ts";

/** OFAC's column order for sdn.csv. */
export const SDN_COLUMNS = ["ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign", "Vess_type", "Tonnage", "GRT", "Vess_flag", "Vess_owner", "Remarks"] as const;

export type SdnType = "individual" | "entity" | "vessel" | "aircraft";

export interface SdnEntry {
    /** Line of the file the row ends on (1-based). */
    line: number;
    entNum: number;
    /** SDN_Name as published ("ZHAO, Guangzong", "EVIL CORP"). */
    name: string;
    /** `individual`, `vessel`, `aircraft`, or `entity` for OFAC's empty type (companies, organisations, groups). */
    type: SdnType;
    programs: string[];
    title?: string;
    remarks?: string;
    /** The 12 fields exactly as published (`-0- ` included), for audit and to rebuild the entry later. */
    fields: string[];
}

export interface SdnBadRow {
    line: number;
    reason: string;
}

export type SdnRow = { entry: SdnEntry } | { bad: SdnBadRow };

export const SDN_ENCODINGS = ["utf-8", "latin1", "windows-1252"] as const;
export type SdnEncoding = (typeof SDN_ENCODINGS)[number];

export class SanctionsFileError extends CyberkgError {
    constructor(message: string, options?: { cause?: unknown }) {
        super(ErrorCode.VALIDATION, message, options);
    }
}

/** OFAC's empty marker, "-0- " (trimmed). */
export function sdnValue(field: string | undefined): string | undefined {
    const v = (field ?? "").trim();
    return v === "" || v === "-0-" ? undefined : v;
}

/** "CYBER2] [ELECTION-EO13848" → ["CYBER2", "ELECTION-EO13848"]. */
export function sdnPrograms(field: string): string[] {
    return field
        .split(/\]\s*\[/)
        .map((p) => p.replace(/^\[|\]$/g, "").trim())
        .filter((p) => p.length > 0);
}

/** One row's 12 fields → an entry, or the reason it is not one. */
export function entryFromFields(fields: string[], line: number): SdnRow {
    const bad = (reason: string): SdnRow => ({ bad: { line, reason } });
    if (fields.length !== SDN_COLUMNS.length) return bad(`expected ${SDN_COLUMNS.length} columns (${SDN_COLUMNS.join(", ")}), got ${fields.length}`);
    const entNumText = (fields[0] ?? "").trim();
    if (!/^[1-9]\d{0,9}$/.test(entNumText)) return bad(`ent_num '${entNumText}' is not a positive whole number`);
    const name = sdnValue(fields[1]);
    if (!name) return bad("SDN_Name is empty");
    if (name.length > 300) return bad(`SDN_Name has ${name.length} characters, more than 300`);
    const typeText = sdnValue(fields[2]);
    const type: SdnType | undefined = typeText === undefined ? "entity" : (["individual", "vessel", "aircraft"] as const).find((t) => t === typeText.toLowerCase());
    if (!type) return bad(`SDN_Type '${typeText}' is not individual, vessel, aircraft or -0- (an entity)`);
    const programText = sdnValue(fields[3]);
    const programs = programText ? sdnPrograms(programText) : [];
    if (programs.length === 0) return bad("Program is empty");
    // eslint-disable-next-line no-control-regex
    const control = fields.findIndex((f) => /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(f));
    if (control >= 0) return bad(`${SDN_COLUMNS[control]} contains a control character`);
    return { entry: { line, entNum: Number(entNumText), name, type, programs, title: sdnValue(fields[4]), remarks: sdnValue(fields[11]), fields } };
}

/**
 * The rows of an SDN CSV, streamed: entries and bad rows in file order. A repeated ent_num is a bad row
 * (the first one wins). Throws SanctionsFileError only for a file that cannot be read at all.
 */
export async function* readSdnRows(file: string, { encoding = "utf-8" as SdnEncoding } = {}): AsyncGenerator<SdnRow> {
    let input: Readable;
    try {
        fs.accessSync(file, fs.constants.R_OK);
        input = fs.createReadStream(file);
    } catch (error) {
        throw new SanctionsFileError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    const skipped: SdnBadRow[] = [];
    const parser = parse({
        relax_column_count: true,
        relax_quotes: false,
        skip_empty_lines: true,
        skip_records_with_error: true,
        info: true,
    });
    parser.on("skip", (error: Error & { lines?: number }) => skipped.push({ line: error.lines ?? 0, reason: `not valid CSV: ${error.message.replace(/^Invalid Record Length: |^Invalid Opening Quote: /, "")}` }));
    const decoded = input.pipe(decoder(file, encoding));
    decoded.on("error", (error) => parser.destroy(error));
    decoded.pipe(parser);
    const seen = new Map<number, number>();
    try {
        for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
            while (skipped.length) yield { bad: skipped.shift()! };
            const row = entryFromFields(record, info.lines);
            if ("entry" in row) {
                const first = seen.get(row.entry.entNum);
                if (first !== undefined) {
                    yield { bad: { line: info.lines, reason: `ent_num ${row.entry.entNum} repeats line ${first}` } };
                    continue;
                }
                seen.set(row.entry.entNum, info.lines);
            }
            yield row;
        }
    } catch (error) {
        if (error instanceof CyberkgError) throw error;
        throw new SanctionsFileError(`${file}: cannot be read as OFAC's SDN CSV (${(error as Error).message})`, { cause: error });
    }
    while (skipped.length) yield { bad: skipped.shift()! };
}

/** Strict decoding to text, chunk by chunk (a character split across chunks is kept whole). */
function decoder(file: string, encoding: SdnEncoding): Transform {
    const text = new TextDecoder(encoding === "latin1" ? "latin1" : encoding, { fatal: true });
    let offset = 0;
    return new Transform({
        transform(chunk: Buffer, _enc, done) {
            try {
                const out = text.decode(chunk, { stream: true });
                offset += chunk.length;
                done(null, out);
            } catch {
                done(new SanctionsFileError(`${file}: not valid ${encoding} near byte ${offset}: give --encoding latin1 (or windows-1252) for a file OFAC published in that encoding`));
            }
        },
        flush(done) {
            try {
                done(null, text.decode());
            } catch {
                done(new SanctionsFileError(`${file}: not valid ${encoding} at its end (a truncated character)`));
            }
        },
    });
}
