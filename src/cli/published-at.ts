/**
 * `--published-at`: the common ways people write a date, normalised to what the facts contract stores
 * (YYYY, YYYY-MM, YYYY-MM-DD or an ISO date-time). Numeric day/month dates are taken only when they cannot be
 * misread ("25/03/2024"); "02/03/2024" is refused as ambiguous rather than guessed. Anything else is refused with the
 * accepted forms, never dropped.
 */
import * as chrono from "chrono-node";
import { InvalidArgumentError } from "commander";

const ACCEPTED = 'accepted: 2024-03-25, 2024-03, 2024, 2024-03-25T09:30:00Z, "25 March 2024", "March 25, 2024", 25/03/2024 (when the day is above 12)';

function ymd(y: number, m: number, d: number): string | undefined {
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
    return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

export function parsePublishedAt(value: string): string {
    const v = value.trim();
    let m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(v);
    if (m) {
        const [y, mo, d] = [Number(m[1]), m[2] ? Number(m[2]) : 1, m[3] ? Number(m[3]) : 1];
        if (ymd(y, mo, d)) return v;
        throw new InvalidArgumentError(`"${value}" is not a calendar date (${ACCEPTED})`);
    }
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(v) && !Number.isNaN(Date.parse(v))) return v;
    m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(v);
    if (m) {
        const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
        if (a <= 12 && b <= 12 && a !== b) throw new InvalidArgumentError(`"${value}" is ambiguous (day/month or month/day?): write it as YYYY-MM-DD`);
        const date = a > 12 ? ymd(y, b, a) : b > 12 ? ymd(y, a, b) : ymd(y, a, b);
        if (date) return date;
        throw new InvalidArgumentError(`"${value}" is not a calendar date (${ACCEPTED})`);
    }
    // written months: "25 March 2024", "March 25, 2024", "25 Mar 2024"
    const [parsed] = chrono.strict.parse(v, { instant: new Date(Date.UTC(2000, 0, 1)) });
    if (parsed && parsed.text.length === v.length && parsed.start.isCertain("day") && parsed.start.isCertain("month") && parsed.start.isCertain("year")) {
        const date = ymd(parsed.start.get("year")!, parsed.start.get("month")!, parsed.start.get("day")!);
        if (date) return date;
    }
    throw new InvalidArgumentError(`"${value}" is not a date this command reads (${ACCEPTED})`);
}
