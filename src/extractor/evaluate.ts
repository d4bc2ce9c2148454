/**
 * Scoring extracted facts against gold facts documents. A predicted fact matches a gold fact when the
 * predicate is equal and subject and object each match by id or by any name/alias (normalizeName-equal,
 * on either side's name and aliases). Matching is one-to-one (each gold fact is found at most once).
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { REPO_ROOT } from "../config.ts";
import { normalizeName } from "../model/normalize.ts";
import { PREDICATES, type Predicate } from "../model/vocabulary.ts";
import type { FactsDocumentInput } from "../model/facts-document.ts";
import { extractArticle } from "./extract.ts";
import type { RegistryLike } from "./lexicon.ts";
import { parseArticle } from "./text.ts";

export interface Counts {
    tp: number;
    fp: number;
    fn: number;
    precision: number;
    recall: number;
    f1: number;
}

export interface FactLine {
    subject: string;
    predicate: Predicate;
    object: string;
    evidence?: string;
}

export interface ArticleScore {
    name: string;
    counts: Counts;
    misses: FactLine[];
    falseFacts: FactLine[];
}

export interface EvalReport {
    overall: Counts;
    perPredicate: Record<string, Counts>;
    articles: ArticleScore[];
}

type Doc = Pick<FactsDocumentInput, "entities" | "facts">;

function entityKeys(doc: Doc): Map<string, { id: string; name: string; keys: Set<string> }> {
    const out = new Map<string, { id: string; name: string; keys: Set<string> }>();
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

function sameEntity(a: { id: string; keys: Set<string> } | undefined, b: { id: string; keys: Set<string> } | undefined): boolean {
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

/** Compares one predicted document with its gold document. */
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

/** Scores a set of (name, predicted, gold) triples: overall, per predicate and per article. */
export function scoreCorpus(items: Array<{ name: string; predicted: Doc; gold: Doc }>): EvalReport {
    const per = new Map<string, { tp: number; fp: number; fn: number }>();
    for (const p of PREDICATES) per.set(p, { tp: 0, fp: 0, fn: 0 });
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const articles: ArticleScore[] = [];
    for (const { name, predicted, gold } of items) {
        const { matched, falseFacts, misses } = compareDocuments(predicted, gold);
        const pn = new Map(predicted.entities.map((e) => [e.id, e.name]));
        const gn = new Map(gold.entities.map((e) => [e.id, e.name]));
        for (const [i] of matched) per.get(predicted.facts[i]!.predicate)!.tp++;
        for (const i of falseFacts) per.get(predicted.facts[i]!.predicate)!.fp++;
        for (const k of misses) per.get(gold.facts[k]!.predicate)!.fn++;
        tp += matched.length;
        fp += falseFacts.length;
        fn += misses.length;
        const line = (names: Map<string, string>, f: Doc["facts"][number]): FactLine => ({
            subject: names.get(f.subject) ?? f.subject,
            predicate: f.predicate,
            object: names.get(f.object) ?? f.object,
            ...(f.evidence?.text ? { evidence: f.evidence.text } : {}),
        });
        articles.push({
            name,
            counts: ratio(matched.length, falseFacts.length, misses.length),
            misses: misses.map((k) => line(gn, gold.facts[k]!)),
            falseFacts: falseFacts.map((i) => line(pn, predicted.facts[i]!)),
        });
    }
    const perPredicate: Record<string, Counts> = {};
    for (const [p, c] of per) if (c.tp + c.fp + c.fn > 0) perPredicate[p] = ratio(c.tp, c.fp, c.fn);
    return { overall: ratio(tp, fp, fn), perPredicate, articles };
}

export interface CorpusItem {
    name: string;
    textPath: string;
    goldPath: string;
}

export const DEFAULT_CORPUS_DIR = "test/fixtures/articles";
/**
 * The read-only shared folder (as in test/helpers/shared.ts): $CYBERKG_SHARED_DIR, else ../shared next to the
 * checkout, else /work/shared — the first that has an articles/ folder.
 */
export function sharedDir(): string {
    const candidates = [process.env.CYBERKG_SHARED_DIR, resolve(REPO_ROOT, "..", "shared"), "/work/shared"].filter((c): c is string => Boolean(c));
    return candidates.find((c) => existsSync(join(c, "articles"))) ?? candidates[candidates.length - 1]!;
}
export const SHARED_ARTICLE = join(sharedDir(), "articles", "000_6ecfceea45088f7c.txt");

/** The corpus: NN-slug.txt with NN-slug.facts.json, plus the shared source article against gold/<id>.facts.json. */
export function listCorpus(dir = DEFAULT_CORPUS_DIR, shared: string[] = [SHARED_ARTICLE]): CorpusItem[] {
    const out: CorpusItem[] = [];
    if (existsSync(dir)) {
        for (const f of readdirSync(dir).sort()) {
            if (!f.endsWith(".txt")) continue;
            const gold = join(dir, f.replace(/\.txt$/, ".facts.json"));
            if (existsSync(gold)) out.push({ name: f.replace(/\.txt$/, ""), textPath: join(dir, f), goldPath: gold });
        }
    }
    for (const s of shared) {
        const id = basename(s).replace(/\.(txt|html?)$/, "");
        const gold = join(dir, "gold", `${id}.facts.json`);
        if (existsSync(s) && existsSync(gold)) out.push({ name: id, textPath: s, goldPath: gold });
    }
    return out;
}

/** Runs the extractor over the corpus and scores it. */
export function evaluateCorpus(registry: RegistryLike, items: CorpusItem[] = listCorpus()): EvalReport {
    return scoreCorpus(
        items.map((it) => {
            const raw = readFileSync(it.textPath, "utf8");
            const predicted = extractArticle(parseArticle(raw, it.textPath.endsWith(".html") ? ".html" : ".txt"), registry);
            const gold = JSON.parse(readFileSync(it.goldPath, "utf8")) as Doc;
            return { name: it.name, predicted, gold };
        }),
    );
}
