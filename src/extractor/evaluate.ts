/**
 * Scoring extracted facts against gold facts documents (pure: documents in, numbers out; no NLP, no files).
 *
 * A predicted fact matches a gold fact when the predicate is equal and subject and object each match by id or
 * by any name/alias (normalizeName-equal, on either side's name and aliases). Matching is one-to-one (each gold
 * fact is found at most once). Over the matched facts two further measures:
 *  - certainty agreement: the share whose certainty (default `asserted`) equals the gold's;
 *  - date agreement: over the matched facts where the gold or the prediction has a `validFrom`/`validTo`, the share
 *    whose two dates are both equal (a missing date equals only a missing one);
 *  - claimant accuracy: over the matched facts where the gold or the prediction has a `claimedBy`, the share
 *    where both are absent or the two claimant entities match by id or name/alias.
 *
 * The corpus has two splits (test/fixtures/articles/README.md): `dev` (dev/ plus the shared source article
 * scored against gold/) is tuned on; `heldout` (heldout/) is frozen and only its numbers are ever reported.
 * `runCorpus` reads the files and calls an extraction function it is given, so the NLP-dependent extractor
 * stays outside this module.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { REPO_ROOT } from "../config.ts";
import { validateDocument } from "../loader/validate.ts";
import { normalizeName } from "../model/normalize.ts";
import { PREDICATES, type Predicate } from "../model/vocabulary.ts";
import type { FactsDocument, FactsDocumentInput } from "../model/facts-document.ts";
import { parseArticle, type ArticleInput } from "./text.ts";

export interface Counts {
    tp: number;
    fp: number;
    fn: number;
    precision: number;
    recall: number;
    f1: number;
}

/** A share over some matched facts; `rate` is null when there is nothing to measure. */
export interface Agreement {
    agree: number;
    total: number;
    rate: number | null;
}

export interface FactLine {
    subject: string;
    predicate: Predicate;
    object: string;
    evidence?: string;
}

/** A matched fact whose certainty or claimant differs from the gold's. */
export interface MismatchLine extends FactLine {
    predicted: string;
    gold: string;
}

export interface ArticleScore {
    name: string;
    counts: Counts;
    certainty: Agreement;
    claimant: Agreement;
    dates: Agreement;
    misses: FactLine[];
    falseFacts: FactLine[];
    certaintyMismatches: MismatchLine[];
    claimantMismatches: MismatchLine[];
    dateMismatches: MismatchLine[];
}

export interface EvalReport {
    articleCount: number;
    overall: Counts;
    perPredicate: Record<string, Counts>;
    certainty: Agreement;
    claimant: Agreement;
    dates: Agreement;
    articles: ArticleScore[];
}

export type Doc = Pick<FactsDocumentInput, "entities" | "facts">;
type Fact = Doc["facts"][number];
type EntityKey = { id: string; name: string; keys: Set<string> };

function entityKeys(doc: Doc): Map<string, EntityKey> {
    const out = new Map<string, EntityKey>();
    for (const e of doc.entities) {
        const keys = new Set<string>();
        for (const n of [e.name, ...(e.aliases ?? [])]) {
            const k = normalizeName(n);
            if (k) keys.add(k);
        }
        out.set(e.id, { id: e.id, name: e.name, keys });
    }
    return out;
}

function sameEntity(a: EntityKey | undefined, b: EntityKey | undefined): boolean {
    if (!a || !b) return false;
    if (a.id === b.id) return true;
    for (const k of a.keys) if (b.keys.has(k)) return true;
    return false;
}

export function ratio(tp: number, fp: number, fn: number): Counts {
    const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { tp, fp, fn, precision, recall, f1 };
}

export function agreement(agree: number, total: number): Agreement {
    return { agree, total, rate: total === 0 ? null : agree / total };
}

const certaintyOf = (f: Fact): string => f.certainty ?? "asserted";

/** Compares one predicted document with its gold document: matched [predicted, gold] index pairs, false facts, misses. */
export function compareDocuments(predicted: Doc, gold: Doc): { matched: Array<[number, number]>; falseFacts: number[]; misses: number[] } {
    const pe = entityKeys(predicted);
    const ge = entityKeys(gold);
    const used = new Set<number>();
    const matched: Array<[number, number]> = [];
    const falseFacts: number[] = [];
    predicted.facts.forEach((pf, i) => {
        const j = gold.facts.findIndex(
            (gf, k) => !used.has(k) && gf.predicate === pf.predicate && sameEntity(pe.get(pf.subject), ge.get(gf.subject)) && sameEntity(pe.get(pf.object), ge.get(gf.object)),
        );
        if (j >= 0) {
            used.add(j);
            matched.push([i, j]);
        } else falseFacts.push(i);
    });
    const misses = gold.facts.map((_, k) => k).filter((k) => !used.has(k));
    return { matched, falseFacts, misses };
}

/**
 * Certainty and claimant over the matched facts of one document pair. A claimant counts when the gold or the
 * prediction names one; it is right when both are absent or the two entities match by id or name/alias (a
 * claimedBy that names no entity of its document matches nothing).
 */
export function compareAttributes(
    predicted: Doc,
    gold: Doc,
    matched: Array<[number, number]>,
): {
    certainty: Agreement;
    claimant: Agreement;
    dates: Agreement;
    certaintyMismatches: Array<[number, number]>;
    claimantMismatches: Array<[number, number]>;
    dateMismatches: Array<[number, number]>;
} {
    const pe = entityKeys(predicted);
    const ge = entityKeys(gold);
    let certaintyAgree = 0;
    let claimantTotal = 0;
    let claimantAgree = 0;
    const certaintyMismatches: Array<[number, number]> = [];
    const claimantMismatches: Array<[number, number]> = [];
    let datesTotal = 0;
    let datesAgree = 0;
    const dateMismatches: Array<[number, number]> = [];
    for (const [i, j] of matched) {
        const pf = predicted.facts[i]!;
        const gf = gold.facts[j]!;
        if (certaintyOf(pf) === certaintyOf(gf)) certaintyAgree++;
        else certaintyMismatches.push([i, j]);
        if (datesOf(pf) !== "" || datesOf(gf) !== "") {
            datesTotal++;
            if (datesOf(pf) === datesOf(gf)) datesAgree++;
            else dateMismatches.push([i, j]);
        }
        if (gf.claimedBy === undefined && pf.claimedBy === undefined) continue;
        claimantTotal++;
        const same = gf.claimedBy !== undefined && pf.claimedBy !== undefined && sameEntity(pe.get(pf.claimedBy), ge.get(gf.claimedBy));
        if (same) claimantAgree++;
        else claimantMismatches.push([i, j]);
    }
    return {
        certainty: agreement(certaintyAgree, matched.length),
        claimant: agreement(claimantAgree, claimantTotal),
        dates: agreement(datesAgree, datesTotal),
        certaintyMismatches,
        claimantMismatches,
        dateMismatches,
    };
}

/** A fact's dates as one comparable string ("" for none). */
export function datesOf(f: Fact): string {
    return f.validFrom || f.validTo ? `${f.validFrom ?? ""}..${f.validTo ?? ""}` : "";
}

/** Scores a set of (name, predicted, gold) triples: overall, per predicate, certainty, claimant and per article. */
export function scoreCorpus(items: Array<{ name: string; predicted: Doc; gold: Doc }>): EvalReport {
    const per = new Map<string, { tp: number; fp: number; fn: number }>();
    for (const p of PREDICATES) per.set(p, { tp: 0, fp: 0, fn: 0 });
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const cert = { agree: 0, total: 0 };
    const claim = { agree: 0, total: 0 };
    const dated = { agree: 0, total: 0 };
    const articles: ArticleScore[] = [];
    for (const { name, predicted, gold } of items) {
        const { matched, falseFacts, misses } = compareDocuments(predicted, gold);
        const attrs = compareAttributes(predicted, gold, matched);
        const pn = new Map(predicted.entities.map((e) => [e.id, e.name]));
        const gn = new Map(gold.entities.map((e) => [e.id, e.name]));
        for (const [i] of matched) per.get(predicted.facts[i]!.predicate)!.tp++;
        for (const i of falseFacts) per.get(predicted.facts[i]!.predicate)!.fp++;
        for (const k of misses) per.get(gold.facts[k]!.predicate)!.fn++;
        tp += matched.length;
        fp += falseFacts.length;
        fn += misses.length;
        cert.agree += attrs.certainty.agree;
        cert.total += attrs.certainty.total;
        claim.agree += attrs.claimant.agree;
        claim.total += attrs.claimant.total;
        dated.agree += attrs.dates.agree;
        dated.total += attrs.dates.total;
        const line = (names: Map<string, string>, f: Fact): FactLine => ({
            subject: names.get(f.subject) ?? f.subject,
            predicate: f.predicate,
            object: names.get(f.object) ?? f.object,
            ...(f.evidence?.text ? { evidence: f.evidence.text } : {}),
        });
        const claimant = (names: Map<string, string>, f: Fact) => (f.claimedBy === undefined ? "(none)" : (names.get(f.claimedBy) ?? f.claimedBy));
        articles.push({
            name,
            counts: ratio(matched.length, falseFacts.length, misses.length),
            certainty: attrs.certainty,
            claimant: attrs.claimant,
            dates: attrs.dates,
            misses: misses.map((k) => line(gn, gold.facts[k]!)),
            falseFacts: falseFacts.map((i) => line(pn, predicted.facts[i]!)),
            certaintyMismatches: attrs.certaintyMismatches.map(([i, j]) => ({
                ...line(pn, predicted.facts[i]!),
                predicted: certaintyOf(predicted.facts[i]!),
                gold: certaintyOf(gold.facts[j]!),
            })),
            claimantMismatches: attrs.claimantMismatches.map(([i, j]) => ({
                ...line(pn, predicted.facts[i]!),
                predicted: claimant(pn, predicted.facts[i]!),
                gold: claimant(gn, gold.facts[j]!),
            })),
            dateMismatches: attrs.dateMismatches.map(([i, j]) => ({
                ...line(pn, predicted.facts[i]!),
                predicted: datesOf(predicted.facts[i]!) || "(none)",
                gold: datesOf(gold.facts[j]!) || "(none)",
            })),
        });
    }
    const perPredicate: Record<string, Counts> = {};
    for (const [p, c] of per) if (c.tp + c.fp + c.fn > 0) perPredicate[p] = ratio(c.tp, c.fp, c.fn);
    return {
        articleCount: items.length,
        overall: ratio(tp, fp, fn),
        perPredicate,
        certainty: agreement(cert.agree, cert.total),
        claimant: agreement(claim.agree, claim.total),
        dates: agreement(dated.agree, dated.total),
        articles,
    };
}

/**
 * A report with nothing that shows individual errors: the held-out split's numbers may be read, its misses
 * and false facts may not (they would be tuned on).
 */
export function numbersOnly(report: EvalReport): Omit<EvalReport, "articles"> {
    const { articles: _articles, ...rest } = report;
    return rest;
}

// ---------------------------------------------------------------------------------------------
// The corpus on disk

export const SPLITS = ["dev", "heldout"] as const;
export type Split = (typeof SPLITS)[number];

export interface CorpusItem {
    name: string;
    split: Split;
    textPath: string;
    goldPath: string;
}

export const DEFAULT_CORPUS_DIR = join(REPO_ROOT, "test", "fixtures", "articles");
/**
 * The read-only shared folder (as in test/helpers/shared.ts): $CYBERKG_SHARED_DIR, else ../shared next to the
 * checkout, else /work/shared — the first that has an articles/ folder.
 */
export function sharedDir(): string {
    const candidates = [process.env.CYBERKG_SHARED_DIR, resolve(REPO_ROOT, "..", "shared"), "/work/shared"].filter((c): c is string => Boolean(c));
    return candidates.find((c) => existsSync(join(c, "articles"))) ?? candidates[candidates.length - 1]!;
}
export const SHARED_ARTICLE = join(sharedDir(), "articles", "000_6ecfceea45088f7c.txt");

/** `<name>.txt` with `<name>.facts.json` in one folder (texts without a gold document are skipped). */
function pairsIn(dir: string, split: Split): CorpusItem[] {
    if (!existsSync(dir)) return [];
    const out: CorpusItem[] = [];
    for (const f of readdirSync(dir).sort()) {
        if (!f.endsWith(".txt")) continue;
        const gold = join(dir, f.replace(/\.txt$/, ".facts.json"));
        if (existsSync(gold)) out.push({ name: f.replace(/\.txt$/, ""), split, textPath: join(dir, f), goldPath: gold });
    }
    return out;
}

export interface ListCorpusOptions {
    /** The corpus root with dev/, heldout/ and gold/ (default test/fixtures/articles). */
    root?: string;
    /** Which splits (default both). */
    splits?: readonly Split[];
    /** Texts outside the corpus scored against gold/<stem>.facts.json, counted with dev (default: the shared source article). */
    shared?: string[];
}

/** The corpus: dev/ pairs plus the shared texts with a gold/ document (split `dev`), then heldout/ pairs (split `heldout`). */
export function listCorpus(options: ListCorpusOptions = {}): CorpusItem[] {
    const root = options.root ?? DEFAULT_CORPUS_DIR;
    const splits = options.splits ?? SPLITS;
    const out: CorpusItem[] = [];
    if (splits.includes("dev")) {
        out.push(...pairsIn(join(root, "dev"), "dev"));
        for (const s of options.shared ?? [SHARED_ARTICLE]) {
            const id = basename(s).replace(/\.(txt|html?)$/, "");
            const gold = join(root, "gold", `${id}.facts.json`);
            if (existsSync(s) && existsSync(gold)) out.push({ name: id, split: "dev", textPath: s, goldPath: gold });
        }
    }
    if (splits.includes("heldout")) out.push(...pairsIn(join(root, "heldout"), "heldout"));
    return out;
}

/** Reads an item's article text (title on the first line; .html through the HTML reader). */
export function readCorpusArticle(item: CorpusItem): ArticleInput {
    return parseArticle(readFileSync(item.textPath, "utf8"), /\.html?$/.test(item.textPath) ? ".html" : ".txt");
}

/** Reads and validates an item's gold document; a bad one throws a ValidationError naming the file and field. */
export function readGold(item: CorpusItem): FactsDocument {
    return validateDocument(JSON.parse(readFileSync(item.goldPath, "utf8")), item.goldPath);
}

export type Extract = (input: ArticleInput, item: CorpusItem) => Promise<Doc> | Doc;

/**
 * Runs an extraction function over corpus items (up to `concurrency` at a time; results keep the items' order)
 * and scores each split separately. An article whose extraction fails is reported in `failures` and scored as if
 * nothing were extracted (all its gold facts missed). Gold documents are validated first, so a bad one stops the
 * run before any extraction, naming its file.
 */
export async function runCorpus(
    items: CorpusItem[],
    extract: Extract,
    options: { concurrency?: number } = {},
): Promise<{ reports: Partial<Record<Split, EvalReport>>; failures: Array<{ name: string; split: Split; error: string }> }> {
    const golds = items.map((item) => readGold(item));
    const predicted: Doc[] = new Array(items.length);
    const failed: Array<{ name: string; split: Split; error: string } | undefined> = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const k = next++;
            const item = items[k]!;
            try {
                // the article's publication date is metadata every feed and page gives (the gold's article.publishedAt)
                const published = golds[k]!.article?.publishedAt;
                predicted[k] = await extract({ ...readCorpusArticle(item), ...(published ? { publishedAt: published } : {}) }, item);
            } catch (err) {
                failed[k] = { name: item.name, split: item.split, error: err instanceof Error ? err.message : String(err) };
                predicted[k] = { entities: [], facts: [] };
            }
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 1, items.length)) }, worker));
    const reports: Partial<Record<Split, EvalReport>> = {};
    for (const s of SPLITS) {
        const scored = items.flatMap((item, k) => (item.split === s ? [{ name: item.name, predicted: predicted[k]!, gold: golds[k]! }] : []));
        if (scored.length > 0) reports[s] = scoreCorpus(scored);
    }
    return { reports, failures: failed.filter((f): f is { name: string; split: Split; error: string } => f !== undefined) };
}
