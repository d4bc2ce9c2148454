/**
 * Stage 6 — the facts document: candidate facts under the type rules, one per (subject, predicate, object) with
 * its first evidence, COMPROMISED winning over TARGETED for a pair (EXTRACTION-GUIDE rule 5), a denial never
 * outranking a claim of the same triple, and only the entities the facts use.
 */
import type { FactsDocument } from "../model/facts-document.ts";
import { CERTAINTY_RANK, EXTRACTION_RULES } from "../model/vocabulary.ts";
import type { Entity } from "./entities.ts";
import type { RawFact } from "./relations.ts";
import type { ArticleInput } from "./text.ts";

export const EXTRACTOR_NAME = "cyberkg-extractor";
export const EXTRACTOR_VERSION = "0.2.0";
/** Facts with a lower confidence were inferred across sentences (discourse), not read off one sentence. */
const INFERRED_BELOW = 0.7;

function validPublishedAt(s: string): boolean {
    return /^\d{4}(-\d{2}(-\d{2})?)?$/.test(s) || (!Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s));
}

function toEntity(e: Entity): FactsDocument["entities"][number] {
    const aliases = [...e.aliases].filter((a) => a !== e.name && a.trim().length > 0);
    switch (e.type) {
        case "State":
            return { id: e.id, name: e.name, type: "State", aliases, ...(e.code && /^[A-Z]{2}$/.test(e.code) ? { code: e.code } : {}) };
        case "Organization":
            return { id: e.id, name: e.name, type: "Organization", aliases, kind: e.kind ?? "other" };
        case "Person":
            return { id: e.id, name: e.name, type: "Person", aliases };
        case "ThreatActor":
            return { id: e.id, name: e.name, type: "ThreatActor", aliases };
        case "Sector":
            return { id: e.id, name: e.name, type: "Sector", aliases };
    }
}

export interface SentenceSpan {
    begin: number;
    end: number;
}

export function assembleDocument(input: ArticleInput, facts: RawFact[], sentences: SentenceSpan[]): FactsDocument {
    const text = input.text;
    // the type rules once more, on the final types (a name may have been retyped after a fact was made)
    const typed = facts.filter((f) => f.s.id !== f.o.id && EXTRACTION_RULES[f.p].subject.includes(f.s.type) && EXTRACTION_RULES[f.p].object.includes(f.o.type));
    const compromised = new Set(typed.filter((f) => f.p === "COMPROMISED" && f.certainty !== "denied").map((f) => `${f.s.id}|${f.o.id}`));
    const kept = typed.filter((f) => !(f.p === "TARGETED" && compromised.has(`${f.s.id}|${f.o.id}`)));
    const byKey = new Map<string, RawFact>();
    for (const f of kept) {
        const key = `${f.s.id}|${f.p}|${f.o.id}`;
        const prev = byKey.get(key);
        if (!prev) byKey.set(key, f);
        else if (prev.certainty === "denied" && f.certainty !== "denied") byKey.set(key, f);
        // a fact inferred from discourse (a counted set filled later) yields to the sentence that states it
        else if (prev.confidence < INFERRED_BELOW && f.confidence >= INFERRED_BELOW && f.certainty !== "denied") byKey.set(key, f);
        else if (prev.sent === f.sent && CERTAINTY_RANK[f.certainty] < CERTAINTY_RANK[prev.certainty] && f.certainty !== "denied") byKey.set(key, { ...prev, certainty: f.certainty, ...(f.claimedBy ? { claimedBy: f.claimedBy } : {}) });
        else if (!prev.claimedBy && f.claimedBy && prev.sent === f.sent) byKey.set(key, { ...prev, claimedBy: f.claimedBy });
    }
    // a triple first told without a date takes the first date a later sentence gives it
    for (const f of kept) {
        const key = `${f.s.id}|${f.p}|${f.o.id}`;
        const k = byKey.get(key)!;
        if (k !== f && !k.validFrom && !k.validTo && (f.validFrom || f.validTo)) byKey.set(key, { ...k, ...(f.validFrom ? { validFrom: f.validFrom } : {}), ...(f.validTo ? { validTo: f.validTo } : {}) });
    }
    const final = [...byKey.values()].sort((a, b) => a.sent - b.sent || a.anchor - b.anchor);
    const used = new Map<string, Entity>();
    for (const f of final) {
        used.set(f.s.id, f.s);
        used.set(f.o.id, f.o);
        if (f.claimedBy) used.set(f.claimedBy.id, f.claimedBy);
    }
    const extractor = { name: EXTRACTOR_NAME, version: EXTRACTOR_VERSION };
    const title = input.title?.trim() || text.split("\n").find((l) => l.trim())?.trim().slice(0, 300) || "Untitled";
    return {
        article: {
            title,
            ...(input.url && /^[a-z][a-z0-9+.-]*:\/\//i.test(input.url) ? { url: input.url } : {}),
            ...(input.sourceName ? { publisher: input.sourceName } : {}),
            ...(input.publishedAt && validPublishedAt(input.publishedAt) ? { publishedAt: input.publishedAt } : {}),
            language: "en",
            text,
        },
        entities: [...used.values()].map(toEntity),
        facts: final.map((f) => {
            const s = sentences[f.sent]!;
            return {
                subject: f.s.id,
                predicate: f.p,
                object: f.o.id,
                certainty: f.certainty,
                ...(f.claimedBy ? { claimedBy: f.claimedBy.id } : {}),
                ...(f.validFrom ? { validFrom: f.validFrom } : {}),
                ...(f.validTo && (!f.validFrom || f.validTo >= f.validFrom) ? { validTo: f.validTo } : {}),
                evidence: { text: text.slice(s.begin, s.end), start: s.begin, end: s.end },
                extractor,
                confidence: Math.round(f.confidence * 100) / 100,
                reviewStatus: "unreviewed" as const,
            };
        }),
    };
}
