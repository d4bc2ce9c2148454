/**
 * Entity resolution for a STIX import: the loader's order (registry → graph entity with a matching name or
 * alias of the same type, following MERGED_INTO → new slug id), with one rule the loader does not need:
 *
 *   a name that two objects of the run claim (Thrip is a group of its own and an alias of Lotus Blossom in
 *   ATT&CK; DOTA and SuperHard list identical aliases in apt1.json; UAC-0056 is listed by Ember Bear and Saint
 *   Bear) is AMBIGUOUS: it is never used to match, except as an object's own name, and then only against an
 *   entity whose own name it is. It stays data (an alias of both), and the two entities are linked by
 *   POSSIBLY_SAME_AS with the bundle as source, never merged.
 *
 * Objects joined by `revoked-by` form one identity (the revoked group is the same group), so names they share
 * are not ambiguous. The ATT&CK id (G0128) is tried first: the registry lists it for its actors.
 * An alias that names a different entity of the same type in the registry or the graph is a conflict between
 * vendors' alias lists: also POSSIBLY_SAME_AS (lower confidence), never a merge.
 */
import type { ManagedTransaction } from "neo4j-driver";
import { newEntityId, normalizeName } from "../model/normalize.ts";
import { ID_PREFIX, type EntityType } from "../model/vocabulary.ts";
import { lookupKey, type Registry } from "../registry/Registry.ts";
import type { EntityCandidate, RevokedPair } from "./map.ts";
import { findCandidates, type GraphCandidate } from "../loader/resolve-entities.ts";

export interface PossiblySame {
    /** STIX id of the object whose names conflict. */
    stixId: string;
    /** Canonical ids of the two entities. */
    a: string;
    b: string;
    bundle: number;
    confidence: number;
    reason: string;
}

export interface Resolution {
    ids: Map<string, string>;
    how: Map<string, "fixed" | "registry" | "graph" | "new">;
    possiblySame: PossiblySame[];
}

/** Confidence of POSSIBLY_SAME_AS when two objects of one source claim the same name. */
export const SHARED_NAME_CONFIDENCE = 0.5;
/** … when an object's alias names another entity in the registry or the graph. */
export const ALIAS_CONFLICT_CONFIDENCE = 0.4;

export async function resolveCandidates(
    tx: ManagedTransaction,
    candidates: EntityCandidate[],
    revoked: RevokedPair[],
    registry: Registry,
): Promise<Resolution> {
    const ids = new Map<string, string>();
    const how = new Map<string, "fixed" | "registry" | "graph" | "new">();
    const possiblySame: PossiblySame[] = [];
    const pending = candidates.filter((c) => {
        if (c.fixedId === undefined) return true;
        ids.set(c.stixId, c.fixedId);
        how.set(c.stixId, "fixed");
        return false;
    });

    // identity clusters (revoked-by) and which clusters claim each name, per type
    const parent = new Map<string, string>();
    const root = (id: string): string => {
        let r = id;
        while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
        return r;
    };
    for (const p of revoked) {
        const a = root(p.revoked), b = root(p.by);
        if (a !== b) parent.set(a, b);
    }
    const owners = new Map<string, Map<string, EntityCandidate[]>>(); // type|norm → cluster → candidates
    for (const c of pending) {
        for (const n of namesOf(c)) {
            const key = `${c.type}|${normalizeName(n)}`;
            const byCluster = owners.get(key) ?? new Map<string, EntityCandidate[]>();
            const list = byCluster.get(root(c.stixId)) ?? [];
            if (!list.includes(c)) list.push(c);
            byCluster.set(root(c.stixId), list);
            owners.set(key, byCluster);
        }
    }
    const ambiguous = (c: EntityCandidate, name: string) => (owners.get(`${c.type}|${normalizeName(name)}`)?.size ?? 0) > 1;

    const norms = [...new Set(pending.flatMap((c) => namesOf(c).map(normalizeName)))].filter(Boolean);
    const graph = await findCandidates(tx, norms);
    const byNorm = new Map<string, GraphCandidate[]>();
    for (const g of graph) for (const n of g.normNames ?? []) byNorm.set(n, [...(byNorm.get(n) ?? []), g]);

    const fromRegistry = (type: EntityType, name: string, strict: boolean): string | undefined => {
        let hits = registry.lookup(name, type);
        if (strict) hits = hits.filter((h) => lookupKey(h.name) === lookupKey(name));
        return hits.length === 1 ? hits[0]!.id : undefined;
    };
    const fromGraph = (type: EntityType, name: string, strict: boolean): string | undefined => {
        const norm = normalizeName(name);
        let hits = (byNorm.get(norm) ?? []).filter((g) => (g.survivor?.type ?? g.type) === type);
        const own = hits.filter((g) => normalizeName(g.name) === norm);
        if (strict || own.length > 0) hits = own;
        const target = hits.map((g) => g.survivor?.id ?? g.id).sort()[0];
        return target;
    };

    for (const c of pending) {
        // the names usable for matching, in order: ATT&CK id, name (strict if ambiguous), unambiguous aliases
        const usable: { name: string; strict: boolean }[] = [];
        if (c.attackId && !ambiguous(c, c.attackId)) usable.push({ name: c.attackId, strict: false });
        usable.push({ name: c.name, strict: ambiguous(c, c.name) });
        for (const a of c.aliases) if (a !== c.attackId && !ambiguous(c, a)) usable.push({ name: a, strict: false });

        let id: string | undefined;
        let via: "registry" | "graph" | "new" = "registry";
        for (const u of usable) if ((id = fromRegistry(c.type, u.name, u.strict))) break;
        if (!id) {
            via = "graph";
            for (const u of usable) if ((id = fromGraph(c.type, u.name, u.strict))) break;
        }
        if (!id) {
            via = "new";
            id = newEntityId(ID_PREFIX[c.type], c.type, c.name);
        }
        ids.set(c.stixId, id);
        how.set(c.stixId, via);

        // an alias naming another entity: conflicting alias lists
        for (const u of usable) {
            if (u.strict || u.name === c.name) continue;
            const other = fromRegistry(c.type, u.name, false) ?? fromGraph(c.type, u.name, true);
            if (other && other !== id) {
                possiblySame.push({ stixId: c.stixId, a: id, b: other, bundle: c.bundles[0] ?? 0, confidence: ALIAS_CONFLICT_CONFIDENCE, reason: `'${c.name}' lists '${u.name}', which names another entity` });
            }
        }
    }

    // names claimed by two identities of the run
    for (const [key, byCluster] of owners) {
        if (byCluster.size < 2) continue;
        const name = key.slice(key.indexOf("|") + 1);
        const clusters = [...byCluster.values()];
        for (let i = 0; i < clusters.length; i++) {
            for (let j = i + 1; j < clusters.length; j++) {
                const x = clusters[i]![0]!, y = clusters[j]![0]!;
                const a = ids.get(x.stixId)!, b = ids.get(y.stixId)!;
                if (a === b) continue;
                const shown = namesOf(x).find((n) => normalizeName(n) === name) ?? name;
                const bundle = x.bundles.find((bi) => y.bundles.includes(bi)) ?? y.bundles[0] ?? 0;
                possiblySame.push({ stixId: y.stixId, a, b, bundle, confidence: SHARED_NAME_CONFIDENCE, reason: `'${x.name}' and '${y.name}' both claim the name '${shown}'` });
            }
        }
    }
    return { ids, how, possiblySame };
}

function namesOf(c: EntityCandidate): string[] {
    return [c.name, ...c.aliases].filter((n) => normalizeName(n) !== "");
}
