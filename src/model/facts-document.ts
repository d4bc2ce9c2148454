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

const nonEmpty = z.string().trim().min(1, "must not be empty");
const entityId = z
    .string()
    .min(1, "must not be empty")
    .max(200)
    .regex(/^[\p{L}\p{N}][\p{L}\p{N}:._\-/]*$/u, "must be letters, digits and : . _ - / (no spaces)");

export const ArticleSchema = z
    .object({
        id: entityId.optional().describe("Stable id; defaults to a content hash of url/title/text"),
        title: nonEmpty,
        url: z.string().url("must be an absolute URL").optional(),
        publisher: nonEmpty.optional(),
        publishedAt: publishedAt.optional(),
        language: z
            .string()
            .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a BCP 47 language tag such as 'en'")
            .default("en"),
        text: z.string().optional().describe("The article text; evidence offsets index into it"),
    })
    .strict();

const EntityBase = {
    id: entityId.describe("Id of the entity inside this document; resolved to a canonical graph id on load"),
    name: nonEmpty,
    aliases: z.array(nonEmpty).default([]),
};

export const EntitySchema = z.discriminatedUnion("type", [
    z.object({ ...EntityBase, type: z.literal("ThreatActor"), description: z.string().optional() }).strict(),
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
    z.object({ ...EntityBase, type: z.literal("Person"), role: z.string().optional() }).strict(),
    z.object({ ...EntityBase, type: z.literal("Sector") }).strict(),
]);

export const EvidenceSchema = z
    .object({
        text: nonEmpty.describe("The sentence that states the fact"),
        start: z.number().int().nonnegative().optional().describe("Character offset of the sentence in article.text"),
        end: z.number().int().positive().optional().describe("End offset (exclusive) in article.text"),
    })
    .strict()
    .refine((e) => (e.start === undefined) === (e.end === undefined), "start and end go together")
    .refine((e) => e.start === undefined || e.end === undefined || e.end > e.start, "end must be after start");

export const ExtractorSchema = z
    .object({
        name: nonEmpty.describe("Extractor name, or 'manual' for hand curation"),
        version: z.string().optional(),
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
        entities: z.array(EntitySchema),
        facts: z.array(FactSchema),
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
    const basis = article.url ?? `${article.title}\n${article.text ?? ""}`;
    return `article:${createHash("sha256").update(basis).digest("hex").slice(0, 16)}`;
}
