/**
 * Discourse state across sentences (EXTRACTION-GUIDE rule 1): the acting body of a sanction or charge carries to
 * agentless passives and to measures whose subject is the measure itself ("The sanctions target X"); a counted
 * set named later ("sanctioned three men. They are A, B and C") gets the facts of the count; a second body
 * "imposing matching sanctions" extends the same listing.
 */
import type { Predicate } from "../model/vocabulary.ts";
import { entityAt, listMembers, placeState, type SentenceView } from "./arguments.ts";
import type { Entity } from "./entities.ts";
import type { RawFact, TriggerResult } from "./relations.ts";
import { qualify } from "./qualify.ts";

type Measure = "SANCTIONED" | "CHARGED";
const MEASURES: ReadonlySet<Predicate> = new Set(["SANCTIONED", "CHARGED"]);
/** How many sentences an acting body stays the default. */
const CARRY = 6;
/** Who charges for the state: "prosecutors", "a grand jury", "the indictment" (corpus house rule 3). */
const PROSECUTION = /^(prosecutor|prosecution|jury|indictment|complaint|attorney|court)$/;
/** The prosecuting body of a state the words name ("US prosecutors", "a federal grand jury"). */
const PROSECUTING_BODY: Record<string, string> = { us: "org:doj-us", federal: "org:doj-us", american: "org:doj-us" };

interface Listing {
    agents: Entity[];
    patients: Entity[];
    sent: number;
}

interface Pending {
    predicate: Measure;
    agents: Entity[];
    count: number;
    sent: number;
    pattern: string;
    /** The group the counted people belong to ("six officials of the IRGC"). */
    of?: Entity;
    /** Where the counted companies are based ("six Russian technology companies"). */
    based?: Entity;
}

/** The state a prosecution noun names: a state or demonym on it, or the place it is in ("prosecutors in Kyiv"). */
function prosecutionState(v: SentenceView, s: number): Entity | undefined {
    const g = v.g;
    for (const m of g.kids(s, (r) => r === "amod" || r === "compound")) {
        const reg = v.at.get(m)?.registry;
        if (reg?.type === "State") return v.table.fromRegistry(reg);
    }
    for (const p of g.kids(s, (r) => r === "nmod:in" || r === "nmod:of")) {
        const st = placeState(v, p)[0];
        if (st) return st;
    }
    return undefined;
}

/** A prosecuting body: the Justice Department, a prosecutor general's office, a court. */
function prosecutes(e: Entity): boolean {
    return e.type === "Organization" && e.kind === "government" && [e.name, ...e.aliases].some((n) => /\b(justice|prosecut\w*|attorney|procurator\w*|court)\b/i.test(n));
}

/**
 * A body that imposes sanctions: a treasury, a foreign ministry, the EU's council, a government — never a police,
 * intelligence, cyber-security or prosecuting agency ("The FBI said X ran LockBit. X was also sanctioned").
 */
function imposesSanctions(e: Entity): boolean {
    return e.type === "Organization" && e.kind === "government" && [e.name, ...e.aliases].some((n) => /\b(treasury|foreign|state department|department of state|council|commission|european union|commerce|finance|exchequer|sanctions?|cabinet|government)\b/i.test(n));
}

/** "X was charged / sanctioned in the United States": the state the measure is in (a US charge is the Justice Department's). */
function measureWhere(v: SentenceView, anchor: number, pred: Measure): Entity | undefined {
    const g = v.g;
    // ("faces charges of computer fraud in the United States": the place may hang on the charge noun or its "of")
    const nouns = g.kids(anchor, "obj");
    // ("extradited to the United States": the state that receives him charges him)
    const places = [...g.kids(anchor, "obl:in"), ...(g.lemma(anchor) === "extradite" ? g.kids(anchor, "obl:to") : []), ...nouns.flatMap((n) => [...g.kids(n, "nmod:in"), ...g.kids(n, "nmod:of").flatMap((o) => g.kids(o, "nmod:in"))])];
    for (const p of places) {
        const st = placeState(v, p)[0];
        if (st) return st.code === "US" && pred === "CHARGED" ? v.table.registryEntity(PROSECUTING_BODY.us!) : st;
    }
    return undefined;
}

export class Discourse {
    private readonly last = new Map<Measure, Listing>();
    private readonly pending: Pending[] = [];
    /** The last attack told ("hackers broke into the Bundestag"), for "the intrusion" after it. */
    private lastEvent?: { victims: Entity[]; compromised: boolean; sent: number };

    /** Remembers the victims of this sentence's attacks, named actor or not. */
    events(v: SentenceView, hits: TriggerResult[]): void {
        for (const h of hits) {
            const p = h.pattern.predicate;
            if ((p !== "TARGETED" && p !== "COMPROMISED") || h.patients.length === 0) continue;
            const victims = h.patients.filter((e) => e.type !== "ThreatActor" && (e.type !== "State" || h.pattern.kind !== "noun"));
            if (victims.length) this.lastEvent = { victims, compromised: p === "COMPROMISED", sent: v.g.index };
        }
    }

    /** "X was behind the intrusion": the victims and the kind of the attack told before. */
    resolveEvents(v: SentenceView, hits: TriggerResult[]): void {
        const ev = this.lastEvent;
        if (!ev || v.g.index - ev.sent > 3) return;
        for (const h of hits) {
            if (!h.eventAnaphor || h.agents.length === 0 || h.patients.length) continue;
            h.patients = [...ev.victims];
            // an attack the text said succeeded stays a compromise, whichever noun refers to it
            if (ev.compromised && h.pattern.predicate === "TARGETED") h.pattern = { ...h.pattern, predicate: "COMPROMISED" };
        }
    }

    /** Fills the acting body and targets a measure leaves unsaid. */
    complete(v: SentenceView, hits: TriggerResult[]): void {
        const sent = v.g.index;
        for (const h of hits) {
            const pred = h.pattern.predicate;
            // (a swapped pattern names its acting body among its patients: "X has been under US sanctions")
            if (!MEASURES.has(pred) || h.pattern.swap) continue;
            const listing = this.last.get(pred as Measure);
            const fresh = listing && sent - listing.sent <= CARRY ? listing : undefined;
            const acting = h.agents.filter((a) => a.type === "State" || a.type === "Organization");
            // "X was charged …, the Justice Department said": the official body that reports its own measure (a
            // listing just told carries first: "…, the Treasury said" after OFAC acted is OFAC's)
            if (acting.length === 0 && !fresh) {
                const claimant = qualify(v, h.anchor, pred).claimedBy;
                // (only a body that can take the measure: "X was charged, the FBI said" is no FBI charge)
                if (claimant && (claimant.type === "State" || (pred === "CHARGED" ? prosecutes(claimant) : imposesSanctions(claimant)))) h.agents = [claimant];
            }
            // "US prosecutors charged X", "a federal grand jury indicted X": the prosecuting body of the story
            if (acting.length === 0 && h.agents.length === 0 && pred === "CHARGED") {
                const g = v.g;
                // ("prosecutors brought charges against X": the subject of the noun's light verb)
                const verbs = [h.anchor, ...g.in(h.anchor, (r) => r === "obj" || r === "nsubj:pass").map((e) => e.gov).filter((x) => g.isVerb(x) && v.words.lightVerbs.has(g.lemma(x)))];
                for (const s of verbs.flatMap((x) => g.kids(x, (r) => r === "nsubj" || r === "obl:agent" || r === "obl:by"))) {
                    if (!PROSECUTION.test(g.lemma(s))) continue;
                    const named = v.table.recent(["Organization"], g.index, h.anchor, 20, (e) => e.kind === "government" && /\bjustice\b/i.test(e.name));
                    const body = named ?? g.kids(s, (r) => r === "amod" || r === "compound").map((m) => PROSECUTING_BODY[g.lower(m)] ?? (v.at.get(m)?.registry?.code ? PROSECUTING_BODY[v.at.get(m)!.registry!.code!.toLowerCase()] : undefined)).filter((x): x is string => Boolean(x)).map((id) => v.table.registryEntity(id)).find(Boolean);
                    // "Ukrainian prosecutors", "prosecutors in Kyiv", "a court in Warsaw": the state whose they are
                    // (the United States' are the Justice Department's: "prosecutors in New York")
                    const state = body ? undefined : prosecutionState(v, s);
                    const acting = body ?? (state?.code === "US" ? v.table.registryEntity(PROSECUTING_BODY.us!) : state);
                    if (acting) h.agents = [acting];
                }
            }
            if (h.agents.filter((a) => a.type === "State" || a.type === "Organization").length === 0) {
                const carried = fresh?.agents ?? (pred === "CHARGED" ? undefined : this.last.get("SANCTIONED")?.agents);
                // a charge left unsaid is a prosecutor's: "he was charged in the United States" (the place's), else a
                // prosecuting body named before — never the Treasury, the FBI or a state that sanctioned him
                const fallback =
                    carried ??
                    (pred === "CHARGED"
                        ? [measureWhere(v, h.anchor, "CHARGED") ?? v.table.recent(["Organization"], sent, h.anchor, CARRY, prosecutes)]
                        : [measureWhere(v, h.anchor, "SANCTIONED") ?? v.table.recent(["State", "Organization"], sent, h.anchor, CARRY, (e) => e.type === "State" || imposesSanctions(e), true)]
                    ).filter((x): x is Entity => Boolean(x));
                h.agents = fallback;
            }
            // (only an official body extends a listing: "a bank did the same" is no sanction)
            if (h.patients.length === 0 && h.matching && fresh && h.agents.some((a) => a.type === "State" || a.kind === "government")) h.patients = [...fresh.patients];
            if (h.patients.every((e) => e.type === "Sector") && h.agents.length) for (const c of h.countedPatients ?? []) this.pending.push({ predicate: pred as Measure, agents: h.agents, count: c.count, sent, pattern: h.pattern.id, ...(c.of ? { of: c.of } : {}), ...(c.based ? { based: c.based } : {}) });
        }
    }

    /** Remembers this sentence's measures for the sentences after it. */
    record(v: SentenceView, facts: RawFact[]): void {
        for (const pred of MEASURES as ReadonlySet<Measure>) {
            const fs = facts.filter((f) => f.p === pred);
            if (fs.length === 0) continue;
            const agents = [...new Set(fs.map((f) => f.s))];
            const patients = [...new Set(fs.map((f) => f.o))];
            const prev = this.last.get(pred);
            const same = prev && agents.every((a) => prev.agents.includes(a));
            this.last.set(pred, { agents: same ? prev!.agents : agents, patients: same ? [...new Set([...prev!.patients, ...patients])] : patients, sent: v.g.index });
        }
    }

    /** A set named in this sentence that completes a counted measure of an earlier one. */
    fillCounted(v: SentenceView, sets: Entity[][], hits: TriggerResult[] = []): RawFact[] {
        const out: RawFact[] = [];
        const sent = v.g.index;
        const among = this.pending.length ? amongThem(v) : [];
        for (let i = this.pending.length - 1; i >= 0; i--) {
            const p = this.pending[i]!;
            if (sent - p.sent > 3) {
                this.pending.splice(i, 1);
                continue;
            }
            if (sent === p.sent) continue;
            // ("… charged five Chinese nationals. Among them is Ivan Petrov": named members of the set, however few)
            const set = sets.find((s) => s.length === p.count) ?? (among.length > 0 && among.length <= p.count ? among : undefined);
            if (!set) continue;
            // "US charges seven hackers. The Justice Department charged A, …, G": the sentence names its own acting body
            const ownMeasure = hits.some((h) => h.pattern.predicate === p.predicate && h.agents.length > 0 && h.patients.some((e) => set.includes(e)));
            if (ownMeasure) {
                this.pending.splice(i, 1);
                continue;
            }
            for (const a of p.agents) for (const o of set) if (o.type !== "State" && o.type !== "Sector") out.push({ s: a, p: p.predicate, o, certainty: "asserted", sent, anchor: 1, pattern: p.pattern, confidence: 0.6 });
            if (p.of) for (const o of set) if (o.type === "Person") out.push({ s: o, p: "MEMBER_OF", o: p.of, certainty: "asserted", sent, anchor: 1, pattern: p.pattern, confidence: 0.6 });
            if (p.based) for (const o of set) if (o.type === "Organization") out.push({ s: o, p: "BASED_IN", o: p.based, certainty: "asserted", sent, anchor: 1, pattern: p.pattern, confidence: 0.6 });
            this.pending.splice(i, 1);
        }
        return out;
    }
}

/** The names a sentence says are among a set told before: "Among them is A", "Among them were A and B". */
function amongThem(v: SentenceView): Entity[] {
    const g = v.g;
    const out: Entity[] = [];
    for (let t = 1; t <= g.size; t++) {
        if (!g.in(t).some((e) => /^(obl|nmod):among$/.test(e.rel) && g.out(e.gov, "cop").length > 0 && /^(them|those|these)$/.test(g.lower(t)))) continue;
        for (const e of g.in(t).filter((x) => /^(obl|nmod):among$/.test(x.rel))) {
            for (const x of [e.gov, ...listMembers(v, e.gov)]) {
                const ent = entityAt(v, x);
                if (ent && (ent.type === "Person" || ent.type === "Organization") && !out.includes(ent)) out.push(ent);
            }
        }
    }
    return out;
}

/** The coordinations of named entities in a sentence ("A, B and C"), and names apposed to a counted noun. */
export function setsOf(v: SentenceView): Entity[][] {
    const g = v.g;
    const out: Entity[][] = [];
    const seen = new Set<number>();
    for (let t = 1; t <= g.size; t++) {
        if (seen.has(t)) continue;
        // the list's tokens, through conjuncts and persons the parser apposed to persons
        const conj: number[] = [];
        for (let k = 0, todo = listMembers(v, t); k < todo.length; k++) {
            const c = todo[k]!;
            if (c === t || conj.includes(c)) continue;
            conj.push(c);
            todo.push(...listMembers(v, c));
        }
        if (conj.length === 0) continue;
        // victim descriptions ("journalists and activists") are never what "they" or "the two" refer to
        const members = [t, ...conj].filter((x) => v.at.get(x)?.source !== "people" && v.at.get(x)?.source !== "sector").map((x) => entityAt(v, x)).filter((x): x is Entity => Boolean(x));
        for (const c of conj) seen.add(c);
        const uniq = [...new Set(members)];
        const persons = uniq.filter((e) => e.type === "Person");
        const orgs = uniq.filter((e) => e.type === "Organization" || e.type === "ThreatActor");
        if (persons.length >= 2) out.push(persons);
        else if (orgs.length >= 2) out.push(orgs);
    }
    const semicolons = semicolonList(v);
    if (semicolons.length > 0 && !out.some((set) => semicolons.every((e) => set.includes(e)))) out.push(semicolons);
    return out;
}

/**
 * "named as A, an Athens-based company; B, which is based in Ireland; and C, a Hungarian firm": a list whose items
 * are described at length is split by semicolons, each item opening with its name (the first after the words that
 * introduce the list) — the members, however the parser nested the descriptions.
 */
function semicolonList(v: SentenceView): Entity[] {
    const g = v.g;
    const cuts = [0];
    for (let t = 1; t <= g.size; t++) if (g.word(t) === ";") cuts.push(t);
    if (cuts.length < 3) return [];
    const named = (t: number) => (v.at.get(t)?.start === t ? entityAt(v, t) : undefined);
    const members: Entity[] = [];
    for (let k = 1; k < cuts.length; k++) {
        let t = cuts[k]! + 1;
        if (/^(and|or)$/.test(g.lower(t))) t++;
        const e = named(t);
        if (!e) return [];
        members.push(e);
    }
    // the first item: the last name of the first part that a comma describes before the first semicolon
    const type = members[0]!.type;
    let first: Entity | undefined;
    for (let t = 1; t < cuts[1]!; t++) {
        const m = v.at.get(t);
        const e = named(t);
        if (m && e && e.type === type && g.word(m.end + 1) === ",") first = e;
    }
    if (!first || members.some((e) => e.type !== type)) return [];
    return [...new Set([first, ...members])];
}
