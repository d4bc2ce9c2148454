/**
 * When a fact held, as the text dates it (corpus README, house rule 4; EXTRACTION-GUIDE: dates are checked apart
 * from the triple): a date written in the trigger's own clause — "in July 2021", "on 25 March", "since at least
 * 2015" (from), "between 2021 and 2022" (from, to), "until 2020" (to), "today" — read with chrono-node against the
 * article's publication date. SANCTIONED and CHARGED take the date of the action, TARGETED and COMPROMISED the date
 * of the activity. A sanction or charge with no date of its own ("the same day", a headline, the lede) is the story's
 * news: the publication date, unless the text tells it as earlier ("had already been sanctioned"); an activity with
 * none takes the date of the report that tells it ("said on 18 June that it had hacked X"). Only what the NER labels
 * DATE is read, so vague expressions ("last month", "earlier this year") give none; nor does a date that needs the
 * publication date when the article has none. The precision is the text's: "2021", "2021-07" or "2021-07-14".
 */
import * as chrono from "chrono-node";
import type { Predicate } from "../model/vocabulary.ts";
import type { SentenceGraph } from "./sentence-graph.ts";

export interface FactDates {
    validFrom?: string;
    validTo?: string;
}

/** The predicates whose facts are events with a date; structure and ties are not dated from one sentence. */
const DATED: ReadonlySet<Predicate> = new Set(["SANCTIONED", "CHARGED", "TARGETED", "COMPROMISED"]);

/** The dates the text gives a fact whose trigger is `anchor` in sentence `g`. */
export function factDates(g: SentenceGraph, anchor: number | undefined, predicate: Predicate, opts: { text: string; publishedAt?: string }): FactDates {
    if (!DATED.has(predicate)) return {};
    const ref = referenceDate(opts.publishedAt);
    // (a fact the discourse completed has no clause of its own: only the measure's default applies)
    if (anchor === undefined) return ref && (predicate === "SANCTIONED" || predicate === "CHARGED") ? { validFrom: day(ref) } : {};
    const heads = clauseHeads(g, anchor);
    const own = datesIn(g, heads, ref, opts.text);
    if (own) return own;
    // "The group said on 18 June 2025 that it had hacked X": an activity undated in its clause takes the report's date
    if (predicate === "TARGETED" || predicate === "COMPROMISED") {
        const report = heads.map((h) => g.basicParent(h)).find((p) => p && p.rel === "ccomp" && /^(say|claim|announce|report|disclose|reveal|confirm|admit)$/.test(g.lemma(p.gov)));
        const reported = report ? datesIn(g, [report.gov], ref, opts.text) : undefined;
        if (reported?.validFrom && !reported.validTo) return reported;
    }
    // "the Treasury today designated X"
    if (ref && heads.some((h) => g.kids(h, (r) => r === "obl:tmod" || r === "advmod" || r === "obl:npmod" || r === "nmod:tmod" || r === "compound").some((k) => g.lower(k) === "today"))) return { validFrom: day(ref) };
    // a measure with no date of its own is the story's news, taken on the day of the report ("Treasury designates
    // Garantex", "The Justice Department charged X", "… the same day"), unless the text puts it before the report
    // ("had already been sanctioned", "previously charged")
    if (ref && (predicate === "SANCTIONED" || predicate === "CHARGED") && !earlier(g, heads)) return { validFrom: day(ref) };
    return {};
}

/** The first date written in the clause of these heads, with its role (from, to, or the point the fact happened). */
function datesIn(g: SentenceGraph, heads: number[], ref: Date | undefined, text: string): FactDates | undefined {
    for (const span of dateSpans(g)) {
        if (!attached(g, span.head, heads)) continue;
        const before = [g.lower(span.start - 1), g.lower(span.start - 2), g.lower(span.start - 3)];
        const parts = splitRange(g, span);
        const dates = parts.map((p) => readDate(g.textOf(p.start, p.end, text).trim(), ref));
        if (dates.some((d) => d === undefined)) continue;
        if (before[0] === "between" || (before[0] === "from" && parts.length === 2)) return { validFrom: dates[0]!, ...(dates[1] ? { validTo: dates[1] } : {}) };
        if (/^(until|till|through|to)$/.test(before[0]!)) return { validTo: dates[0]! };
        if (before[0] === "by" || before[0] === "before" || before[0] === "after") continue;
        return { validFrom: dates[0]! };
    }
    return undefined;
}

/** "had been charged", "was already sanctioned", "previously designated", "has been under sanctions": before the report. */
function earlier(g: SentenceGraph, heads: number[]): boolean {
    return heads.some((h) => g.kids(h, (r) => r === "aux" || r === "advmod" || r === "aux:pass").some((k) => /^(had|already|previously|earlier|formerly|once|long)$/.test(g.lower(k)) || (g.lower(k) === "has" && g.kids(h, "cop").length > 0)));
}

interface Span {
    start: number;
    end: number;
    head: number;
}

/** Runs of DATE-labelled tokens (the NER's numeric dates, month names, weekdays). */
function dateSpans(g: SentenceGraph): Span[] {
    const out: Span[] = [];
    for (let i = 1; i <= g.size; i++) {
        if (g.ner(i) !== "DATE") continue;
        let j = i;
        while (j + 1 <= g.size && g.ner(j + 1) === "DATE") j++;
        out.push({ start: i, end: j, head: g.headOf(i, j) });
        i = j;
    }
    return out;
}

/** "2021 and 2022", "2021 to 2022", "March-April 2021": the two ends of a range written as one span. */
function splitRange(g: SentenceGraph, s: Span): Array<{ start: number; end: number }> {
    for (let k = s.start + 1; k < s.end; k++) if (/^(and|to|-|–|until)$/.test(g.lower(k))) return [{ start: s.start, end: k - 1 }, { start: k + 1, end: s.end }];
    // "between 2021 and 2022", "from December 2019 to July 2023" with the second date outside the span
    if (/^(between|from)$/.test(g.lower(s.start - 1)) && /^(and|to|until|till|through)$/.test(g.lower(s.end + 1)) && g.ner(s.end + 2) === "DATE") {
        let j = s.end + 2;
        while (j + 1 <= g.size && g.ner(j + 1) === "DATE") j++;
        return [{ start: s.start, end: s.end }, { start: s.end + 2, end: j }];
    }
    return [{ start: s.start, end: s.end }];
}

/** The trigger, the verb a noun trigger is the object of, and the verbs above it through control and coordination. */
function clauseHeads(g: SentenceGraph, anchor: number): number[] {
    const out = [anchor];
    let t = anchor;
    for (let k = 0; k < 4; k++) {
        const p = g.basicParent(t);
        if (!p || p.gov === 0) break;
        // "imposed sanctions on X", "launched an attack on Y", "tried to break into Z", "charged A and hacked B",
        // "an indictment charging X" (through the participle to the document and the verb that issued it)
        if (!/^(obj|obl|nsubj:pass|xcomp|conj|nmod|acl$)/.test(p.rel) || (p.rel.startsWith("nmod") && !g.pos(p.gov).startsWith("NN"))) break;
        out.push(p.gov);
        if (g.isVerb(p.gov) && p.rel !== "xcomp" && p.rel !== "conj") break;
        t = p.gov;
    }
    return out;
}

/** Whether the date hangs on one of the clause heads (directly, or on the clause's subject: a parser's slip). */
function attached(g: SentenceGraph, head: number, heads: number[]): boolean {
    let t = head;
    for (let k = 0; k < 3; k++) {
        const p = g.basicParent(t);
        if (!p || p.gov === 0) return false;
        if (heads.includes(p.gov)) return /^(obl|nmod|advmod|dep|nummod)/.test(p.rel);
        // "The Justice Department on 20 December 2018 unsealed …" parsed with the date on the subject; "an indictment
        // returned in September charges X": on the subject's own participle
        const up = g.basicParent(p.gov);
        if (/^(nmod|obl)/.test(p.rel) && up && /^nsubj/.test(up.rel) && heads.includes(up.gov) && p.gov < up.gov) return true;
        if (/^obl/.test(p.rel) && up && up.rel === "acl" && /^nsubj/.test(g.basicParent(up.gov)?.rel ?? "") && heads.includes(g.basicParent(up.gov)!.gov)) return true;
        // "beginning in 2020, they targeted X"
        if (/^(begin|start)$/.test(g.lemma(p.gov)) && up && heads.includes(up.gov)) return true;
        if (g.isVerb(p.gov)) return false;
        t = p.gov;
    }
    return false;
}

/** A date string at the precision the text gives, or undefined for a vague or unreadable one. */
function readDate(text: string, ref: Date | undefined): string | undefined {
    const t = text.replace(/^(the|at least)\s+/i, "").replace(/^(early|late|mid)[- ]/i, "");
    if (/^\d{4}$/.test(t)) return t;
    const r = chrono.parse(t, ref ?? new Date(Date.UTC(2000, 0, 1)))[0];
    if (!r || r.text.length < t.length - 1) return undefined;
    const s = r.start;
    // a date that leans on the publication date ("on Tuesday", "on 25 March") needs one
    if (!s.isCertain("year") && !ref) return undefined;
    const d = s.date();
    const y = String(d.getFullYear());
    const m = String(d.getMonth() + 1).padStart(2, "0");
    if (s.isCertain("day") || s.isCertain("weekday")) return `${y}-${m}-${String(d.getDate()).padStart(2, "0")}`;
    if (s.isCertain("month")) return `${y}-${m}`;
    return s.isCertain("year") ? y : undefined;
}

function referenceDate(publishedAt: string | undefined): Date | undefined {
    if (!publishedAt || !/^\d{4}-\d{2}-\d{2}/.test(publishedAt)) return undefined;
    const [y, m, d] = publishedAt.slice(0, 10).split("-").map(Number);
    return new Date(y!, m! - 1, d!, 12);
}

function day(d: Date): string {
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}
