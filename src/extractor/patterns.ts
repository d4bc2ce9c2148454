/**
 * The extraction patterns and word classes, read once from `src/extractor/patterns/*.yaml` and validated
 * (a malformed pattern file names the file, the pattern and the field). See patterns/README.md.
 */
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { z } from "zod";
import { REPO_ROOT } from "../config.ts";
import { PREDICATES, type Predicate } from "../model/vocabulary.ts";

export const PATTERN_DIR = path.join(REPO_ROOT, "src", "extractor", "patterns");

const predicate = z.enum(PREDICATES);
const words = z.array(z.string().min(1));

export const PatternSchema = z
    .object({
        id: z.string().regex(/^[a-z-]+\.[a-z0-9-]+$/, "must look like <file>.<name>"),
        kind: z.enum(["verb", "noun", "relational", "participle"]),
        lemmas: words.min(1),
        via: words.optional(),
        viaRequires: z.record(words).optional(),
        objectNoun: words.optional(),
        /** Verb only: a direct object that rules the pattern out ("took data from X", never "took orders from X"). */
        exceptObject: words.optional(),
        subjectNoun: words.optional(),
        possessorOf: words.optional(),
        particle: words.optional(),
        requires: words.optional(),
        requiresOrgObject: z.boolean().optional(),
        objectIsPlace: z.boolean().optional(),
        moveObject: z.boolean().optional(),
        subjectIsPatient: z.boolean().optional(),
        /** A relational noun that counts only with one of these prepositions, predicated of its subject ("X was inside the network of Y"). */
        caseMarker: words.optional(),
        /** Not as a participle modifying a noun ("accounts belonging to X" is possession, not structure). */
        clauseOnly: z.boolean().optional(),
        subjectTypes: z.array(z.enum(["ThreatActor", "State", "Organization", "Person", "Sector"])).optional(),
        objectTypes: z.array(z.enum(["ThreatActor", "State", "Organization", "Person", "Sector"])).optional(),
        swap: z.boolean().optional(),
        /** Names no targets of its own: extends the last listing of its predicate ("followed suit", "took similar action"). */
        extendsListing: z.boolean().optional(),
        predicate,
        else: z.array(predicate).optional(),
        examples: z.array(z.string().min(1)).min(1, "every pattern needs at least one example sentence"),
    })
    .strict();
export type Pattern = z.infer<typeof PatternSchema> & { file: string; lemmaSet: Set<string>; viaSet?: Set<string> };

const WordsSchema = z
    .object({
        actorNouns: words,
        agentNouns: words,
        companyNouns: words,
        governmentNouns: words,
        governmentNameWords: words,
        companyNameWords: words,
        vendorNameWords: words,
        personSetNouns: words,
        orgSetNouns: words,
        numbers: z.record(z.number().int().positive()),
        pronouns: z.object({ group: words, person: words, plural: words }),
        anaphoricHeads: z.object({ actor: words, organization: words, person: words }),
        reportingVerbs: words,
        denialVerbs: words,
        allegedWords: words,
        likelyWords: words,
        likelyPhrases: words,
        negations: words,
        attemptVerbs: words,
        unrealisedWords: words,
        armedMeans: words,
        lightVerbs: words,
        responsibilityWords: words,
        ownedSystemNouns: words,
        productNouns: words,
        sectors: z.record(words),
        peopleGroupNouns: words,
        bareVictimNouns: words,
    })
    .strict();
type WordsFile = z.infer<typeof WordsSchema>;
type Setted<T> = T extends string[] ? Set<string> : T extends Record<string, string[]> ? { [K in keyof T]: Set<string> } : T;
/** The word classes as sets (lower case); `sectors` stays a map of phrase lists, `numbers` a map. */
export type Words = { [K in keyof WordsFile]: K extends "sectors" | "numbers" ? WordsFile[K] : Setted<WordsFile[K]> } & {
    /** Role nouns of membership ("officer", "member"), from the MEMBER_OF relational pattern. */
    memberNouns: Set<string>;
};

export interface PatternBook {
    patterns: Pattern[];
    words: Words;
    /** Patterns by trigger lemma. */
    byLemma: Map<string, Pattern[]>;
}

function readYaml(file: string): unknown {
    try {
        return YAML.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new Error(`${path.relative(REPO_ROOT, file)}: not valid YAML: ${(error as Error).message}`);
    }
}

function issuesOf(file: string, where: string, error: z.ZodError): string {
    return error.issues.map((i) => `${path.relative(REPO_ROOT, file)}: ${where}${i.path.length ? "." + i.path.join(".") : ""}: ${i.message}`).join("\n");
}

/** Reads and validates every pattern file of a directory. */
export function loadPatternBook(dir = PATTERN_DIR): PatternBook {
    const wordsFile = path.join(dir, "words.yaml");
    const wr = WordsSchema.safeParse(readYaml(wordsFile));
    if (!wr.success) throw new Error(issuesOf(wordsFile, "words", wr.error));
    const w = {} as Record<string, unknown>;
    const toSet = (xs: string[]) => new Set(xs.map((x) => x.toLowerCase()));
    for (const [k, v] of Object.entries(wr.data)) {
        if (Array.isArray(v)) w[k] = toSet(v);
        else if (k === "pronouns" || k === "anaphoricHeads") w[k] = Object.fromEntries(Object.entries(v as Record<string, string[]>).map(([a, b]) => [a, toSet(b)]));
        else w[k] = v;
    }
    const patterns: Pattern[] = [];
    const ids = new Set<string>();
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".yaml") && f !== "words.yaml").sort()) {
        const file = path.join(dir, f);
        const raw = readYaml(file);
        if (!Array.isArray(raw)) throw new Error(`${path.relative(REPO_ROOT, file)}: must be a list of patterns`);
        raw.forEach((p, i) => {
            const r = PatternSchema.safeParse(p);
            if (!r.success) throw new Error(issuesOf(file, `[${i}]${(p as { id?: string })?.id ? ` (${(p as { id: string }).id})` : ""}`, r.error));
            if (ids.has(r.data.id)) throw new Error(`${path.relative(REPO_ROOT, file)}: [${i}] pattern id ${r.data.id} is used twice`);
            if (r.data.id.split(".")[0] !== f.replace(/\.yaml$/, "")) throw new Error(`${path.relative(REPO_ROOT, file)}: [${i}] pattern id ${r.data.id} must start with ${f.replace(/\.yaml$/, "")}.`);
            ids.add(r.data.id);
            patterns.push({ ...r.data, file: f, lemmaSet: new Set(r.data.lemmas.map((l) => l.toLowerCase())), ...(r.data.via ? { viaSet: new Set(r.data.via) } : {}) });
        });
    }
    const byLemma = new Map<string, Pattern[]>();
    for (const p of patterns) for (const l of p.lemmaSet) (byLemma.get(l) ?? byLemma.set(l, []).get(l)!).push(p);
    // the role nouns of membership are the MEMBER_OF relational pattern's lemmas (one list, in member.yaml)
    w.memberNouns = new Set(patterns.filter((p) => p.predicate === "MEMBER_OF" && p.kind === "relational").flatMap((p) => [...p.lemmaSet]));
    return { patterns, words: w as unknown as Words, byLemma };
}

let cached: PatternBook | undefined;
/** The project's pattern book, loaded on first use. */
export function patternBook(): PatternBook {
    cached ??= loadPatternBook();
    return cached;
}

/** Parses an example "Sentence. => S PRED O [certainty]; S PRED O" into its text and expected facts. */
export function parseExample(example: string): { text: string; facts: Array<{ subject: string; predicate: Predicate; object: string; certainty?: string }> } {
    const [text, expect = ""] = example.split("=>").map((s) => s.trim());
    const facts = expect
        .split(";")
        .map((s) => s.trim())
        .filter(Boolean)
        .map((f) => {
            const m = /^(.+?)\s+([A-Z_]+)\s+(.+?)(?:\s+\[(\w+)\])?$/.exec(f);
            if (!m || !(PREDICATES as readonly string[]).includes(m[2]!)) throw new Error(`example "${example}": cannot read the fact "${f}" (want "Subject PREDICATE Object")`);
            return { subject: m[1]!, predicate: m[2] as Predicate, object: m[3]!, ...(m[4] ? { certainty: m[4] } : {}) };
        });
    return { text: text!, facts };
}
