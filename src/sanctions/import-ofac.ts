/**
 * `cyberkg import-sanctions --format ofac-sdn`: OFAC's SDN list into the graph through the one write path
 * (LoadUnit → FactLoader), ONE unit — one source `sanctions:ofac-sdn:<ent_num>` (label SanctionsList), one
 * transaction — per entry:
 *   - the entry's entity (individual → Person; entity → Organization, or the existing ThreatActor when the
 *     loader's resolver finds one by its names: EVIL CORP lands on actor:evil-corp), with its names and details
 *     as properties;
 *   - an official SANCTIONED claim by the Office of Foreign Assets Control (org:ofac, PART_OF US Treasury PART_OF
 *     United States in the registry), certainty asserted, validFrom/validTo the listing/delisting days of the
 *     listing history;
 *   - an AFFILIATED_WITH claim per `Linked To:` (linkDirection: the entry affiliated with the entry it names, a
 *     person always the subject against a company or group; Person–Person and Person–ThreatActor links too).
 *
 * Resolution is the loader's (resolveEntities: registry → graph name/alias → new slug), asked before each batch
 * is written; a name that matches two entities is never a merge: the entry gets its own node
 * (`…:ofac-sdn-<ent_num>`) and POSSIBLY_SAME_AS edges to each candidate, with the reason.
 *
 * Re-importing a snapshot changes nothing (content hash per entry). A later snapshot ends the designations it no
 * longer lists (validTo = the last snapshot that had them), never deletes them; an older snapshot than one
 * already loaded is refused.
 */
import type { Driver } from "neo4j-driver";
import { CyberkgError, ErrorCode } from "../errors.ts";
import type { FactLoader, UnitResult } from "../loader/FactLoader.ts";
import { hashOf, type LoadUnit, type UnitEntity, type UnitFact } from "../loader/load-unit.ts";
import { markPossiblySame } from "../loader/merge.ts";
import { resolveEntities, type NameLookup, type ResolvedEntity } from "../loader/resolve-entities.ts";
import { normalizeName, slugify } from "../model/normalize.ts";
import { ID_PREFIX, PREDICATE_RULES, type EntityType } from "../model/vocabulary.ts";
import { chunks } from "../collections.ts";
import type { ListingHistory } from "./history.ts";
import { entityNames, looksLikePerson, personNames, splitPersonName } from "./names.ts";
import { entryFromFields, readSdnRows, type SdnBadRow, type SdnEncoding, type SdnEntry } from "./ofac-sdn.ts";
import { parseRemarks, type SdnRemarks } from "./remarks.ts";

/** Changes when the mapping changes, so entries imported under an older mapping are written again. */
export const OFAC_MAPPING_VERSION = "ofac-sdn@2";
export const SDN_LIST = "OFAC SDN";
/** The registry's Office of Foreign Assets Control (PART_OF org:us-treasury PART_OF state:us). */
export const OFAC_ID = "org:ofac";
export const OFAC_NAME = "Office of Foreign Assets Control";
/** Confidence of POSSIBLY_SAME_AS when an entry's name matches two entities. */
export const AMBIGUOUS_NAME_CONFIDENCE = 0.5;

export const sdnSourceId = (entNum: number) => `sanctions:ofac-sdn:${entNum}`;
export const sdnEntryUrl = (entNum: number) => `https://sanctionssearch.ofac.treas.gov/Details.aspx?id=${entNum}`;

export interface SanctionsImportOptions {
    /** YYYY-MM-DD: the day of the snapshot the file is. */
    snapshotDate: string;
    history?: ListingHistory;
    encoding?: SdnEncoding;
    /** Called after each entry is written (or found unchanged). */
    onEntry?: (done: number, total: number, entry: { entNum: number; name: string; status: UnitResult["status"] }) => void;
    /** Called once the file is read, with the number of entries to write. */
    onStart?: (total: number) => void;
    /** Entries written at once (default 3). */
    concurrency?: number;
}

export interface SanctionsImportSummary {
    file: string;
    snapshotDate: string;
    rows: number;
    entries: number;
    loaded: number;
    replaced: number;
    unchanged: number;
    /** Entries that landed on an entity already in the registry or the graph. */
    matched: number;
    matchedIds: string[];
    new: number;
    /** Entries whose name matches two entities: own node + POSSIBLY_SAME_AS. */
    ambiguous: number;
    ambiguousEntries: { entNum: number; name: string; candidates: string[] }[];
    /** Entries that landed on an existing ThreatActor. */
    threatActors: number;
    designations: number;
    /** Designations with a validTo (delisted, from the history or ended by this later snapshot). */
    delisted: number;
    /** Designations this snapshot ended because it no longer lists them. */
    endedBySnapshot: number;
    /** Entries known only from the history (delisted before this snapshot). */
    historyOnly: number;
    links: number;
    /** `Linked To:` pairs the AFFILIATED_WITH type rule allows in neither direction (none since it allows Person and ThreatActor objects). */
    linksOutsideVocabulary: number;
    /** Rows that are not entries of the graph (vessels, aircraft). */
    skipped: SdnBadRow[];
    bad: SdnBadRow[];
    historyBad: SdnBadRow[];
    elapsed: number;
}

/** An entry ready to map: from a CSV row, or from the history alone (delisted before this snapshot). */
interface Planned {
    entNum: number;
    name: string;
    individual: boolean;
    programs: string[];
    fields?: string[];
    remarks: SdnRemarks;
    display: string;
    aliases: string[];
    validFrom?: string;
    validTo?: string;
    firstSeen?: string;
    lastSeen?: string;
}

interface Decision {
    id: string;
    type: EntityType;
    name: string;
    how: "registry" | "graph" | "new" | "ambiguous";
    candidates: string[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const RESOLVE_BATCH = 1000;
/** Entries written at once (each in its own transaction; the driver retries a deadlock). */
const WRITERS = 3;

export async function importOfacSdn(driver: Driver, database: string, loader: FactLoader, registry: NameLookup, file: string, options: SanctionsImportOptions): Promise<SanctionsImportSummary> {
    const started = Date.now();
    const { snapshotDate, history } = options;
    if (!DAY.test(snapshotDate)) throw new CyberkgError(ErrorCode.VALIDATION, `--snapshot-date '${snapshotDate}' is not a day (YYYY-MM-DD)`);
    const summary: SanctionsImportSummary = {
        file, snapshotDate, rows: 0, entries: 0, loaded: 0, replaced: 0, unchanged: 0, matched: 0, matchedIds: [], new: 0, ambiguous: 0, ambiguousEntries: [],
        threatActors: 0, designations: 0, delisted: 0, endedBySnapshot: 0, historyOnly: 0, links: 0, linksOutsideVocabulary: 0, skipped: [], bad: [],
        historyBad: history?.bad ?? [], elapsed: 0,
    };

    // 1. read: every row an entry, a skipped row (vessel, aircraft) or a bad row with its line and reason
    const planned: Planned[] = [];
    for await (const row of readSdnRows(file, { encoding: options.encoding })) {
        summary.rows++;
        if ("bad" in row) {
            summary.bad.push(row.bad);
            continue;
        }
        const e = row.entry;
        if (e.type === "vessel" || e.type === "aircraft") {
            summary.skipped.push({ line: e.line, reason: `ent_num ${e.entNum} '${e.name}' is ${e.type === "aircraft" ? "an" : "a"} ${e.type}: vessels and aircraft are not entities of the graph` });
            continue;
        }
        planned.push(planEntry(e, history));
    }
    const inFile = new Set(planned.map((p) => p.entNum));
    if (history) {
        for (const h of history.rows.values()) {
            if (inFile.has(h.entNum) || h.inSnapshot) continue; // in the snapshot but not in this file: a subset; nothing to say
            planned.push(planFromHistory(h.entNum, h.name, h.firstSeen, h.lastSeen, history.start));
            summary.historyOnly++;
        }
    }

    const newest = await newestSnapshot(driver, database);
    if (newest && newest > snapshotDate) {
        throw new CyberkgError(ErrorCode.VALIDATION, `${file}: a newer snapshot of the ${SDN_LIST} list (${newest}) is already loaded; importing ${snapshotDate} after it would reopen designations it ended`);
    }
    // 2. designations this later snapshot no longer has: ended (validTo = the last snapshot that listed them)
    for (const ended of await listedBefore(driver, database, [...new Set(planned.map((p) => p.entNum))], snapshotDate)) {
        planned.push(ended);
        summary.endedBySnapshot++;
    }

    // 3. resolution with the loader's resolver, in batches
    const decisions = await decide(driver, database, registry, planned);
    const byName = nameIndex(planned);
    const linkTargets = await decideLinkTargets(driver, database, registry, planned, byName, decisions);

    // 4. one unit, one transaction per entry; entries whose content is already loaded are not written again
    //    (the loader's own "unchanged" rule, read for all entries at once), the others by a few writers at a time
    options.onStart?.(planned.length);
    const loadedHashes = await currentHashes(driver, database, planned.map((p) => sdnSourceId(p.entNum)));
    let done = 0;
    const seenNow: string[] = [];
    const write = async (p: Planned) => {
        const d = decisions.get(p.entNum)!;
        const unit = unitOf(p, d, linkTargets, snapshotDate, summary);
        const status: UnitResult["status"] = loadedHashes.get(unit.source.id) === unit.contentHash ? "unchanged" : (await loader.load(unit)).status;
        summary[status]++;
        summary.entries++;
        summary.designations++;
        if (p.validTo) summary.delisted++;
        if (d.how === "registry" || d.how === "graph") {
            summary.matched++;
            summary.matchedIds.push(d.id);
            if (d.type === "ThreatActor") summary.threatActors++;
        } else if (d.how === "ambiguous") {
            summary.ambiguous++;
            summary.ambiguousEntries.push({ entNum: p.entNum, name: p.name, candidates: d.candidates });
            const session = driver.session({ database });
            try {
                await session.executeWrite((tx) =>
                    markPossiblySame(
                        tx,
                        d.candidates.map((c) => ({ a: d.id, b: c, source: unit.source.id, confidence: AMBIGUOUS_NAME_CONFIDENCE, reason: `${SDN_LIST} entry ${p.entNum} '${p.name}' matches ${d.candidates.join(" and ")} by name` })),
                    ),
                );
            } finally {
                await session.close();
            }
        } else summary.new++;
        if (!p.validTo) seenNow.push(unit.source.id);
        options.onEntry?.(++done, planned.length, { entNum: p.entNum, name: p.name, status });
    };
    let next = 0;
    const workers = Array.from({ length: Math.max(1, options.concurrency ?? WRITERS) }, async () => {
        while (next < planned.length) await write(planned[next++]!);
    });
    await Promise.all(workers);
    summary.ambiguousEntries.sort((a, b) => a.entNum - b.entNum);
    // the snapshots an entry was seen in (metadata of the source; the same snapshot again changes nothing)
    for (const batch of chunks(seenNow, 1000)) {
        await driver.executeQuery(
            `UNWIND $ids AS id MATCH (s:Source {id: id}) WHERE s:SanctionsList AND s.listedTo IS NULL AND (s.lastSeen IS NULL OR s.lastSeen < $day) SET s.lastSeen = $day`,
            { ids: batch, day: snapshotDate },
            { database },
        );
    }
    summary.matchedIds = [...new Set(summary.matchedIds)].sort();
    summary.bad.sort((a, b) => a.line - b.line);
    summary.elapsed = Date.now() - started;
    return summary;
}

function planEntry(e: SdnEntry, history: ListingHistory | undefined): Planned {
    const remarks = parseRemarks(e.remarks);
    const individual = e.type === "individual";
    const names = individual ? personNames(e.name) : entityNames(e.name);
    const akas = remarks.aliases.flatMap((a) => {
        if (individual) return splitPersonName(a.name) && looksLikePerson(a.name) ? [personNames(a.name).display, ...personNames(a.name).aliases] : [a.name];
        return [a.name, ...entityNames(a.name).aliases];
    });
    const h = history?.rows.get(e.entNum);
    return {
        entNum: e.entNum,
        name: e.name,
        individual,
        programs: e.programs,
        fields: e.fields,
        remarks,
        display: names.display,
        aliases: unique([...names.aliases, ...akas]).filter((a) => a !== names.display),
        validFrom: h && h.firstSeen > history!.start ? h.firstSeen : undefined,
        firstSeen: h?.firstSeen,
        lastSeen: h?.lastSeen,
    };
}

/** An entry the history knows but this snapshot does not have: delisted on its last_seen day. */
function planFromHistory(entNum: number, name: string, firstSeen: string, lastSeen: string, start: string | undefined, fields?: string[]): Planned {
    const fromRow = fields ? entryFromFields(fields, 0) : undefined;
    if (fromRow && "entry" in fromRow) {
        const p = planEntry(fromRow.entry, undefined);
        return { ...p, validFrom: start && firstSeen > start ? firstSeen : undefined, validTo: lastSeen, firstSeen, lastSeen };
    }
    const individual = looksLikePerson(name);
    const names = individual ? personNames(name) : entityNames(name);
    return {
        entNum, name, individual, programs: [], remarks: parseRemarks(undefined), display: names.display, aliases: names.aliases,
        validFrom: start && firstSeen > start ? firstSeen : undefined, validTo: lastSeen, firstSeen, lastSeen,
    };
}

/** The content hash of each entry's source as loaded (not retracted): an entry with the same hash is unchanged. */
async function currentHashes(driver: Driver, database: string, ids: string[]): Promise<Map<string, string>> {
    const hashes = new Map<string, string>();
    for (const batch of chunks(ids, 5000)) {
        const { records } = await driver.executeQuery(
            `UNWIND $ids AS id MATCH (s:Source {id: id}) WHERE s:SanctionsList AND s.retractedAt IS NULL RETURN s.id AS id, s.contentHash AS hash`,
            { ids: batch },
            { database },
        );
        for (const r of records) hashes.set(r.get("id") as string, r.get("hash") as string);
    }
    return hashes;
}

async function newestSnapshot(driver: Driver, database: string): Promise<string | undefined> {
    const { records } = await driver.executeQuery(`MATCH (s:SanctionsList {list: $list}) RETURN max(coalesce(s.lastSeen, s.snapshotDate)) AS newest`, { list: SDN_LIST }, { database });
    return (records[0]?.get("newest") as string | null) ?? undefined;
}

/** Entries a previous snapshot listed that this one does not: to be ended on the last day they were seen. */
async function listedBefore(driver: Driver, database: string, present: number[], snapshotDate: string): Promise<Planned[]> {
    // the open entries of the list (one indexed label scan, compared here: no list-in-list join in Cypher)
    const open = await driver.executeQuery(
        `MATCH (s:SanctionsList {list: $list}) WHERE s.listedTo IS NULL AND coalesce(s.lastSeen, s.snapshotDate) < $day RETURN s.id AS id, toInteger(s.entryId) AS entNum`,
        { list: SDN_LIST, day: snapshotDate },
        { database },
    );
    const here = new Set(present);
    const gone = open.records.filter((r) => !here.has(Number(r.get("entNum")))).map((r) => r.get("id") as string);
    if (gone.length === 0) return [];
    const { records } = await driver.executeQuery(
        `UNWIND $ids AS id MATCH (s:Source {id: id}) WHERE s:SanctionsList
         RETURN toInteger(s.entryId) AS entNum, s.record AS record, s.listedFrom AS listedFrom, s.firstSeen AS firstSeen, coalesce(s.lastSeen, s.snapshotDate) AS lastSeen`,
        { ids: gone },
        { database },
    );
    return records.map((r) => {
        const fields = r.get("record") ? (JSON.parse(r.get("record") as string) as string[]) : undefined;
        const firstSeen = (r.get("firstSeen") as string | null) ?? (r.get("listedFrom") as string | null) ?? "";
        const p = planFromHistory(Number(r.get("entNum")), fields?.[1] ?? "", firstSeen, r.get("lastSeen") as string, undefined, fields);
        return { ...p, validFrom: (r.get("listedFrom") as string | null) ?? undefined, firstSeen: (r.get("firstSeen") as string | null) ?? undefined };
    });
}

function variantsOf(p: Planned): UnitEntity[] {
    const base = { name: p.display, aliases: p.aliases, attributes: {} };
    return p.individual ? [{ ...base, localId: `${p.entNum}|Person`, type: "Person" }] : [{ ...base, localId: `${p.entNum}|Organization`, type: "Organization" }, { ...base, localId: `${p.entNum}|ThreatActor`, type: "ThreatActor" }];
}

/** An individual → Person; an entity → Organization, or the ThreatActor the resolver finds; ties → ambiguous. */
function pick(p: Planned, resolved: Map<string, ResolvedEntity>): Decision {
    const options = variantsOf(p).map((v) => resolved.get(v.localId)!);
    const found = options.filter((r) => r.how !== "new");
    const type: EntityType = found[0]?.type ?? (p.individual ? "Person" : "Organization");
    const candidates = unique(found.flatMap((r) => [r.id, ...(r.alternatives ?? [])]));
    if (candidates.length > 1) return { id: `${ID_PREFIX[type]}:ofac-sdn-${p.entNum}`, type, name: p.display, how: "ambiguous", candidates };
    const chosen = found[0] ?? options[0]!;
    return { id: chosen.id, type: chosen.type, name: chosen.name, how: chosen.how === "registry" ? "registry" : chosen.how === "graph" ? "graph" : "new", candidates: [] };
}

async function decide(driver: Driver, database: string, registry: NameLookup, planned: Planned[]): Promise<Map<number, Decision>> {
    const decisions = new Map<number, Decision>();
    const session = driver.session({ database });
    try {
        for (const batch of chunks(planned, RESOLVE_BATCH)) {
            const resolved = await session.executeRead((tx) => resolveEntities(tx, batch.flatMap(variantsOf), registry));
            for (const p of batch) decisions.set(p.entNum, pick(p, resolved));
        }
    } finally {
        await session.close();
    }
    // Two entries of this run that would become one new node: the same name listed twice is not one identity,
    // unless one of them is an earlier listing of the other (known only from the history: re-designated).
    const owner = new Map<string, number>();
    for (const p of planned) {
        const d = decisions.get(p.entNum)!;
        if (d.how !== "new" || !p.fields || p.validTo) continue;
        const first = owner.get(d.id);
        if (first === undefined) owner.set(d.id, p.entNum);
        else decisions.set(p.entNum, { ...d, id: `${ID_PREFIX[d.type]}:ofac-sdn-${p.entNum}`, how: "ambiguous", candidates: [d.id] });
    }
    return decisions;
}

/** Normalised names of the run's entries (published, display, aliases) → ent_num, for `Linked To:`. */
function nameIndex(planned: Planned[]): Map<string, number> {
    const index = new Map<string, number>();
    for (const p of [...planned].sort((a, b) => Number(Boolean(a.validTo)) - Number(Boolean(b.validTo)))) {
        for (const n of [p.name, p.display, ...p.aliases]) if (!index.has(normalizeName(n))) index.set(normalizeName(n), p.entNum);
    }
    return index;
}

interface LinkTarget {
    id: string;
    type: EntityType;
    name: string;
}

/** Each `Linked To:` name → the entity of the entry it names, or (not in this file) what the resolver gives. */
async function decideLinkTargets(driver: Driver, database: string, registry: NameLookup, planned: Planned[], byName: Map<string, number>, decisions: Map<number, Decision>): Promise<Map<string, LinkTarget>> {
    const targets = new Map<string, LinkTarget>();
    const unknown = new Map<string, Planned>();
    const byEnt = new Map(planned.map((q) => [q.entNum, q]));
    for (const p of planned) {
        for (const link of p.remarks.linkedTo) {
            const key = normalizeName(link);
            if (targets.has(key) || unknown.has(key)) continue;
            const entNum = byName.get(key);
            if (entNum !== undefined) {
                const d = decisions.get(entNum)!;
                const target = byEnt.get(entNum)!;
                targets.set(key, { id: d.id, type: d.type, name: d.how === "new" || d.how === "ambiguous" ? target.display : d.name });
            } else {
                unknown.set(key, planFromHistory(0, link, "", "", undefined));
            }
        }
    }
    if (unknown.size) {
        const session = driver.session({ database });
        try {
            for (const batch of chunks([...unknown.values()], RESOLVE_BATCH)) {
                const withIds = batch.map((u, i) => ({ ...u, entNum: -(i + 1) }));
                const resolved = await session.executeRead((tx) => resolveEntities(tx, withIds.flatMap(variantsOf), registry));
                for (const u of withIds) {
                    const d = pick(u, resolved);
                    const id = d.how === "ambiguous" ? `${ID_PREFIX[d.type]}:${slugify(u.display)}` : d.id;
                    targets.set(normalizeName(u.name), { id, type: d.type, name: d.how === "new" || d.how === "ambiguous" ? u.display : d.name });
                }
            }
        } finally {
            await session.close();
        }
    }
    return targets;
}

function unitOf(p: Planned, d: Decision, targets: Map<string, LinkTarget>, snapshotDate: string, summary: SanctionsImportSummary): LoadUnit {
    const sourceId = sdnSourceId(p.entNum);
    const extractor = { name: "ofac-sdn", version: OFAC_MAPPING_VERSION };
    const entities: UnitEntity[] = [
        { localId: OFAC_ID, canonical: true, type: "Organization", name: OFAC_NAME, aliases: [], attributes: { kind: "government" } },
        { localId: d.id, canonical: true, type: d.type, name: d.name, aliases: unique([p.display, ...p.aliases]).filter((n) => n !== d.name), attributes: p.fields ? attributesOf(p) : {} },
    ];
    const facts: UnitFact[] = [
        {
            subject: OFAC_ID, predicate: "SANCTIONED", object: d.id, certainty: "asserted", claimedBy: OFAC_ID, validFrom: p.validFrom, validTo: p.validTo,
            evidence: { text: `${SDN_LIST} entry ${p.entNum}: ${p.name}${p.programs.length ? ` [${p.programs.join("] [")}]` : ""}` },
            extractor, confidence: 1, reviewStatus: "accepted",
        },
    ];
    for (const link of p.remarks.linkedTo) {
        const t = targets.get(normalizeName(link));
        if (!t || t.id === d.id) continue;
        const direction = linkDirection(d.type, t.type);
        if (!direction) {
            summary.linksOutsideVocabulary++;
            continue;
        }
        const forward = direction === "forward";
        if (!entities.some((e) => e.localId === t.id)) entities.push({ localId: t.id, canonical: true, type: t.type, name: t.name, aliases: [], attributes: {} });
        facts.push({
            subject: forward ? d.id : t.id, predicate: "AFFILIATED_WITH", object: forward ? t.id : d.id, certainty: "asserted", claimedBy: OFAC_ID,
            evidence: { text: `${SDN_LIST} entry ${p.entNum} (${p.name}): Linked To: ${link}` }, extractor, confidence: 1, reviewStatus: "accepted",
        });
        summary.links++;
    }
    const listed = p.validFrom ?? p.firstSeen;
    return {
        origin: `${SDN_LIST} ent_num ${p.entNum}`,
        source: {
            id: sourceId,
            label: "SanctionsList",
            title: `${SDN_LIST} list: ${p.name}`,
            url: sdnEntryUrl(p.entNum),
            publisher: OFAC_NAME,
            publishedAt: listed ?? snapshotDate,
            list: SDN_LIST,
            snapshotDate,
            programs: p.programs,
            entryId: String(p.entNum),
            record: p.fields ? JSON.stringify(p.fields) : undefined,
            listedFrom: p.validFrom,
            listedTo: p.validTo,
            firstSeen: p.firstSeen ?? snapshotDate,
            lastSeen: p.validTo ?? p.lastSeen ?? snapshotDate,
        },
        entities,
        facts,
        contentHash: hashOf({ v: OFAC_MAPPING_VERSION, fields: p.fields, name: p.name, validFrom: p.validFrom, validTo: p.validTo, firstSeen: p.firstSeen, id: d.id, type: d.type, links: facts.map((f) => `${f.subject}|${f.object}`) }),
    };
}

/**
 * Which way a `Linked To:` becomes AFFILIATED_WITH: the entry is affiliated with the entry it names (MALKEVICH →
 * PRIGOZHIN, YAKUBETS → EVIL CORP, CONCORD CATERING → INTERNET RESEARCH AGENCY), except that a person is the subject
 * when the other end is a company or a group: OFAC lists a person's companies as linked to him (BERATEX GROUP →
 * PRIGOZHIN), and a person affiliated with a company is how the news and the queries read it (people behind fronts).
 * The other way round when the type rule allows only that; undefined when it allows neither.
 */
export function linkDirection(entry: EntityType, named: EntityType): "forward" | "backward" | undefined {
    const rule = PREDICATE_RULES.AFFILIATED_WITH;
    const allowed = (s: EntityType, o: EntityType) => rule.subject.includes(s) && rule.object.includes(o);
    const preferred = named === "Person" && entry !== "Person" ? "backward" : "forward";
    const other = preferred === "forward" ? "backward" : "forward";
    for (const d of [preferred, other] as const) if (d === "forward" ? allowed(entry, named) : allowed(named, entry)) return d;
    return undefined;
}

/** The entry's details as entity properties (lists only when non-empty; `sdnLinkedTo`: the Linked To: names as written). */
function attributesOf(p: Planned): UnitEntity["attributes"] {
    const r = p.remarks;
    const lists: Record<string, string[]> = {
        sanctionPrograms: p.programs, birthDates: r.birthDates, birthPlaces: r.birthPlaces, nationalities: r.nationalities, citizenships: r.citizenships,
        identifiers: r.identifiers, cryptoAddresses: r.cryptoAddresses, emails: r.emails, websites: r.websites, establishedOn: r.establishedOn, sdnLinkedTo: r.linkedTo,
    };
    const attributes: UnitEntity["attributes"] = { sdnEntNum: p.entNum, sdnName: p.name, gender: r.gender, sdnTitle: p.fields ? entryFromFieldsTitle(p.fields) : undefined, sdnRemarks: p.fields?.[11] && p.fields[11].trim() !== "-0-" ? p.fields[11].trim() : undefined };
    for (const [k, v] of Object.entries(lists)) if (v.length) attributes[k] = v;
    return attributes;
}

function entryFromFieldsTitle(fields: string[]): string | undefined {
    const t = (fields[4] ?? "").trim();
    return t === "" || t === "-0-" ? undefined : t;
}

function unique(values: string[]): string[] {
    return [...new Set(values.map((v) => v.trim()).filter(Boolean))];
}
