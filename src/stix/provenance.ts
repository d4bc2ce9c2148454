/**
 * The provenance a cyberkg STIX export carries, as STIX 2.1 custom properties (lower-case `x_cyberkg_*` names) on
 * each relationship, and what `import-stix` reads back:
 *
 *   x_cyberkg_support    the edge's support (independent sources, cypher/MODEL.md) when it was exported
 *   x_cyberkg_certainty  the edge's strongest certainty
 *   x_cyberkg_claims     every live claim behind the edge: its original source (id, kind, title, url, dates…),
 *                        certainty, claimant (`claimant_ref`, the STIX id of the claimant's object in the bundle),
 *                        evidence sentence with its offsets, valid_from/valid_to, confidence, review status and
 *                        extractor, and `recorded_at`: when the database it came from recorded the claim
 *                        (its `loadedAt`; the source's own `recorded_at` is the source's)
 *
 * The sources are also the relationship's external references (`external_id` = the source id). The import
 * restores each original source that the database does not hold yet, with its claims, so support counts the
 * same sources as where the export came from; a source it already holds is never counted again (MODEL.md's
 * support rule).
 */
import { z } from "zod";
import { PARTIAL_DATE } from "../model/facts-document.ts";
import { CERTAINTIES, REVIEW_STATUSES } from "../model/vocabulary.ts";
import { SOURCE_LABELS } from "../loader/load-unit.ts";

export const SUPPORT_PROPERTY = "x_cyberkg_support";
export const CERTAINTY_PROPERTY = "x_cyberkg_certainty";
export const CLAIMS_PROPERTY = "x_cyberkg_claims";

const text = z.string().trim().min(1);
const partialDate = z.string().regex(PARTIAL_DATE, "a date YYYY[-MM[-DD]]");
const offset = z.number().int().nonnegative();
/** A recorded time (a claim's or source's `loadedAt` where the export came from): an ISO 8601 instant, not in the future. */
const recordedAt = z
    .string()
    .datetime({ offset: true, message: "an ISO 8601 date-time with a time zone" })
    .refine((v) => Date.parse(v) <= Date.now() + 60_000, "a recorded time in the future");

/** The original source of a claim: what the loader keeps on a :Source, without the article text. */
export const exportedSource = z
    .object({
        id: text.max(1000),
        kind: z.enum(SOURCE_LABELS),
        title: text,
        url: text.optional(),
        canonical_url: text.optional(),
        urls: z.array(text).optional(),
        publisher: text.optional(),
        author: text.optional(),
        published_at: partialDate.optional(),
        language: text.optional(),
        version: text.optional(),
        list: text.optional(),
        programs: z.array(text).optional(),
        snapshot_date: partialDate.optional(),
        listed_from: partialDate.optional(),
        listed_to: partialDate.optional(),
        first_seen: partialDate.optional(),
        last_seen: partialDate.optional(),
        recorded_at: recordedAt.optional(),
    })
    .strict();

export const exportedClaim = z
    .object({
        source: exportedSource,
        certainty: z.enum(CERTAINTIES),
        claimant_ref: text.optional(),
        evidence: text.optional(),
        evidence_start: offset.optional(),
        evidence_end: offset.optional(),
        valid_from: partialDate.optional(),
        valid_to: partialDate.optional(),
        confidence: z.number().min(0).max(1),
        review_status: z.enum(REVIEW_STATUSES).optional(),
        extractor: text,
        extractor_version: text.optional(),
        recorded_at: recordedAt.optional(),
    })
    .strict();

export type ExportedSource = z.infer<typeof exportedSource>;
export type ExportedClaim = z.infer<typeof exportedClaim>;

export const exportedClaims = z.array(exportedClaim);

/** The claims a relationship carries, checked; a bad one is an error naming the relationship and the field. */
export function readExportedClaims(value: unknown, where: string): ExportedClaim[] {
    const parsed = exportedClaims.safeParse(value);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    throw new Error(`${where}: ${CLAIMS_PROPERTY}${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("")}: ${issue.message}`);
}

/** Source properties as the loader names them (camelCase) ↔ as the export writes them (snake_case). */
export const SOURCE_FIELDS = {
    title: "title",
    url: "url",
    canonicalUrl: "canonical_url",
    urls: "urls",
    publisher: "publisher",
    author: "author",
    publishedAt: "published_at",
    language: "language",
    version: "version",
    list: "list",
    programs: "programs",
    snapshotDate: "snapshot_date",
    listedFrom: "listed_from",
    listedTo: "listed_to",
    firstSeen: "first_seen",
    lastSeen: "last_seen",
} as const;
