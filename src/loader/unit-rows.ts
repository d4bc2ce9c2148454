/**
 * What a unit writes, computed from its resolved entities: one entity row per canonical entity (names pooled) and
 * one claim row per (source, subject, predicate, object). Shared by the one-unit write (FactLoader) and the group
 * commit (batch-write.ts), so both write the same thing.
 */
import { createHash } from "node:crypto";
import { LoadError } from "../errors.ts";
import { CERTAINTY_RANK, type ReviewStatus } from "../model/vocabulary.ts";
import { countsWhenLoaded, edgeKey } from "../model/claim-rules.ts";
import { normalizeName } from "../model/normalize.ts";
import { hashOf, type LoadUnit } from "./load-unit.ts";
import type { ResolvedEntity } from "./resolve-entities.ts";

export type EntityRow = { id: string; type: string; name: string; norm: string; names: string[]; stixIds: string[] | null; attributes: Record<string, string> };

/** Several local entities can resolve to one canonical entity: their names are pooled. */
export function mergeRows(resolved: ResolvedEntity[]): EntityRow[] {
    const rows = new Map<string, EntityRow>();
    for (const r of resolved) {
        const row = rows.get(r.id) ?? { id: r.id, type: r.type, name: r.name, norm: normalizeName(r.name), names: [], stixIds: null, attributes: {} };
        row.names = [...new Set([...row.names, ...r.names])];
        if (r.stixIds) row.stixIds = [...new Set([...(row.stixIds ?? []), ...r.stixIds])].sort();
        Object.assign(row.attributes, compact(r.attributes));
        rows.set(r.id, row);
    }
    return [...rows.values()];
}

/** One claim per (source, subject, predicate, object): repeated facts in a unit pool into the strongest one. */
export function claimRows(unit: LoadUnit, resolved: Map<string, ResolvedEntity>, revision: number) {
    const rows = new Map<string, { subject: string; object: string; claimedBy: string | null; recordedAt: string | null; props: Record<string, unknown> & { predicate: string } }>();
    for (const fact of unit.facts) {
        const subject = resolved.get(fact.subject)?.id;
        const object = resolved.get(fact.object)?.id;
        if (!subject || !object) throw new LoadError(unit.origin, `fact ${fact.subject} ${fact.predicate} ${fact.object}: unknown entity`);
        if (subject === object) continue; // two names of one entity: "X is part of X" says nothing
        // Revision 1 keeps the ids claims always had; a later version's claims are new nodes with ids of their own.
        const idKey = `${unit.source.id}|${subject}|${fact.predicate}|${object}` + (revision > 1 ? `|r${revision}` : "");
        const id = "claim:" + createHash("sha256").update(idKey).digest("hex").slice(0, 24);
        const previous = rows.get(id);
        if (previous && (previous.props.certaintyRank as number) >= CERTAINTY_RANK[fact.certainty]) {
            previous.props.evidenceCount = (previous.props.evidenceCount as number) + 1;
            continue;
        }
        rows.set(id, {
            subject,
            object,
            claimedBy: fact.claimedBy ? (resolved.get(fact.claimedBy)?.id ?? null) : null,
            // not a property of what the claim says (not in its fingerprint): the loader's load time when absent
            recordedAt: fact.recordedAt ?? null,
            props: compact({
                id,
                predicate: fact.predicate,
                // The entity the source named (a merged one's id while merged: unmerge moves the claim back to it).
                subjectId: resolved.get(fact.subject)?.namedId ?? subject,
                objectId: resolved.get(fact.object)?.namedId ?? object,
                sourceId: unit.source.id,
                certainty: fact.certainty,
                certaintyRank: CERTAINTY_RANK[fact.certainty],
                claimedById: fact.claimedBy ? resolved.get(fact.claimedBy)?.id : undefined,
                validFrom: fact.validFrom,
                validTo: fact.validTo,
                reportedAt: unit.source.publishedAt,
                evidence: fact.evidence?.text,
                evidenceStart: fact.evidence?.start,
                evidenceEnd: fact.evidence?.end,
                extractor: fact.extractor.name,
                extractorVersion: fact.extractor.version,
                confidence: fact.confidence,
                reviewStatus: fact.reviewStatus,
                evidenceCount: (previous?.props.evidenceCount as number | undefined ?? 0) + 1,
            }) as Record<string, unknown> & { predicate: string },
        });
    }
    return [...rows.values()].map((row) => {
        const { id: _id, ...content } = row.props;
        // What makes two versions of a claim the same claim: everything it says, whatever its id.
        const fingerprint = hashOf([row.claimedBy, Object.entries(content).sort(([a], [b]) => a.localeCompare(b))]);
        return {
            ...row,
            counts: countsWhenLoaded(row.props.reviewStatus as ReviewStatus | undefined),
            props: { ...row.props, fingerprint, edgeKey: edgeKey(row.subject, row.props.predicate, row.object), ...supportOf(unit) },
        };
    });
}

/**
 * The support rule's input: an independent source lends its id; the registry (our own reference knowledge) and
 * our own exports imported again (`lendsSupport: false`) lend none.
 */
function supportOf(unit: LoadUnit): { supportSource?: string } {
    return unit.source.label === "Registry" || unit.lendsSupport === false ? {} : { supportSource: unit.source.id };
}

export function compact<T extends object>(value: T): Record<string, NonNullable<T[keyof T]>> {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Record<string, NonNullable<T[keyof T]>>;
}
