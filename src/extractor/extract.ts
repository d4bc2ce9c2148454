/**
 * The extractor: article text → facts document. Deterministic and offline: sentences and tokens with offsets,
 * registry dictionary matching (threat actors, agencies, states and demonyms, sectors), unknown names found
 * from capitalisation and context (compromise decides whether a bare name is a person), simple coreference,
 * and patterns per predicate (active and passive verbs, nouns such as "sanctions against", relation phrases
 * such as "linked to", modifiers such as "a Chinese state-sponsored group called …"), with hedges, claimants
 * and dates.
 */
import nlp from "compromise";
import * as chrono from "chrono-node";
import type { RegistryEntity } from "../registry/types.ts";
import { ID_PREFIX, PREDICATE_RULES, type Certainty, type EntityType, type OrganizationKind, type Predicate } from "../model/vocabulary.ts";
import type { FactsDocument } from "../model/facts-document.ts";
import { normalizeName, slugify } from "../model/normalize.ts";
import { lexiconFor, type Lexicon, type RegistryLike } from "./lexicon.ts";
import { splitSentences, tokenize, type ArticleInput, type Sentence, type Token } from "./text.ts";
import * as W from "./words.ts";

export const EXTRACTOR_NAME = "cyberkg-extractor";
export const EXTRACTOR_VERSION = "0.1.0";

interface Ent {
    id: string;
    name: string;
    type: EntityType;
    aliases: Set<string>;
    kind?: OrganizationKind;
    code?: string;
    reg?: RegistryEntity;
    /** A descriptive victim ("UK civil servants"): not an antecedent for "the company" / "the group". */
    desc?: boolean;
}

type MentionSrc = "reg" | "demonym" | "name" | "anaphor";

interface Mention {
    start: number;
    end: number;
    ents: Ent[];
    src: MentionSrc;
    /** As a modifier: "China's" (possessive) rather than a compound. */
    poss?: boolean;
}

/** A mention with the mentions that modify it ("China's" in "China's Ministry of State Security"). */
interface Unit {
    start: number;
    end: number;
    ents: Ent[];
    src: MentionSrc;
    modifiers: Mention[];
}

interface RawFact {
    s: Ent;
    p: Predicate;
    o: Ent;
    certainty: Certainty;
    claimedBy?: Ent;
    validFrom?: string;
    validTo?: string;
    sentence: Sentence;
    confidence: number;
}

interface TriggerHit {
    spec: W.TriggerSpec;
    start: number;
    end: number;
}

const CRIMINAL = W.set("cybercrime cybercriminal criminal ransomware extortion fraud");
const COMPANY_APPOSITION = W.set("company firm developer maker provider vendor manufacturer contractor subsidiary startup business exchange platform bank lender operator");
const ACTOR_MODIFIERS = W.set("cybercrime cybercriminal ransomware hacking hacker criminal botnet malware espionage extortion");
const ACTOR_HEADS_AFTER = W.set("group gang operation crew syndicate cartel collective");
const LEXICON = (nlp as unknown as { model(): { one: { lexicon: Record<string, string> } } }).model().one.lexicon;
const VERB_TAGS = new Set(["Infinitive", "PastTense", "PresentTense", "Gerund", "Verb", "Modal", "Auxiliary", "Copula", "PhrasalVerb", "Participle"]);
/** A common verb form (compromise's lexicon, or a regular -ed/-s form of one): "link", "linked", "said". */
export function isVerbWord(w: string): boolean {
    if (!w || !/^\p{Ll}+$/u.test(w)) return false;
    if (W.CLAIM_VERBS.has(w) || W.HEDGE_DENIED.has(w)) return true;
    const tag = LEXICON[w];
    if (tag !== undefined) return VERB_TAGS.has(tag);
    for (const stem of [w.replace(/ed$/, ""), w.replace(/d$/, ""), w.replace(/s$/, ""), w.replace(/ied$/, "y"), w.replace(/ies$/, "y")]) {
        if (stem !== w && LEXICON[stem] !== undefined) return VERB_TAGS.has(LEXICON[stem]!);
    }
    return false;
}
const NAME_TAGS = new Set(["FirstName", "MaleName", "FemaleName", "LastName", "Person", "Honorific"]);
/** A word that can be part of a personal name: compromise knows it as a name, or does not know it at all. */
function nameLikeWord(w: string): boolean {
    if (!/^\p{Lu}\p{Ll}+$/u.test(w)) return false;
    const lw = w.toLowerCase();
    const tag = LEXICON[lw] ?? (lw.endsWith("s") ? LEXICON[lw.slice(0, -1)] : undefined);
    if (tag !== undefined) return NAME_TAGS.has(tag);
    return !/(tion|sion|ity|ment|ness|ing|ism|ics|ware|tech|soft|net|bank|corp|group|link|nova|bear|panda|typhoon|kitten|spider)$/i.test(w);
}

/** Per-article state: entities met so far and what anaphors can refer to. */
class ArticleState {
    readonly ents = new Map<string, Ent>();
    /** normalized surface form → entity, for names met in this article. */
    readonly names = new Map<string, Ent>();
    /** Entities in order of mention (most recent last). */
    recent: Ent[] = [];
    lastPersons: Ent[] = [];
    lastSubjects: Ent[] = [];
    /** Who last imposed sanctions / brought charges (for "The sanctions target X", "The indictment charges X"). */
    lastActing: Partial<Record<"SANCTIONED" | "CHARGED", Ent[]>> = {};
    lastActingSentence: Partial<Record<"SANCTIONED" | "CHARGED", number>> = {};
    /** Victims of the last attack/hack/breach the article spoke of ("the intrusion", "the hack" refer to it). */
    lastEventVictims: Ent[] = [];
    constructor(readonly lex: Lexicon) {}

    fromRegistry(r: RegistryEntity, surface: string): Ent {
        let e = this.ents.get(r.id);
        if (!e) {
            e = { id: r.id, name: r.name, type: r.type, aliases: new Set(), reg: r, ...(r.kind ? { kind: r.kind } : {}), ...(r.code ? { code: r.code } : {}) };
            this.ents.set(r.id, e);
        }
        if (surface !== r.name) e.aliases.add(surface);
        return e;
    }

    named(name: string, type: EntityType, kind?: OrganizationKind): Ent {
        const key = normalizeName(name);
        const known = this.names.get(key);
        if (known) return known;
        let id = `${ID_PREFIX[type]}:${slugify(name)}`;
        for (let n = 2; this.ents.has(id); n++) id = `${ID_PREFIX[type]}:${slugify(name)}-${n}`;
        const e: Ent = { id, name, type, aliases: new Set(), ...(type === "Organization" ? { kind: kind ?? "other" } : {}) };
        this.ents.set(id, e);
        this.names.set(key, e);
        if (type === "Person") {
            const parts = name.split(/\s+/);
            if (parts.length >= 2) {
                for (const p of [parts[0]!, parts[parts.length - 1]!]) {
                    const k = normalizeName(p);
                    if (k.length >= 2 && !this.names.has(k) && !W.NOT_NAME.has(k)) this.names.set(k, e);
                }
            }
        }
        return e;
    }

    touch(ents: Ent[]): void {
        this.sentenceNo++;
        for (const e of ents) {
            if (e.desc) continue;
            this.counts.set(e, (this.counts.get(e) ?? 0) + 1);
            this.lastSeen.set(e, this.sentenceNo);
            const i = this.recent.lastIndexOf(e);
            if (i >= 0) this.recent.splice(i, 1);
            this.recent.push(e);
        }
        if (this.recent.length > 60) this.recent = this.recent.slice(-40);
        const persons = ents.filter((e) => e.type === "Person");
        if (persons.length > 1 || (persons.length === 1 && this.lastPersons.length <= 1)) this.lastPersons = persons;
    }

    /** Mentions per entity: "the group" goes to the article's most talked-about recent actor. */
    readonly counts = new Map<Ent, number>();
    sentenceNo = 0;
    readonly lastSeen = new Map<Ent, number>();

    salientActor(): Ent[] {
        let best: Ent | undefined;
        let bestScore = -1;
        for (const e of this.recent) {
            if (e.type !== "ThreatActor") continue;
            const age = this.sentenceNo - (this.lastSeen.get(e) ?? 0);
            const score = (this.counts.get(e) ?? 0) + (age <= 1 ? 1.5 : 0) - (age > 6 ? 2 : 0);
            if (score >= bestScore) {
                best = e;
                bestScore = score;
            }
        }
        return best ? [best] : [];
    }

    lastOf(pred: (e: Ent) => boolean, n = 1): Ent[] {
        const out: Ent[] = [];
        for (let i = this.recent.length - 1; i >= 0 && out.length < n; i--) if (pred(this.recent[i]!)) out.push(this.recent[i]!);
        return out.reverse();
    }
}

const isUpper = (t: Token | undefined): boolean => !!t && t.w && /^\p{Lu}/u.test(t.t);
const isDigits = (t: Token | undefined): boolean => !!t && /^\d+$/.test(t.t);

const TIME_WORDS = W.set(
    "since on in last this earlier later yesterday today week month year monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec",
);

/** Resolves a relation class to a predicate given the subject and object types; undefined when none fits. */
export function resolvePredicate(rel: W.RelClass, s: EntityType, o: EntityType): Predicate | undefined {
    let p: Predicate | undefined;
    switch (rel) {
        case "LINK":
            if (s === "Person" && o === "ThreatActor") p = "MEMBER_OF";
            else p = "AFFILIATED_WITH";
            break;
        case "WORK":
            p = s === "Person" ? "MEMBER_OF" : "AFFILIATED_WITH";
            break;
        case "MEMBER":
            p = s === "Person" ? "MEMBER_OF" : s === "Organization" ? "PART_OF" : "AFFILIATED_WITH";
            break;
        case "PARTOF":
            p = s === "Organization" ? "PART_OF" : s === "Person" ? "MEMBER_OF" : "AFFILIATED_WITH";
            break;
        case "FRONT":
            p = "FRONT_FOR";
            break;
        case "BEHIND":
            return undefined;
        case "BASED":
            p = "BASED_IN";
            break;
        default:
            p = rel;
    }
    const rule = PREDICATE_RULES[p];
    return rule.subject.includes(s) && rule.object.includes(o) ? p : undefined;
}

// -------------------------------------------------------------------------------------------------
// Sentence analysis

class SentenceAnalysis {
    readonly toks: Token[];
    mentions: Mention[] = [];
    units: Unit[] = [];
    /** token index → unit index */
    unitAt: Int32Array;
    unitEndingAt: Int32Array;
    triggers: TriggerHit[] = [];
    triggerAt: Int32Array;

    constructor(
        readonly sent: Sentence,
        readonly st: ArticleState,
    ) {
        this.toks = sent.tokens;
        const n = this.toks.length;
        this.unitAt = new Int32Array(n).fill(-1);
        this.unitEndingAt = new Int32Array(n + 1).fill(-1);
        this.triggerAt = new Int32Array(n).fill(-1);
    }

    l(i: number): string {
        return this.toks[i]?.l ?? "";
    }

    /** Registry names and demonyms, then unknown names, then anaphors. */
    findMentions(): void {
        const toks = this.toks;
        const covered = new Uint8Array(toks.length);
        for (const m of this.st.lex.match(toks)) {
            if (m.entry.entity.type === "State" && m.end - m.start === 1 && m.start > 0 && isUpper(toks[m.start - 1]) && !W.NOT_NAME.has(toks[m.start - 1]!.l) && !covered[m.start - 1] && !this.st.lex.match([toks[m.start - 1]!]).length) continue;
            const surface = this.sent.text.slice(toks[m.start]!.s - this.sent.start, toks[m.end - 1]!.e - this.sent.start);
            const ent = this.st.fromRegistry(m.entry.entity, m.entry.demonym ? m.entry.entity.name : surface);
            // a registry alias with a possessive state in it ("China's Ministry of State Security"): keep the state as a modifier
            if (ent.type === "Organization" && m.end - m.start > 3) {
                let inner: { start: number; end: number; entry: { entity: RegistryEntity } } | undefined = this.st.lex.match(toks.slice(m.start, m.end - 1))[0];
                if (!(inner && inner.start === 0) && toks[m.start + 1]?.l === "'" && toks[m.start + 2]?.l === "s") {
                    const head = this.headBackoffFor(toks[m.start]!.t, ent.id);
                    if (head) inner = { start: 0, end: 1, entry: { entity: head } };
                }
                if (inner && inner.start === 0 && (inner.entry.entity.type === "State" || inner.entry.entity.type === "Organization") && inner.entry.entity.id !== ent.id && toks[m.start + inner.end]?.l === "'" && toks[m.start + inner.end + 1]?.l === "s") {
                    const stEnt = this.st.fromRegistry(inner.entry.entity, inner.entry.entity.name);
                    this.mentions.push({ start: m.start, end: m.start + inner.end, ents: [stEnt], src: "reg" });
                    this.mentions.push({ start: m.start + inner.end + 2, end: m.end, ents: [ent], src: "reg" });
                    covered.fill(1, m.start, m.end);
                    continue;
                }
            }
            this.mentions.push({ start: m.start, end: m.end, ents: [ent], src: m.entry.demonym ? "demonym" : "reg" });
            covered.fill(1, m.start, m.end);
        }
        this.findSectorList(covered);
        this.findNames(covered);
        this.findDescriptive(covered);
        this.findAnaphors(covered);
        this.mentions.sort((a, b) => a.start - b.start);
    }

    /** Adjectives in a list closed by "sectors"/"industries": "the government, financial and energy sectors". */
    private findSectorList(covered: Uint8Array): void {
        const toks = this.toks;
        for (let e = 1; e < toks.length; e++) {
            const head = toks[e]!.l;
            if (head !== "sectors" && head !== "sector" && head !== "industries") continue;
            for (let k = e - 1; k >= Math.max(0, e - 14); k--) {
                const t = toks[k]!;
                if (t.l === "," || t.l === "and" || t.l === "or" || t.l === "-") continue;
                if (covered[k]) continue;
                if (!/^\p{Ll}+$/u.test(t.t)) break;
                const m = this.st.lex.match(tokenize(`${t.t} sector`))[0];
                if (m && m.start === 0 && m.end === 2 && m.entry.entity.type === "Sector") {
                    const ent = this.st.fromRegistry(m.entry.entity, t.t);
                    this.mentions.push({ start: k, end: k + 1, ents: [ent], src: "reg" });
                    covered[k] = 1;
                } else if (k < e - 1) break;
            }
        }
    }

    /**
     * Descriptive victims in sentences about targeting or compromise: "<state> <modifiers> <group noun>"
     * ("UK civil servants", "current and former US government officials", "Ukraine's electricity grid",
     * "computer hardware makers"). A sector word with a group noun ("software developers", "energy companies")
     * stays the sector, with the phrase as its alias.
     */
    private findDescriptive(covered: Uint8Array): void {
        const toks = this.toks;
        if (!toks.some((t) => VICTIM_CUES.has(t.l))) return;
        const mentionAt = (k: number) => this.mentions.find((m) => m.start <= k && k < m.end);
        for (let h = 1; h < toks.length; h++) {
            const head = toks[h]!;
            const people = PEOPLE_HEADS.has(head.l);
            const single = OWNED_HEADS.has(head.l);
            if (!people && !single && !GROUP_HEADS.has(head.l)) continue;
            if (!/^\p{Ll}/u.test(head.t)) continue;
            const headMention = covered[h] ? mentionAt(h) : undefined;
            if (headMention && !(headMention.src === "reg" && headMention.ents.every((e) => e.type === "Sector") && headMention.end === h + 1)) continue;
            // modifiers to the left
            let k = headMention ? headMention.start - 1 : h - 1;
            let sector: Mention | undefined = headMention;
            let owner: Mention | undefined;
            let mods = 0;
            while (k >= 0 && h - k <= 6) {
                const t = toks[k]!;
                if (covered[k]) {
                    const m = mentionAt(k);
                    if (!m || m === headMention) break;
                    if (m.src !== "anaphor" && m.ents.length === 1 && m.ents[0]!.type === "Sector" && !sector && m.end === k + 1) {
                        sector = m;
                        k = m.start - 1;
                        mods++;
                        continue;
                    }
                    if (m.src !== "anaphor" && m.ents.length === 1 && (m.ents[0]!.type === "State" || (m.ents[0]!.type === "Organization" && (m.src === "name" || people)))) {
                        owner = m;
                        k = m.start;
                    }
                    break;
                }
                if (t.l === "-" && toks[k - 1]?.w && toks[k - 1]!.e === t.s && toks[k + 1]!.s === t.e) {
                    k--;
                    continue;
                }
                if (t.l === "s" && toks[k - 1]?.l === "'" && covered[k - 2]) {
                    const m = mentionAt(k - 2);
                    if (m && m.ents.length === 1 && (m.ents[0]!.type === "State" || (head.l === "campaign" && m.ents[0]!.type === "Person"))) {
                        owner = m;
                        k = m.start;
                    }
                    break;
                }
                if (!t.w || !/^\p{L}[\p{Ll}-]*$/u.test(t.t) || NP_STOP.has(t.l) || W.DETERMINERS.has(t.l) || PREPS.has(t.l) || W.SKIP_ADV.has(t.l) || W.CLAIM_VERBS.has(t.l) || TIME_WORDS.has(t.l) || TRIGGERS_BY_FIRST.has(t.l) || /(ed|ly)$/.test(t.l) || (toks[k - 1]?.l !== "-" && (/ing$/.test(t.l) || (isVerbWord(t.l) && !/s$/.test(t.l))))) break;
                // "White House staff": a proper-noun modifier nobody resolved
                if (isUpper(t) && (k === 0 || W.NOT_NAME.has(t.l) || !people)) break;
                mods++;
                k--;
            }
            let start = k + 1;
            if (owner) start = owner.start;
            if (mods === 0 && !owner && !((head.l === "members" || head.l === "member") && this.l(h + 1) === "of")) continue;
            // "the Georgian parliament", "Emmanuel Macron's presidential campaign": singular institutions need an owner
            if (single && (!owner || (head.l === "campaign" && owner.ents[0]!.type !== "Person") || (head.l !== "campaign" && owner.ents[0]!.type !== "State"))) continue;
            // "current and former US officials"
            let aliasStart = start;
            if (this.l(start - 1) === "former" && (this.l(start - 2) === "and" || this.l(start - 2) === "or") && this.l(start - 3) === "current") aliasStart = start - 3;
            else if (this.l(start - 1) === "former" || this.l(start - 1) === "current") aliasStart = start - 1;
            let end = h + 1;
            // "members of parliament"
            if ((head.l === "members" || head.l === "member") && this.l(end) === "of" && /^\p{Ll}+$/u.test(toks[end + 1]?.t ?? "") && !covered[end + 1] && !W.DETERMINERS.has(this.l(end + 1))) end += 2;
            else if (head.l === "members" || head.l === "member") continue;
            // "the foreign ministries of Taiwan and India" (the states are the victims), "about 100 private companies" (unnamed)
            if (this.l(end) === "of" && !(head.l === "members" || head.l === "member")) continue;
            const before = this.l(aliasStart - 1);
            if (isDigits(toks[aliasStart - 1]) || W.NUMBER_WORDS.has(before) || before === "dozens" || before === "hundreds" || before === "thousands" || before === "about" || before === "some") continue;
            const surface = (a: number) => this.sent.text.slice(toks[a]!.s - this.sent.start, toks[end - 1]!.e - this.sent.start);
            const text = surface(start);
            let ent: Ent;
            if (sector && !owner && sector.start === start && !people) {
                // "software developers", "energy companies": the sector, named by the phrase
                ent = sector.ents[0]!;
                ent.aliases.add(text);
            } else {
                ent = this.st.named(text, people || single ? "Organization" : "Sector", head.l === "campaign" || !single ? "other" : "government");
                ent.desc = true;
                if (aliasStart < start) ent.aliases.add(surface(aliasStart));
            }
            this.mentions = this.mentions.filter((m) => m.end <= aliasStart || m.start >= end);
            this.mentions.push({ start: aliasStart, end, ents: [ent], src: "name" });
            covered.fill(1, aliasStart, end);
            // "the German parliament, the Bundestag": the apposed name is an alias
            if (single && this.l(end) === "," && this.l(end + 1) === "the" && isUpper(toks[end + 2]) && !covered[end + 2] && !W.NOT_NAME.has(this.l(end + 2)) && !isUpper(toks[end + 3])) {
                const name = toks[end + 2]!.t;
                ent.aliases.add(name);
                this.st.names.set(normalizeName(name), ent);
                this.mentions.push({ start: end + 2, end: end + 3, ents: [ent], src: "name" });
                covered[end + 2] = 1;
            }
            h = end - 1;
        }
    }

    private findNames(covered: Uint8Array): void {
        const toks = this.toks;
        const unresolved: Array<[number, number]> = [];
        let i = 0;
        while (i < toks.length) {
            const camel = /^\p{Ll}$/u.test(toks[i]!.t) && toks[i + 1]?.l === "-" && isUpper(toks[i + 2]) && toks[i + 1]!.s === toks[i]!.e && toks[i + 2]!.s === toks[i + 1]!.e;
            if (covered[i] || (!isUpper(toks[i]) && !camel) || (W.NOT_NAME.has(toks[i]!.l) && !camel && !(/^\p{Lu}{2,}$/u.test(toks[i]!.t) && toks[i + 1]?.t === "&")) || isDigits(toks[i])) {
                i++;
                continue;
            }
            // a run of capitalised words, with inner connectors and company suffixes
            let j = camel ? i + 3 : i + 1;
            for (;;) {
                const t = toks[j];
                if (!t || covered[j]) break;
                if (isUpper(t) && !W.NOT_NAME.has(t.l)) {
                    j++;
                    continue;
                }
                if ((t.l === "of" || t.l === "and" || t.l === "for" || t.l === "de" || t.l === "al" || t.l === "bin") && isUpper(toks[j + 1]) && !covered[j + 1] && !W.NOT_NAME.has(toks[j + 1]!.l)) {
                    j += 2;
                    continue;
                }
                // "Industrial and Commercial Bank of China": a place closing an organisation's name
                if (t.l === "of" && covered[j + 1] && toks.slice(i, j).some((x) => W.ORG_HEADS.has(x.l)) && /^(Bank|University|Academy|Institute|Council|Government|Republic|Ministry|Port|City)$/.test(toks[j - 1]!.t)) {
                    const m = this.mentions.find((x) => x.start === j + 1 && x.src === "reg" && x.ents.every((e) => e.type === "State"));
                    if (m && !isUpper(toks[m.end])) {
                        this.mentions.splice(this.mentions.indexOf(m), 1);
                        j = m.end;
                        break;
                    }
                }
                if ((t.l === "of" || t.l === "for") && toks[j + 1]?.l === "the" && isUpper(toks[j + 2]) && !covered[j + 2] && !W.NOT_NAME.has(toks[j + 2]!.l) && W.ORG_HEADS.has(toks[i]!.l)) {
                    j += 3;
                    continue;
                }
                if (t.l === "'" && toks[j + 1]?.l === "s" && isUpper(toks[j + 2]) && !covered[j + 2] && (W.ORG_HEADS.has(toks[j + 2]!.l) || W.ORG_HEADS.has(toks[i]!.l))) {
                    j += 3;
                    continue;
                }
                if ((t.l === "-" || t.l === "'") && t.s === toks[j - 1]!.e && toks[j + 1]?.w && toks[j + 1]!.s === t.e && !covered[j + 1]) {
                    // "-based"/"-linked" ends the run
                    if (/^\p{Ll}/u.test(toks[j + 1]!.t)) break;
                    j += 2;
                    continue;
                }
                if (isDigits(t) && (t.s === toks[j - 1]!.e || (isUpper(toks[j + 1]) && !covered[j + 1]) || /^(unit|department|bureau|centre|center|military)$/.test(toks[j - 1]!.l))) {
                    j++;
                    continue;
                }
                break;
            }
            // company suffixes: "Co., Ltd", ", Inc."
            let k = j;
            let suffixInRun = false;
            if (W.ORG_SUFFIXES.has(toks[j - 1]!.l) && j - 1 > i) {
                suffixInRun = true;
                if (toks[k]?.l === "." && toks[k]!.s === toks[k - 1]!.e) k++;
            }
            for (;;) {
                let m = k;
                if (toks[m]?.l === ",") m++;
                if (toks[m] && W.ORG_SUFFIXES.has(toks[m]!.l) && isUpper(toks[m])) {
                    m++;
                    if (toks[m]?.l === "." && toks[m]!.s === toks[m - 1]!.e) m++;
                    k = m;
                    continue;
                }
                break;
            }
            const hasSuffix = k > j || suffixInRun;
            let end = k;
            const words = toks.slice(i, end).filter((t) => t.w);
            // drop a possessive tail "’s"
            const text = this.sent.text.slice(toks[i]!.s - this.sent.start, toks[end - 1]!.e - this.sent.start).replace(/[,.]+$/, "");
            const andAt = toks.slice(i, end).findIndex((t) => t.l === "and" && t.t !== "&");
            const listContext = andAt > 0 && (this.l(i - 1) === "," || (andAt === 1 && !toks.slice(i, end).some((t) => W.ORG_HEADS.has(t.l)) && !hasSuffix));
            let ent = andAt > 0 && (listContext || this.st.names.has(normalizeName(toks.slice(i, i + andAt).map((t) => t.t).join(" ")))) ? undefined : this.classifyName(i, end, text, words, hasSuffix);
            if (!ent) {
                // "Ni Gaobin and Zhao Guangzong": a run joined by "and" that is no organisation → its first part
                const and = toks.slice(i, end).findIndex((t) => (t.l === "and" && t.t !== "&") || t.l === "of" || t.l === "for");
                if (and > 0) {
                    end = i + and;
                    const part = this.sent.text.slice(toks[i]!.s - this.sent.start, toks[end - 1]!.e - this.sent.start);
                    ent = this.classifyName(i, end, part, toks.slice(i, end).filter((t) => t.w), false);
                    if (!ent) {
                        if (!W.NOT_NAME.has(toks[i]!.l)) unresolved.push([i, end]);
                        i = end;
                        continue;
                    }
                } else if (i > 0) unresolved.push([i, end]);
            }
            if (ent) {
                const surface = this.sent.text.slice(toks[i]!.s - this.sent.start, toks[end - 1]!.e - this.sent.start).replace(/[,.]+$/, "");
                if (surface !== ent.name) ent.aliases.add(surface);
                // "the Hubei office": the head noun belongs to the name
                if (ent.type === "Organization" && toks[end] && /^\p{Ll}+$/u.test(toks[end]!.t) && W.HEAD_AGENCY.has(toks[end]!.l) && !covered[end]) end++;
                this.mentions.push({ start: i, end, ents: [ent], src: "name" });
                covered.fill(1, i, end);
                // "Name (ACRONYM)" → alias
                if (toks[end]?.l === "(" && toks[end + 2]?.l === ")" && isUpper(toks[end + 1]) && !covered[end + 1]) {
                    const alias = toks[end + 1]!.t;
                    ent.aliases.add(alias);
                    this.st.names.set(normalizeName(alias), ent);
                    this.mentions.push({ start: end + 1, end: end + 2, ents: [ent], src: "name" });
                    covered[end + 1] = 1;
                }
            }
            i = Math.max(end, i + 1);
        }
        // "AT&T, Verizon and Lumen Technologies": unknown names listed with a company are companies
        for (let pass = 0; pass < 2; pass++) {
            for (const [s, e] of unresolved) {
                if (covered[s]) continue;
                const isCompany = (m: Mention | undefined) => !!m && m.src === "name" && m.ents.length === 1 && m.ents[0]!.type === "Organization" && m.ents[0]!.kind === "company";
                let p = s - 1;
                if ((toks[p]?.l === "and" || toks[p]?.l === "or") && toks[p - 1]?.l === ",") p--;
                const before = toks[s - 1]?.l === "," || toks[s - 1]?.l === "and" || toks[s - 1]?.l === "or" ? this.mentions.find((m) => m.end === p) : undefined;
                let n = e;
                if (toks[n]?.l === ",") n++;
                if (toks[n]?.l === "and" || toks[n]?.l === "or") n++;
                const after = n > e ? this.mentions.find((m) => m.start === n) : undefined;
                // "NASA, Randolph Air Force Base and …": an unknown acronym listed with organisations is one
                const isOrg = (m: Mention | undefined) => !!m && m.src !== "anaphor" && m.ents.length === 1 && m.ents[0]!.type === "Organization";
                const acronym = e - s === 1 && /^\p{Lu}{3,6}$/u.test(toks[s]!.t);
                if (!isCompany(before) && !isCompany(after) && !(acronym && (isOrg(before) || isOrg(after)))) continue;
                const text = this.sent.text.slice(toks[s]!.s - this.sent.start, toks[e - 1]!.e - this.sent.start);
                const ent = this.st.named(text, "Organization", isCompany(before) || isCompany(after) ? "company" : "other");
                this.mentions.push({ start: s, end: e, ents: [ent], src: "name" });
                covered.fill(1, s, e);
            }
        }
    }

    private classifyName(i: number, end: number, text: string, words: Token[], hasSuffix: boolean): Ent | undefined {
        const st = this.st;
        const known = st.names.get(normalizeName(text));
        if (known) return known;
        if (words.length === 0) return undefined;
        if (words.length === 1 && (this.l(i - 1) === "the" || (this.l(i - 1) === "s" && this.l(i - 2) === "'"))) {
            const e = this.headBackoff(i, words[0]!.t);
            if (e) return e;
        }
        // the same organisation with or without a last word: "Integrity Technology" / "Integrity Technology Group"
        if (words.length >= 2) {
            const key = words.map((w) => w.l).join(" ");
            for (const e of st.ents.values()) {
                if (e.type !== "Organization" || e.reg) continue;
                const n = e.name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
                if (n.split(" ").length >= 2 && (key.startsWith(n + " ") || n.startsWith(key + " ")) && Math.abs(n.split(" ").length - words.length) === 1) {
                    e.aliases.add(text);
                    st.names.set(normalizeName(text), e);
                    return e;
                }
            }
        }
        // a shortened form of an organisation met before: "Integrity Tech" for "Integrity Technology Group"
        if (words.length === 2) {
            for (const e of st.ents.values()) {
                if (e.type !== "Organization" || e.reg) continue;
                const parts = e.name.split(/\s+/);
                if (parts.length >= 2 && parts[0]!.toLowerCase() === words[0]!.l && words[1]!.l.length >= 3 && parts[1]!.toLowerCase().startsWith(words[1]!.l) && parts[1]!.toLowerCase() !== words[1]!.l) {
                    e.aliases.add(text);
                    st.names.set(normalizeName(text), e);
                    return e;
                }
            }
        }
        // "X, known as Y" / "X (also known as Y)" / "X, formally known as Y": Y is an alias of X
        if (this.l(i - 1) === "as" && (this.l(i - 2) === "known" || this.l(i - 2) === "dubbed")) {
            let k = i - 3;
            while (k >= 0 && (this.l(k) === "also" || this.l(k) === "formally" || this.l(k) === "formerly" || this.l(k) === "officially" || this.l(k) === "," || this.l(k) === "(")) k--;
            const before = this.unitEndingBefore(k + 1);
            if (before && before.src !== "anaphor" && before.ents.length === 1 && before.ents[0]!.type !== "State" && before.ents[0]!.type !== "Sector") {
                const e = before.ents[0]!;
                e.aliases.add(text);
                st.names.set(normalizeName(text), e);
                return e;
            }
        }
        const last = words[words.length - 1]!.l;
        const prev = this.l(i - 1);
        const prev2 = this.l(i - 2);
        if (hasSuffix || (words.length === 2 && W.ORG_HEADS.has(words[0]!.l) && /^\d+$/.test(words[1]!.t)) || (words.length >= 2 && W.ORG_HEADS.has(last) && !W.ACTOR_SUFFIXES.has(last)) || (words.length >= 3 && W.ORG_HEADS.has(words[0]!.l) && (words[1]!.l === "of" || words[1]!.l === "for")) || (words.length >= 4 && words.some((w) => W.ORG_HEADS.has(w.l) && !W.ACTOR_SUFFIXES.has(w.l)) && words.some((w) => w.l === "of" || w.l === "and"))) {
            const kind: OrganizationKind = /ministry|department|agency|bureau|office|commission|council|committee|parliament|police|court|directorate|administration|authority|command|force|corps|army|navy|prosecutor/i.test(text) ? "government" : /organisation|organization|alliance|coalition|institute|foundation|association|forum|union|party/i.test(text) ? "other" : "company";
            return st.named(text, "Organization", kind);
        }
        if ((prev === "company" || prev === "firm" || prev === "contractor" || prev === "vendor" || prev === "startup" || prev === "subsidiary" || prev === "companies") && words.length <= 4 && !words.every((w) => nameLikeWord(w.t) && words.length >= 2 && W.PERSON_CUES_BEFORE.has(prev))) return st.named(text, "Organization", "company");
        // "Sky Mavis, the Vietnam-based developer of …", "Positive Technologies, a cyber security firm"
        if (this.l(end) === "," && (this.l(end + 1) === "a" || this.l(end + 1) === "an" || this.l(end + 1) === "the") && words.length <= 4) {
            for (let k = end + 2; k < Math.min(this.toks.length, end + 8); k++) {
                const x = this.l(k);
                if (x === "," || x === "." || x === "of" || x === "that" || x === "which") break;
                if (COMPANY_APPOSITION.has(x)) return st.named(text, "Organization", "company");
                if (W.HEAD_ACTOR.has(x) && x !== "unit" && x !== "operators") return st.named(text, "ThreatActor");
            }
        }
        // "the Trickbot cybercrime group", "the LockBit ransomware operation", "Evil Corp gang"
        if (words.length <= 3 && i > 0) {
            let k = end;
            while (k < end + 3 && ACTOR_MODIFIERS.has(this.l(k))) k++;
            if (ACTOR_HEADS_AFTER.has(this.l(k)) && (k > end || this.l(i - 1) === "the")) return st.named(text, "ThreatActor");
        }
        if (/^(APT|UNC|TA|FIN|TAG|DEV|Storm)[- ]?\d+$/i.test(text) || (words.length >= 2 && W.ACTOR_SUFFIXES.has(last) && last !== "group")) return st.named(text, "ThreatActor");
        if (prev === "group" && /^(called|named|dubbed|as)$/.test(prev) === false && words.length <= 3 && (prev2 === "hacking" || prev2 === "threat")) return st.named(text, "ThreatActor");
        if ((prev === "called" || prev === "dubbed" || prev === "named" || (prev === "as" && (prev2 === "known" || prev2 === "tracked"))) && /group|actor|gang|apt/.test(this.toks.slice(Math.max(0, i - 6), i).map((t) => t.l).join(" "))) return st.named(text, "ThreatActor");
        // "the Riksdag's IT systems", "the Kremlin's": a bare name as a possessor is an organisation
        if (words.length === 1 && prev === "the" && this.l(end) === "'" && this.l(end + 1) === "s" && /^\p{Lu}\p{Ll}+$/u.test(words[0]!.t)) return st.named(text, "Organization", "other");
        // "the SolarWinds hack", "the Ronin bridge theft": a name before a breach noun is the victim organisation
        if (words.length <= 3 && !words.some((w) => PRODUCT_WORDS.has(w.l)) && !(i === 0 && W.NOT_NAME.has(words[0]!.l))) {
            let k = end;
            while (k < end + 4 && (EVENT_MODS.has(this.l(k)) || isDigits(this.toks[k])) && this.l(k) !== "the") k++;
            if (BREACH_HEADS.has(this.l(k))) return st.named(text, "Organization", "other");
        }
        // persons: 2–4 capitalised words with a cue or a personal name compromise knows
        if (words.length >= 2 && words.length <= 4 && end - i === words.length && !words.some((w) => w.l === "and" || w.l === "of" || w.l === "for")) {
            if (i === 0 && W.NOT_NAME.has(words[0]!.l)) return undefined;
            const next = this.l(end);
            const next2 = this.l(end + 1);
            const cue =
                W.PERSON_CUES_BEFORE.has(prev) ||
                (prev === "," && W.PERSON_CUES_BEFORE.has(prev2)) ||
                W.CLAIM_VERBS.has(next) ||
                ((prev === "and" || prev === ",") && this.unitEndingBefore(i - 1)?.ents.some((e) => e.type === "Person")) ||
                (next === "and" && isUpper(this.toks[end + 1]) && this.personLike(end + 1)) ||
                (next === "," && (W.PERSON_CUES_AFTER.has(next2) || W.PERSON_CUES_AFTER.has(this.l(end + 2)) || /^\d+$/.test(next2))) ||
                (next === "(" && /^\d+$/.test(next2)) ||
                W.CLAIM_VERBS.has(prev);
            if (cue || (words.length <= 3 && words.every((w) => nameLikeWord(w.t)))) return st.named(text, "Person");
        }
        return undefined;
    }

    /**
     * "the Treasury", "the EU's Council": a registry organisation named with that head word — the one already
     * met in the article, else the one whose name carries the possessor or the article's most-mentioned state.
     */
    private headBackoffFor(word: string, exclude: string): RegistryEntity | undefined {
        const e = this.headBackoff(-10, word, exclude);
        return e?.reg;
    }

    private headBackoff(i: number, word: string, exclude?: string): Ent | undefined {
        const st = this.st;
        const cands = st.lex.headCandidates(word).filter((c) => c.id !== exclude);
        if (cands.length === 0) return undefined;
        const pick = (e: RegistryEntity) => st.fromRegistry(e, word);
        const seen = cands.filter((c) => st.ents.has(c.id));
        if (seen.length === 1) return pick(seen[0]!);
        const pool = seen.length > 1 ? seen : cands;
        const forms = (e: RegistryEntity) => [e.name, ...(e.aliases ?? [])].map((f) => ` ${f.toLowerCase()} `);
        // possessor: "the EU's Council"
        if (this.l(i - 1) === "s") {
            const owner = this.mentions.find((m) => m.end === i - 2);
            if (owner) {
                const keys = owner.ents.flatMap((o) => [o.name, ...o.aliases, ...(o.reg?.aliases ?? [])]).map((x) => x.toLowerCase());
                const hit = pool.filter((c) => forms(c).some((f) => keys.some((k) => f.includes(` ${k} `) || f.includes(` the ${k} `))));
                if (hit.length === 1) return pick(hit[0]!);
            }
        }
        let best: RegistryEntity | undefined;
        let bestScore = 0;
        let tie = false;
        for (const c of pool) {
            let score = 0;
            for (const e of st.ents.values()) {
                if (e.type !== "State") continue;
                const keys = [e.name, ...(e.reg?.aliases ?? [])].map((x) => x.toLowerCase());
                if (forms(c).some((f) => keys.some((k) => f.startsWith(` ${k} `)))) score = Math.max(score, (st.counts.get(e) ?? 0) + 1);
            }
            if (score > bestScore) {
                best = c;
                bestScore = score;
                tie = false;
            } else if (score === bestScore && score > 0) tie = true;
        }
        if (best && !tie) return pick(best);
        // no evidence either way: the agency usually meant by the bare word ("the Treasury Department")
        if (bestScore === 0) {
            const w = word.toLowerCase();
            const canonical = pool.filter((c) => forms(c).some((f) => f === ` ${w} department ` || f === ` department of the ${w} `));
            if (canonical.length === 1) return pick(canonical[0]!);
        }
        return undefined;
    }

    private personLike(i: number): boolean {
        return isUpper(this.toks[i]) && isUpper(this.toks[i + 1]) && !W.NOT_NAME.has(this.l(i));
    }

    private unitEndingBefore(i: number): Mention | undefined {
        for (let k = this.mentions.length - 1; k >= 0; k--) if (this.mentions[k]!.end === i) return this.mentions[k];
        return undefined;
    }

    private findAnaphors(covered: Uint8Array): void {
        const toks = this.toks;
        const st = this.st;
        for (let i = 0; i < toks.length; i++) {
            if (covered[i]) continue;
            const l = toks[i]!.l;
            // pronouns
            if (l === "it" || l === "they") {
                let prevL = this.l(i - 1);
                // "…, and beginning in 2020 they targeted": a time phrase after the clause boundary
                if (l === "they" && (isDigits(toks[i - 1]) || TIME_WORDS.has(prevL))) {
                    let k = i - 1;
                    while (k >= 0 && k > i - 6 && (isDigits(toks[k]) || TIME_WORDS.has(this.l(k)) || this.l(k) === "beginning" || this.l(k) === "starting" || this.l(k) === "early" || this.l(k) === "late")) k--;
                    if (this.l(k) === "," || this.l(k) === "and") prevL = this.l(k);
                }
                if (prevL === "that" || prevL === "saying" || W.CLAIM_VERBS.has(prevL) || i === 0 || prevL === "," || prevL === "and") {
                    let subj = l === "it" ? st.lastSubjects.filter((e) => e.type !== "Person").slice(0, 1) : st.lastSubjects;
                    const earlier = this.mentions.filter((m) => m.end <= i && m.src !== "demonym" && m.ents.every((e) => (l === "it" ? e.type === "ThreatActor" || e.type === "Organization" : e.type !== "Sector" && e.type !== "State")));
                    if (earlier.length > 0) subj = l === "it" ? earlier[earlier.length - 1]!.ents.slice(0, 1) : earlier[earlier.length - 1]!.ents;
                    // "the three men were employees of the IRGC, and they …": a plural group of persons before
                    const persons = earlier.filter((m) => m.ents.every((e) => e.type === "Person"));
                    if (l === "they" && persons.length > 0) {
                        // the last list of persons: "A and B", "A, B and C", "the three men"
                        const list = [persons[persons.length - 1]!];
                        for (let x = persons.length - 2; x >= 0; x--) {
                            const gap = toks.slice(persons[x]!.end, list[0]!.start).map((t) => t.l);
                            if (gap.length === 0 || gap.length > 2 || !gap.every((g) => g === "," || g === "and")) break;
                            list.unshift(persons[x]!);
                        }
                        const ents = list.flatMap((m) => m.ents);
                        if (ents.length > 1) subj = ents;
                    }
                    // "The UK said it …": the speaker
                    if (W.CLAIM_VERBS.has(prevL) || W.HEDGE_DENIED.has(prevL) || (prevL === "that" && (W.CLAIM_VERBS.has(this.l(i - 2)) || W.HEDGE_DENIED.has(this.l(i - 2))))) {
                        let k = prevL === "that" ? i - 3 : i - 2;
                        while (k >= 0 && W.SKIP_ADV.has(this.l(k))) k--;
                        const sp = this.mentions.find((m) => m.end === k + 1 && m.src !== "demonym");
                        const ents = sp?.ents.filter((e) => (l === "it" ? e.type !== "Person" : true));
                        if (ents && ents.length > 0) subj = l === "it" ? ents.slice(0, 1) : ents;
                    }
                    if (subj.length > 0) {
                        this.mentions.push({ start: i, end: i + 1, ents: subj, src: "anaphor" });
                        covered[i] = 1;
                    }
                }
                continue;
            }
            if (l === "them" || l === "him" || l === "her") {
                const here = this.mentions.filter((m) => m.end <= i && m.src === "name").flatMap((m) => m.ents).filter((e) => e.type === "Person");
                const pool = here.length > 0 ? here : st.lastPersons;
                const ents = l === "them" ? pool : here.length > 0 ? here.slice(-1) : st.lastOf((e) => e.type === "Person");
                if (ents.length > 0 && (l === "them" ? ents.length > 1 : true)) {
                    this.mentions.push({ start: i, end: i + 1, ents, src: "anaphor" });
                    covered[i] = 1;
                }
                continue;
            }
            // "a front company" tied to a named group in the same sentence: an identifiable, unnamed organisation
            if ((l === "a" || l === "an") && (this.l(i + 1) === "front" || (this.l(i + 1) === '"' && this.l(i + 2) === "front"))) {
                const f = this.l(i + 1) === "front" ? i + 1 : i + 2;
                if (this.l(f + 1) === "company" || this.l(f + 1) === "firm") {
                    const actors = this.mentions.filter((m) => m.ents.length === 1 && m.ents[0]!.type === "ThreatActor");
                    const after = actors.find((m) => m.start > f && m.start < f + 12);
                    const actor = (after ?? (actors.length === 1 ? actors[0] : undefined))?.ents[0];
                    const namedOrg = this.mentions.some((m) => m.src === "name" && m.ents.some((e) => e.type === "Organization" && e.kind !== "government"));
                    if (actor && !namedOrg) {
                        let end = f + 2;
                        if (this.l(end) === '"') end++;
                        const e = st.named(`${actor.name} front company`, "Organization", "company");
                        e.aliases.add("front company");
                        this.mentions.push({ start: i, end, ents: [e], src: "name" });
                        covered.fill(1, i, end);
                        i = end - 1;
                        continue;
                    }
                }
            }
            // relative pronouns: resolved after units are built
            if (!DEFINITE.has(l)) continue;
            // determiner + up to 3 modifiers + head noun
            let j = i + 1;
            let count: number | undefined;
            if (l === "all" && (this.l(j) === "the" || this.l(j) === "of")) j += this.l(j + 1) === "the" ? 2 : 1;
            if (l === "all" && !W.NUMBER_WORDS.has(this.l(j)) && !W.HEAD_PERSON.has(this.l(j))) continue;
            if (W.NUMBER_WORDS.has(this.l(j))) {
                count = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"].indexOf(this.l(j));
                if (this.l(j) === "both") count = 2;
                j++;
            }
            let head = -1;
            if (count !== undefined && count > 1 && (W.BE.has(this.l(j)) || this.l(j) === "," || this.l(j) === "who" || this.l(j) === "of" || this.l(j) === "and") && (st.lastPersons.length >= count || st.lastOf((e) => e.type === "Person", count).length === count)) {
                const here = this.mentions.filter((m) => m.end <= i && m.src === "name").flatMap((m) => m.ents).filter((e) => e.type === "Person");
                // "all five": the five persons last named (across sentences when the last sentence named fewer)
                const pool = here.length >= count ? here : st.lastPersons.length >= count ? st.lastPersons : st.lastOf((e) => e.type === "Person", count);
                this.mentions.push({ start: i, end: j, ents: pool.slice(-count), src: "anaphor" });
                covered.fill(1, i, j);
                i = j - 1;
                continue;
            }
            for (let k = j; k < Math.min(toks.length, j + 4); k++) {
                const w = toks[k]!;
                if (covered[k] && !this.mentions.some((m) => m.src === "demonym" && m.start <= k && k < m.end)) break;
                if (W.HEAD_ACTOR.has(w.l) || W.HEAD_COMPANY.has(w.l) || W.HEAD_PERSON.has(w.l) || W.HEAD_AGENCY.has(w.l) || W.HEAD_STATE.has(w.l)) {
                    head = k;
                    // "the group's", compound heads "hacking group"
                    if (!(W.HEAD_ACTOR.has(this.l(k + 1)) || W.HEAD_COMPANY.has(this.l(k + 1)) || W.HEAD_PERSON.has(this.l(k + 1)))) break;
                    continue;
                }
                if (!w.w && w.l !== "-") break;
                if (k > j && (W.DETERMINERS.has(w.l) || isVerbWord(w.l) || W.BE.has(w.l))) break;
                if (isUpper(w) && !covered[k] && !(k === j && W.HEAD_AGENCY.has(this.l(k + 1)))) break;
            }
            if (head < 0) continue;
            if (this.l(i - 1) === "of" && (W.NUMBER_WORDS.has(this.l(i - 2)) || this.l(i - 2) === "some" || this.l(i - 2) === "all")) {
                i = head;
                continue;
            }
            // "the group known as X", "the Chinese group APT31": a name follows → not an anaphor
            if (isUpper(toks[head + 1]) && !W.NOT_NAME.has(this.l(head + 1))) continue;
            if (this.l(head + 1) === "known" || this.l(head + 1) === "called" || this.l(head + 1) === "dubbed" || this.l(head + 1) === "named") continue;
            // "the group of", "these groups" after a list — only definite reference
            if (l === "that" || l === "those") {
                if (this.l(i - 1) !== "," && i > 0 && !W.CLAIM_VERBS.has(this.l(i - 1))) {
                    /* "that" as a relative pronoun handled later */
                }
            }
            const h = toks[head]!.l;
            let ents: Ent[] = [];
            const plural = /s$/.test(h) && h !== "apts" ? true : h === "men" || h === "women" || h === "people";
            if (W.HEAD_PERSON.has(h) || ((h === "hackers" || h === "hacker") && count !== undefined && st.lastPersons.length > 0)) {
                const here = this.mentions.filter((m) => m.end <= i && m.src === "name").flatMap((m) => m.ents).filter((e) => e.type === "Person");
                const pool = here.length > 0 ? here : st.lastPersons;
                ents = plural ? (count ? pool.slice(-count) : pool) : here.length > 0 ? here.slice(-1) : st.lastOf((e) => e.type === "Person");
                if (count && ents.length !== count) ents = [];
            } else if (W.HEAD_ACTOR.has(h)) {
                const here = this.mentions.filter((m) => m.end <= i && m.src !== "anaphor" && m.ents.length === 1 && m.ents[0]!.type === "ThreatActor");
                ents = here.length > 0 ? here[here.length - 1]!.ents : st.salientActor();
            } else if (W.HEAD_COMPANY.has(h)) {
                const hereOrg = this.mentions.filter((m) => m.end <= i && m.src !== "anaphor" && m.ents.length === 1 && m.ents[0]!.type === "Organization" && m.ents[0]!.kind !== "government");
                ents = !plural && hereOrg.length > 0 ? hereOrg[hereOrg.length - 1]!.ents : st.lastOf((e) => e.type === "Organization" && e.kind !== "government", plural ? count ?? 1 : 1);
            } else if (W.HEAD_AGENCY.has(h)) {
                ents = st.lastOf((e) => e.type === "Organization" && e.kind === "government");
            } else if (W.HEAD_STATE.has(h)) {
                ents = st.lastOf((e) => e.type === "State", count ?? 1);
                if (count && ents.length !== count) ents = [];
            }
            if (ents.length > 0) {
                this.mentions.push({ start: i, end: head + 1, ents, src: "anaphor" });
                covered.fill(1, i, head + 1);
            }
            i = head;
        }
    }

    /** Merges possessives and compounds ("China's MSS", "US Treasury") into units; resolves relative pronouns. */
    buildUnits(): void {
        const ms = this.mentions;
        const units: Unit[] = [];
        for (let k = 0; k < ms.length; k++) {
            const m = ms[k]!;
            let unit: Unit = { start: m.start, end: m.end, ents: m.ents, src: m.src, modifiers: [] };
            // absorb into the next mention when this one modifies it
            for (;;) {
                const next = ms[k + 1];
                if (!next) break;
                const gap = next.start - unit.end > 2 ? "#" : this.toks.slice(unit.end, next.start).map((t) => t.l).join(" ");
                const modifierType = unit.ents.every((e) => e.type === "State" || e.type === "Organization" || e.type === "ThreatActor");
                if (modifierType && (gap === "" || gap === "' s" || gap === "'") && next.src !== "anaphor") {
                    unit = { start: unit.start, end: next.end, ents: next.ents, src: next.src, modifiers: [...unit.modifiers, ...(unit.src === "anaphor" ? [] : [{ start: unit.start, end: unit.end, ents: unit.ents, src: unit.src, poss: gap !== "" }])] };
                    k++;
                    continue;
                }
                break;
            }
            units.push(unit);
        }
        this.units = units;
        this.indexUnits();
        // relative pronouns and appositive "a group"/"an entity" → the unit before
        for (let i = 0; i < this.toks.length; i++) {
            if (this.unitAt[i]! >= 0) continue;
            const l = this.l(i);
            let j = i - 1;
            let start = i;
            if ((l === "whom" || l === "which") && this.l(i - 1) === "of" && (this.l(i - 2) === "all" || this.l(i - 2) === "both" || this.l(i - 2) === "each" || W.NUMBER_WORDS.has(this.l(i - 2)))) {
                j = i - 3;
                start = i - 2;
            }
            if (this.l(j) === ",") j--;
            if (j < 0) continue;
            const before = this.unitEndingAt[j + 1]!;
            if (before < 0) continue;
            const group = this.groupEndingAt(j + 1);
            if (group.length === 0) continue;
            let ents = group.flatMap((u) => u.ents);
            if (l === "who" || l === "whom") ents = ents.filter((e) => e.type === "Person");
            else if (l === "which") ents = ents.filter((e) => e.type !== "Person");
            else if (l === "that") {
                if (W.CLAIM_VERBS.has(this.l(i - 1))) continue;
            } else if ((l === "a" || l === "an" || l === "the" || W.NUMBER_WORDS.has(l) || (/^\p{Ll}+$/u.test(this.toks[i]!.t) && [0, 1, 2].some((d) => isAppositionHead(this.l(i + d))) && !W.DETERMINERS.has(l) && !PREPS.has(l) && l !== "and" && l !== "or" && l !== "who" && l !== "which" && l !== "that")) && this.l(i - 1) === ",") {
                const bare = !(l === "a" || l === "an" || l === "the");
                ents = bare && group.length > 1 ? group.flatMap((u) => u.ents) : this.units[before]!.ents;
                // apposition: ", a group linked to …" — span the noun phrase up to its head
                let h = i + 1;
                let found = -1;
                for (h = i; h < Math.min(this.toks.length, i + 9); h++) {
                    const x = this.l(h);
                    if (W.HEAD_ACTOR.has(x) || W.HEAD_COMPANY.has(x) || W.HEAD_PERSON.has(x) || W.HEAD_AGENCY.has(x) || APPOSITION_HEADS.has(x)) found = h;
                    else if (found >= 0) break;
                    if (x === "," || x === "that" || x === "which" || x === "who" || (h > i && isVerbWord(x) && !W.ACTOR_NP_WORDS.has(x) && this.l(h - 1) !== "-")) break;
                    if (this.unitAt[h]! >= 0 && !this.units[this.unitAt[h]!]!.ents.every((e) => e.type === "State")) break;
                }
                if (found < 0) continue;
                const u: Unit = { start: i, end: found + 1, ents, src: "anaphor", modifiers: [] };
                this.insertUnit(u);
                i = found;
                continue;
            } else continue;
            if (ents.length === 0) continue;
            this.insertUnit({ start, end: i + 1, ents, src: "anaphor", modifiers: [] });
        }
    }

    private insertUnit(u: Unit): void {
        // drop demonym units the apposition swallows (they stay available for modifier patterns)
        const inside = this.units.filter((x) => x.start >= u.start && x.end <= u.end);
        for (const x of inside) u.modifiers.push({ start: x.start, end: x.end, ents: x.ents, src: x.src });
        this.units = this.units.filter((x) => !(x.start >= u.start && x.end <= u.end));
        this.units.push(u);
        this.units.sort((a, b) => a.start - b.start);
        this.indexUnits();
    }

    private indexUnits(): void {
        this.unitAt.fill(-1);
        this.unitEndingAt.fill(-1);
        this.units.forEach((u, k) => {
            this.unitAt.fill(k, u.start, u.end);
            this.unitEndingAt[u.end] = k;
        });
    }

    /** The list of units ("A, B and the C") whose last unit ends at token index end. */
    groupEndingAt(end: number): Unit[] {
        const k = this.unitEndingAt[end]!;
        if (k < 0) return [];
        const out: Unit[] = [this.units[k]!];
        let start = this.units[k]!.start;
        let sawAnd = false;
        for (;;) {
            let j = start - 1;
            let sawConnector = false;
            while (j >= 0 && (this.l(j) === "," || this.l(j) === "and" || this.l(j) === "or" || this.l(j) === "the" || W.NUMBER_WORDS.has(this.l(j)) || (this.l(j) === "well" && this.l(j - 1) === "as") || (this.l(j) === "as" && this.l(j + 1) === "well"))) {
                if (this.l(j) !== "the" && !W.NUMBER_WORDS.has(this.l(j))) sawConnector = true;
                if (this.l(j) === "and" || this.l(j) === "or" || this.l(j) === "well") sawAnd = true;
                j--;
            }
            if (!sawConnector || !sawAnd || j < 0) break;
            const p = this.unitEndingAt[j + 1]!;
            if (p < 0) break;
            out.unshift(this.units[p]!);
            start = this.units[p]!.start;
        }
        return out;
    }

    /** The list of units starting at token index start. */
    groupStartingAt(start: number): Unit[] {
        const k = this.unitAt[start]!;
        if (k < 0 || this.units[k]!.start !== start) return [];
        const out: Unit[] = [this.units[k]!];
        let end = this.units[k]!.end;
        let lastAnd = 0;
        for (;;) {
            let j = end;
            let sawConnector = false;
            let sawAnd = false;
            while (j < this.toks.length && (this.l(j) === "," || this.l(j) === "and" || this.l(j) === "or" || this.l(j) === "the" || W.NUMBER_WORDS.has(this.l(j)) || (this.l(j) === "as" && this.l(j + 1) === "well") || (this.l(j) === "well" && this.l(j - 1) === "as"))) {
                if (this.l(j) !== "the" && !W.NUMBER_WORDS.has(this.l(j))) sawConnector = true;
                if (this.l(j) === "and" || this.l(j) === "or" || this.l(j) === "well") sawAnd = true;
                j++;
            }
            if (!sawConnector || j >= this.toks.length) break;
            const n = this.unitAt[j]!;
            if (n < 0 || this.units[n]!.start !== j) break;
            out.push(this.units[n]!);
            end = this.units[n]!.end;
            if (sawAnd) lastAnd = out.length - 1;
        }
        // "A, B and C": a comma-only list must be closed by "and"/"or"
        return out.slice(0, lastAnd + 1);
    }

    findTriggers(): void {
        const toks = this.toks;
        for (let i = 0; i < toks.length; i++) {
            if (this.unitAt[i]! >= 0 && this.units[this.unitAt[i]!]!.src !== "anaphor") continue;
            let best: TriggerHit | undefined;
            for (const spec of TRIGGERS_BY_FIRST.get(toks[i]!.l) ?? []) {
                const n = spec.words.length;
                let ok = true;
                for (let k = 1; k < n; k++) if (this.l(i + k) !== spec.words[k]) ok = false;
                if (!ok) continue;
                if (spec.kind === "noun" && !this.nounPrepAfter(i + n, spec)) continue;
                if (spec.kind === "verb" && !this.verbLike(i, spec)) continue;
                if (!best || n > best.end - best.start) best = { spec, start: i, end: i + n };
            }
            if (best) {
                this.triggers.push(best);
                this.triggerAt.fill(this.triggers.length - 1, best.start, best.end);
                i = best.end - 1;
            }
        }
    }

    /** Rejects verb readings that are nouns/adjectives ("the target", "an attack", "a breach"). */
    private verbLike(i: number, spec: W.TriggerSpec): boolean {
        const w = spec.words[0]!;
        const prev = this.l(i - 1);
        if (/ing$/.test(w) && (prev === "the" || prev === "a" || prev === "an")) return false;
        // "hacking" as a gerund with an object ("accused of hacking X"), not "hacking group" / "Chinese hacking"
        if (w === "hacking" && spec.words.length === 1 && !(GERUND_PREPS.has(prev) && startsNounPhrase(this, i + 1) && !W.HEAD_ACTOR.has(this.l(i + 1)) && !W.EVENT_NOUNS.has(this.l(i + 1)) && !ACTOR_HEADS_AFTER.has(this.l(i + 1)))) return false;
        if ((w === "compromise" || w === "breach" || w === "target" || w === "sanction" || w === "breaches" || w === "indict") && (W.DETERMINERS.has(prev) || prev === "of" || prev === "'")) return false;
        if (w === "sanctions" || w === "designate" || w === "targets" || w === "target") {
            // a verb only after its subject, an adverb or "to" ("the group targets X", "to target X"), not "high-value targets"
            let j = i - 1;
            while (j >= 0 && W.SKIP_ADV.has(this.l(j)) && this.l(j) !== "to") j--;
            return j >= 0 && (this.unitEndingAt[j + 1]! >= 0 || this.l(j) === "to" || this.l(j) === "which" || this.l(j) === "that" || this.l(j) === "who" || this.l(j) === "it" || this.l(j) === "they");
        }
        return true;
    }

    private nounPrepAfter(k: number, spec: W.TriggerSpec): number | undefined {
        for (let j = k; j < Math.min(this.toks.length, k + 5); j++) {
            const l = this.l(j);
            if (spec.preps!.includes(l)) return j;
            if (!NOUN_GAP.has(l) && this.unitAt[j]! < 0) return undefined;
            if (this.unitAt[j]! >= 0) return undefined;
        }
        return undefined;
    }

    // --- subject / object search -------------------------------------------------------------

    /** Subject group to the left of token index p: adjacent after adverbs, auxiliaries, time phrases, appositions and parentheses. */
    subjectLeft(p: number, extraSkip?: Set<string>): Unit[] {
        let j = p - 1;
        let guard = 0;
        while (j >= 0 && guard++ < 40) {
            const l = this.l(j);
            if (this.unitEndingAt[j + 1]! >= 0) {
                const g = this.groupEndingAt(j + 1);
                let b = g[0]!.start - 1;
                while (b >= 0 && (this.l(b) === "the" || this.l(b) === "a" || this.l(b) === "an")) b--;
                // "Centre 18 of Russia's FSB was behind …": the head of "X of Y" is X
                if (b >= 1 && this.l(b) === "of" && this.unitEndingAt[b]! >= 0 && this.triggerAt[b]! < 0) return this.groupEndingAt(b);
                if (b >= 0 && g[0]!.src !== "anaphor" && (SUBJ_PREPS.has(this.l(b)) || this.triggerAt[b]! >= 0)) return [];
                return g;
            }
            if (W.SKIP_ADV.has(l) || W.HEDGE_ALLEGED.has(l) || W.HEDGE_LIKELY.has(l) || l === '"' || l === "-" || extraSkip?.has(l)) {
                j--;
                continue;
            }
            if (TIME_WORDS.has(l) || isDigits(this.toks[j])) {
                j--;
                continue;
            }
            if (l === ")") {
                let k = j - 1;
                while (k >= 0 && this.l(k) !== "(") k--;
                if (k < 0) return [];
                j = k - 1;
                continue;
            }
            if (l === ",") {
                // inserted relative clause: "Unit 29155, which belongs to Russia's agency, the GRU, has …" → the unit before ", which"
                let rel = -1;
                for (let x = j - 1; x >= 0 && x > j - 30 && this.l(x) !== ";"; x--) {
                    if (this.l(x) === "," && (this.l(x + 1) === "which" || this.l(x + 1) === "who" || this.l(x + 1) === "whom" || this.l(x + 1) === "whose") && this.unitEndingAt[x]! >= 0) {
                        rel = x;
                        break;
                    }
                }
                if (rel >= 0) {
                    j = rel - 1;
                    continue;
                }
                // "Two of the men, Zhang Haoran and Tan Dailin, had been charged": the named apposition
                if (this.unitEndingAt[j]! >= 0) {
                    const g = this.groupEndingAt(j);
                    if (this.l(g[0]!.start - 1) === "," && g.every((u) => u.ents.every((e) => e.type === "Person"))) return g;
                }
                // apposition or inserted clause: ", a group linked to X," → the unit before the opening comma
                let k = j - 1;
                while (k >= 0 && k > j - 20 && this.l(k) !== "," && this.l(k) !== ";") k--;
                if (k >= 0 && this.l(k) === "," && this.unitEndingAt[k]! >= 0) {
                    const after = this.l(k + 1);
                    if (APPOSITION_START.has(after) || this.unitAt[k + 1]! >= 0) {
                        j = k - 1;
                        continue;
                    }
                }
                // time phrase ", on Monday,"
                if (k >= 0 && this.toks.slice(k + 1, j).every((t) => TIME_WORDS.has(t.l) || isDigits(t))) {
                    j = k;
                    continue;
                }
                return [];
            }
            return [];
        }
        return [];
    }

    /**
     * The noun phrase starting at token k: a unit group after determiners and numbers; a state used as a
     * modifier of a common noun ("Chinese hackers") is not the head (unless stateAsTarget and the noun
     * is institutional: "UK politicians").
     */
    npAt(k: number, mode: "agent" | "target" | "link"): Unit[] {
        let j = k;
        while (j < this.toks.length && (W.DETERMINERS.has(this.l(j)) || isDigits(this.toks[j]) || this.l(j) === '"' || this.l(j) === ",") && this.unitAt[j]! < 0) j++;
        const g = this.groupStartingAt(j);
        if (g.length === 0) return [];
        const last = g[g.length - 1]!;
        const nextL = this.l(last.end);
        const stateOnly = g.every((u) => u.ents.every((e) => e.type === "State"));
        if (stateOnly && /^\p{Ll}/u.test(this.toks[last.end]?.t ?? "") && !W.OBJ_STOP.has(nextL) && !PREPS.has(nextL) && nextL !== "and" && nextL !== "or" && !W.BE.has(nextL) && !W.SKIP_ADV.has(nextL) && !isVerbWord(nextL)) {
            // "Chinese state-sponsored group called Volt Typhoon" → the named unit
            for (let x = last.end; x < Math.min(this.toks.length, last.end + 8); x++) {
                const lx = this.l(x);
                if (lx === "called" || lx === "dubbed" || lx === "named" || (lx === "as" && (this.l(x - 1) === "known" || this.l(x - 1) === "tracked"))) {
                    let y = x + 1;
                    while (this.l(y) === '"') y++;
                    return this.groupStartingAt(y);
                }
                if (!W.ACTOR_NP_WORDS.has(lx) && !/^\p{Ll}/u.test(this.toks[x]!.t)) break;
            }
            if (mode === "target" && INSTITUTION_NOUNS.has(nextL)) return g;
            if (mode === "target" && this.l(last.end + 1) && INSTITUTION_NOUNS.has(this.l(last.end + 1)) && /^\p{Ll}/u.test(this.toks[last.end]!.t)) return g;
            if (mode === "link" && STATE_NOUNS.has(nextL)) return g;
            return [];
        }
        // an organisation before a noun ("a GRU hacking unit", "Evil Corp members") is a modifier, not the head
        if (g.length === 1 && g[0]!.src !== "anaphor" && g[0]!.ents.every((e) => e.type !== "State" && e.type !== "Sector")) {
            const n1 = this.l(last.end);
            const n2 = this.l(last.end + 1);
            const headNoun = (x: string) => W.HEAD_PERSON.has(x) || x === "members" || x === "member" || x === "unit" || x === "units" || x === "affiliates" || x === "operatives";
            if (headNoun(n1) || ((n1 === "hacking" || n1 === "cyber" || n1 === "military" || n1 === "intelligence") && (headNoun(n2) || W.HEAD_ACTOR.has(n2)))) return [];
        }
        if (g.length === 1 && mode === "target" && g[0]!.src !== "anaphor" && g[0]!.ents.every((e) => e.type !== "State")) {
            const n1 = this.l(last.end);
            if (n1 === "members" || n1 === "member" || n1 === "officers" || n1 === "operatives" || n1 === "affiliates" || n1 === "staff" || n1 === "employees" || n1 === "staffers" || n1 === "personnel" || n1 === "officials") return [];
        }
        // "the Bundestag's IT system", "the company's networks": the owner is the victim
        if (mode === "target" && g.length === 1 && g[0]!.ents.every((e) => e.type === "Sector") && SYSTEM_NOUNS.has(nextL)) {
            const own = g[0]!.modifiers.filter((m) => m.poss && m.ents.every((e) => e.type === "Organization"));
            if (own.length > 0) return [{ start: own[0]!.start, end: own[0]!.end, ents: own[0]!.ents, src: own[0]!.src, modifiers: [] }];
        }
        // a demonym before a generic noun is never a head
        if (g.length === 1 && g[0]!.src === "demonym" && !(mode === "target" && INSTITUTION_NOUNS.has(nextL)) && !(mode === "link" && STATE_NOUNS.has(nextL))) return [];
        return g;
    }

    /** Objects in the span after token k: unit groups until a clause boundary or another trigger. */
    objectsRight(k: number, mode: "target" | "link", owners = true): Unit[] {
        const out = this.objectsSpan(k, mode, owners);
        // "sanctioned six Russian technology companies that it said support …: A, B and C"
        if (W.NUMBER_WORDS.has(this.l(k)) || isDigits(this.toks[k])) {
            for (let j = k + 1; j < this.toks.length && this.l(j) !== ";"; j++) {
                if (this.l(j) !== ":") continue;
                for (const u of this.objectsSpan(j + 1, mode, owners)) if (!out.includes(u)) out.push(u);
                break;
            }
        }
        // "17 individuals and seven entities linked to the group, including its leader, X, and Y"
        for (let j = k; j < Math.min(this.toks.length, k + 30); j++) {
            const l = this.l(j);
            if (l === ";" || W.CLAIM_VERBS.has(l) || (this.triggerAt[j]! >= 0 && j > k && this.triggers[this.triggerAt[j]!]!.spec.kind === "verb")) break;
            if ((l === "including" || (l === "among" && this.l(j + 1) === "them")) && this.l(j - 1) === ",") {
                for (const u of this.objectsSpan(j + (l === "among" ? 2 : 1), mode, owners)) if (!out.includes(u)) out.push(u);
                break;
            }
        }
        return out;
    }

    private objectsSpan(k: number, mode: "target" | "link", owners = true): Unit[] {
        const out: Unit[] = [];
        let j = k;
        // the span runs while units keep coming: 16 tokens to the first, 10 after each
        let limit = Math.min(this.toks.length, k + 16);
        let afterMember = false;
        while (j < limit) {
            const l = this.l(j);
            if ((l === "who" || l === "which") && out.length > 0 && this.l(j - 1) === ",") {
                let x = j + 1;
                while (x < this.toks.length && x < j + 20 && this.l(x) !== "," && this.l(x) !== ";") x++;
                if (this.l(x) === "," && (this.l(x + 1) === "and" || this.unitAt[x + 1]! >= 0)) {
                    j = x;
                    limit = Math.min(this.toks.length, Math.max(limit, j + 10));
                    continue;
                }
                break;
            }
            if ((W.OBJ_STOP.has(l) && l !== ":") || (this.triggerAt[j]! >= 0 && j > k && !OBJ_TRANSPARENT.has(this.triggers[this.triggerAt[j]!]!.spec.rel)) || W.CLAIM_VERBS.has(l)) break;
            if ((out.length > 0 || j > k + 1) && (l === "and" || l === ",") && (isVerbWord(this.l(j + 1)) || (/^\p{Ll}+$/u.test(this.toks[j + 1]?.t ?? "") && !W.DETERMINERS.has(this.l(j + 1)) && !W.NUMBER_WORDS.has(this.l(j + 1)) && this.l(j + 1) !== "and" && this.l(j + 1) !== "or" && this.l(j + 1) !== "including" && this.l(j + 1) !== "along" && (this.l(j + 2) === "the" || this.l(j + 2) === "its" || this.l(j + 2) === "their")))) break;
            if (out.length > 0 && PREPS.has(l) && l !== "of") {
                if (l === "including" || (l === "such" && this.l(j + 1) === "as") || (l === "with" && this.l(j - 1) === "along")) {
                    j++;
                    continue;
                }
                break;
            }
            if (out.length === 0 && (l === "in" || l === "on") && (isDigits(this.toks[j + 1]) || TIME_WORDS.has(this.l(j + 1)))) break;
            if (out.length === 0 && l === "in" && j > k) {
                // "organisations in the energy sector" (a sector), not "the Olympics in PyeongChang, South Korea" (a place)
                let x = j + 1;
                while (x < j + 5 && this.unitAt[x]! < 0 && (W.DETERMINERS.has(this.l(x)) || this.l(x) === "," || /^\p{Ll}+$/u.test(this.toks[x]?.t ?? ""))) x++;
                const u = this.unitAt[x]! >= 0 ? this.units[this.unitAt[x]!]! : undefined;
                if (!u || !u.ents.every((e) => e.type === "Sector")) break;
            }
            // "the Institute for Statecraft, a think tank whose …": an apposition describes the object before it
            if (l === "," && out.length > 0 && (this.l(j + 1) === "a" || this.l(j + 1) === "an") && this.unitEndingAt[j]! >= 0) {
                let x = j + 2;
                while (x < Math.min(this.toks.length, j + 8) && this.unitAt[x]! < 0 && this.l(x) !== ",") x++;
                if (this.unitAt[x]! >= 0) {
                    j = this.units[this.unitAt[x]!]!.end;
                    continue;
                }
            }
            if (l === "," || l === "and" || l === ";" || l === ":") afterMember = false;
            if (!owners && this.triggerAt[j]! >= 0 && OBJ_TRANSPARENT.has(this.triggers[this.triggerAt[j]!]!.spec.rel)) {
                // "two members of the group": the members are the objects, not the group
                afterMember = true;
                j = this.triggers[this.triggerAt[j]!]!.end;
                continue;
            }
            if (this.unitAt[j]! >= 0 && afterMember) {
                j = this.units[this.unitAt[j]!]!.end;
                if (out.length > 0) limit = Math.min(this.toks.length, Math.max(limit, j + 10));
                continue;
            }
            if (this.unitAt[j]! >= 0) {
                const g = this.npAt(j, mode);
                // "the foreign ministries of Taiwan, India, …": the states, not the sector
                if (g.length === 1 && g[0]!.ents.every((e) => e.type === "Sector") && this.l(g[0]!.end) === "of" && this.unitAt[g[0]!.end + 1]! >= 0 && this.units[this.unitAt[g[0]!.end + 1]!]!.ents.every((e) => e.type === "State")) {
                    j = g[0]!.end + 1;
                    continue;
                }
                if (g.length > 0) {
                    const after = this.l(g[g.length - 1]!.end);
                    const after2 = this.l(g[g.length - 1]!.end + 1);
                    // a unit that is the subject of a new clause ends the list
                    if (out.length > 0 && (W.CLAIM_VERBS.has(after) || this.triggerAt[g[g.length - 1]!.end]! >= 0 || (W.SKIP_ADV.has(after) && (W.CLAIM_VERBS.has(after2) || isVerbWord(after2))) || isVerbWord(after))) break;
                    out.push(...g);
                    j = g[g.length - 1]!.end;
                    limit = Math.min(this.toks.length, Math.max(limit, j + 10));
                    continue;
                }
                j = this.units[this.unitAt[j]!]!.end;
                continue;
            }
            j++;
        }
        return out;
    }
}

const TRIGGERS_BY_FIRST = new Map<string, W.TriggerSpec[]>();
for (const t of W.TRIGGERS) {
    const list = TRIGGERS_BY_FIRST.get(t.words[0]!) ?? [];
    list.push(t);
    TRIGGERS_BY_FIRST.set(t.words[0]!, list);
}
/** Words that make a sentence one about victims (descriptive victims are looked for only there). */
const VICTIM_CUES = new Set<string>([...W.TRIGGERS.filter((t) => t.rel === "TARGETED" || t.rel === "COMPROMISED").map((t) => t.words[0]!), "focused", "victims", "aimed", "probed", "against"]);
/** Group nouns for people as victims: "UK civil servants", "US senators". */
const PEOPLE_HEADS = W.set("staff staffers servants officials politicians lawmakers legislators senators congressmen parliamentarians journalists reporters activists dissidents researchers scientists academics diplomats employees workers executives personnel users customers citizens students critics campaigners experts organisers organizers members voters candidates ministers officers veterans exiles");
/** Group nouns for organisations and infrastructure as victims: "computer hardware makers", "Ukraine's electricity grid". */
const GROUP_HEADS = W.set("companies firms makers developers providers manufacturers contractors suppliers vendors operators businesses organisations organizations institutions agencies authorities ministries utilities grid grids industry");
/** Singular institutions that are victims only with an owner: "the Georgian parliament", "Trump's presidential campaign". */
const OWNED_HEADS = W.set("parliament legislature campaign");
/** Breach nouns after which a bare name is the victim ("the SolarWinds hack"); not "attack" (often malware: "the NotPetya attack"). */
const BREACH_HEADS = W.set("hack hacks breach breaches intrusion intrusions compromise theft heist");
/** Product names: breaching a product is not breaching its vendor ("the Exchange hack"). */
const PRODUCT_WORDS = W.set("exchange outlook windows office orion chrome android ios sharepoint teams azure confluence moveit citrix ivanti fortinet pulse vpn");
const NP_STOP = W.set("and or but nor as than that which who whom whose also other such more most many much few several various multiple some all both own its their his her our");
const MEASURE_NOUNS: Record<string, "SANCTIONED" | "CHARGED"> = { sanctions: "SANCTIONED", designations: "SANCTIONED", listings: "SANCTIONED", measures: "SANCTIONED", indictment: "CHARGED", charges: "CHARGED", complaint: "CHARGED" };
const MEASURE_VERBS = W.set("target targets targeted hit hits name names named cover covers covered include includes included list lists listed apply charge charges charged accuse accuses accused");
const DEFINITE = W.set("the this these its their both all");
const PASSIVE_AUX = W.set("is are was were be been being get gets got");
const NOUN_GAP = W.set("\" - and travel bans asset freezes freeze were was have has been also today imposed issued announced levied placed new fresh further additional financial economic targeted is are");
const OBJ_TRANSPARENT = new Set<W.RelClass>(["MEMBER", "PARTOF", "WORK"]);
const SUBJ_PREPS = W.set("to of by for with from in on at against into between than");
const PREPS = W.set("in on at to for with by from through via using into over under against including such during within across of");
const APPOSITION_START = W.set("a an the which who one two three four five six seven both several believed known described its it's now formerly also whose said thought");
const isAppositionHead = (x: string) => W.HEAD_ACTOR.has(x) || W.HEAD_COMPANY.has(x) || APPOSITION_HEADS.has(x);
const APPOSITION_HEADS = W.set("organisation organization syndicate enterprise developer maker provider operator vendor manufacturer exchange platform bank lender office department agency directorate division arm subsidiary unit units");
const SYSTEM_NOUNS = W.set("system systems network networks servers computers accounts infrastructure");
const INSTITUTION_NOUNS = W.set("government governments state");
const STATE_NOUNS = W.set("government state military regime authorities intelligence services leadership");

// -------------------------------------------------------------------------------------------------

export interface ExtractOptions {
    /** Keep entities that are in no fact (default false). */
    keepAllEntities?: boolean;
}

/** Extracts a facts document from one article. */
export function extractArticle(input: ArticleInput, registry: RegistryLike, options: ExtractOptions = {}): FactsDocument {
    const lex = lexiconFor(registry);
    const st = new ArticleState(lex);
    const text = input.text;
    const sentences = splitSentences(text);
    const facts: RawFact[] = [];
    for (const sent of sentences) extractSentence(sent, st, facts);

    // COMPROMISED, not also TARGETED (same pair, same sentence)
    const compromised = new Set(facts.filter((f) => f.p === "COMPROMISED").map((f) => `${f.s.id}|${f.o.id}|${f.sentence.start}`));
    const kept = facts.filter((f) => !(f.p === "TARGETED" && compromised.has(`${f.s.id}|${f.o.id}|${f.sentence.start}`)));

    // dedupe (subject, predicate, object): first evidence, highest confidence
    const byKey = new Map<string, RawFact>();
    for (const f of kept) {
        const key = `${f.s.id}|${f.p}|${f.o.id}`;
        const prev = byKey.get(key);
        if (!prev) byKey.set(key, f);
        else if (f.confidence > prev.confidence && CERT_ORDER[f.certainty] >= CERT_ORDER[prev.certainty]) byKey.set(key, { ...f });
    }
    const finalFacts = [...byKey.values()];
    const used = new Set<string>();
    for (const f of finalFacts) {
        used.add(f.s.id);
        used.add(f.o.id);
        if (f.claimedBy) used.add(f.claimedBy.id);
    }
    const entities = [...st.ents.values()].filter((e) => options.keepAllEntities || used.has(e.id));
    const extractor = { name: EXTRACTOR_NAME, version: EXTRACTOR_VERSION };
    const title = input.title?.trim() || text.split("\n").find((l) => l.trim())?.trim().slice(0, 300) || "Untitled";
    const doc: FactsDocument = {
        article: {
            title,
            ...(input.url && /^[a-z][a-z0-9+.-]*:\/\//i.test(input.url) ? { url: input.url } : {}),
            ...(input.sourceName ? { publisher: input.sourceName } : {}),
            ...(input.publishedAt && validPublishedAt(input.publishedAt) ? { publishedAt: input.publishedAt } : {}),
            language: "en",
            text,
        },
        entities: entities.map(toEntity),
        facts: finalFacts.map((f) => ({
            subject: f.s.id,
            predicate: f.p,
            object: f.o.id,
            certainty: f.certainty,
            ...(f.claimedBy && f.claimedBy.id !== f.s.id ? { claimedBy: f.claimedBy.id } : f.claimedBy ? { claimedBy: f.claimedBy.id } : {}),
            ...(f.validFrom ? { validFrom: f.validFrom } : {}),
            ...(f.validTo ? { validTo: f.validTo } : {}),
            evidence: { text: f.sentence.text, start: f.sentence.start, end: f.sentence.end },
            extractor,
            confidence: Math.round(f.confidence * 100) / 100,
            reviewStatus: "unreviewed" as const,
        })),
    };
    return doc;
}

const CERT_ORDER: Record<Certainty, number> = { asserted: 3, likely: 2, alleged: 1, denied: 0 };

function validPublishedAt(s: string): boolean {
    return /^\d{4}(-\d{2}(-\d{2})?)?$/.test(s) || !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s);
}

function toEntity(e: Ent): FactsDocument["entities"][number] {
    const aliases = [...e.aliases].filter((a) => a !== e.name);
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

function extractSentence(sent: Sentence, st: ArticleState, facts: RawFact[]): void {
    const a = new SentenceAnalysis(sent, st);
    a.findMentions();
    a.buildUnits();
    a.findTriggers();
    const claimant = findClaimant(a);
    const certaintyBase = sentenceCertainty(a);
    const before = facts.length;
    const subjectsSeen: Ent[] = [];

    const emit = (subs: Unit[], rel: W.RelClass, objs: Unit[], from: number, to: number, conf: number) => {
        if (rel === "SANCTIONED" || rel === "CHARGED") {
            const acting = subs.flatMap((u) => u.ents).filter((e) => e.type === "State" || e.type === "Organization");
            if (acting.length > 0) {
                // several authors in one sentence ("the US and the UK imposed…, the first time Britain had…") add up
                const prev = st.lastActingSentence[rel] === st.sentenceNo ? st.lastActing[rel] ?? [] : [];
                st.lastActing[rel] = uniq([...prev, ...acting]);
                st.lastActingSentence[rel] = st.sentenceNo;
            }
        }
        for (const su of subs)
            for (const s of su.ents)
                for (const ou of objs)
                    for (const o of ou.ents) {
                        if (s === o) continue;
                        const p = resolvePredicate(rel, s.type, o.type);
                        if (!p) continue;
                        if (p === "FRONT_FOR" && !(o.type === "ThreatActor")) continue;
                        let c = conf;
                        if (su.src === "anaphor" || ou.src === "anaphor") c -= 0.1;
                        if (s.reg === undefined) c -= 0.05;
                        if (o.reg === undefined) c -= 0.05;
                        const dates = datesIn(a, from, to);
                        facts.push({
                            s,
                            p,
                            o,
                            certainty: localCertainty(a, from, to) ?? certaintyBase,
                            ...(claimant && claimant !== s ? { claimedBy: claimant } : claimant ? { claimedBy: claimant } : {}),
                            ...dates,
                            sentence: sent,
                            confidence: Math.max(0.3, Math.min(0.95, c)),
                        });
                        subjectsSeen.push(s);
                    }
    };

    // "The sanctions target X", "The indictment names X": the measure stands for who took it
    for (let i = 0; i + 1 < a.toks.length; i++) {
        const measure = MEASURE_NOUNS[a.l(i)];
        if (!measure || (a.l(i - 1) !== "the" && a.l(i - 1) !== "these" && a.l(i - 1) !== "new")) continue;
        let v = i + 1;
        while (W.SKIP_ADV.has(a.l(v)) && !W.BE.has(a.l(v))) v++;
        if (!MEASURE_VERBS.has(a.l(v))) continue;
        const acting = st.lastActing[measure];
        if (!acting) continue;
        const objs = a.objectsRight(v + 1, "target", false);
        emit([{ start: -1, end: -1, ents: acting, src: "anaphor", modifiers: [] }], measure, objs, i, a.toks.length, 0.7);
    }
    // "OFAC named the six as A, B and C": the persons of an earlier sanction (or charge) by the same agent
    for (let i = 1; i + 4 < a.toks.length; i++) {
        if (!(a.l(i) === "named" || a.l(i) === "identified" || a.l(i) === "listed") || a.l(i + 1) !== "the" || !W.NUMBER_WORDS.has(a.l(i + 2)) || a.l(i + 3) !== "as") continue;
        const subs = a.subjectLeft(i);
        const ents = subs.flatMap((u) => u.ents);
        const rel = (["SANCTIONED", "CHARGED"] as const).filter((r) => st.lastActing[r]?.some((e) => ents.includes(e))).sort((x, y) => (st.lastActingSentence[y] ?? 0) - (st.lastActingSentence[x] ?? 0))[0];
        if (!rel) continue;
        emit(subs, rel, a.objectsRight(i + 4, "target", false), i, a.toks.length, 0.75);
    }
    for (let i = 0; i + 3 < a.toks.length; i++) {
        if (a.l(i) !== "among" || (a.l(i + 1) !== "those" && a.l(i + 1) !== "the")) continue;
        const t = a.triggerAt[i + 2]! >= 0 ? a.triggers[a.triggerAt[i + 2]!]! : undefined;
        if (!t || (t.spec.rel !== "SANCTIONED" && t.spec.rel !== "CHARGED") || t.spec.kind !== "verb") continue;
        let k = t.end;
        let subs: Unit[] = [];
        if (a.l(k) === "by") {
            subs = a.npAt(k + 1, "agent");
            k = subs.length > 0 ? subs[subs.length - 1]!.end : k + 1;
        }
        if (!W.BE.has(a.l(k))) continue;
        if (subs.length === 0 && st.lastActing[t.spec.rel]) subs = [{ start: -1, end: -1, ents: st.lastActing[t.spec.rel]!, src: "anaphor", modifiers: [] }];
        emit(subs, t.spec.rel, a.objectsRight(k + 1, "target", false), i, a.toks.length, 0.7);
        a.triggerAt.fill(-1, t.start, t.end);
    }
    for (const trig of a.triggers) {
        const { spec } = trig;
        if (a.triggerAt[trig.start]! < 0) continue;
        if (spec.kind === "verb" && spec.rel === "LINK") {
            const toIdx = findAhead(a, trig.end, spec.objPrep ?? [], 12);
            if (toIdx < 0) continue;
            // "attributed the SolarWinds hack to the SVR": the victim of the event is not linked
            const eventAfter = (u: Unit) => {
                let k = u.end;
                while (k < toIdx && (EVENT_MODS.has(a.l(k)) || isDigits(a.toks[k])) && a.l(k) !== "the") k++;
                return EVENT_HEADS.has(a.l(k));
            };
            const subs = a.objectsRight(trig.end, "link").filter((u) => a.toks[u.end - 1]!.e <= a.toks[toIdx]!.s && !eventAfter(u));
            emit(subs, spec.rel, a.npAt(toIdx + 1, "link"), trig.start, toIdx + 4, 0.75);
            continue;
        }
        if (spec.kind === "verb") {
            const w = a.l(trig.start);
            const participle = /(ed|en)$/.test(w) || w === "stolen" || spec.words.length > 1 && /(ed)$/.test(spec.words[0]!);
            let pj = trig.start - 1;
            while (pj >= 0 && (W.SKIP_ADV.has(a.l(pj)) || W.HEDGE_LIKELY.has(a.l(pj)) || W.HEDGE_ALLEGED.has(a.l(pj)) || a.l(pj) === '"') && !W.BE.has(a.l(pj))) pj--;
            const beBefore = pj >= 0 && PASSIVE_AUX.has(a.l(pj));
            // agent: "by X" right after the verb (possibly after the object prep phrase)
            let byIdx = -1;
            for (let k = trig.end; k < Math.min(a.toks.length, trig.end + 4); k++) {
                if (a.l(k) === "by") {
                    byIdx = k;
                    break;
                }
                if (!W.SKIP_ADV.has(a.l(k)) && a.l(k) !== '"' && !TIME_WORDS.has(a.l(k)) && !isDigits(a.toks[k])) break;
            }
            const passive = participle && (beBefore || byIdx >= 0);
            if (passive) {
                const objs = a.subjectLeft(trig.start).filter((u) => u.ents.length > 0);
                let subs: Unit[] = byIdx >= 0 ? a.npAt(byIdx + 1, "agent") : [];
                if (byIdx < 0 && claimant && (spec.rel === "SANCTIONED" || spec.rel === "CHARGED")) subs = [{ start: -1, end: -1, ents: [claimant], src: "reg", modifiers: [] }];
                if (spec.objPrep) {
                    // "data was stolen from X by Y"
                    const fromIdx = findAhead(a, trig.end, spec.objPrep, 6);
                    if (fromIdx >= 0) {
                        const o2 = a.objectsRight(fromIdx + 1, "target");
                        if (byIdx < 0) {
                            const by2 = findAhead(a, fromIdx, ["by"], 12);
                            if (by2 >= 0) subs = a.npAt(by2 + 1, "agent");
                        }
                        emit(subs, spec.rel, o2, 0, a.toks.length, 0.75);
                    }
                    continue;
                }
                emit(subs, spec.rel, objs, 0, a.toks.length, byIdx >= 0 ? 0.85 : 0.7);
            } else {
                let subs = a.subjectLeft(trig.start, ATTEMPT_SKIP);
                if (subs.length === 0) subs = gerundSubject(a, trig.start);
                if (subs.length === 0) subs = coordinatedSubject(a, trig.start);
                if (subs.length === 0 && a.l(trig.start - 1) === "to") {
                    // "the SVR used that foothold to break into X", "the hackers managed to compromise X"
                    for (let x = trig.start - 2; x >= Math.max(0, trig.start - 8); x--) {
                        if (PURPOSE_VERBS.has(a.l(x))) {
                            subs = a.subjectLeft(x, ATTEMPT_SKIP);
                            break;
                        }
                        if (a.unitAt[x]! >= 0 || a.l(x) === ";" || a.l(x) === ",") break;
                    }
                }
                if (subs.length === 0 && spec.rel === "CHARGED" && /ing$/.test(a.l(trig.start))) {
                    // "unsealed a 26-count indictment in New Jersey charging Khoroshev"
                    for (let x = trig.start - 1; x >= Math.max(0, trig.start - 8); x--) {
                        if (a.l(x) === "indictment" || a.l(x) === "complaint" || a.l(x) === "charges") {
                            let y = x - 1;
                            while (y >= 0 && (W.DETERMINERS.has(a.l(y)) || isDigits(a.toks[y]) || a.l(y) === "-" || /^(count|sealed|superseding|criminal|federal)$/.test(a.l(y)))) y--;
                            subs = a.subjectLeft(y + 1, NOUN_SUBJECT_SKIP);
                            break;
                        }
                    }
                }
                if (subs.length === 0) continue;
                // "tried to break into", "attempted to hack": an attempt is a targeting, not a compromise
                let rel = spec.rel;
                if (rel === "COMPROMISED" && attempted(a, trig.start)) rel = "TARGETED";
                let objStart = trig.end;
                if (spec.objPrep) {
                    const fromIdx = findAhead(a, trig.end, spec.objPrep, 8);
                    if (fromIdx < 0) continue;
                    objStart = fromIdx + 1;
                }
                let objs = a.objectsRight(objStart, "target", rel !== "SANCTIONED" && rel !== "CHARGED");
                const relPron = subs[0]!.start - 1;
                if (objs.length === 0 && relPron >= 0 && (a.l(relPron) === "which" || a.l(relPron) === "whom") && a.unitAt[relPron]! >= 0 && !startsNounPhrase(a, objStart)) objs = [a.units[a.unitAt[relPron]!]!];
                emit(subs, rel, objs, Math.max(0, subs[0]!.start), a.toks.length, 0.85);
            }
        } else if (spec.kind === "noun") {
            const prepIdx = findAhead(a, trig.end, spec.preps ?? [], 5);
            if (prepIdx < 0) continue;
            let subs: Unit[] = [];
            const byIdx = findAhead(a, trig.end, ["by"], 3);
            if (byIdx >= 0 && byIdx < prepIdx) subs = a.npAt(byIdx + 1, "agent");
            if (subs.length === 0) subs = a.subjectLeft(trig.start, NOUN_SUBJECT_SKIP);
            if (subs.length === 0 && a.l(trig.start - 2) === "to" && EVENT_SUPPORT_VERBS.has(a.l(trig.start - 1))) {
                // "Andariel used the ransom money to fund intrusions into X"
                for (let x = trig.start - 3; x >= Math.max(0, trig.start - 10); x--) {
                    if (PURPOSE_VERBS.has(a.l(x))) {
                        subs = a.subjectLeft(x, ATTEMPT_SKIP);
                        break;
                    }
                    if (a.l(x) === ";" || a.l(x) === ",") break;
                }
            }
            if (subs.length === 0) continue;
            const objs = a.objectsRight(prepIdx + 1, "target", spec.rel !== "SANCTIONED" && spec.rel !== "CHARGED");
            emit(subs, spec.rel, objs, subs[0]!.start, a.toks.length, 0.8);
        } else {
            if (spec.words[0] === "attributed" || spec.words[0] === "blamed") {
                // passive only: "X was attributed to Y", "X, attributed to Y"; not "the attacks that Microsoft attributed to China"
                let pj = trig.start - 1;
                while (pj >= 0 && (W.SKIP_ADV.has(a.l(pj)) || W.HEDGE_ALLEGED.has(a.l(pj)) || W.HEDGE_LIKELY.has(a.l(pj))) && !W.BE.has(a.l(pj))) pj--;
                if (!(W.BE.has(a.l(pj)) || a.l(pj) === ",")) continue;
            }
            let subs = a.subjectLeft(trig.start, REL_SUBJECT_SKIP);
            const inside = a.unitAt[trig.start]! >= 0 ? a.units[a.unitAt[trig.start]!]! : undefined;
            if (subs.length === 0 && inside && inside.src === "anaphor" && inside.start < trig.start) subs = [inside];
            // "The Australian Cyber Security Centre, part of the Australian Signals Directorate, …"
            if (subs.length === 0 && a.l(trig.start - 1) === "," && a.unitEndingAt[trig.start - 1]! >= 0) subs = [a.units[a.unitEndingAt[trig.start - 1]!]!];
            // "Mint Sandstorm, which it has linked to the IRGC": the antecedent of "which", not "it"
            if (subs.length === 1 && subs[0]!.src === "anaphor" && a.unitEndingAt[subs[0]!.start]! >= 0 && ["which", "that", "whom"].includes(a.l(subs[0]!.start - 1))) subs = [a.units[a.unitEndingAt[subs[0]!.start]!]!];
            if (subs.length === 0) {
                // "S is a provincial arm of O", "S, the main cyber unit of O"
                let k = trig.start - 1;
                let n = 0;
                while (k >= 0 && n < 5 && /^\p{Ll}/u.test(a.toks[k]!.t) && !W.BE.has(a.l(k)) && a.unitAt[k]! < 0 && !W.OBJ_STOP.has(a.l(k)) && a.triggerAt[k]! < 0) {
                    k--;
                    n++;
                }
                if (k >= 0 && n > 0 && W.BE.has(a.l(k)) && W.DETERMINERS.has(a.l(k + 1))) subs = a.subjectLeft(k + 1, REL_SUBJECT_SKIP);
                else if (k >= 0 && n > 0 && a.l(k) === "," && W.DETERMINERS.has(a.l(k + 1)) && a.unitEndingAt[k]! >= 0) subs = [a.units[a.unitEndingAt[k]!]!];
            }
            if (subs.length === 0) continue;
            let objs = a.npAt(trig.end, "link");
            if (objs.length === 0) {
                // "part of a cyber espionage programme of the Hubei State Security Department"
                let k = trig.end;
                while (k < Math.min(a.toks.length, trig.end + 6) && a.unitAt[k]! < 0 && /^\p{Ll}/u.test(a.toks[k]!.t) && a.l(k) !== "of" && !W.OBJ_STOP.has(a.l(k))) k++;
                if (a.l(k) === "of" && k > trig.end) objs = a.npAt(k + 1, "link");
            }
            if (spec.rel === "FRONT") objs = objs.filter((u) => u.ents.some((e) => e.type === "ThreatActor"));
            if (spec.rel === "BEHIND") {
                const actors = objs.filter((u) => u.ents.every((e) => e.type === "ThreatActor"));
                const backers = subs.filter((u) => u.ents.every((e) => e.type === "Organization" || e.type === "State"));
                emit(actors, "LINK", backers, subs[0]!.start, trig.end + 4, 0.7);
                continue;
            }
            emit(subs, spec.rel, objs, subs[0]!.start, trig.end + 4, 0.8);
        }
    }
    frontFacts(a, facts, sent, claimant, certaintyBase);
    roleFacts(a, facts, sent, claimant, certaintyBase);
    listRoleFacts(a, facts, sent, claimant, certaintyBase);
    modifierFacts(a, facts, sent, claimant, certaintyBase);
    eventFacts(a, facts, sent, claimant, certaintyBase);
    const breached = facts.slice(before).filter((f) => f.p === "COMPROMISED").map((f) => f.o);
    if (breached.length > 0) st.lastEventVictims = uniq(breached);

    // memory for coreference
    const inSentence = a.units.flatMap((u) => [...u.modifiers.flatMap((m) => m.ents), ...u.ents]);
    st.touch(a.mentions.filter((m) => m.src !== "anaphor").flatMap((m) => m.ents));
    const newSubjects = facts.slice(before).map((f) => f.s);
    if (newSubjects.length > 0) st.lastSubjects = uniq(newSubjects);
    else if (claimant && claimant.type !== "Person") st.lastSubjects = [claimant];
    else {
        const firstUnit = a.units.find((u) => u.start <= 2 && u.src !== "demonym");
        if (firstUnit && firstUnit.ents.every((e) => e.type !== "Sector")) st.lastSubjects = firstUnit.ents;
    }
    void inSentence;
    void subjectsSeen;
}

const NOUN_SUBJECT_SKIP = W.set("unsealed filed brought laid lodged parallel similar own sweeping coordinated joint fresh separate its their announced imposed issued announced levied placed unveiled slapped new fresh further additional financial economic its their conducted launched carried out waged mounted ran run orchestrated a an the cyber hacking espionage phishing malicious");
const REL_SUBJECT_SKIP = W.set("a an close direct long-standing it they he she we believe believes thought think run as operating acting serving has have had are is was were be been being allegedly reportedly believed thought said known suspected assessed to directly closely also both ultimately");

/**
 * "CyberAv3ngers was affiliated with the IRGC-CEC and had targeted X": a verb coordinated with an earlier
 * predicate shares its subject — the first unit of the clause that a verb follows.
 */
function coordinatedSubject(a: SentenceAnalysis, k: number): Unit[] {
    let j = k - 1;
    while (j >= 0 && (W.SKIP_ADV.has(a.l(j)) || W.BE.has(a.l(j))) && a.l(j) !== "and") j--;
    if (a.l(j) !== "and") return [];
    let from = 0;
    for (let x = j - 1; x >= 0; x--) {
        if (W.CLAIM_VERBS.has(a.l(x)) || a.l(x) === ";" || (a.l(x) === "that" && a.unitAt[x]! < 0)) {
            from = x + 1;
            break;
        }
    }
    for (let x = from; x < j; x++) {
        const u = a.unitAt[x]! >= 0 ? a.units[a.unitAt[x]!]! : undefined;
        if (!u || u.start !== x) continue;
        const g = a.groupStartingAt(x);
        let y = g[g.length - 1]!.end;
        while (y < j && W.SKIP_ADV.has(a.l(y)) && !W.BE.has(a.l(y))) y++;
        if (W.BE.has(a.l(y)) || a.triggerAt[y]! >= 0 || isVerbWord(a.l(y))) return g;
        return [];
    }
    return [];
}

function startsNounPhrase(a: SentenceAnalysis, k: number): boolean {
    const l = a.l(k);
    return a.unitAt[k]! >= 0 || W.DETERMINERS.has(l) || isDigits(a.toks[k]) || (/^\p{Ll}+$/u.test(a.toks[k]?.t ?? "") && !PREPS.has(l) && !TIME_WORDS.has(l) && !W.OBJ_STOP.has(l) && l !== "and");
}

function findAhead(a: SentenceAnalysis, from: number, words: string[], max: number): number {
    for (let k = from; k < Math.min(a.toks.length, from + max); k++) {
        if (words.includes(a.l(k))) return k;
        if (W.OBJ_STOP.has(a.l(k))) return -1;
    }
    return -1;
}

function uniq<T>(xs: T[]): T[] {
    return [...new Set(xs)];
}

/** "X said", "said X", "according to X": the entity that makes the sentence's claims. */
function findClaimant(a: SentenceAnalysis): Ent | undefined {
    for (let i = 0; i < a.toks.length; i++) {
        const l = a.l(i);
        if (l === "according" && a.l(i + 1) === "to") {
            const g = a.npAt(i + 2, "agent");
            const e = g[0]?.ents.find(claimantType);
            if (e) return e;
        }
        if (!W.CLAIM_VERBS.has(l)) continue;
        const left = a.subjectLeft(i, CLAIM_SUBJECT_SKIP);
        const e = left[0]?.ents.find(claimantType);
        if (e) return e;
        // "said UK foreign secretary David Cameron"
        if ((l === "said" || l === "says" || l === "added" || l === "told") && (i === 0 || a.l(i - 1) === "," || a.l(i - 1) === '"' || a.l(i - 1) === "'")) {
            for (let k = i + 1; k < Math.min(a.toks.length, i + 7); k++) {
                if (a.unitAt[k]! >= 0) {
                    const u = a.units[a.unitAt[k]!]!;
                    const g = a.groupStartingAt(u.start);
                    const ents = g.flatMap((x) => x.ents).filter(claimantType);
                    const person = ents.find((x) => x.type === "Person");
                    if (person || ents[0]) return person ?? ents[0];
                    break;
                }
                if (!/^\p{L}/u.test(a.toks[k]!.t)) break;
            }
        }
    }
    return undefined;
}
const CLAIM_SUBJECT_SKIP = W.set("has have had also previously publicly officially formally today yesterday");

function claimantType(e: Ent): boolean {
    return e.type === "Organization" || e.type === "State" || e.type === "Person";
}

function sentenceCertainty(a: SentenceAnalysis): Certainty {
    let c: Certainty = "asserted";
    for (const t of a.toks) {
        if (W.HEDGE_DENIED.has(t.l)) return "denied";
        if (W.HEDGE_ALLEGED.has(t.l)) c = "alleged";
        else if (W.HEDGE_LIKELY.has(t.l) && c === "asserted") c = "likely";
    }
    return c;
}

/** Certainty from the words near the fact (falls back to the sentence's). */
function localCertainty(a: SentenceAnalysis, from: number, to: number): Certainty | undefined {
    let c: Certainty | undefined;
    for (let k = Math.max(0, from - 3); k < Math.min(a.toks.length, to); k++) {
        const l = a.l(k);
        if (W.HEDGE_DENIED.has(l)) return "denied";
        if (W.HEDGE_ALLEGED.has(l)) c = "alleged";
        else if (W.HEDGE_LIKELY.has(l) && !c) c = "likely";
    }
    return c;
}

const MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec";
const DATE_EXPR = `(?:(?:\\d{1,2}\\s+)?(?:${MONTHS})\\.?\\s+(?:\\d{1,2},?\\s+)?)?(?:19|20)\\d{2}`;
const RANGE_RE = new RegExp(`\\b(?:between|from)\\s+(${DATE_EXPR})\\s+(?:and|to|until|through)\\s+(${DATE_EXPR})`, "i");
const SINCE_RE = new RegExp(`\\b(?:since|from)\\s+(?:at\\s+least\\s+)?(${DATE_EXPR})`, "i");
const IN_RE = new RegExp(`\\b(?:in|during|throughout|on)\\s+(?:early\\s+|late\\s+|mid-?)?(${DATE_EXPR})`, "i");

function datesIn(a: SentenceAnalysis, from: number, to: number): { validFrom?: string; validTo?: string } {
    const toks = a.toks;
    if (toks.length === 0) return {};
    const s = toks[Math.max(0, Math.min(from, toks.length - 1))]!.s - a.sent.start;
    const e = toks[Math.min(toks.length - 1, Math.max(to, 0))]!.e - a.sent.start;
    const span = a.sent.text.slice(Math.max(0, s), Math.max(e, s));
    let m = RANGE_RE.exec(span);
    if (m) {
        const f = toPartialDate(m[1]!);
        const t = toPartialDate(m[2]!);
        if (f && t && t >= f) return { validFrom: f, validTo: t };
    }
    m = SINCE_RE.exec(span);
    if (m) {
        const f = toPartialDate(m[1]!);
        if (f) return { validFrom: f };
    }
    m = IN_RE.exec(span);
    if (m) {
        const f = toPartialDate(m[1]!);
        if (f) return { validFrom: f, validTo: f };
    }
    return {};
}

const MONTH_NUM: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const SIMPLE_DATE = /^(?:(\d{1,2})\s+)?([a-z]+)\.?\s+(?:(\d{1,2}),?\s+)?((?:19|20)\d{2})$/i;

/** "2021", "March 2021", "25 March 2024", "March 25, 2024" → partial ISO date; chrono-node for anything else. */
function toPartialDate(expr: string): string | undefined {
    const trimmed = expr.trim();
    if (/^(19|20)\d{2}$/.test(trimmed)) return trimmed;
    const m = SIMPLE_DATE.exec(trimmed);
    const monthNo = m ? MONTH_NUM[m[2]!.slice(0, 3).toLowerCase()] : undefined;
    if (m && monthNo) {
        const day = Number(m[1] ?? m[3] ?? 0);
        const mm = String(monthNo).padStart(2, "0");
        if (day >= 1 && day <= 31) {
            const d = new Date(Date.UTC(Number(m[4]), monthNo - 1, day));
            if (d.getUTCDate() === day) return `${m[4]}-${mm}-${String(day).padStart(2, "0")}`;
        }
        return `${m[4]}-${mm}`;
    }
    const r = chrono.parse(trimmed)[0];
    if (!r) {
        const y = /(19|20)\d{2}/.exec(trimmed)?.[0];
        return y;
    }
    const y = r.start.get("year");
    const mo = r.start.isCertain("month") ? r.start.get("month") : null;
    const d = r.start.isCertain("day") ? r.start.get("day") : null;
    if (!y) return undefined;
    if (!mo) return String(y);
    const mm = String(mo).padStart(2, "0");
    if (!d) return `${y}-${mm}`;
    return `${y}-${mm}-${String(d).padStart(2, "0")}`;
}

/**
 * Facts from modifiers: "a Chinese state-sponsored group called Volt Typhoon", "APT31, a China-linked group",
 * "Russian hacking group Sandworm" → AFFILIATED_WITH; "Wuhan-based company X", "X, a Moscow-based firm" → BASED_IN.
 */
function modifierFacts(a: SentenceAnalysis, facts: RawFact[], sent: Sentence, claimant: Ent | undefined, certainty: Certainty): void {
    const push = (s: Ent, p: Predicate, o: Ent, conf: number, from: number, to: number) => {
        const rule = PREDICATE_RULES[p];
        if (s === o || !rule.subject.includes(s.type) || !rule.object.includes(o.type)) return;
        facts.push({ s, p, o, certainty: localCertainty(a, from, to) ?? certainty, ...(claimant ? { claimedBy: claimant } : {}), sentence: sent, confidence: conf });
    };
    for (const u of a.units) {
        // "Department 53 of North Korea's Ministry of …", "Centre 18 of the FSB" → PART_OF
        if (u.src === "name" && a.l(u.end) === "of") {
            const sub = u.ents.find((e) => e.type === "Organization" && W.ORG_HEADS.has(e.name.split(/\s+/)[0]!.toLowerCase()));
            if (sub) {
                let k = u.end + 1;
                if (a.l(k) === "the") k++;
                const o = a.unitAt[k]! >= 0 ? a.units[a.unitAt[k]!]! : undefined;
                if (o && o.start === k) for (const e of o.ents) if (e.type === "Organization" || e.type === "State") push(sub, "PART_OF", e, 0.65, u.start, o.end);
            }
        }
        // "China's Ministry of State Security", "the US Treasury's OFAC" → PART_OF
        for (const m of u.modifiers) {
            if (!m.poss) continue;
            for (const h of u.ents) for (const o of m.ents) if (h.type === "Organization" && (o.type === "State" || o.type === "Organization")) push(h, "PART_OF", o, 0.75, m.start, u.end);
        }
        if (u.src === "anaphor" && u.modifiers.length === 0) continue;
        const heads = u.ents.filter((e) => e.type === "ThreatActor" || e.type === "Organization");
        if (heads.length === 0) continue;
        // (1) the noun phrase before a named unit
        if (u.src !== "anaphor") {
            const np = npBefore(a, u.start);
            if (np) for (const h of heads) for (const st of np.states) push(h, np.based ? "BASED_IN" : h.type === "ThreatActor" || np.affiliated ? "AFFILIATED_WITH" : "BASED_IN", st, 0.7, np.start, u.end);
            // compound "Chinese APT31"
            // compound "Chinese APT31" (not "the Russian Trickbot cybercrime gang": a nationality)
            const criminal = CRIMINAL.has(a.l(u.end)) || CRIMINAL.has(a.l(u.end + 1));
            if (!criminal) for (const m of u.modifiers) if (m.end === u.start || a.l(m.end) !== "'") for (const st of m.ents) if (st.type === "State" && m.src === "demonym") for (const h of heads) if (h.type === "ThreatActor") push(h, "AFFILIATED_WITH", st, 0.65, m.start, u.end);
        }
        // (2) apposition after: "APT31, a Chinese state-sponsored group" (the apposition became an anaphor unit)
        if (u.src === "anaphor") {
            const states = u.modifiers.filter((m) => m.ents.every((e) => e.type === "State")).flatMap((m) => m.ents);
            if (states.length === 0) continue;
            const words = a.toks.slice(u.start, u.end).map((t) => t.l);
            const based = words.includes("based");
            if (!based && (words.includes("government") || words.includes("state")) && heads.every((h) => h.type === "Organization")) {
                for (const h of heads) for (const st of states) push(h, "PART_OF", st, 0.65, u.start, u.end);
                continue;
            }
            const affiliated = words.some((w) => W.AFF_MODIFIERS.has(w)) || heads.some((h) => h.type === "ThreatActor");
            if (!based && !affiliated) continue;
            for (const h of heads) for (const st of states) push(h, based ? "BASED_IN" : "AFFILIATED_WITH", st, 0.7, u.start, u.end);
        }
    }
}

/** "a Chinese state-sponsored group called", "China-linked", "Wuhan-based" right before token p. */
function npBefore(a: SentenceAnalysis, p: number): { states: Ent[]; based: boolean; affiliated: boolean; start: number } | undefined {
    let j = p - 1;
    let based = false;
    let affiliated = false;
    let sawHeadWord = false;
    let criminal = false;
    const states: Ent[] = [];
    let start = p;
    for (let n = 0; j >= 0 && n < 10; n++, j--) {
        const l = a.l(j);
        const k = a.unitEndingAt[j + 1]!;
        if (k >= 0) {
            const u = a.units[k]!;
            if (u.ents.every((e) => e.type === "State")) {
                states.push(...u.ents);
                start = u.start;
                j = u.start;
                // keep going only through determiners
                continue;
            }
            break;
        }
        if (l === "based") based = true;
        else if (W.AFF_MODIFIERS.has(l)) affiliated = true;
        else if (W.HEAD_ACTOR.has(l) || l === "company" || l === "firm" || l === "contractor") sawHeadWord = true;
        else if (CRIMINAL.has(l)) criminal = true;
        else if (!W.ACTOR_NP_WORDS.has(l) && l !== "-") break;
        if (l === "a" || l === "an" || l === "the") break;
    }
    if (states.length === 0) return undefined;
    // "the Russian Trickbot cybercrime gang": a nationality, not a state affiliation
    if (criminal && !based && !affiliated) return undefined;
    if (!based && !affiliated && !sawHeadWord) {
        // bare "Chinese APT31" is handled by the compound rule
        return undefined;
    }
    return { states, based, affiliated, start };
}

/** Debugging aid: the mentions, units and triggers of each sentence of a text (with coreference across them). */
export function explainSentence(text: string, registry: RegistryLike): Array<{ mentions: string[]; units: string[]; triggers: string[] }> {
    const st = new ArticleState(lexiconFor(registry));
    const out: Array<{ mentions: string[]; units: string[]; triggers: string[] }> = [];
    for (const sent of splitSentences(text)) {
        const a = new SentenceAnalysis(sent, st);
        a.findMentions();
        a.buildUnits();
        a.findTriggers();
        const span = (s: number, e: number) => a.toks.slice(s, e).map((t) => t.t).join(" ");
        out.push({
            mentions: a.mentions.map((u) => `${span(u.start, u.end)} [${u.src}]`),
            units: a.units.map((u) => `${span(u.start, u.end)} [${u.src}] → ${u.ents.map((e) => `${e.type}:${e.name}`).join(", ")}`),
            triggers: a.triggers.map((t) => `${span(t.start, t.end)} ${t.spec.kind} ${t.spec.rel}`),
        });
        extractSentence(sent, st, []);
    }
    return out;
}

/**
 * Front companies: "X, a front company for Y", "described X as a front company … to provide cover for Y's work",
 * "Y used X as a front": the company is the nearest organisation before the cue, the actor the nearest after it
 * (or before, in "Y's front company X").
 */
function frontFacts(a: SentenceAnalysis, facts: RawFact[], sent: Sentence, claimant: Ent | undefined, certainty: Certainty): void {
    for (let i = 0; i < a.toks.length; i++) {
        const l = a.l(i);
        const isFront = (l === "front" && (a.l(i + 1) === "company" || a.l(i + 1) === "companies" || a.l(i + 1) === "for" || a.l(i + 1) === "organisation" || a.l(i + 1) === "organization" || a.l(i + 1) === "firm")) || (l === "cover" && a.l(i + 1) === "for") || (l === "shell" && a.l(i + 1) === "company");
        if (!isFront) continue;
        let org: Ent | undefined = a.unitAt[i]! >= 0 ? a.units[a.unitAt[i]!]!.ents.find((e) => e.type === "Organization") : undefined;
        for (let k = i - 1; k >= Math.max(0, i - 25) && !org; k--) {
            const u = a.unitAt[k]! >= 0 ? a.units[a.unitAt[k]!]! : undefined;
            if (u) org = u.ents.find((e) => e.type === "Organization" && e.kind !== "government");
            if (a.l(k) === ";") break;
        }
        let actor: Ent | undefined;
        for (let k = i + 1; k < Math.min(a.toks.length, i + 15) && !actor; k++) {
            const u = a.unitAt[k]! >= 0 ? a.units[a.unitAt[k]!]! : undefined;
            if (u) actor = u.ents.find((e) => e.type === "ThreatActor");
            if (a.l(k) === ";") break;
        }
        if (!org) {
            // "APT41's front company Chengdu 404"
            for (let k = i + 1; k < Math.min(a.toks.length, i + 6) && !org; k++) {
                const u = a.unitAt[k]! >= 0 ? a.units[a.unitAt[k]!]! : undefined;
                if (u) org = u.ents.find((e) => e.type === "Organization" && e.kind !== "government");
            }
        }
        if (!actor) {
            for (let k = i - 1; k >= Math.max(0, i - 4) && !actor; k--) {
                const u = a.unitAt[k]! >= 0 ? a.units[a.unitAt[k]!]! : undefined;
                if (u) actor = u.ents.find((e) => e.type === "ThreatActor");
            }
        }
        if (org && actor) facts.push({ s: org, p: "FRONT_FOR", o: actor, certainty: localCertainty(a, i - 6, i + 6) ?? certainty, ...(claimant ? { claimedBy: claimant } : {}), sentence: sent, confidence: 0.7 });
    }
}

const ROLE_NOUNS = W.set(
    "officer officers member members agent agents operative operatives employee employees staff staffer staffers director chief head leader founder co-founder executive boss commander administrator administrators developer developers engineer engineers hacker hackers affiliate affiliates figure",
);
const ROLE_FILLER = W.set("a an the former senior junior chief operating sales technical lead deputy and of its their his her two three four five six seven eight nine ten several military intelligence hacking cyber top key");

/**
 * Roles: "FSB officer Ruslan Peretyatko", "five Unit 29155 officers, A, B and C", "i-Soon's founder, Wu Haibo",
 * "its chief operating officer, Chen Cheng", "Eduard Benderskiy, a former senior FSB officer" → MEMBER_OF.
 */
function roleFacts(a: SentenceAnalysis, facts: RawFact[], sent: Sentence, claimant: Ent | undefined, certainty: Certainty): void {
    const unitAt = (k: number) => (a.unitAt[k]! >= 0 ? a.units[a.unitAt[k]!]! : undefined);
    const owners = (u: Unit | undefined) => (u ? u.ents.filter((e) => e.type === "Organization" || e.type === "ThreatActor") : []);
    for (let r = 0; r < a.toks.length; r++) {
        if (!ROLE_NOUNS.has(a.l(r)) || a.unitAt[r]! >= 0) continue;
        // the owner: a unit right before the role (compound), or a possessive / "its" a few words before
        let owner: Ent[] = [];
        let k = r - 1;
        while (k >= 0 && k >= r - 6 && a.unitAt[k]! < 0 && ROLE_FILLER.has(a.l(k))) k--;
        if (k >= 0 && a.unitEndingAt[k + 1]! >= 0) {
            owner = owners(a.units[a.unitEndingAt[k + 1]!]);
        } else if (k >= 1 && a.l(k) === "s" && a.l(k - 1) === "'" && a.unitEndingAt[k - 1]! >= 0) {
            owner = owners(a.units[a.unitEndingAt[k - 1]!]);
        }
        if (owner.length === 0) {
            // "its chief operating officer": the nearest organisation or group before
            for (let x = k + 1; x < r; x++) {
                if (a.l(x) === "its" || a.l(x) === "their") {
                    for (let y = x - 1; y >= 0 && owner.length === 0; y--) {
                        const u = unitAt(y);
                        if (u && a.toks[u.end]?.l === "'") owner = owners(u);
                    }
                    for (let y = x - 1; y >= 0 && owner.length === 0; y--) {
                        const u = unitAt(y);
                        if (u && u.ents.every((e) => e.type === "ThreatActor" || (e.type === "Organization" && e.kind !== "government"))) owner = owners(u);
                    }
                    break;
                }
            }
        }
        if (owner.length === 0) continue;
        // the persons: after the role ("officer Ruslan Peretyatko", "officers, A, B and C"), or before it in apposition
        const persons: Ent[] = [];
        let p = r + 1;
        if (a.l(p) === "," || a.l(p) === ":") p++;
        for (let guard = 0; guard < 12 && p < a.toks.length; guard++) {
            const u = unitAt(p);
            if (!u || u.start !== p || !u.ents.every((e) => e.type === "Person")) break;
            persons.push(...u.ents);
            p = u.end;
            if (a.l(p) === "," && a.l(p + 1) === "and") p += 2;
            else if (a.l(p) === "," || a.l(p) === "and") p++;
            else break;
            if (!ROLE_NOUNS.has(a.l(r)) || !/s$/.test(a.l(r))) break;
        }
        if (persons.length === 0) {
            let b = k;
            while (b >= 0 && ROLE_FILLER.has(a.l(b)) && a.unitAt[b]! < 0) b--;
            // "Person, a former senior FSB officer"
            let q = r - 1;
            while (q >= 0 && (ROLE_FILLER.has(a.l(q)) || a.unitAt[q]! >= 0) && a.l(q) !== ",") q--;
            if (q >= 1 && a.l(q) === "," && (a.l(q + 1) === "a" || a.l(q + 1) === "an" || a.l(q + 1) === "the") && a.unitEndingAt[q]! >= 0) {
                const u = a.units[a.unitEndingAt[q]!]!;
                if (u.ents.every((e) => e.type === "Person")) persons.push(...u.ents);
            }
        }
        for (const person of persons)
            for (const o of owner)
                if (person !== o) facts.push({ s: person, p: "MEMBER_OF", o, certainty: localCertainty(a, r - 4, r + 4) ?? certainty, ...(claimant ? { claimedBy: claimant } : {}), sentence: sent, confidence: 0.7 });
    }
}

const EVENT_HEADS = W.set("attack attacks cyberattack cyberattacks hack hacks breach breaches intrusion intrusions compromise compromises theft thefts heist hacking");
const EVENT_MODS = W.set("supply chain supply-chain ransomware cyber destructive data network malware wiper 2010 - the a an this that its their same recent major massive");
const EVENT_AGENT_VERBS = W.set("conducted carried launched perpetrated orchestrated staged mounted committed");
const EVENT_VICTIM_PREPS = W.set("on against of into at");
const INVOLVE_SKIP = W.set("any direct his her its their the a no alleged suspected denied denies deny has have had was were is are");

/**
 * Attacks named as events: "the SolarWinds hack", "the 2015 cyberattack on the Bundestag", "the theft of … from
 * the Ronin Network"; an event without a victim ("the intrusion", "the hack") is the article's last one. Its agent:
 * "X was behind / responsible for E", "X carried out E", "X's involvement in E", "X was involved in / suspected of E",
 * "attributed E to X", "blames X for E" → X COMPROMISED the victims.
 */
function eventFacts(a: SentenceAnalysis, facts: RawFact[], sent: Sentence, claimant: Ent | undefined, certainty: Certainty): void {
    const st = a.st;
    const unitAt = (k: number) => (k >= 0 && a.unitAt[k]! >= 0 ? a.units[a.unitAt[k]!]! : undefined);
    const victimOk = (e: Ent) => e.type === "Organization" || e.type === "Sector" || e.type === "State";
    for (let i = 0; i < a.toks.length; i++) {
        const head = a.l(i);
        if (!EVENT_HEADS.has(head) || a.unitAt[i]! >= 0) continue;
        if (head === "hacking" && !(a.l(i - 1) === "the" || a.unitEndingAt[i]! >= 0)) continue;
        // the event's start: modifiers and a compound victim before the head
        let b = i - 1;
        let victims: Ent[] = [];
        let compound: Unit | undefined;
        while (b >= 0 && i - b <= 6) {
            const u = unitAt(b);
            if (u && !compound && u.ents.every((e) => e.type === "Organization" || e.type === "Sector") && u.src !== "anaphor") {
                compound = u;
                b = u.start - 1;
                continue;
            }
            if (EVENT_MODS.has(a.l(b)) || isDigits(a.toks[b])) {
                b--;
                continue;
            }
            break;
        }
        if (compound) victims = compound.ents.filter(victimOk);
        const det = a.toks.slice(b + 1, i).some((t) => t.l === "the" || t.l === "this" || t.l === "that");
        let end = i + 1;
        if (victims.length === 0) {
            // "the cyberattack on the German parliament, the Bundestag", "the theft of … from the Ronin Network"
            const preps = head === "theft" || head === "thefts" || head === "heist" ? ["from"] : [...EVENT_VICTIM_PREPS];
            const p = findAhead(a, i + 1, preps, head === "theft" || head === "thefts" || head === "heist" ? 14 : 2);
            if (p >= 0) {
                const objs = a.npAt(p + 1, "target");
                let more: Unit[] = [];
                const last = objs[objs.length - 1];
                // apposition: "the German parliament, the Bundestag"
                if (last && a.l(last.end) === "," && a.l(last.end + 1) === "the") more = a.npAt(last.end + 1, "target");
                victims = [...objs, ...more].flatMap((u) => u.ents).filter(victimOk);
                if (objs.length > 0) end = objs[objs.length - 1]!.end;
            }
        }
        const explicit = victims.length > 0;
        if (!explicit && det && head !== "attacks" && head !== "cyberattacks" && head !== "hacking") victims = st.lastEventVictims;
        if (victims.length === 0) continue;
        // the agent
        let agents: Unit[] = [];
        let x = b;
        while (x >= 0 && (a.l(x) === "the" || a.l(x) === "any" || a.l(x) === "a")) x--;
        const w = a.l(x);
        if (w === "behind" || (w === "for" && (a.l(x - 1) === "responsible" || a.l(x - 1) === "responsibility"))) {
            let y = w === "behind" ? x : x - 1;
            agents = a.subjectLeft(y, BE_SKIP);
        } else if ((w === "in" && (a.l(x - 1) === "involved" || a.l(x - 1) === "involvement" || a.l(x - 1) === "part" || a.l(x - 1) === "role")) || (w === "of" && (a.l(x - 1) === "suspected" || a.l(x - 1) === "accused"))) {
            let y = x - 1;
            if (a.l(y) === "part" || a.l(y) === "role") y--;
            if (a.l(y) === "took" || a.l(y) === "played" || a.l(y) === "a") y--;
            while (y >= 0 && INVOLVE_SKIP.has(a.l(y - 1)) && a.unitEndingAt[y]! < 0) y--;
            agents = a.subjectLeft(y + (a.l(y) === "involved" || a.l(y) === "involvement" || a.l(y) === "suspected" || a.l(y) === "accused" || a.l(y) === "took" || a.l(y) === "played" ? 0 : 1), INVOLVE_SKIP);
        } else if (EVENT_AGENT_VERBS.has(w) || (w === "out" && a.l(x - 1) === "carried")) {
            agents = a.subjectLeft(w === "out" ? x - 1 : x, BE_SKIP);
        } else if ((w === "for" && (a.l(x - 2) === "blames" || a.l(x - 2) === "blamed" || a.l(x - 3) === "blames" || a.l(x - 3) === "blamed")) && a.unitEndingAt[x]! >= 0) {
            agents = a.groupEndingAt(x);
        } else if (w === "attributed" || w === "attributes" || w === "attributing" || (a.l(i + 1) === "was" && a.l(i + 2) === "attributed")) {
            const to = findAhead(a, end, ["to"], 6);
            if (to >= 0) agents = a.npAt(to + 1, "agent");
        }
        if (agents.length === 0) {
            // "the hack by X"
            if (a.l(end) === "by") agents = a.npAt(end + 1, "agent");
        }
        for (const u of agents)
            for (const s of u.ents) {
                if (!(s.type === "ThreatActor" || s.type === "Person" || s.type === "State" || s.type === "Organization")) continue;
                for (const o of uniq(victims)) {
                    if (s === o || o.type === "State" && s.type === "State") continue;
                    facts.push({ s, p: "COMPROMISED", o, certainty: localCertainty(a, Math.max(0, x - 4), end) ?? certainty, ...(claimant ? { claimedBy: claimant } : {}), ...datesIn(a, Math.max(0, b), end), sentence: sent, confidence: explicit ? 0.7 : 0.6 });
                }
            }
        if (explicit && agents.length === 0) st.lastEventVictims = uniq(victims);
        else if (explicit) st.lastEventVictims = uniq(victims);
    }
}
const BE_SKIP = W.set("was were is are be been has have had also allegedly likely highly probably almost certainly");

const GERUND_PREPS = W.set("of in for with by after from while and or denied denies deny denying");
const EVENT_SUPPORT_VERBS = W.set("fund finance conduct launch carry mount stage enable support");
/**
 * A role stated of a whole list of persons after it: "A, B and C, all of whom the two governments described as
 * members of the group", "A, B and C, all senior officials of the command" → each person MEMBER_OF the group.
 */
function listRoleFacts(a: SentenceAnalysis, facts: RawFact[], sent: Sentence, claimant: Ent | undefined, certainty: Certainty): void {
    for (let i = 1; i < a.toks.length; i++) {
        if (a.l(i) !== "," || a.unitEndingAt[i]! < 0) continue;
        const x = a.l(i + 1);
        if (!(x === "all" || x === "both" || x === "each")) continue;
        const persons = a.groupEndingAt(i).flatMap((u) => u.ents).filter((e) => e.type === "Person");
        if (persons.length < 2) continue;
        // the clause: up to the next ";" / sentence end / comma that ends it
        for (let k = i + 2; k < Math.min(a.toks.length, i + 16); k++) {
            const l = a.l(k);
            if (l === ";" || (l === "," && k > i + 2) || l === "and" && a.l(k - 1) === ",") break;
            const t = a.triggerAt[k]! >= 0 ? a.triggers[a.triggerAt[k]!]! : undefined;
            let objStart = -1;
            if (t && t.start === k && (t.spec.rel === "MEMBER" || t.spec.rel === "WORK") && t.spec.kind === "rel") objStart = t.end;
            else if ((ROLE_NOUNS.has(l) || l === "officials" || l === "official") && (a.l(k + 1) === "of" || a.l(k + 1) === "in" || a.l(k + 1) === "at" || a.l(k + 1) === "with")) objStart = k + 2;
            if (objStart < 0) continue;
            const objs = a.npAt(objStart, "link").flatMap((u) => u.ents).filter((e) => e.type === "ThreatActor" || e.type === "Organization");
            for (const p of persons) for (const o of objs) facts.push({ s: p, p: "MEMBER_OF", o, certainty: localCertainty(a, i, k + 3) ?? certainty, ...(claimant ? { claimedBy: claimant } : {}), sentence: sent, confidence: 0.7 });
            break;
        }
    }
}

const PURPOSE_VERBS = W.set("used uses use using managed manages able");
const ATTEMPT_SKIP = W.set("tried attempted sought trying attempting seeking to and scanned denied denies deny has have had");
const ATTEMPT_VERBS = W.set("tried attempted sought trying attempting seeking failed");
function attempted(a: SentenceAnalysis, k: number): boolean {
    return a.l(k - 1) === "to" && ATTEMPT_VERBS.has(a.l(k - 2));
}
const ACCUSE_VERBS = W.set("accused accuses accusing accuse charged charges charging indicted indicting suspected blamed convicted");
const INVOLVE_WORDS = W.set("part involved involvement responsible role participated participating");

/**
 * The subject of a gerund: "accuses the unit of breaking into X" (the accused), "Badin took part in hacking X",
 * "the group was responsible for hacking X", "accused of targeting X" (the subject of the passive).
 */
function gerundSubject(a: SentenceAnalysis, k: number): Unit[] {
    if (!/ing$/.test(a.l(k))) return [];
    let j = k - 1;
    while (j >= 0 && W.SKIP_ADV.has(a.l(j))) j--;
    const prep = a.l(j);
    if (prep !== "of" && prep !== "with" && prep !== "in" && prep !== "for") return [];
    // "accuses the unit of …": the unit right before the preposition, after an accusing verb
    if (a.unitEndingAt[j]! >= 0) {
        const g = a.groupEndingAt(j);
        const v = a.l(g[0]!.start - 1) === "the" ? g[0]!.start - 2 : g[0]!.start - 1;
        if (ACCUSE_VERBS.has(a.l(v)) || (a.l(v) === "of" && a.l(v - 1) === "two")) return g;
        for (let x = g[0]!.start - 1; x >= Math.max(0, g[0]!.start - 4); x--) if (ACCUSE_VERBS.has(a.l(x))) return g;
    }
    // "X was accused of", "X took part in", "X was responsible for", "X is suspected of"
    let x = j - 1;
    let n = 0;
    while (x >= 0 && n < 4 && a.unitAt[x]! < 0 && /^\p{Ll}/u.test(a.toks[x]!.t)) {
        if (ACCUSE_VERBS.has(a.l(x)) || INVOLVE_WORDS.has(a.l(x))) return a.subjectLeft(x, GERUND_SKIP);
        x--;
        n++;
    }
    return [];
}
const GERUND_SKIP = W.set("took take takes taking played plays a an the key central direct also");
