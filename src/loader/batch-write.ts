/**
 * Group commit: many sources loaded for the first time, written in ONE transaction with a few UNWIND statements per
 * batch (about ten round trips for the whole batch instead of about eight per document), the derived edges rebuilt
 * once for the batch.
 *
 * The result is the graph that loading the same units one by one, in order, gives (test/integration/loader-batch):
 * the graph is read once (candidates for every name of the batch, the state of every entity a unit may touch), and
 * resolution then runs unit by unit in memory, each unit seeing what the earlier ones of the batch created or
 * taught (new entities, new aliases), exactly as it would have seen them in the graph. Only new sources come here;
 * FactLoader sends reloads and anything unusual through the one-unit path, and falls back to it when a batch fails.
 */
import { stablePlan } from "./stable-plan.ts";
import type { ManagedTransaction } from "neo4j-driver";
import { chunks } from "../collections.ts";
import { normalizeName } from "../model/normalize.ts";
import type { EntityType } from "../model/vocabulary.ts";
import { rebuildEdges, type Triple } from "./rebuild.ts";
import { assignNewIds, findCandidates, matchPending, pendingNorms, plainIdOf, resolveKnown, takenIds, type GraphCandidate, type NameLookup } from "./resolve-entities.ts";
import { claimRows, compact, mergeRows } from "./unit-rows.ts";
import type { LoadUnit } from "./load-unit.ts";
import type { UnitResult } from "./FactLoader.ts";

/** A source of the batch exists after all (written since the batch was planned): the caller loads the batch one by one. */
export class BatchPlanChanged extends Error {}

const EXISTING_SOURCES = stablePlan("UNWIND $ids AS id MATCH (src:Source {id: id}) RETURN collect(src.id) AS ids");

/** What resolution and alias growth need to know of each entity a unit of the batch may touch. */
const ENTITY_STATE = stablePlan(`
UNWIND $ids AS id
CALL (id) {
  MATCH (e:Entity {id: id}) RETURN e
  UNION
  MATCH (e:Withdrawn {id: id}) RETURN e
}
RETURN e.id AS id, e.type AS type, e.name AS name, coalesce(e.aliases, []) AS aliases, coalesce(e.normNames, []) AS normNames, e:Entity AS current`);

const UPSERT_SOURCES = stablePlan(`
UNWIND $rows AS row
CREATE (src:Source {id: row.id})
SET src += row.props, src.contentHash = row.hash, src.inputHash = row.inputHash, src.loadedAt = datetime(coalesce(row.recordedAt, $loadedAt)), src.revision = 1
SET src:$(row.label)`);

/** An entity per row: a withdrawn one restored, a new one created, its type label and attributes set. */
const ENTITY_UPSERT = `
UNWIND $rows AS row
OPTIONAL MATCH (w:Withdrawn {id: row.id})
CALL (w, row) {
  WITH * WHERE w IS NOT NULL
  REMOVE w:Withdrawn
  SET w:Entity, w:$(row.type)
}
WITH row
MERGE (e:Entity {id: row.id})
  ON CREATE SET e.name = row.name, e.type = row.type, e.createdAt = datetime($loadedAt),
                e.aliases = [], e.normNames = [row.norm], e.aliasText = ''
SET e:$(row.type), e += row.attributes`;

/** Entities of one or more sources: each row names its source (`row.sourceId`); also the one-document path's statement. */
export const UPSERT_ENTITIES = stablePlan(`${ENTITY_UPSERT}
WITH e, row
MATCH (src:Source {id: row.sourceId})
MERGE (src)-[m:MENTIONS]->(e)
SET m.names = row.names, m.stixIds = row.stixIds`);

/**
 * The group commit's entities: ONE row per entity of the batch (a hub that most documents name is written once, not
 * once per document), then the mentions. Every source of a batch is new (created by this transaction) and names each
 * entity once (mergeRows), so its mentions are CREATEd: no MERGE expanding a hub's thousands of mentions (PROFILE:
 * 10–25k db hits per 500 rows for that Expand(Into) alone, bench/profile-load.ts).
 */
const UPSERT_BATCH_ENTITIES = stablePlan(ENTITY_UPSERT);

const CREATE_MENTIONS = stablePlan(`
UNWIND $rows AS row
MATCH (src:Source {id: row.sourceId})
MATCH (e:Entity {id: row.id})
CREATE (src)-[m:MENTIONS]->(e)
SET m.names = row.names, m.stixIds = row.stixIds`);

const CREATE_CLAIMS = stablePlan(`
UNWIND $rows AS row
MATCH (src:Source {id: row.sourceId})
MATCH (s:Entity {id: row.subject})
MATCH (o:Entity {id: row.object})
CREATE (c:Claim)
SET c = row.props, c.loadedAt = datetime(coalesce(row.recordedAt, $loadedAt)), c.live = row.counts,
    c.liveFrom = CASE WHEN row.counts THEN datetime(coalesce(row.recordedAt, $loadedAt)) END
CREATE (c)-[:SUBJECT]->(s)
CREATE (c)-[:OBJECT]->(o)
CREATE (c)-[:FROM]->(src)
WITH c, row
OPTIONAL MATCH (cb:Entity {id: row.claimedBy})
FOREACH (_ IN CASE WHEN cb IS NULL THEN [] ELSE [1] END | CREATE (c)-[:CLAIMED_BY]->(cb))`);

const WRITE_ALIASES = stablePlan("UNWIND $rows AS row MATCH (e:Entity {id: row.id}) SET e.aliases = row.aliases, e.aliasText = row.aliasText, e.normNames = row.normNames");

/** An entity as the batch sees it: its state in the graph, then as earlier units of the batch changed it. */
interface Tracked {
    id: string;
    type: EntityType;
    name: string;
    aliases: string[];
    normNames: string[];
    aliasesChanged: boolean;
}

const ROWS_PER_STATEMENT = 500;

/** Writes units whose sources the graph does not have yet, in the caller's transaction; their results, in order. */
export async function writeNewSources(tx: ManagedTransaction, units: LoadUnit[], registry: NameLookup | undefined): Promise<UnitResult[]> {
    const existing = (await tx.run(EXISTING_SOURCES, { ids: units.map((u) => u.source.id) })).records[0]?.get("ids") as string[];
    if (existing.length > 0) throw new BatchPlanChanged(`already loaded meanwhile: ${existing.join(", ")}`);

    // One read of the graph for the whole batch.
    const known = units.map((u) => resolveKnown(u.entities, registry));
    const pending = known.flatMap((k) => k.pending);
    const candidates = pending.length > 0 ? await findCandidates(tx, pendingNorms(pending)) : [];
    const graphTaken = new Set(pending.length > 0 ? await takenIds(tx, [...new Set(pending.map(plainIdOf))]) : []);
    const stateIds = new Set<string>(candidates.flatMap((c) => [c.id, ...(c.survivor ? [c.survivor.id] : [])]));
    for (const k of known) for (const r of k.resolved.values()) stateIds.add(r.id);
    const state = new Map<string, Tracked & { current: boolean }>();
    for (const batch of chunks([...stateIds], ROWS_PER_STATEMENT)) {
        for (const r of (await tx.run(ENTITY_STATE, { ids: batch })).records) {
            const s = r.toObject() as Tracked & { current: boolean };
            state.set(s.id, { ...s, aliasesChanged: false });
        }
    }

    // Resolution, unit by unit, in memory: each unit sees the entities and aliases the earlier units of the batch wrote.
    const touched = new Map<string, Tracked>();
    const created = new Set<string>();
    const loadedAt = new Date().toISOString();
    const sourceRows: Record<string, unknown>[] = [];
    const entityRows: Record<string, unknown>[] = [];
    const claimRowsAll: Record<string, unknown>[] = [];
    const triples: Triple[] = [];
    const results: UnitResult[] = [];
    units.forEach((unit, i) => {
        const { resolved, pending: unitPending } = known[i]!;
        const fresh = matchPending(unitPending, poolFor(candidates, touched), resolved);
        assignNewIds(fresh, (id) => graphTaken.has(id) || created.has(id), resolved);
        const rows = mergeRows([...resolved.values()]);
        const isCurrent = (id: string) => touched.has(id) || state.get(id)?.current === true;
        const entitiesNew = rows.filter((r) => !isCurrent(r.id)).map((r) => r.id);
        for (const row of rows) {
            let t = touched.get(row.id);
            if (!t) {
                const s = state.get(row.id);
                t = s ? { id: s.id, type: s.type, name: s.name, aliases: s.aliases, normNames: s.normNames, aliasesChanged: false } : { id: row.id, type: row.type as EntityType, name: row.name, aliases: [], normNames: [row.norm], aliasesChanged: false };
                if (!s) created.add(row.id);
                touched.set(row.id, t);
            }
            addNames(t, row.names);
        }
        const { id: sourceId, label, ...props } = unit.source;
        sourceRows.push({ id: sourceId, label, props: compact(props), hash: unit.contentHash, inputHash: unit.inputHash ?? null, recordedAt: unit.recordedAt ?? null });
        for (const row of rows) entityRows.push({ ...row, sourceId });
        const claims = claimRows(unit, resolved, 1);
        for (const c of claims) {
            claimRowsAll.push({ ...c, sourceId });
            triples.push({ s: c.subject, p: c.props.predicate, o: c.object });
        }
        results.push({ origin: unit.origin, sourceId, status: "loaded", entitiesNew, entitiesMatched: rows.length - entitiesNew.length, facts: unit.facts.length, claims: claims.length });
    });

    // Writes in id order (a stable sort keeps the units' order per entity), so concurrent loaders lock hubs in one order.
    entityRows.sort((a, b) => compareIds(a.id as string, b.id as string));
    for (const batch of chunks(sourceRows, ROWS_PER_STATEMENT)) await tx.run(UPSERT_SOURCES, { rows: batch, loadedAt });
    // Per entity, what writing its rows in order gives: the first row's name (ON CREATE), the attributes merged in order.
    const perEntity = new Map<string, { id: string; type: unknown; name: unknown; norm: unknown; attributes: Record<string, unknown> }>();
    for (const row of entityRows) {
        const e = perEntity.get(row.id as string);
        if (e) Object.assign(e.attributes, row.attributes);
        else perEntity.set(row.id as string, { id: row.id as string, type: row.type, name: row.name, norm: row.norm, attributes: { ...(row.attributes as Record<string, unknown>) } });
    }
    for (const batch of chunks([...perEntity.values()], ROWS_PER_STATEMENT)) await tx.run(UPSERT_BATCH_ENTITIES, { rows: batch, loadedAt });
    const mentionRows = entityRows.map((r) => ({ sourceId: r.sourceId, id: r.id, names: r.names, stixIds: r.stixIds }));
    for (const batch of chunks(mentionRows, ROWS_PER_STATEMENT)) await tx.run(CREATE_MENTIONS, { rows: batch });
    for (const batch of chunks(claimRowsAll, ROWS_PER_STATEMENT)) await tx.run(CREATE_CLAIMS, { rows: batch, loadedAt });
    await rebuildEdges(tx, triples);
    const aliasRows = [...touched.values()]
        .filter((t) => t.aliasesChanged)
        .sort((a, b) => compareIds(a.id, b.id))
        .map((t) => ({ id: t.id, aliases: t.aliases, aliasText: t.aliases.join(" | "), normNames: t.normNames }));
    for (const batch of chunks(aliasRows, ROWS_PER_STATEMENT)) await tx.run(WRITE_ALIASES, { rows: batch });
    return results;
}

/** The graph's candidates as the batch has changed them so far, plus the entities the batch created or touched. */
function poolFor(candidates: GraphCandidate[], touched: Map<string, Tracked>): GraphCandidate[] {
    const pool = candidates.map((c) => {
        const t = touched.get(c.id);
        return t ? { ...c, normNames: t.normNames } : c;
    });
    const inGraph = new Set(candidates.map((c) => c.id));
    for (const t of touched.values()) if (!inGraph.has(t.id)) pool.push({ id: t.id, type: t.type, name: t.name, normNames: t.normNames, survivor: null });
    return pool;
}

/** The alias rule of a first load (rebuild.ts addAliases): aliases only grow; names and norms follow them. */
function addNames(t: Tracked, names: string[]): void {
    const aliases = [...new Set([...t.aliases, ...names])].filter((n) => n !== t.name).sort((a, b) => a.localeCompare(b));
    if (aliases.length === t.aliases.length) return;
    t.aliases = aliases;
    t.normNames = [...new Set([t.name, ...aliases].map(normalizeName))];
    t.aliasesChanged = true;
}

function compareIds(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
