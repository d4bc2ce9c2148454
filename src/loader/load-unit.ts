/**
 * A load unit: what one source (an article, the registry, a STIX bundle, an entry of a sanctions list) contributes, in the loader's terms.
 * Facts documents, the registry and STIX bundles are all turned into this shape, so there is one write path.
 */
import { createHash } from "node:crypto";
import type { Certainty, EntityType, OrganizationKind, Predicate, ReviewStatus } from "../model/vocabulary.ts";
import { articleId, type FactsDocument } from "../model/facts-document.ts";
import { fingerprint } from "../model/fingerprint.ts";

export const SOURCE_LABELS = ["Article", "Registry", "StixBundle", "SanctionsList"] as const;
export type SourceLabel = (typeof SOURCE_LABELS)[number];

export interface UnitSource {
    id: string;
    label: SourceLabel;
    title: string;
    url?: string;
    publisher?: string;
    /** YYYY[-MM[-DD]]: the day the source reported its claims. */
    publishedAt?: string;
    language?: string;
    text?: string;
    version?: string;
    /** A sanctions list entry (label SanctionsList): the list, the snapshot it was read from, its programs, OFAC's ent_num, the row as published. */
    list?: string;
    snapshotDate?: string;
    programs?: string[];
    entryId?: string;
    record?: string;
    /** When the entry was on the list: listedFrom/listedTo (the claim's validFrom/validTo), firstSeen/lastSeen (the snapshots it was seen in). */
    listedFrom?: string;
    listedTo?: string;
    firstSeen?: string;
    lastSeen?: string;
    /** Articles read from the web: canonical URL, byline, fetch time. */
    canonicalUrl?: string;
    author?: string;
    fetchedAt?: string;
    /** Every URL the article was seen at (its own first); copies found later add theirs (src/news/duplicates.ts). */
    urls?: string[];
    /** The article store: fingerprint of the text, for near-duplicate detection (src/model/fingerprint.ts). */
    textHash?: string;
    minhash?: number[];
    bandText?: string;
    /** "<name>@<version>" of the extractor that read the text (`cyberkg reextract` looks for older ones). */
    extractedBy?: string;
    /** A STIX bundle that is one of our own exports (its claims went back to their original sources). */
    cyberkgExport?: boolean;
}

export interface UnitEntity {
    /** Id inside the unit (a document's local id, or already canonical when `canonical`). */
    localId: string;
    type: EntityType;
    name: string;
    aliases: string[];
    /** The id is a canonical graph id (registry, STIX ids mapped by the importer): skip resolution. */
    canonical?: boolean;
    attributes: {
        code?: string;
        kind?: OrganizationKind;
        role?: string;
        description?: string;
        /** Identifiers and details a sanctions list gives (sdnEntNum, birthDates, cryptoAddresses, …), kept as properties. */
        [property: string]: string | string[] | number | undefined;
    };
    /** STIX ids this source gave the entity (kept on the source's MENTIONS, so later bundles can refer to them). */
    stixIds?: string[];
}

export interface UnitFact {
    subject: string;
    predicate: Predicate;
    object: string;
    certainty: Certainty;
    claimedBy?: string;
    validFrom?: string;
    validTo?: string;
    evidence?: { text: string; start?: number; end?: number };
    extractor: { name: string; version?: string };
    confidence: number;
    reviewStatus: ReviewStatus;
    /** When the claim was first recorded, if not now: a restored export's claim keeps its original load time (recorded time). */
    recordedAt?: string;
}

export interface LoadUnit {
    /** Where the unit came from, for messages: a file path, "registry", a bundle file. */
    origin: string;
    source: UnitSource;
    entities: UnitEntity[];
    facts: UnitFact[];
    /** Content hash: a source loaded again with the same hash is "unchanged" and nothing is written. */
    contentHash: string;
    /** `cyberkg load`: the input hash of the raw document (input-hash.ts), kept on the source for the unchanged fast path. */
    inputHash?: string;
    /** false: the source is not independent (our own export imported again), its claims add no support. */
    lendsSupport?: boolean;
    /** When the source was recorded, if not now: a source restored from our own export keeps its original load time. */
    recordedAt?: string;
}

export function hashOf(value: unknown): string {
    return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

/** The day part of a date or timestamp ("2024-03-25T10:00:00Z" → "2024-03-25"). */
export function dayOf(value: string | undefined): string | undefined {
    return value === undefined ? undefined : value.slice(0, 10);
}

export function unitFromDocument(doc: FactsDocument, origin: string): LoadUnit {
    const { article } = doc;
    return {
        origin,
        source: {
            id: articleId(article),
            label: "Article",
            title: article.title,
            url: article.url,
            publisher: article.publisher,
            publishedAt: dayOf(article.publishedAt),
            language: article.language,
            text: article.text,
            canonicalUrl: article.canonicalUrl,
            author: article.author,
            fetchedAt: article.fetchedAt,
            urls: article.url || article.canonicalUrl ? [...new Set([article.url, article.canonicalUrl].filter((u): u is string => u !== undefined))] : undefined,
            ...(article.text ? storeFields(article.text) : {}),
        },
        entities: doc.entities.map((e) => ({
            localId: e.id,
            type: e.type,
            name: e.name,
            aliases: e.aliases,
            attributes: {
                code: e.type === "State" ? e.code : undefined,
                kind: e.type === "Organization" ? e.kind : undefined,
                role: e.type === "Person" ? e.role : undefined,
                description: e.type === "ThreatActor" ? e.description : undefined,
            },
        })),
        facts: doc.facts.map((f) => ({ ...f })),
        contentHash: hashOf(doc),
    };
}

/** What the article store keeps besides the text: its fingerprint (bands only for bodies long enough to compare). */
function storeFields(text: string): Pick<UnitSource, "textHash" | "minhash" | "bandText"> {
    const f = fingerprint(text);
    return f.minhash.length > 0 ? f : { textHash: f.textHash };
}
