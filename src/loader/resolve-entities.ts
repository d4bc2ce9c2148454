/**
 * Entity resolution: maps each entity of a load unit to a canonical graph id.
 * Order: the registry (names and aliases written by us) → entities already in the graph with a matching
 * name or alias of the same type (following MERGED_INTO to the survivor) → a new stable slug id.
 * Names match case-, accent- and punctuation-insensitively (normalizeName).
 */
import { stablePlan } from "./stable-plan.ts";
import type { ManagedTransaction } from "neo4j-driver";
import { ID_PREFIX, type EntityType } from "../model/vocabulary.ts";
import { newEntityId, normalizeName, slugify } from "../model/normalize.ts";
import type { RegistryEntity } from "../registry/types.ts";
import type { UnitEntity } from "./load-unit.ts";

/** What resolution needs from the registry (the Registry class implements it). */
export interface NameLookup {
    lookup(name: string, type?: EntityType): RegistryEntity[];
}

export interface ResolvedEntity {
    id: string;
    type: EntityType;
    /** Display name: the registry's canonical name, else the name the graph already has, else this unit's. */
    name: string;
    /** The surface forms this unit used (name + aliases). */
    names: string[];
    how: "canonical" | "registry" | "graph" | "new";
    /** When the unit named a merged entity: its id (the claim's subjectId/objectId), while `id` is the survivor's. */
    namedId?: string;
    /**
     * Other entities that matched as well as the chosen one: registry entities another of the names resolves to, or
     * graph entities of a tie the smallest id broke. An ambiguous name (the importer makes it POSSIBLY_SAME_AS).
     */
    alternatives?: string[];
    attributes: UnitEntity["attributes"];
    stixIds?: string[];
}

export interface GraphCandidate {
    id: string;
    type: EntityType;
    name: string;
    normNames: string[];
    survivor: { id: string; type: EntityType; name: string } | null;
}

/**
 * Candidates by normalised name through the full-text index `entity_norm_names` (keyword analyzer: each element of
 * `normNames` is one exact term), never a scan of every entity: an index seek per name, whatever the graph's size.
 * Full-text queries see the writing transaction's own changes, so entities created earlier in the same transaction
 * are found too. Norms are letters and digits only (normalizeName), so a quoted term needs no escaping.
 */
const FIND_CANDIDATES = stablePlan(`
CALL db.index.fulltext.queryNodes('entity_norm_names', $lucene) YIELD node AS e
WITH DISTINCT e
OPTIONAL MATCH (e)-[:MERGED_INTO*1..5]->(s:Entity)
RETURN e.id AS id, e.type AS type, e.name AS name, e.normNames AS normNames,
       CASE WHEN s IS NULL THEN null ELSE {id: s.id, type: s.type, name: s.name} END AS survivor`);

/** Lucene's limit is 1024 clauses per query: names go in chunks well below it. */
const NAMES_PER_QUERY = 500;

const TAKEN_IDS = stablePlan(`
UNWIND $ids AS id
CALL (id) {
  MATCH (e:Entity {id: id}) RETURN e
  UNION
  MATCH (e:Merged {id: id}) RETURN e
  UNION
  MATCH (e:Withdrawn {id: id}) RETURN e
}
RETURN collect(DISTINCT e.id) AS ids`);

export async function resolveEntities(
    tx: ManagedTransaction,
    entities: UnitEntity[],
    registry: NameLookup | undefined,
): Promise<Map<string, ResolvedEntity>> {
    const first = resolveKnown(entities, registry);
    if (first.pending.length === 0) return first.resolved;
    const candidates = await findCandidates(tx, pendingNorms(first.pending));
    const fresh = matchPending(first.pending, candidates, first.resolved);
    const plainIds = fresh.map(plainIdOf);
    const existing = new Set(plainIds.length === 0 ? [] : await takenIds(tx, plainIds));
    assignNewIds(fresh, (id) => existing.has(id), first.resolved);
    return first.resolved;
}

/**
 * The steps of resolveEntities, for a caller that resolves many units against one read of the graph (the group
 * commit, batch-write.ts): each is pure but for the reads the caller does itself (findCandidates, takenIds).
 */

/** Step 1: canonical ids and registry hits (no graph needed); the rest is pending. */
export function resolveKnown(entities: UnitEntity[], registry: NameLookup | undefined): { resolved: Map<string, ResolvedEntity>; pending: UnitEntity[] } {
    const resolved = new Map<string, ResolvedEntity>();
    const pending: UnitEntity[] = [];
    for (const entity of entities) {
        const names = unique([entity.name, ...entity.aliases]);
        if (entity.canonical) {
            resolved.set(entity.localId, { id: entity.localId, type: entity.type, name: entity.name, names, how: "canonical", attributes: entity.attributes, stixIds: entity.stixIds });
            continue;
        }
        const hit = registry ? lookupAll(registry, names, entity.type) : undefined;
        if (hit) {
            const alternatives = hit.alternatives.length ? { alternatives: hit.alternatives } : {};
            resolved.set(entity.localId, { id: hit.entity.id, type: hit.entity.type, name: hit.entity.name, names, how: "registry", attributes: entity.attributes, ...alternatives });
        } else {
            pending.push(entity);
        }
    }
    return { resolved, pending };
}

/** The normalised names the pending entities are looked up by. */
export function pendingNorms(pending: UnitEntity[]): string[] {
    return unique(pending.flatMap((e) => [e.name, ...e.aliases].map(normalizeName)));
}

/** The id a new entity gets unless it is taken. */
export function plainIdOf(entity: UnitEntity): string {
    return `${ID_PREFIX[entity.type]}:${slugify(entity.name)}`;
}

/** Step 2: pending entities matched against graph candidates (into `resolved`); returns those that matched none. */
export function matchPending(pending: UnitEntity[], candidates: GraphCandidate[], resolved: Map<string, ResolvedEntity>): UnitEntity[] {
    const fresh: UnitEntity[] = [];
    for (const entity of pending) {
        const names = unique([entity.name, ...entity.aliases]);
        const pool = matchingCandidates(entity, candidates);
        const match = pool[0];
        if (match) {
            const target = match.survivor ?? match;
            const alternatives = [...new Set(pool.slice(1).map((c) => (c.survivor ?? c).id))].filter((id) => id !== target.id);
            // Named through a merged entity: the claims remember which one (unmerge gives them back to it).
            // A survivor also carries its merged entities' names: the merged entity whose own name this is, is the one named.
            const norm = normalizeName(entity.name);
            const viaMerged = match.survivor ? match : pool.find((c) => c.survivor?.id === target.id && normalizeName(c.name) === norm);
            const named = viaMerged ? { namedId: viaMerged.id } : {};
            resolved.set(entity.localId, { id: target.id, type: target.type, name: target.name, names, how: "graph", attributes: entity.attributes, ...named, ...(alternatives.length ? { alternatives } : {}) });
        } else {
            fresh.push(entity);
        }
    }
    return fresh;
}

/**
 * Step 3: new ids. They never collide: with an entity of the graph the resolver did not match (so a different one),
 * or with another new entity of this unit of a different name (newEntityId).
 */
export function assignNewIds(fresh: UnitEntity[], taken: (plainId: string) => boolean, resolved: Map<string, ResolvedEntity>): void {
    const byId = new Map<string, string>();
    for (const entity of fresh) {
        const names = unique([entity.name, ...entity.aliases]);
        const norm = `${entity.type}|${normalizeName(entity.name) || entity.name}`;
        const id = newEntityId(ID_PREFIX[entity.type], entity.type, entity.name, (plain) => taken(plain) || (byId.has(plain) && byId.get(plain) !== norm));
        if (!byId.has(id)) byId.set(id, norm);
        resolved.set(entity.localId, { id, type: entity.type, name: entity.name, names, how: "new", attributes: entity.attributes });
    }
}

/** Which of these ids an entity (current, merged or withdrawn) has. */
export async function takenIds(tx: ManagedTransaction, ids: string[]): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i += NAMES_PER_QUERY) {
        out.push(...((await tx.run(TAKEN_IDS, { ids: ids.slice(i, i + NAMES_PER_QUERY) })).records[0]?.get("ids") as string[]));
    }
    return out;
}

/** Entities (current, merged or withdrawn) with any of these normalised names, each with the survivor of its merges. */
export async function findCandidates(tx: ManagedTransaction, norms: string[]): Promise<GraphCandidate[]> {
    const found = new Map<string, GraphCandidate>();
    const terms = [...new Set(norms)].filter((n) => n.length > 0);
    for (let i = 0; i < terms.length; i += NAMES_PER_QUERY) {
        const lucene = terms.slice(i, i + NAMES_PER_QUERY).map((n) => `normNames:"${n}"`).join(" OR ");
        const result = await tx.run(FIND_CANDIDATES, { lucene });
        for (const r of result.records) {
            const c = r.toObject() as GraphCandidate;
            found.set(`${c.id}\u0000${c.survivor?.id ?? ""}`, c);
        }
    }
    return [...found.values()];
}

/**
 * The registry entity for the first name (name, then aliases in order) that resolves to exactly one entity of this
 * type; else, when a name resolves to several, the smallest id of those (the graph's tie rule). Every other registry
 * entity of the type that one of the names resolves to is an `alternative`: the names are ambiguous (an entry whose
 * name is one registry body and whose alias is another), reported, never silently dropped.
 */
function lookupAll(registry: NameLookup, names: string[], type: EntityType): { entity: RegistryEntity; alternatives: string[] } | undefined {
    const hits = names.map((name) => registry.lookup(name, type));
    const unique = hits.find((h) => h.length === 1)?.[0];
    const all = [...new Map(hits.flat().map((e) => [e.id, e])).values()].sort((a, b) => a.id.localeCompare(b.id));
    const entity = unique ?? all[0];
    if (!entity) return undefined;
    return { entity, alternatives: all.map((e) => e.id).filter((id) => id !== entity.id) };
}

/**
 * The graph entities of the same type sharing a name, best first: those whose main name matches win over alias
 * matches (only the winning group is returned); ties go to the smallest id, so the choice does not depend on load
 * order. More than one entry means the name is ambiguous (resolveEntities reports them as `alternatives`).
 */
function matchingCandidates(entity: UnitEntity, candidates: GraphCandidate[]): GraphCandidate[] {
    const norm = normalizeName(entity.name);
    const all = new Set([entity.name, ...entity.aliases].map(normalizeName));
    const sameType = candidates.filter((c) => (c.survivor?.type ?? c.type) === entity.type && c.normNames.some((n) => all.has(n)));
    if (sameType.length === 0) return [];
    const byMainName = sameType.filter((c) => normalizeName(c.name) === norm || c.normNames.includes(norm));
    const pool = byMainName.length > 0 ? byMainName : sameType;
    return [...pool].sort((a, b) => a.id.localeCompare(b.id));
}

function unique(values: string[]): string[] {
    return [...new Set(values.map((v) => v.trim()).filter((v) => v.length > 0))];
}
