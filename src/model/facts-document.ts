/**
 * The facts document: the one contract between extraction, hand curation, import and the loader.
 * `facts.schema.json` at the repository root is generated from this zod schema (`npm run schema:json`)
 * and a unit test checks that the two agree.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import {
    CERTAINTIES,
    ORGANIZATION_KINDS,
    PREDICATES,
    REVIEW_STATUSES,
    PREDICATE_RULES,
    describeRule,
    type EntityType,
} from "./vocabulary.ts";

/** Partial dates: a year, a year-month or a day ("2021", "2021-03", "2021-03-25"). */
export const PARTIAL_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;
const partialDate = z
    .string()
    .regex(PARTIAL_DATE, "must be a date: YYYY, YYYY-MM or YYYY-MM-DD")
    .refine(isRealPartialDate, "is not a real calendar date");
/** publishedAt accepts a partial date or a full ISO 8601 timestamp (kept to the day in the graph). */
const publishedAt = z.union([
    partialDate,
    z.string().datetime({ offset: true, message: "must be a date (YYYY[-MM[-DD]]) or an ISO 8601 timestamp" }),
]);

function isRealPartialDate(value: string): boolean {
    const [y, m, d] = value.split("-").map(Number);
    if (d === undefined) return true;
    const date = new Date(Date.UTC(y!, m! - 1, d));
    return date.getUTCDate() === d;
}

/**
 * Limits on one document, checked before anything is written (and published in facts.schema.json where JSON
 * Schema can say them). They keep a hostile or runaway document from reaching Neo4j's transaction memory limit
 * or its index key size (an 8 KB name passes a plain string check and then fails in the index).
 */
export const DOCUMENT_LIMITS = {
    /** Serialized size of one document (a file, a JSON line, an ingestFacts argument). */
    maxDocumentBytes: 10_000_000,
    maxFacts: 5_000,
    maxEntities: 2_000,
    maxAliases: 200,
    /** Entity names and aliases, in characters. */
    maxNameLength: 300,
    /** article.title, publisher, role, extractor names, in characters. */
    maxShortTextLength: 2_000,
    /** article.text, in characters. */
    maxArticleTextLength: 2_000_000,
    /** evidence.text and descriptions, in characters. */
    maxEvidenceLength: 20_000,
} as const;

/**
 * No lone UTF-16 surrogates (they cannot be stored as UTF-8: Neo4j would turn them into U+FFFD silently) and
 * no NUL or other C0/C1 control characters; tab, newline and carriage return only where `multiline`.
 */
export function textProblem(value: string, multiline = false): string | undefined {
    // With the u flag a surrogate range matches only unpaired surrogates (pairs are one code point).
    const lone = /[\uD800-\uDFFF]/u.exec(value);
    if (lone) return `contains a lone UTF-16 surrogate U+${lone[0].charCodeAt(0).toString(16).toUpperCase()} at character ${lone.index} (not valid Unicode)`;
    const control = multiline ? /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/ : /[\u0000-\u001F\u007F-\u009F]/;
    const match = control.exec(value);
    if (match) return `contains the control character U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")} at character ${match.index}`;
    return undefined;
}

/** A string of at most `max` characters, well-formed Unicode without control characters (`nonEmpty`: trimmed, not empty). */
function text(max: number, { multiline = false, nonEmpty = false } = {}) {
    const base = nonEmpty ? z.string().trim().min(1, "must not be empty") : z.string();
    return base.max(max, `is longer than ${max} characters (limit)`).superRefine((value, ctx) => {
        const problem = textProblem(value, multiline);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
    });
}

const nonEmpty = text(DOCUMENT_LIMITS.maxShortTextLength, { nonEmpty: true });
const nameText = text(DOCUMENT_LIMITS.maxNameLength, { nonEmpty: true });
const entityId = z
    .string()
    .min(1, "must not be empty")
    .max(200)
    .regex(/^[\p{L}\p{N}][\p{L}\p{N}:._\-/]*$/u, "must be letters, digits and : . _ - / (no spaces)");

const absoluteUrl = z.string().max(DOCUMENT_LIMITS.maxShortTextLength, `is longer than ${DOCUMENT_LIMITS.maxShortTextLength} characters (limit)`).url("must be an absolute URL");

export const ArticleSchema = z
    .object({
        id: entityId.optional().describe("Stable id; defaults to a content hash of url/title/text"),
        title: nonEmpty,
        url: absoluteUrl.optional().describe("Where the article was read (after redirects)"),
        canonicalUrl: absoluteUrl.optional().describe("The page's own canonical URL (<link rel=canonical>), when it names one"),
        publisher: nonEmpty.optional(),
        author: nonEmpty.optional().describe("Byline"),
        fetchedAt: z.string().datetime({ offset: true, message: "must be an ISO 8601 timestamp" }).optional().describe("When the page was fetched"),
        publishedAt: publishedAt.optional(),
        language: z
            .string()
            .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a BCP 47 language tag such as 'en'")
            .default("en"),
        text: text(DOCUMENT_LIMITS.maxArticleTextLength, { multiline: true }).optional().describe("The article text; evidence offsets index into it"),
    })
    .strict();

const EntityBase = {
    id: entityId.describe("Id of the entity inside this document; resolved to a canonical graph id on load"),
    name: nameText,
    aliases: z.array(nameText).max(DOCUMENT_LIMITS.maxAliases, `has more than ${DOCUMENT_LIMITS.maxAliases} aliases (limit)`).default([]),
};

export const EntitySchema = z.discriminatedUnion("type", [
    z.object({ ...EntityBase, type: z.literal("ThreatActor"), description: text(DOCUMENT_LIMITS.maxEvidenceLength, { multiline: true }).optional() }).strict(),
    z
        .object({
            ...EntityBase,
            type: z.literal("State"),
            code: z
                .string()
                .regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code such as 'GB'")
                .optional(),
        })
        .strict(),
    z.object({ ...EntityBase, type: z.literal("Organization"), kind: z.enum(ORGANIZATION_KINDS).default("other") }).strict(),
    z.object({ ...EntityBase, type: z.literal("Person"), role: text(DOCUMENT_LIMITS.maxShortTextLength).optional() }).strict(),
    z.object({ ...EntityBase, type: z.literal("Sector") }).strict(),
]);

export const EvidenceSchema = z
    .object({
        text: text(DOCUMENT_LIMITS.maxEvidenceLength, { multiline: true, nonEmpty: true }).describe("The sentence that states the fact"),
        start: z.number().int().nonnegative().optional().describe("Character offset of the sentence in article.text"),
        end: z.number().int().positive().optional().describe("End offset (exclusive) in article.text"),
    })
    .strict()
    .refine((e) => (e.start === undefined) === (e.end === undefined), "start and end go together")
    .refine((e) => e.start === undefined || e.end === undefined || e.end > e.start, "end must be after start");

export const ExtractorSchema = z
    .object({
        name: nonEmpty.describe("Extractor name, or 'manual' for hand curation"),
        version: text(DOCUMENT_LIMITS.maxShortTextLength).optional(),
    })
    .strict();

export const FactSchema = z
    .object({
        id: entityId.optional(),
        subject: entityId,
        predicate: z.enum(PREDICATES),
        object: entityId,
        certainty: z.enum(CERTAINTIES).default("asserted"),
        claimedBy: entityId.optional().describe("Entity id of who makes the claim (e.g. the NCSC)"),
        validFrom: partialDate.optional(),
        validTo: partialDate.optional(),
        evidence: EvidenceSchema.optional(),
        extractor: ExtractorSchema.default({ name: "manual" }),
        confidence: z.number().min(0).max(1).default(1),
        reviewStatus: z.enum(REVIEW_STATUSES).default("unreviewed"),
    })
    .strict();

export const FactsDocumentSchema = z
    .object({
        $schema: z.string().optional(),
        article: ArticleSchema,
        entities: z.array(EntitySchema).max(DOCUMENT_LIMITS.maxEntities, `has more than ${DOCUMENT_LIMITS.maxEntities} entities (limit); split the document`),
        facts: z.array(FactSchema).max(DOCUMENT_LIMITS.maxFacts, `has more than ${DOCUMENT_LIMITS.maxFacts} facts (limit); split the document`),
    })
    .strict()
    .superRefine(checkReferences);

export type FactsDocument = z.infer<typeof FactsDocumentSchema>;
export type FactsDocumentInput = z.input<typeof FactsDocumentSchema>;
export type Entity = z.infer<typeof EntitySchema>;
export type Fact = z.infer<typeof FactSchema>;
export type Article = z.infer<typeof ArticleSchema>;

/** Cross-field rules no JSON type can express: references, type rules, evidence offsets, date order. */
function checkReferences(doc: { article: z.infer<typeof ArticleSchema>; entities: Entity[]; facts: Fact[] }, ctx: z.RefinementCtx): void {
    const types = new Map<string, EntityType>();
    doc.entities.forEach((e, i) => {
        if (types.has(e.id)) ctx.addIssue({ code: "custom", path: ["entities", i, "id"], message: `duplicate entity id '${e.id}'` });
        types.set(e.id, e.type);
    });
    doc.facts.forEach((f, i) => {
        const label = `fact ${f.subject} ${f.predicate} ${f.object}`;
        const subjectType = types.get(f.subject);
        const objectType = types.get(f.object);
        if (!subjectType) ctx.addIssue({ code: "custom", path: ["facts", i, "subject"], message: `${label}: no entity with id '${f.subject}'` });
        if (!objectType) ctx.addIssue({ code: "custom", path: ["facts", i, "object"], message: `${label}: no entity with id '${f.object}'` });
        if (f.claimedBy !== undefined && !types.has(f.claimedBy))
            ctx.addIssue({ code: "custom", path: ["facts", i, "claimedBy"], message: `${label}: no entity with id '${f.claimedBy}'` });
        const rule = PREDICATE_RULES[f.predicate];
        if (subjectType && !rule.subject.includes(subjectType))
            ctx.addIssue({ code: "custom", path: ["facts", i, "subject"], message: `${label}: subject is a ${subjectType}, but the rule is ${describeRule(f.predicate)}` });
        if (objectType && !rule.object.includes(objectType))
            ctx.addIssue({ code: "custom", path: ["facts", i, "object"], message: `${label}: object is a ${objectType}, but the rule is ${describeRule(f.predicate)}` });
        if (f.subject === f.object) ctx.addIssue({ code: "custom", path: ["facts", i, "object"], message: `${label}: subject and object are the same entity` });
        if (f.validFrom && f.validTo && f.validTo < f.validFrom)
            ctx.addIssue({ code: "custom", path: ["facts", i, "validTo"], message: `${label}: validTo ${f.validTo} is before validFrom ${f.validFrom}` });
        const ev = f.evidence;
        if (ev?.start !== undefined && ev.end !== undefined) {
            const text = doc.article.text;
            if (text === undefined) {
                ctx.addIssue({ code: "custom", path: ["facts", i, "evidence", "start"], message: `${label}: evidence offsets given but article.text is missing` });
            } else if (ev.end > text.length) {
                ctx.addIssue({ code: "custom", path: ["facts", i, "evidence", "end"], message: `${label}: evidence end ${ev.end} is past the end of article.text (${text.length})` });
            } else if (text.slice(ev.start, ev.end) !== ev.text) {
                ctx.addIssue({ code: "custom", path: ["facts", i, "evidence", "text"], message: `${label}: evidence text does not match article.text[${ev.start}:${ev.end}]` });
            }
        }
    });
}

/** The article id: given, or a content hash of what identifies the article (url, else title + text). */
export function articleId(article: Article): string {
    if (article.id) return article.id;
    return idFromBasis(article.url ?? `${article.title}\n${article.text ?? ""}`);
}

/** The id of an article read from the web: a hash of its canonical URL (else the URL it was read at). */
export function articleIdForUrl(url: string): string {
    return idFromBasis(url);
}

function idFromBasis(basis: string): string {
    return `article:${createHash("sha256").update(basis).digest("hex").slice(0, 16)}`;
}
