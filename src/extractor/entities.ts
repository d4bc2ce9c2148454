/**
 * Stage 2 and 3 — entity linking and coreference. Mentions become the article's entities: registry entities
 * by id; other names by their normalised form, a surname alone to the person named in full before it, a short
 * form to the longer name it starts ("Chengdu 404" → "Chengdu 404 Network Technology"), and an alias given in
 * the text ("Grey Heron (also tracked as APT99)") to the entity it names. Pronouns and definite descriptions
 * ("it", "the group", "the two men", "their") resolve to the most recent compatible entity or set.
 */
import { ID_PREFIX, type EntityType, type OrganizationKind } from "../model/vocabulary.ts";
import { nameWords, normalizeName, slugify } from "../model/normalize.ts";
import type { RegistryEntity } from "../registry/types.ts";
import type { Lexicon } from "./lexicon.ts";
import { tokenize } from "./text.ts";
import type { Mention } from "./mentions.ts";
import type { Words } from "./patterns.ts";
import type { SentenceGraph } from "./sentence-graph.ts";

export interface Entity {
    id: string;
    type: EntityType;
    name: string;
    aliases: Set<string>;
    kind?: OrganizationKind;
    code?: string;
    registry?: RegistryEntity;
    /** Typed from its form only: relations may retype it. */
    weak?: boolean;
    /** A group of people described, not named ("US officials", "British MPs"): a victim or a speaker, never an actor. */
    people?: boolean;
}

export interface Salient {
    entity: Entity;
    sent: number;
    token: number;
    subject: boolean;
}

export interface EntitySet {
    members: Entity[];
    sent: number;
    /** What the set was called ("men", "companies"), if anything. */
    noun?: string;
    count?: number;
}

export class EntityTable {
    readonly byId = new Map<string, Entity>();
    private readonly byKey = new Map<string, Entity>();
    /** Mentions in text order, for coreference. */
    readonly history: Salient[] = [];
    readonly sets: EntitySet[] = [];
    /** Who made the last attributed claim ("the NCSC said …"): a hedged claim after it is theirs too. */
    lastClaimant?: { entity: Entity; sent: number };
    /** The story's voices so far: who made an attributed claim or took an official action (sanctioned, charged). */
    readonly voices = new Set<Entity>();

    constructor(private readonly lexicon: Lexicon) {}

    private key(type: EntityType, name: string): string {
        return `${type === "ThreatActor" || type === "Organization" ? "org" : type}|${normalizeName(name)}`;
    }

    private register(e: Entity, names: Iterable<string>): void {
        for (const n of names) if (normalizeName(n)) this.byKey.set(this.key(e.type, n), e);
    }

    fromRegistry(r: RegistryEntity): Entity {
        let e = this.byId.get(r.id);
        if (!e) {
            e = { id: r.id, type: r.type, name: r.name, aliases: new Set(r.aliases), registry: r, ...(r.kind ? { kind: r.kind } : {}), ...(r.code ? { code: r.code } : {}) };
            this.byId.set(r.id, e);
            this.register(e, [r.name, ...r.aliases]);
        }
        return e;
    }

    /** The state written at the front of a name ("US Treasury", "Chinese Ministry of State Security"), if any. */
    statePrefix(name: string): Entity | undefined {
        const toks = tokenize(name);
        for (let n = Math.min(toks.length - 1, 6); n >= 1; n--) {
            const m = this.lexicon.match(toks.slice(0, n))[0];
            if (m && m.start === 0 && m.end === n && m.entry.entity.type === "State") return this.fromRegistry(m.entry.entity);
        }
        return undefined;
    }

    /** The state a name ends with after "of" ("the Cyber Security Agency of Singapore"), if any. */
    stateSuffix(name: string): Entity | undefined {
        const toks = tokenize(name);
        const of = toks.map((t) => t.l).lastIndexOf("of");
        if (of < 1 || of === toks.length - 1) return undefined;
        const tail = toks.slice(of + 1).filter((t, k) => k > 0 || t.l !== "the");
        const m = this.lexicon.match(tail)[0];
        return m && m.start === 0 && m.end === tail.length && m.entry.entity.type === "State" ? this.fromRegistry(m.entry.entity) : undefined;
    }

    /** A registry entity by its id, as an entity of the story. */
    registryEntity(id: string): Entity | undefined {
        const r = this.lexicon.byId.get(id);
        return r ? this.fromRegistry(r) : undefined;
    }

    stateByCode(code: string): Entity | undefined {
        const r = this.lexicon.byId.get(`state:${code.toLowerCase()}`);
        return r ? this.fromRegistry(r) : undefined;
    }

    /** The entity a mention names (creating it), or undefined for places and modifiers. */
    link(m: Mention): Entity | undefined {
        if (m.demonym) return undefined;
        if (m.type === "Place") {
            // a surname the NER took for a town ("Badin took part …") is the person named before
            const person = /^\p{Lu}/u.test(m.text) ? this.lookup("Person", cleanName(m.text)) : undefined;
            return person?.type === "Person" ? person : undefined;
        }
        if (m.registry) return this.fromRegistry(m.registry);
        const name = cleanName(m.text);
        if (!normalizeName(name)) return undefined;
        if (m.type === "Sector") return this.named("Sector", name, m);
        const found = this.lookup(m.type, name);
        if (found) {
            if (found.weak && !m.weakType && found.type !== m.type) {
                found.type = m.type;
                found.weak = false;
            }
            if (m.kind && (!found.kind || found.kind === "other")) found.kind = m.kind;
            // a name met later ("i-Soon" after the headline's "i-Soon staff") is no mere description of people
            if (found.people && m.source !== "people") delete found.people;
            found.aliases.add(name);
            if (name.length > found.name.length && found.type !== "Person" && found.name.split(/\s+/).length > 0 && normalizeName(name).startsWith(normalizeName(found.name))) {
                found.aliases.add(found.name);
                found.name = name;
            }
            this.register(found, [name]);
            return found;
        }
        return this.named(m.type, name, m);
    }

    private named(type: EntityType, name: string, m: Mention): Entity {
        const existing = this.byKey.get(this.key(type, name));
        if (existing) return existing;
        let id = `${ID_PREFIX[type]}:${slugify(name)}`;
        for (let n = 2; this.byId.has(id); n++) id = `${ID_PREFIX[type]}:${slugify(name)}-${n}`;
        const e: Entity = { id, type, name, aliases: new Set([name]), ...(m.kind ? { kind: m.kind } : type === "Organization" ? { kind: "other" as const } : {}), ...(m.weakType ? { weak: true } : {}), ...(m.source === "people" ? { people: true } : {}) };
        this.byId.set(id, e);
        this.register(e, [name]);
        return e;
    }

    /** An entity this name already denotes: same name or alias, a surname, a short form. */
    lookup(type: EntityType, name: string): Entity | undefined {
        const k = this.key(type, name);
        const direct = this.byKey.get(k) ?? (type === "Person" ? undefined : this.byKey.get(this.key("Person", name)));
        if (direct && (direct.type === type || direct.weak || type === "Organization" || type === "ThreatActor")) return direct;
        const words = nameWords(name);
        if (words.length === 0) return undefined;
        for (const e of [...this.byId.values()].reverse()) {
            if (e.type === "Sector" || e.type === "State") continue;
            const forms = [e.name, ...e.aliases].map(nameWords);
            if (type === "Person" || e.type === "Person") {
                // a weakly typed single word may still be a surname ("Petrov" the tagger did not label)
                if (type !== e.type && !e.weak && !(e.type === "Person" && words.length === 1 && /^\p{Lu}/u.test(name))) continue;
                // a surname or given name alone, or all words of the name in another order
                if (forms.some((f) => (words.length === 1 && f.length > 1 && f.includes(words[0]!)) || (words.length > 1 && words.every((w) => f.includes(w)) && f.length >= words.length))) return e;
                continue;
            }
            // "Chengdu 404" for "Chengdu 404 Network Technology"; "Integrity Tech" for "Integrity Technology Group"
            if (words.length >= 2 && forms.some((f) => f.length > words.length && words.every((w, i) => f[i] === w || (i === words.length - 1 && f[i]!.startsWith(w))))) return e;
            // an acronym of a longer name
            if (/^[A-Z]{2,6}$/.test(name) && forms.some((f) => acronym(f) === name.toLowerCase())) return e;
        }
        return undefined;
    }

    /** Whether a name (exactly, as normalised) is already a form of an entity of the story. */
    knows(name: string): boolean {
        const n = normalizeName(cleanName(name));
        return [...this.byId.values()].some((e) => e.type !== "Sector" && [e.name, ...e.aliases].some((f) => normalizeName(f) === n));
    }

    /** Adds a surface form of one entity found in the text ("also tracked as APT99"). */
    alias(e: Entity, name: string): void {
        const n = cleanName(name);
        if (!normalizeName(n)) return;
        e.aliases.add(n);
        this.register(e, [n]);
    }

    /** Folds `drop` into `keep` ("Grey Heron, also tracked as APT99"): its names, its past mentions and every lookup now give `keep`. */
    merge(keep: Entity, drop: Entity): void {
        for (const n of drop.aliases) this.alias(keep, n);
        for (const [k, e] of this.byKey) if (e === drop) this.byKey.set(k, keep);
        this.byId.delete(drop.id);
        for (const h of this.history) if (h.entity === drop) h.entity = keep;
        for (const set of this.sets) for (let i = 0; i < set.members.length; i++) if (set.members[i] === drop) set.members[i] = keep;
    }

    /** Records that a mention was met (for pronouns and definite descriptions). */
    note(e: Entity, sent: number, token: number, subject: boolean): void {
        this.history.push({ entity: e, sent, token, subject });
    }

    noteSet(members: Entity[], sent: number, noun?: string, count?: number): void {
        const uniq = [...new Set(members)];
        if (uniq.length >= 2) this.sets.push({ members: uniq, sent, ...(noun ? { noun } : {}), ...(count ? { count } : {}) });
    }

    /** The most recent entity of one of the types, before (sent, token); subjects of the sentence before win ties. */
    recent(types: EntityType[], sent: number, token: number, maxBack = 3, filter?: (e: Entity) => boolean, subjectsOnly = false): Entity | undefined {
        let best: Salient | undefined;
        for (let i = this.history.length - 1; i >= 0; i--) {
            const h = this.history[i]!;
            if (h.sent > sent || (h.sent === sent && h.token >= token)) continue;
            if (sent - h.sent > maxBack) break;
            if (!types.includes(h.entity.type)) continue;
            if (subjectsOnly && !h.subject) continue;
            if (filter && !filter(h.entity)) continue;
            if (!best) {
                best = h;
                if (h.sent === sent) break;
                continue;
            }
            // in an earlier sentence, that sentence's subject beats a later non-subject
            if (h.sent === best.sent && h.subject && !best.subject) best = h;
            if (h.sent !== best.sent) break;
        }
        return best?.entity;
    }

    /**
     * The most salient entity of the types before (sent, token): mentions in the last `maxBack` sentences, a
     * subject counting double and the current and previous sentence counting extra, the latest mention breaking ties.
     * "The group" in a story about one group is that group even when another was named in passing.
     */
    salient(types: EntityType[], sent: number, token: number, maxBack = 8, filter?: (e: Entity) => boolean): Entity | undefined {
        const score = new Map<Entity, { s: number; last: number }>();
        this.history.forEach((h, k) => {
            if (h.sent > sent || (h.sent === sent && h.token >= token) || sent - h.sent > maxBack) return;
            if (!types.includes(h.entity.type) || (filter && !filter(h.entity))) return;
            const w = (h.subject ? 2 : 1) + (sent - h.sent <= 1 ? 1 : 0);
            const cur = score.get(h.entity) ?? { s: 0, last: -1 };
            score.set(h.entity, { s: cur.s + w, last: k });
        });
        let best: [Entity, { s: number; last: number }] | undefined;
        for (const e of score) if (!best || e[1].s > best[1].s || (e[1].s === best[1].s && e[1].last > best[1].last)) best = e;
        return best?.[0];
    }

    /** The most recent set of two or more, optionally with a count. */
    recentSet(sent: number, count?: number, person?: boolean, maxBack = 4): Entity[] | undefined {
        const union: Entity[] = [];
        for (let i = this.sets.length - 1; i >= 0; i--) {
            const s = this.sets[i]!;
            if (s.sent > sent) continue;
            if (sent - s.sent > maxBack) break;
            if (person !== undefined && s.members.every((m) => m.type === "Person") !== person) continue;
            if (count === undefined || s.members.length === count) return s.members;
            // "all five" after "A and B … C, D and E": the sets named just before, together (sets of earlier
            // sentences, of one type: not "APT41, also tracked as Winnti" named after the count in its own sentence)
            if (s.sent === sent || (union.length && s.members.some((m) => m.type !== union[0]!.type))) continue;
            for (const m of s.members) if (!union.includes(m)) union.push(m);
            if (union.length === count) return union;
            if (union.length > count) union.length = 0;
        }
        return undefined;
    }
}

function acronym(words: string[]): string {
    return words
        .filter((w) => !["of", "the", "and", "for", "on", "in"].includes(w))
        .map((w) => w[0])
        .join("");
}

/** A name as it should be stored: no leading article, no possessive, single spaces. */
export function cleanName(s: string): string {
    return s
        .replace(/^(?:the|a|an)\s+/i, "")
        .replace(/['’]s$/u, "")
        .replace(/[\s\u00a0]+/g, " ")
        .replace(/^[,;:'"“”‘’()\s]+|[,;:'"“”‘’()\s]+$/gu, "")
        .trim();
}

/** How a pronoun or definite description can be resolved: which types, singular or plural. */
export function anaphorKind(g: SentenceGraph, i: number, W: Words): { types: EntityType[]; plural: boolean; count?: number; noun?: string; preferGroup?: boolean } | undefined {
    const w = g.lower(i);
    const lemma = g.lemma(i);
    if (W.pronouns.group.has(w)) return { types: ["ThreatActor", "Organization"], plural: false };
    if (W.pronouns.person.has(w)) return { types: ["Person"], plural: false };
    if (W.pronouns.plural.has(w)) return { types: ["Person", "ThreatActor", "Organization"], plural: true };
    // "both worked for X", "all were charged": a determiner standing alone for the people just named
    if ((w === "both" || w === "all" || w === "each") && g.pos(i) === "DT" && g.in(i).some((e) => e.rel === "nsubj" || e.rel === "nsubj:pass")) return { types: ["Person", "Organization", "ThreatActor"], plural: true, ...(w === "both" ? { count: 2 } : {}) };
    // ("the Russian national is accused …": a person noun the tagger made an adjective, as a subject)
    const nounAsAdjective = g.pos(i) === "JJ" && W.anaphoricHeads.person.has(lemma) && g.in(i).some((e) => e.rel.startsWith("nsubj"));
    if (!g.pos(i).startsWith("NN") && g.pos(i) !== "CD" && !nounAsAdjective) return undefined;
    // "the two", "all five", "the three men", "both"
    const det = g.kids(i, (r) => r === "det" || r === "det:predet").map((d) => g.lower(d));
    const nums = g.kids(i, "nummod").map((d) => W.numbers[g.lower(d)] ?? Number(g.lower(d)));
    const definite = det.some((d) => ["the", "these", "those", "this", "that", "both", "all", "each"].includes(d)) || g.kids(i, "nmod:poss").length > 0;
    if (g.pos(i) === "CD") {
        const n = W.numbers[w] ?? Number(w);
        if (Number.isInteger(n) && n > 1 && definite) return { types: ["Person", "Organization", "ThreatActor"], plural: true, count: n };
        return undefined;
    }
    if (!definite) return undefined;
    const count = nums.find((n) => Number.isInteger(n) && n > 1);
    if (g.pos(i) === "NNS" || count) {
        // "the hackers", "the attackers": the group first, else the people named together
        if (!count && /^(hacker|attacker|intruder|operator|actor|cyberspy|spy)$/.test(lemma)) return { types: ["ThreatActor", "Person"], plural: true, noun: lemma, preferGroup: true };
        if (W.personSetNouns.has(lemma)) return { types: ["Person"], plural: true, ...(count ? { count } : {}), noun: lemma };
        if (W.orgSetNouns.has(lemma)) return { types: ["Organization", "ThreatActor"], plural: true, ...(count ? { count } : {}), noun: lemma };
        return undefined;
    }
    if (W.anaphoricHeads.actor.has(lemma)) return { types: ["ThreatActor"], plural: false, noun: lemma };
    // "the unit", "the agency" may name a group or a body
    if (/^(unit|arm|team|cell|division|branch)$/.test(lemma)) return { types: ["ThreatActor", "Organization"], plural: false, noun: lemma };
    if (W.anaphoricHeads.organization.has(lemma)) return { types: ["Organization"], plural: false, noun: lemma };
    if (W.anaphoricHeads.person.has(lemma)) return { types: ["Person"], plural: false, noun: lemma };
    return undefined;
}
