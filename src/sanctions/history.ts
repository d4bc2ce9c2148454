/**
 * A listing-history file: for each entry (`ent_num`) of a list, the first and last snapshot date it was seen in,
 * and whether it is in the snapshot being imported — `ent_num,sdn_name,first_seen,last_seen,in_<date>_snapshot`
 * (see ../shared/data/ofac/README.md). The earliest first_seen of the file means "listed on or before that day"
 * (the history starts there), so it never becomes a listing date.
 */
import fs from "node:fs";
import { parse } from "csv-parse";
import { SanctionsFileError } from "./ofac-sdn.ts";

export interface HistoryRow {
    line: number;
    entNum: number;
    name: string;
    firstSeen: string;
    lastSeen: string;
    inSnapshot: boolean;
}

export interface ListingHistory {
    file: string;
    rows: Map<number, HistoryRow>;
    /** The first day the history covers: a first_seen of this day is "on or before". */
    start: string;
    /** The last day the history covers. */
    end: string;
    bad: { line: number; reason: string }[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export async function readListingHistory(file: string): Promise<ListingHistory> {
    if (!fs.existsSync(file)) throw new SanctionsFileError(`${file}: no such listing-history file`);
    const rows = new Map<number, HistoryRow>();
    const bad: { line: number; reason: string }[] = [];
    const parser = fs.createReadStream(file).pipe(parse({ columns: true, skip_empty_lines: true, info: true, relax_column_count: true, trim: true }));
    let headerChecked = false;
    try {
        for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
            if (!headerChecked) {
                const missing = ["ent_num", "sdn_name", "first_seen", "last_seen"].filter((c) => !(c in record));
                if (missing.length) throw new SanctionsFileError(`${file}: the header has no ${missing.join(", ")} column (expected ent_num,sdn_name,first_seen,last_seen,in_<date>_snapshot)`);
                headerChecked = true;
            }
            const line = info.lines;
            const entNum = Number(record.ent_num);
            const inKey = Object.keys(record).find((k) => /^in_.*snapshot$/.test(k));
            const firstSeen = record.first_seen ?? "", lastSeen = record.last_seen ?? "";
            if (!Number.isInteger(entNum) || entNum <= 0) bad.push({ line, reason: `ent_num '${record.ent_num}' is not a positive whole number` });
            else if (!DAY.test(firstSeen) || !DAY.test(lastSeen)) bad.push({ line, reason: `first_seen/last_seen must be YYYY-MM-DD, got '${firstSeen}', '${lastSeen}'` });
            else if (lastSeen < firstSeen) bad.push({ line, reason: `last_seen ${lastSeen} is before first_seen ${firstSeen}` });
            else if (rows.has(entNum)) bad.push({ line, reason: `ent_num ${entNum} repeats line ${rows.get(entNum)!.line}` });
            else rows.set(entNum, { line, entNum, name: (record.sdn_name ?? "").trim(), firstSeen, lastSeen, inSnapshot: inKey ? /^(yes|true|1)$/i.test(record[inKey] ?? "") : true });
        }
    } catch (error) {
        if (error instanceof SanctionsFileError) throw error;
        throw new SanctionsFileError(`${file}: cannot be read as a listing-history CSV (${(error as Error).message})`, { cause: error });
    }
    const all = [...rows.values()];
    const start = all.reduce((m, r) => (r.firstSeen < m ? r.firstSeen : m), "9999-12-31");
    const end = all.reduce((m, r) => (r.lastSeen > m ? r.lastSeen : m), "0000-01-01");
    return { file, rows, start, end, bad };
}
