/**
 * Stage 4 — relations: every trigger of the pattern book met in a sentence, with its arguments read off the
 * dependency graph by generic rules (active and passive voice, prepositional objects, light verbs, relative and
 * participial clauses, appositions, copulas, control verbs, coordination), turned into candidate facts under the
 * type rules. Which words trigger what is data (`patterns/*.yaml`); how arguments are found is here, once.
 */
import { EXTRACTION_RULES, type Certainty, type EntityType, type Predicate } from "../model/vocabulary.ts";
import { countedNames, entityAt, listedAfter, placeState, resolve, type Role, type SentenceView } from "./arguments.ts";
import type { Entity } from "./entities.ts";
import type { Pattern, PatternBook } from "./patterns.ts";
import { qualify } from "./qualify.ts";
import { relBase, relMarker, type SentenceGraph } from "./sentence-graph.ts";

export interface RawFact {
    s: Entity;
    p: Predicate;
    o: Entity;
    certainty: Certainty;
    claimedBy?: Entity;
    sent: number;
    anchor: number;
    pattern: string;
    confidence: number;
    /** When the text dates the fact (src/extractor/dates.ts). */
    validFrom?: string;
    validTo?: string;
}

/** What one sentence's triggers found, including measures whose acting body or targets must come from discourse. */
export interface TriggerResult {
    pattern: Pattern;
    anchor: number;
    agents: Entity[];
    patients: Entity[];
    /** "sanctioned three men" with the men named later. */
    /** `of`: the group or body a counted role noun belongs to ("six officials of the IRGC"), for its members named later. */
    /** Generic counted patients with no names ("three men"; "two people and five companies": each). */
    countedPatients?: { count: number; noun: string; of?: Entity; based?: Entity }[];
    /** "imposed matching sanctions": the same targets as the last listing. */
    matching?: boolean;
    /** "the GRU was behind the intrusion": an event noun that refers back to an attack told before. */
    eventAnaphor?: boolean;
}

/** Verbs whose object is made, set up or blamed for the purpose a following "to V" names. */
const MADE_FOR = /^(create|establish|set|found|form|build|design|make|register|launch|develop|run|operate|fund|finance|equip|attribute|blame|link|tie|pin|trace|connect|recruit|groom)$/;
const OBJECT_CONTROL = /^(task|order|direct|instruct|hire|recruit|pay|ask|commission|employ|help|allow|enable|force|urge|tell|train|authorize|authorise|assign|use)$/;
const ACCUSE = /^(charge|accuse|indict|suspect|convict|sanction|designate|blame|arrest|identify|name|punish|penalize|penalise|target|implicate|prosecute|sentence|extradite)$/;
const ATTACK_EVENT = /^(attack|cyberattack|cyber-attack|breach|hack|intrusion|compromise|theft|heist|hacking|infiltration|penetration)$/;
const ACTIVITY_NOUN = /^(campaign|operation|attack|cyberattack|activity|intrusion|effort|wave|spree|hacking|espionage)$/;
const MATCHING = /^(matching|similar|parallel|identical|same|mirror|mirroring|corresponding|own|joint|coordinated|reciprocal|equivalent|complementary)$/;

function isPassive(g: SentenceGraph, t: number): boolean {
    return g.out(t).some((e) => e.rel === "aux:pass" || e.rel === "nsubj:pass" || e.rel === "csubj:pass");
}

/** Edges of t whose preposition is one of `via` (obl:into, nmod:on_behalf_of, obl:agent for "agent"/"by"; "hyphen" for "Moscow-based"). */
function viaTargets(g: SentenceGraph, t: number, p: Pattern): number[] {
    const via = p.viaSet;
    if (!via) return [];
    const lemma = g.lemma(t);
    const ok = (marker: string) => {
        if (!via.has(marker)) return false;
        const req = p.viaRequires?.[marker];
        return !req || req.includes(lemma);
    };
    const out: number[] = [];
    for (const e of g.out(t)) {
        const base = relBase(e.rel);
        const marker = relMarker(e.rel);
        if ((base === "obl" || base === "nmod" || base === "advcl" || base === "acl") && marker) {
            // ("the hacker behind the breach of X": behind an event, not a group)
            if (marker === "behind" && (ATTACK_EVENT.test(g.lemma(e.dep)) || ACTIVITY_NOUN.test(g.lemma(e.dep)))) continue;
            if (ok(marker) || (marker === "agent" && (via.has("by") || via.has("agent")))) out.push(e.dep);
        } else if (base === "obl" && !marker && via.has("hyphen") && e.dep < t && g.word(t - 1) === "-") out.push(e.dep);
        else if ((base === "compound" || base === "nmod" || base === "obl" || base === "npmod" || base === "amod" || base === "nsubj" || base === "dep") && via.has("hyphen") && e.dep < t && g.word(e.dep + 1) === "-") out.push(e.dep);
    }
    // "stole $100 million from X", "the theft of $81 million from X": the source hung on what was taken
    if (out.length === 0 && via.has("from") && !p.viaRequires?.["from"]) {
        const taken = g.kids(t, (r) => r === "obj" || r === "nmod:of" || r === "dep" || r === "acl");
        for (const o of [...taken, ...taken.flatMap((x) => g.kids(x, "dep"))]) out.push(...g.kids(o, "nmod:from"));
    }
    // "on behalf of": CoreNLP gives obl:on_behalf_of; an older model may split it into obl:on + nmod:of
    if (via.has("on_behalf_of"))
        for (const e of g.out(t, "obl:on")) if (g.lemma(e.dep) === "behalf") out.push(...g.kids(e.dep, "nmod:of"));
    // "in support of X", split the same way, and hung on the verb or on its object ("carried out research in support of X")
    if (via.has("in_support_of"))
        for (const x of [t, ...g.kids(t, "obj")]) for (const e of g.out(x, (r) => r === "obl:in" || r === "nmod:in")) if (g.lemma(e.dep) === "support") out.push(...g.kids(e.dep, "nmod:of"));
    return out;
}

/** Participles that say whose a noun is ("hackers linked to APT28"), which the parser may read as the main verb. */
const TIE_PARTICIPLE = /^(link|tie|connect|affiliate|associate|attribute)$/;

/** The subject a verb takes from the clause it depends on ("tried to hack", "charged X with hacking", "denied hacking"). */
function inheritedSubject(g: SentenceGraph, t: number, depth = 0): { tokens: number[]; via?: number } {
    if (depth > 3) return { tokens: [] };
    // "APT99 is known for targeting journalists", "has a history of targeting journalists" parsed with the gerund as
    // a modifier of its object: the subject of the clause around the phrase (for "accused X of", X)
    // (likewise after a verb of seeing: "APT99 has been observed targeting telecoms companies")
    const seen = (x: number) => /^(observe|see|spot|catch|find|detect|watch|notice)$/.test(g.lemma(x)) && g.isVerb(x);
    const noun = g.pos(t) === "VBG" && (g.pos(t - 1) === "IN" || seen(t - 1)) ? g.in(t, "amod")[0]?.gov : undefined;
    for (let up = noun !== undefined ? g.basicParent(noun) : undefined, k = 0; up && up.gov > 0 && k < 3; up = g.basicParent(up.gov), k++) {
        const subj = ACCUSE.test(g.lemma(up.gov)) && !isPassive(g, up.gov) ? g.kids(up.gov, "obj") : g.kids(up.gov, (r) => r === "nsubj" || r === "nsubj:pass");
        if (subj.length) return { tokens: subj, via: up.gov };
    }
    // "Hackers linked to APT28 broke into X" read with "linked" as the clausal subject of "broke"
    for (const c of g.kids(t, "csubj")) if (TIE_PARTICIPLE.test(g.lemma(c)) && g.pos(c) === "VBN" && c < t) return { tokens: g.kids(c, (r) => r === "obl:to" || r === "obl:with"), via: c };
    for (const e of g.in(t)) {
        const gov = e.gov;
        if (gov === 0) continue;
        const base = relBase(e.rel);
        if (base !== "xcomp" && base !== "advcl" && base !== "conj" && base !== "ccomp" && !((base === "obl" || base === "dep") && g.isVerb(t)) && base !== "obj" && base !== "acl") continue;
        const govLemma = g.lemma(gov);
        if (base === "acl") {
            // "hackers working for X": the noun is the agent; "attacks targeting X": the event noun's agent
            if (g.pos(t) === "VBG") return { tokens: [gov], via: gov };
            // "attempts to compromise X", attributed to Y / blamed on Y / by Y
            for (const e2 of g.in(gov)) if ((e2.rel === "obj" || e2.rel === "nsubj:pass") && /^(attribute|blame|link|tie|pin|trace)$/.test(g.lemma(e2.gov))) return { tokens: g.kids(e2.gov, (r) => r === "obl:to" || r === "obl:on"), via: e2.gov };
            const by = g.kids(gov, (r) => r === "nmod:by" || r === "nmod:poss");
            if (by.length) return { tokens: by, via: gov };
            continue;
        }
        // "Hackers linked to APT28 broke into X" read with "linked" as the main verb and "broke" its dep: the
        // participle phrase names who the subject noun is
        if (base === "dep" && g.isVerb(t) && t > gov && TIE_PARTICIPLE.test(govLemma) && g.pos(gov) === "VBN" && g.kids(gov, "nsubj").some((n) => n < gov && g.pos(n).startsWith("NN") && !g.pos(n).startsWith("NNP")) && g.kids(t, "nsubj").length === 0)
            return { tokens: g.kids(gov, (r) => r === "obl:to" || r === "obl:with"), via: gov };
        // ("APT99, believed to be working for X, breached Y" parsed with "breached" a dep of "believed": the
        // participle's subject is the clause's)
        const reducedPassive = base === "dep" && g.word(t - 1) === "," && g.isVerb(t) && /^(believe|think|suspect|know|say|report|allege)$/.test(govLemma) && g.kids(gov, "obj").length === 0 && g.word(gov - 1) === ",";
        if ((base === "ccomp" || base === "dep") && !reducedPassive && !/^(deny|admit|acknowledge|reject|dismiss|refute)$/.test(govLemma)) continue;
        if ((base === "advcl" || base === "obl") && ACCUSE.test(govLemma)) {
            const objs = isPassive(g, gov) ? g.kids(gov, "nsubj:pass") : g.kids(gov, "obj");
            if (objs.length) return { tokens: objs, via: gov };
        }
        // "attributed attempts to compromise X to Iran": the attributor is not the actor; whom it is attributed to is
        if (base === "xcomp" && /^(attribute|blame|link|tie|pin|trace|connect)$/.test(govLemma)) return { tokens: [...g.kids(gov, "obl:to"), ...g.kids(t, "obl:to")], via: gov };
        if (base === "xcomp" && OBJECT_CONTROL.test(govLemma)) {
            const objs = isPassive(g, gov) ? g.kids(gov, "nsubj:pass") : g.kids(gov, "obj");
            if (objs.length && govLemma !== "use") return { tokens: objs, via: gov };
        }
        const subj = g.kids(gov, (r) => r === "nsubj" || r === "nsubj:xsubj" || (r === "nsubj:pass" && base === "xcomp"));
        const agents = g.kids(gov, "obl:agent");
        if (isPassive(g, gov) && agents.length && base !== "xcomp") return { tokens: agents, via: gov };
        // a controller that is a plain thing ("used stolen passwords to try to access X": not the passwords) lets
        // the clause above speak
        const thing = subj.length > 0 && subj.every((s) => /^NNS?$/.test(g.pos(s)) && !/^(hacker|group|actor|operator|attacker|men|man|officer|member|agency|unit)$/.test(g.lemma(s)));
        if (thing && base === "xcomp") {
            const up = inheritedSubject(g, gov, depth + 1);
            if (up.tokens.length) return up;
        }
        if (subj.length) return { tokens: subj, via: gov };
        const up = inheritedSubject(g, gov, depth + 1);
        if (up.tokens.length) return up;
    }
    return { tokens: [] };
}

/** The object of a reporting verb that is really the subject of the clause t sits in (see applyPattern). */
function reportedSubject(v: SentenceView, t: number): number[] {
    const g = v.g;
    for (let a = g.basicParent(t)?.gov, depth = 0; a && depth < 6; a = g.basicParent(a)?.gov, depth++) {
        const up = g.basicParent(a);
        if (up && up.rel === "obj" && a < t && v.at.get(a)?.entity && v.words.reportingVerbs.has(g.lemma(up.gov))) return [a];
    }
    return [];
}

/** A noun's light verb: "launched an attack", "sanctions were imposed", "brought charges". */
function lightVerbOf(v: SentenceView, n: number): number | undefined {
    for (const e of v.g.in(n)) if ((e.rel === "obj" || e.rel === "nsubj:pass") && v.g.isVerb(e.gov) && v.words.lightVerbs.has(v.g.lemma(e.gov))) return e.gov;
    return undefined;
}

/** Who is behind an event noun: "by X", "X's", "X launched", "X was behind / responsible for", "blamed X for", "attributed to X". */
function eventAgents(v: SentenceView, n: number): number[] {
    const g = v.g;
    const out: number[] = [];
    out.push(...g.kids(n, (r) => r === "nmod:by" || r === "nmod:agent" || r === "nmod:poss"));
    for (const c of g.kids(n, "compound")) if (c < n && v.at.get(c)?.entity && !v.at.get(c)?.demonym) {
        const ent = v.table.byId.get(v.at.get(c)!.entity!);
        if (ent?.type === "ThreatActor") out.push(c);
    }
    // "X was behind the attack" / "X is responsible for the attack" ("behind" may be parsed as an adverb)
    if (g.out(n).some((e) => (e.rel === "case" || (e.rel === "advmod" && e.dep < n)) && v.words.responsibilityWords.has(g.lower(e.dep)))) {
        out.push(...g.kids(n, "nsubj"));
        // "investigators believe X was behind the attack" parsed with X as the object of "believe"
        for (const c of g.kids(n, "csubj")) if (v.words.reportingVerbs.has(g.lemma(c))) out.push(...g.kids(c, "obj"));
    }
    // "APT99, the group behind attacks on Y": the noun the responsibility phrase modifies, and what it is apposed to
    for (const e of g.in(n)) if (/^nmod:(behind|responsible_for)$/.test(e.rel) && g.pos(e.gov).startsWith("NN")) out.push(e.gov, ...g.in(e.gov, "appos").map((a) => a.gov).filter((x) => x < e.gov));
    // "the intrusion was the work of X"
    for (const e of g.in(n, "nsubj")) if (/^(work|handiwork|doing)$/.test(g.lemma(e.gov)) && g.out(e.gov, "cop").length) out.push(...g.kids(e.gov, "nmod:of"));
    // "LockBit claimed the attack on Contoso Hospital": the claimer of an attack is its actor
    for (const e of g.in(n, "obj")) if (/^claim$/.test(g.lemma(e.gov)) && ATTACK_EVENT.test(g.lemma(n))) out.push(...g.kids(e.gov, (r) => r === "nsubj" || r === "nsubj:xsubj"));
    // "X claimed responsibility for the attack", "X took credit for the breach"
    for (const e of g.in(n, "nmod:for")) if (/^(responsibility|credit|blame|ownership)$/.test(g.lemma(e.gov))) for (const e2 of g.in(e.gov, "obj")) if (/^(claim|take|accept|assume|bear|admit|deny|disclaim)$/.test(g.lemma(e2.gov))) out.push(...g.kids(e2.gov, (r) => r === "nsubj" || r === "nsubj:xsubj"));
    for (const e of g.in(n)) {
        const gov = e.gov;
        const lemma = g.lemma(gov);
        if (e.rel === "obl:for" && v.words.responsibilityWords.has(lemma)) out.push(...g.kids(gov, "nsubj"));
        if (e.rel === "obl:for" && /^(blame|accuse|sanction|charge|punish|indict|fault|condemn|hold)$/.test(lemma)) out.push(...(isPassive(g, gov) ? g.kids(gov, "nsubj:pass") : g.kids(gov, "obj")));
        // "accused X of the breach", "charged X with hacking Y" (a gerund the tagger made a noun)
        if (/^(obl|advcl):(of|over|in|with|for)$/.test(e.rel) && ACCUSE.test(lemma)) out.push(...(isPassive(g, gov) ? g.kids(gov, "nsubj:pass") : g.kids(gov, (r) => r === "obj" || r === "iobj")));
        if ((e.rel === "obj" || e.rel === "nsubj:pass") && /^(attribute|link|tie|pin|trace|connect)$/.test(lemma)) out.push(...g.kids(gov, (r) => r === "obl:to"));
        // "blamed the hack on X", "pinned the breach on X"
        if ((e.rel === "obj" || e.rel === "nsubj:pass") && /^(blame|pin)$/.test(lemma)) {
            out.push(...g.kids(gov, (r) => r === "obl:on"));
            // (with "on X" hung on the event noun, which names its victim otherwise: "blamed the breach of Y on X")
            // or a second "on X" after the victim's: "blamed the attack on Y on X"
            const ons = g.kids(n, "nmod:on").filter((x) => x > n);
            if (g.kids(gov, "obl:on").length === 0 && (ons.length > 1 || g.kids(n, (r) => r === "nmod:of" || r === "compound").length))
                out.push(...ons.slice(ons.length > 1 ? 1 : 0).filter((x) => resolve(v, x, "agent").some((a) => a.type === "ThreatActor")));
        }
        // "the attack, which was carried out by X"; "the attack X conducted"
        if ((e.rel === "obj" || e.rel === "nsubj:pass") && v.words.lightVerbs.has(lemma)) {
            // ("X used the money to fund intrusions into Y": the user, not the means the parser made the controller)
            const user = g.in(gov, "xcomp").find((u) => /^(use|employ|leverage|spend|exploit)$/.test(g.lemma(u.gov)));
            if (user) out.push(...g.kids(user.gov, "nsubj"));
            else out.push(...g.kids(gov, (r) => r === "nsubj" || r === "obl:agent" || r === "nsubj:xsubj"));
            if (out.length === 0) out.push(...inheritedSubject(g, gov).tokens);
        }
    }
    // "X used the flaw in attacks against Y", "X deployed it during the campaign": the user of the means
    // "researchers tied X to campaigns against Y": the one the event is tied to
    for (const e of g.in(n)) {
        const lemma = g.lemma(e.gov);
        if (/^obl:(in|during|for|throughout|as_part_of)$/.test(e.rel) && /^(use|deploy|exploit|employ|leverage|abuse|weaponize|weaponise|wield|install|spread|distribute|send)$/.test(lemma)) {
            out.push(...(isPassive(g, e.gov) ? g.kids(e.gov, "obl:agent") : g.kids(e.gov, (r) => r === "nsubj" || r === "nsubj:xsubj")));
            // ("the GRU used APT28 in the attack on Y": a group as the means acts too)
            if (!isPassive(g, e.gov)) out.push(...g.kids(e.gov, "obj").filter((x) => entityAt(v, x)?.type === "ThreatActor"));
        }
        // (an actor only: "linked the breach to earlier thefts" ties two events)
        if (e.rel === "obl:to" && /^(tie|link|attribute|connect|pin|trace)$/.test(lemma))
            out.push(...(isPassive(g, e.gov) ? g.kids(e.gov, "nsubj:pass") : g.kids(e.gov, "obj")).filter((x) => resolve(v, x, "agent").some((a) => a.type === "ThreatActor" || a.type === "Person")));
    }
    // "carried out a long series of attacks on Y", "has a long record of attacks on Y": the series' agent is the event's
    for (const e of g.in(n, "nmod:of")) {
        if (!/^(series|wave|string|spate|number|record|history|run|litany|barrage|succession|streak|campaign|pattern|trail|dozens|hundreds)$/.test(g.lemma(e.gov))) continue;
        for (const e2 of g.in(e.gov)) {
            if ((e2.rel === "obj" || e2.rel === "nsubj:pass") && (v.words.lightVerbs.has(g.lemma(e2.gov)) || /^(have|maintain|build|amass)$/.test(g.lemma(e2.gov)))) out.push(...g.kids(e2.gov, (r) => r === "nsubj" || r === "obl:agent" || r === "nsubj:xsubj"));
        }
        out.push(...g.kids(e.gov, (r) => r === "nmod:poss" || r === "nmod:by"));
    }
    // "its operations have included attacks against Y", "X's activity involved the phishing of Y": the activity's owner
    for (const e of g.in(n, "obj")) if (/^(include|involve|comprise|feature|encompass|entail)$/.test(g.lemma(e.gov))) for (const s2 of g.kids(e.gov, "nsubj")) out.push(...g.kids(s2, "nmod:poss"));
    // "sanctioned X for his role in the compromise of Y": the role's owner
    for (const e of g.in(n)) if (/^(nmod|acl):in$/.test(e.rel) && /^(part|role|involvement|participation|complicity)$/.test(g.lemma(e.gov))) out.push(...g.kids(e.gov, "nmod:poss"));
    // "attributed the hack of the meat processor JBS to REvil" with "to REvil" hung inside the object
    for (const e of g.in(n)) if (e.rel === "obj" && /^(attribute|link|tie|pin|trace|connect)$/.test(g.lemma(e.gov)) && g.kids(e.gov, "obl:to").length === 0)
        for (const d of g.subtree(n)) for (const e2 of g.out(d, "nmod:to")) if (e2.dep > n) out.push(e2.dep);
    // "X was involved in the breach", "X had a part in / denied any involvement in the attack"
    for (const e of g.in(n)) {
        if (/^(obl|nmod):(in|with)$/.test(e.rel) && /^(involve|participate|engage|implicate)$/.test(g.lemma(e.gov))) out.push(...g.kids(e.gov, (r) => r === "nsubj" || r === "nsubj:pass"));
        if (/^(nmod|acl):(in|with)$/.test(e.rel) && /^(part|role|involvement|hand|participation|responsibility|complicity)$/.test(g.lemma(e.gov)))
            for (const e2 of g.in(e.gov)) if (e2.rel === "obj" || e2.rel === "nsubj:pass") out.push(...g.kids(e2.gov, (r) => r === "nsubj" || r === "nsubj:xsubj"));
    }
    // "X, behind the attack" / "carried out by": acl:relcl on the noun
    for (const c of g.kids(n, (r) => r === "acl" || r === "acl:relcl")) if (v.words.lightVerbs.has(g.lemma(c))) out.push(...g.kids(c, (r) => r === "obl:agent" || r === "nsubj"));
    return out;
}

/** Who a relational noun or participle is predicated of: "X, a unit of Y"; "X is a unit of Y"; "X served as a front"; "the group X". */
/**
 * "three companies that it said were fronts for the MSS", "A and B, two hackers it said were members of APT99": a
 * predicate noun without a subject of its own under a reporting verb whose clause modifies a noun — the clause is
 * about that noun, never about the speaker. The noun, or undefined.
 */
function reportedPredicateOf(v: SentenceView, n: number): number | undefined {
    const g = v.g;
    if (!g.out(n, "cop").length || g.kids(n, (r) => r.startsWith("nsubj")).length) return undefined;
    const report = g.in(n).find((e) => /^(obj|ccomp|xcomp|dep)$/.test(e.rel) && v.words.reportingVerbs.has(g.lemma(e.gov)))?.gov;
    if (report === undefined) return undefined;
    const subj = g.kids(report, "nsubj");
    if (subj.length !== 1 || subj[0]! > report) return undefined;
    // the clause modifies a noun ("companies that it said …"), or follows it with no relative word ("hackers it said …")
    const modified = g.in(report).find((e) => /^(acl|acl:relcl|ccomp)$/.test(e.rel) && g.pos(e.gov).startsWith("NN") && e.gov < subj[0]!)?.gov;
    if (modified !== undefined) return modified;
    const before = /^(that|who|which|whom)$/.test(g.lower(subj[0]! - 1)) ? subj[0]! - 2 : subj[0]! - 1;
    return /^NNS?$/.test(g.pos(before)) && /^(PRP|NN)/.test(g.pos(subj[0]!)) ? before : undefined;
}

function holders(v: SentenceView, n: number, participle: boolean): number[] {
    const g = v.g;
    const out: number[] = [];
    for (const e of g.in(n)) {
        // "A and B, members of X" holds of both; "A, the head of X, and B" of A alone
        if (e.rel === "appos" && e.gov < n) out.push(g.pos(n) === "NN" ? -e.gov : e.gov);
        // ("Microsoft, which has linked Mint Sandstorm to the IRGC": a relative clause with its own object holds of that object)
        // ("Contoso, a Texas-based software company": the noun a sector word names describes the name it is apposed to)
        if (participle && (e.rel === "acl" || e.rel === "amod" || (e.rel === "acl:relcl" && g.kids(n, "obj").length === 0))) {
            // (of a list "A and B, a Pennsylvania-based company", the name right before the apposition alone)
            const named = (x: number) => Boolean(v.at.get(x)?.entity) && v.at.get(x)?.source !== "sector";
            const apposed = v.at.get(e.gov)?.source === "sector" ? g.in(e.gov, "appos").map((x) => x.gov).find(named) : undefined;
            const nearest = apposed === undefined ? undefined : Math.max(...[apposed, ...g.kids(apposed, (r) => r.startsWith("conj"))].filter((x) => x < e.gov && named(x)));
            out.push(nearest !== undefined ? -nearest : e.gov);
        }
        // "an outlet that the Foreign Office said was funded by Moscow", parsed with the participle a complement of
        // "said": the clause is about the noun it modifies, never the speaker
        if (e.rel === "xcomp" && participle && v.words.reportingVerbs.has(g.lemma(e.gov)) && g.kids(e.gov, "obj").length === 0 && g.kids(e.gov, "nsubj:pass").length === 0) {
            for (const up of g.in(e.gov)) if (/^(ccomp|acl|acl:relcl)$/.test(up.rel) && g.pos(up.gov).startsWith("NN")) out.push(up.gov);
            continue;
        }
        if ((e.rel === "obl:as" || e.rel === "xcomp" || e.rel === "advcl:as") && g.isVerb(e.gov)) {
            // "described X as a front" (the object), "served as a front" (the subject), "X was named as …" (passive subject)
            const objs = g.kids(e.gov, "obj");
            if (objs.length) out.push(...objs);
            else out.push(...g.kids(e.gov, (r) => r === "nsubj" || r === "nsubj:pass" || r === "nsubj:xsubj"));
        }
        // "two of its employees, A and B": the counted part holds
        if (e.rel === "nmod:of" && e.gov < n && g.pos(e.gov) === "CD" && g.word(n + 1) === "," && entityAt(v, n + 2)?.type === "Person") out.push(e.gov);
        // "the GRU officer Ivan Petrov": the name is the compound's governor (only that name, not its conjuncts)
        if (e.rel === "compound" && e.gov > n && v.at.get(e.gov)?.entity) out.push(-e.gov);
    }
    // "Microsoft linked Mint Sandstorm to the IRGC": an active use holds of its object, the subject only claims it
    // ("the actor Microsoft associates with Unit 12": a relative clause whose object is the noun it modifies)
    const drawsTie = participle && /^VB[DZP]$/.test(g.pos(n)) && /^(link|tie|connect|associate|attribute|trace)$/.test(g.lemma(n)) && g.kids(n, "nsubj").length > 0;
    const reported = reportedPredicateOf(v, n);
    if (reported !== undefined) out.push(reported);
    else if (participle && g.kids(n, "obj").length) out.push(...g.kids(n, "obj"));
    else if (drawsTie) out.push(...g.in(n).filter((e) => /^(acl|acl:relcl|dep)$/.test(e.rel) && e.gov < n && g.pos(e.gov).startsWith("NN")).map((e) => e.gov));
    else if (g.out(n, "cop").length || participle) {
        const subj = g.kids(n, (r) => r === "nsubj" || r === "nsubj:pass" || r === "nsubj:xsubj");
        out.push(...subj);
        // "X is accused of being a member of Y", "X was found to be an officer of Y": the clause above names X
        if (subj.length === 0 && g.out(n, "cop").length) out.push(...inheritedSubject(g, n).tokens);
    }
    // "X has close ties to Y", "X enjoyed a relationship with Y"; "X was one of its employees"
    for (const e of g.in(n)) {
        if (e.rel === "obj" && /^(have|maintain|enjoy|keep|develop|forge|establish|build|share|retain)$/.test(g.lemma(e.gov))) out.push(...g.kids(e.gov, (r) => r === "nsubj" || r === "nsubj:xsubj"));
        if (e.rel === "nmod:of" && (g.pos(e.gov) === "CD" || /^(one|some|many|several|most|each|any|all|both|none)$/.test(g.lower(e.gov)))) out.push(...g.kids(e.gov, (r) => r === "nsubj" || r === "appos"));
    }
    // "its victims included Y", "among its victims were Y", "its targets have included Y"
    for (const e of g.in(n)) {
        if (e.rel === "nsubj" && /^(include|comprise|be|feature|span|range)$/.test(g.lemma(e.gov))) out.push(...g.kids(e.gov, "obj"), ...(g.lemma(e.gov) === "be" ? [] : []));
        // "its targets are broad: government agencies, the defence industry and media"
        // ("… are broad but consistent: …": the colon after the predicate's own words)
        const colon = g.out(e.gov, "cop").length ? [...Array(4).keys()].map((k) => e.gov + 1 + k).find((k) => g.word(k) === ":" && g.basicParent(k)?.gov === e.gov) : undefined;
        if (e.rel === "nsubj" && colon !== undefined) out.push(...g.kids(e.gov, (r) => r === "dep" || r === "appos" || r === "parataxis" || r === "list").filter((x) => x > colon));
        if (/^(obl|nmod):among$/.test(e.rel)) out.push(...g.kids(e.gov, (r) => r === "nsubj" || r === "nsubj:pass"), ...(v.at.get(e.gov)?.entity ? [e.gov] : []));
    }
    // "seven members of Trickbot, including its leader, A, and a developer, B": those included hold the plural role
    // (or hung on the "of" phrase: "three members of Evil Corp, including A" — people only)
    if (g.pos(n) === "NNS") {
        out.push(...g.kids(n, (r) => r === "nmod:including" || r === "nmod:such_as" || r === "nmod:among"));
        for (const o of g.kids(n, "nmod:of")) out.push(...g.kids(o, (r) => r === "nmod:including" || r === "nmod:such_as").filter((x) => entityAt(v, x)?.type === "Person"));
    }
    // "sanctioned A and B, both members of X" parsed as a second object: the role holds of the objects before it
    // (so does a plural role noun set off by a comma after them: "charged A and B, alleged members of X")
    if (g.word(n - 1) === "," || g.word(n - 2) === ",")
        if (g.kids(n, (r) => r === "cc:preconj" || r === "det" || r === "det:predet").some((d) => /^(both|all|each)$/.test(g.lower(d))) || (g.pos(n) === "NNS" && v.words.memberNouns.has(g.lemma(n)) && g.word(n - 1 - g.kids(n, "amod").filter((a) => a < n).length) === ","))
            for (const e of g.in(n)) if (/^(obj|nsubj:pass|iobj)$/.test(e.rel)) out.push(...g.kids(e.gov, e.rel).filter((x) => x < n && x !== n));
    // "Sandworm's leader, Ivan Petrov": the apposed name right after the role holds it (not the rest of a list)
    // (a counted plural role holds of the whole list: "two FSB officers, A and B")
    // ("three GRU officers, A, B and C" may come with each name a separate apposition)
    const appositions = g.kids(n, "appos").filter((a) => a > n).sort((a, b) => a - b);
    const apposed = appositions[0];
    if (apposed !== undefined) {
        // (and a plural role with a list of names right after it: "Evil Corp members Ivan Petrov and Oleg Smirnov")
        if (g.pos(n) === "NNS" && (g.kids(n, "nummod").length || appositions.slice(1).every((a) => g.in(a).some((e) => e.rel.startsWith("conj") && appositions.includes(e.gov))) && appositions.length > 1)) out.push(...appositions);
        else out.push(-apposed);
    }
    // a flat list "its founder, A, its chief operating officer, B, and its sales director, C": the parser may
    // make every item a conjunct; each role noun goes with the name right after it
    if (out.length === 0) {
        const head = g.in(n).find((e) => e.rel.startsWith("conj"))?.gov ?? n;
        const items = [head, ...g.kids(head, (r) => r.startsWith("conj") || r === "appos")].filter((x, k, all) => all.indexOf(x) === k).sort((a, b) => a - b);
        const k = items.indexOf(n);
        for (const next of k >= 0 ? items.slice(k + 1) : []) {
            const e = v.table.byId.get(v.at.get(next)?.entity ?? "");
            if (e?.type === "Person") {
                out.push(next);
                break;
            }
            if (e || !g.pos(next).startsWith("NN")) break; // another name, or not a role noun: the list moved on
        }
    }
    // "two members of Evil Corp, A and B" with the names parsed inside the "of" phrase
    if (out.length === 0) out.push(...countedNames(v, n).map((t) => -t));
    // "Ivan Petrov, who is a member of X": enhanced++ gives nsubj from "member" to the antecedent (already above)
    return out;
}

/** Objects of a relational noun: "of Y", "Y's", "a GRU unit". */
function relationalObjects(v: SentenceView, n: number, p: Pattern): number[] {
    const g = v.g;
    const out = viaTargets(g, n, p);
    out.push(...g.kids(n, "nmod:poss"));
    // "a shell company used by APT31", "a front set up by the MSS"; "APT31 used Contoso as a front"
    for (const a of g.kids(n, (r) => r === "acl")) if (/^(use|set|create|establish|run|operate|control|employ|found)$/.test(g.lemma(a))) out.push(...g.kids(a, (r) => r === "obl:agent" || r === "obl:by"));
    for (const e of g.in(n)) if ((e.rel === "obl:as" || e.rel === "advcl:as") && /^(use|employ|exploit|establish|set|create|register|run)$/.test(g.lemma(e.gov)) && g.kids(e.gov, "obj").length) out.push(...g.kids(e.gov, (r) => r === "nsubj" || r === "nsubj:xsubj"));
    for (const c of g.kids(n, "compound")) if (c < n && v.at.get(c)?.entity) out.push(c);
    return out;
}

/** Entities of argument tokens; a negative token stands for "this token alone, without its conjuncts". */
function entitiesOf(v: SentenceView, tokens: number[], role: Role): Entity[] {
    const out: Entity[] = [];
    for (const t of tokens) for (const e of resolve(v, Math.abs(t), role, new Set(), t > 0)) if (!out.includes(e)) out.push(e);
    return out;
}

function hasWord(v: SentenceView, t: number, words: string[]): boolean {
    const set = new Set(words.map((w) => w.toLowerCase()));
    return v.g.subtree(t).some((i) => i !== t && (set.has(v.g.lemma(i)) || set.has(v.g.lower(i))));
}

/** The counts of generic patient nouns with no names ("three men"), for counted sets named later. */
function countOf(v: SentenceView, tokens: number[]): NonNullable<TriggerResult["countedPatients"]> {
    const out: NonNullable<TriggerResult["countedPatients"]> = [];
    for (const t of new Set(tokens)) {
        if ((v.at.get(t)?.entity && v.at.get(t)?.source !== "sector") || v.g.ner(t) === "DATE" || !(v.words.personSetNouns.has(v.g.lemma(t)) || v.words.orgSetNouns.has(v.g.lemma(t)))) continue;
        const n = v.g.kids(t, "nummod").map((d) => v.words.numbers[v.g.lower(d)] ?? Number(v.g.lower(d))).find((x) => Number.isInteger(x) && x > 1);
        if (!n) continue;
        // "six officials of the IRGC", "two Evil Corp members": a role noun's group
        const of = v.words.memberNouns.has(v.g.lemma(t))
            ? v.g
                  .kids(t, (r) => r === "nmod:of" || r === "nmod:in" || r === "nmod:at" || r === "nmod:from" || r === "compound" || r === "nmod:poss")
                  .flatMap((x) => (entityAt(v, x) ? [entityAt(v, x)!] : resolve(v, x, "object", new Set(), false)))
                  .find((e) => e && (e.type === "Organization" || e.type === "ThreatActor"))
            : undefined;
        // "six Russian technology companies": where the companies named later are based
        const state = v.words.companyNouns.has(v.g.lemma(t))
            ? v.g
                  .subtree(t)
                  .filter((d) => d < t && d > Math.max(0, ...v.g.kids(t, "nummod")))
                  .map((d) => v.at.get(d))
                  .find((m) => m?.registry?.type === "State")
            : undefined;
        const based = state?.registry ? v.table.fromRegistry(state.registry) : undefined;
        out.push({ count: n, noun: v.g.lemma(t), ...(of ? { of } : {}), ...(based ? { based } : {}) });
    }
    return out;
}

/** Runs one pattern at one token; undefined when the token does not fit the pattern's kind. */
function applyPattern(v: SentenceView, t: number, p: Pattern): TriggerResult | undefined {
    const g = v.g;
    const pos = g.pos(t);
    let agentTok: number[] = [];
    let patientTok: number[] = [];
    /** States a demonym on the trigger's subject names ("British sanctions target X"). */
    let stateAgents: Entity[] = [];
    let matching = p.extendsListing === true;
    if (p.kind === "verb") {
        if (!pos.startsWith("VB")) return undefined;
        if (p.exceptObject && g.kids(t, (r) => r === "obj" || r === "nsubj:pass").some((o) => p.exceptObject!.includes(g.lemma(o)) || p.exceptObject!.includes(g.lower(o)))) return undefined;
        if (p.clauseOnly && g.in(t).some((e) => e.rel === "acl" || e.rel === "amod")) return undefined;
        if (p.particle && !g.kids(t, (r) => r === "compound:prt" || r === "advmod" || r === "xcomp" || r === "obl:npmod").some((x) => p.particle!.includes(g.lower(x)))) return undefined;
        const passive = isPassive(g, t);
        // "those sanctioned by the UK": a participle's "by" is its agent even where the parser did not say so
        agentTok = g.kids(t, (r) => r === "nsubj" || r === "nsubj:xsubj" || r === "obl:agent" || (pos === "VBN" && r === "obl:by"));
        // "he used Hive to encrypt X": what is used is the means, unless it is a group or a person ("the GRU used
        // APT28 to hack X"); the user acts
        const user = g.in(t, "xcomp").find((e) => g.lemma(e.gov) === "use" && !isPassive(g, e.gov))?.gov;
        if (user !== undefined) agentTok = agentTok.flatMap((x) => (g.in(x, "obj").some((e) => e.gov === user) && !resolve(v, x, "agent").some((a) => a.type === "ThreatActor" || a.type === "Person") ? g.kids(user, "nsubj") : [x]));
        // "X impersonated journalists to target Y": after a verb that takes no object control, "to V" is a purpose
        // clause of the verb's subject, not something its object does
        // (not where what is made or blamed is for the purpose: "a front the MSS created to provide cover", "attributed
        // attempts to compromise X to Iran")
        const purpose = g.in(t, "xcomp").find((e) => !OBJECT_CONTROL.test(g.lemma(e.gov)) && !MADE_FOR.test(g.lemma(e.gov)) && !isPassive(g, e.gov) && g.isVerb(e.gov) && g.kids(e.gov, "obj").length > 0)?.gov;
        if (purpose !== undefined) agentTok = agentTok.flatMap((x) => (g.in(x, "obj").some((e) => e.gov === purpose) ? (g.kids(purpose, "nsubj").length ? g.kids(purpose, "nsubj") : inheritedSubject(g, purpose).tokens) : [x]));
        // a passive participle modifying a noun: "companies hacked by X" → the noun is the patient
        const aclGov = g.in(t, (r) => r === "acl" || r === "acl:relcl" || r === "amod").map((e) => e.gov);
        if (p.objectNoun) {
            // ("came under attack from X": the noun after "under" is the verb's object too)
            const objs = g.kids(t, (r) => r === "obj" || r === "nsubj:pass" || (p.subjectIsPatient === true && r === "obl:under")).filter((o) => p.objectNoun!.includes(g.lemma(o)) || p.objectNoun!.includes(g.lower(o)));
            if (objs.length === 0) return undefined;
            patientTok = [...viaTargets(g, t, p), ...objs.flatMap((o) => viaTargets(g, o, p))];
            if (passive) agentTok = g.kids(t, "obl:agent");
            // "X faces charges": the subject is who the measure is about; the acting body comes from discourse
            // ("X fell victim to Y": with a preposition, the one it names acts)
            if (p.subjectIsPatient) {
                agentTok = p.via ? patientTok : [];
                patientTok = g.kids(t, (r) => r === "nsubj" || r === "nsubj:xsubj");
                if (patientTok.length === 0) patientTok = inheritedSubject(g, t).tokens;
                // ("Mandiant disclosed a breach at Contoso Bank": an event that names where it was is not the subject's)
                const own = objs.flatMap((o) => g.kids(o, (r) => /^nmod:(at|of|on|against|into)$/.test(r))).filter((x) => g.lemma(x) !== "hand" && !agentTok.includes(x));
                if (p.predicate === "COMPROMISED" || p.predicate === "TARGETED") if (entitiesOf(v, own, "victim").length) patientTok = own;
            }
        } else if (p.possessorOf) {
            const objs = g.kids(t, (r) => r === "obj" || r === "nsubj:pass").filter((o) => p.possessorOf!.includes(g.lemma(o)));
            patientTok = objs.flatMap((o) => g.kids(o, "nmod:poss"));
        } else if (p.moveObject) {
            if (p.via && !viaTargets(g, t, p).some((x) => !p.requires || p.requires.includes(g.lemma(x)) || hasWord(v, x, p.requires) || p.requires.includes(g.lower(x)))) return undefined;
            patientTok = passive ? g.kids(t, "nsubj:pass") : g.kids(t, "obj");
            // ("X was added to the EU's sanctions list": whose list it is acts)
            if (passive && agentTok.length === 0) agentTok = viaTargets(g, t, p).flatMap((x) => g.kids(x, "nmod:poss")).filter((x) => resolve(v, x, "agent").some((e) => e.type === "State" || (e.type === "Organization" && e.kind === "government")));
        } else if (p.via) {
            patientTok = viaTargets(g, t, p);
            // "the APT28 campaign was aimed at X": a passive whose subject is the activity speaks of its owner
            if (passive && agentTok.length === 0) agentTok = g.kids(t, "nsubj:pass").filter((x) => ACTIVITY_NOUN.test(g.lemma(x)));
            // ("X launched a campaign aimed at Y": a participle on an activity noun, whoever is behind the activity)
            if (agentTok.length === 0 && pos === "VBN") for (const n of aclGov.filter((x) => ACTIVITY_NOUN.test(g.lemma(x)))) agentTok.push(...eventAgents(v, n));
        } else {
            patientTok = passive ? g.kids(t, "nsubj:pass") : g.kids(t, (r) => r === "obj" || r === "iobj");
            // "APT99, which officials say is run by the GRU": a passive with no subject under a reporting verb of a
            // relative clause is about the clause's antecedent
            if (passive && patientTok.length === 0)
                for (const up of g.in(t, (r) => r === "dep" || r === "ccomp")) if (v.words.reportingVerbs.has(g.lemma(up.gov))) patientTok.push(...g.in(up.gov, "acl:relcl").map((e) => e.gov).filter((x) => x < up.gov));
            // an object misparsed as a time ("charged A and B the same day") leaves the indirect objects
            if (patientTok.length === 0 && pos === "VBN" && aclGov.length) patientTok = aclGov;
            // "housed and supported the GRU": coordinated verbs share the object written after both
            if (patientTok.length === 0 && !passive) {
                const partners = [...g.in(t, (r) => r.startsWith("conj")).map((e) => e.gov), ...g.kids(t, (r) => r.startsWith("conj"))].filter((x) => g.isVerb(x));
                for (const x of partners) patientTok.push(...g.kids(x, "obj").filter((o) => o > t && o > x));
            }
            // "compromised email servers at Contoso" with the place of the systems attached to the verb
            if (!passive) for (const o of [...patientTok]) if (!v.at.get(o)?.entity && (v.words.productNouns.has(g.lemma(o)) || v.words.ownedSystemNouns.has(g.lemma(o)))) patientTok.push(...g.kids(t, "obl:at").filter((x) => x > o));
            // a list the parser broke off ("targeted A, B, think tanks and C"): nominal deps after the object
            if (patientTok.length) patientTok.push(...g.kids(t, "dep").filter((d) => d > t && g.pos(d).startsWith("NN")));
            // "hacked A, as well as B": a noun the parser joined to the verb is one more object
            if (patientTok.length) patientTok.push(...g.kids(t, (r) => r.startsWith("conj")).filter((d) => d > t && g.pos(d).startsWith("NN") && !g.pos(d).startsWith("NNP") && g.kids(d, (r) => r.startsWith("nsubj") || r === "cop" || r === "case").length === 0));
        }
        // "the Commerce Department, which added A and B to its list" read with "which" as the object: the relative
        // clause's antecedent is its subject when the clause has objects of its own after the verb
        if (agentTok.length === 0 && !passive) {
            const antecedent = g.in(t, "acl:relcl").map((e) => e.gov).find((n) => patientTok.includes(n));
            if (antecedent !== undefined && patientTok.some((x) => x > t)) {
                agentTok = [antecedent];
                patientTok = patientTok.filter((x) => x !== antecedent);
            }
        }
        if (p.subjectNoun) {
            const subj = g.kids(t, "nsubj");
            if (!subj.some((s) => p.subjectNoun!.includes(g.lemma(s)))) return undefined;
            const own = subj.map((x) => measureAgents(v, x));
            agentTok = own.flatMap((x) => x.tokens);
            stateAgents = own.flatMap((x) => x.states);
        } else if (agentTok.length === 0) {
            // "hacking Contoso" parsed as an adjective on its object: the noun is the patient, and the agent
            // comes from the clause the noun belongs to ("charged X with hacking Contoso")
            const before = g.in(t, "amod").map((e) => e.gov).filter((n) => n > t);
            const plainTransitive = !p.via && !p.objectNoun && !p.possessorOf && !p.moveObject && !p.subjectIsPatient;
            if (pos === "VBG" && before.length && patientTok.length === 0 && plainTransitive) {
                patientTok = before;
                for (const n of before) for (const e of g.in(n)) if (e.rel.startsWith("obl") && e.gov !== 0) agentTok.push(...(ACCUSE.test(g.lemma(e.gov)) ? (isPassive(g, e.gov) ? g.kids(e.gov, "nsubj:pass") : g.kids(e.gov, "obj")) : g.kids(e.gov, "nsubj")));
            } else if (pos === "VBG" && aclGov.length && !passive) agentTok = aclGov;
            else agentTok = inheritedSubject(g, t).tokens;
        }
        if (p.requires && !p.moveObject && !p.requires.some((w) => hasWord(v, t, [w]))) return undefined;
    } else if (p.kind === "noun") {
        if (!pos.startsWith("NN")) return undefined;
        patientTok = viaTargets(g, t, p);
        // "hacking Contoso" with "hacking" tagged a noun: its object
        if (/ing$/.test(g.lower(t))) patientTok.push(...g.kids(t, (r) => r === "obj" || r === "dep" || r === "compound:obj").filter((x) => x > t));
        const lv = lightVerbOf(v, t);
        if (lv !== undefined) patientTok.push(...viaTargets(g, lv, { ...p, viaRequires: undefined }));
        agentTok = eventAgents(v, t);
        // the possessor of "X's breach" is the agent, not a victim
        patientTok = patientTok.filter((x) => !agentTok.includes(x));
        // "the SolarWinds compromise", "the Bundestag attack": a named victim in front of the event noun
        if (patientTok.length === 0 && agentTok.length && (p.predicate === "TARGETED" || p.predicate === "COMPROMISED"))
            for (const c of g.kids(t, "compound")) {
                const e = c < t ? v.table.byId.get(v.at.get(c)?.entity ?? "") : undefined;
                if (e && !e.weak && e.type !== "ThreatActor" && e.type !== "Sector" && !agentTok.includes(c)) patientTok.push(c);
            }
        if (g.kids(t, "amod").some((a) => MATCHING.test(g.lower(a))) || (lv !== undefined && g.kids(lv, "advmod").some((a) => MATCHING.test(g.lower(a))))) matching = true;
    } else if (p.kind === "relational") {
        // the relational word may modify the head noun: "a front company for X", "a proxy group for Y"
        const head = !pos.startsWith("NN") || g.in(t).some((e) => e.rel === "compound" && g.pos(e.gov).startsWith("NN") && !v.at.get(e.gov)?.entity) ? g.in(t).find((e) => (e.rel === "amod" || e.rel === "compound") && g.pos(e.gov).startsWith("NN"))?.gov : t;
        if (head === undefined || !(pos.startsWith("NN") || pos.startsWith("JJ"))) return undefined;
        if (p.caseMarker) {
            // "hackers from Sandworm had been inside the network of Kyivstar": the noun is the place the subject was
            if (!g.out(head).some((e) => e.rel === "case" && p.caseMarker!.includes(g.lower(e.dep))) || g.out(head, "cop").length === 0) return undefined;
            agentTok = g.kids(head, (r) => r === "nsubj" || r === "nsubj:xsubj");
            if (agentTok.length === 0) agentTok = inheritedSubject(g, head).tokens;
            patientTok = [head];
        } else {
        agentTok = holders(v, head, false);
        patientTok = relationalObjects(v, head, p);
        // the holder is never its own object ("Ivan Petrov's unit, Unit 12")
        patientTok = patientTok.filter((x) => !agentTok.includes(x) && !agentTok.includes(-x));
        }
    } else {
        if (!(pos.startsWith("VB") || pos.startsWith("JJ") || pos.startsWith("NN"))) return undefined;
        agentTok = holders(v, t, true);
        patientTok = viaTargets(g, t, p);
        // "tied X to Y" names X before "to Y"; an "object" after it is a misparse of a reduced relative clause
        // ("Hackers tied to China breached Contoso Bank" read as "tied … Contoso Bank")
        if (patientTok.length) agentTok = agentTok.filter((x) => !(x > t && patientTok.every((y) => y < x) && g.in(x).some((e) => e.rel === "obj" && e.gov === t)));
        // "a company based in Ostrava" parsed with "based" as a preposition of Ostrava
        for (const e of g.in(t, "case")) {
            const gov = g.in(e.gov).find((x) => /^(nmod|obl)/.test(x.rel));
            const marker = gov ? relMarker(gov.rel) : undefined;
            if (gov && (!p.viaSet || (marker && p.viaSet.has(marker)) || p.viaSet.has("agent"))) {
                patientTok.push(e.gov);
                agentTok.push(gov.gov);
            }
        }
    }
    // "B, which is based in Ireland; C, …; and D": a relative clause speaks of its antecedent alone, not of the
    // conjuncts listed after it
    const alone = (x: number) => (x > 0 && g.in(t, "acl:relcl").some((e) => e.gov === x) && g.out(x).some((e) => e.rel.startsWith("conj") && e.dep > t) ? -x : x);
    agentTok = agentTok.map(alone);
    patientTok = patientTok.map(alone);
    const role: Role = (p.kind === "relational" && !p.caseMarker) || p.kind === "participle" ? "holder" : "agent";
    // ("its targets are: A, B": the holders of a swapped attack noun are its victims)
    let agents = [...entitiesOf(v, agentTok, p.swap && (p.predicate === "TARGETED" || p.predicate === "COMPROMISED") ? "victim" : role), ...stateAgents];
    // a subject that names nothing ("since 2020" misparsed, "the advisory") lets the clause above speak
    if (agents.length === 0 && p.kind === "verb" && !p.subjectNoun && !p.subjectIsPatient) agents = entitiesOf(v, inheritedSubject(g, t).tokens, role);
    // "said Unit 12 has since 2020 tried to break into …" parsed with the name as the object of "said": the name
    // a reporting verb took as its object, on the way from the trigger to the root, is the clause's subject
    if (agents.length === 0 && p.kind === "verb" && !p.subjectNoun && !p.subjectIsPatient) agents = entitiesOf(v, reportedSubject(v, t), role).filter((e) => e.type !== "Sector");
    // "sanctioned 17 people, including X", "sanctioned the group together with two subgroups, A and B"
    if (p.kind === "verb" && patientTok.length && !p.objectIsPlace) patientTok.push(...g.kids(t, (r) => /^obl:(including|such_as|among|along_with|together_with|alongside|as_well_as|in_addition_to|plus)$/.test(r)));
    // (parsed with "together" / "along" an adverb and a plain "with": "sanctioned the group together with two subgroups")
    // (of a measure only: "APT99 attacked X together with APT98" names a partner, not a second victim)
    if (p.kind === "verb" && (p.predicate === "SANCTIONED" || p.predicate === "CHARGED") && patientTok.length && !p.objectIsPlace && g.kids(t, "advmod").some((a) => /^(together|along)$/.test(g.lower(a))))
        patientTok.push(...g.kids(t, "obl:with").filter((w) => g.kids(t, "advmod").some((a) => /^(together|along)$/.test(g.lower(a)) && g.kids(w, "case").includes(a + 1))));
    const attack = p.predicate === "TARGETED" || p.predicate === "COMPROMISED";
    const patients = p.objectIsPlace ? patientTok.flatMap((x) => placeState(v, x)) : entitiesOf(v, patientTok, attack ? "victim" : p.kind === "verb" || p.kind === "noun" ? "patient" : "object");
    // "compromised organisations in the water and energy sectors", the sectors attached to the verb
    if (attack && p.kind === "verb") for (const x of entitiesOf(v, g.kids(t, (r) => /^obl:(in|across|within|throughout|including|such_as)$/.test(r)), "victim")) if (x.type === "Sector" && !patients.includes(x)) patients.push(x);
    // (a measure's patient is never a sector: "sanctioned six technology companies" names them later)
    const counted = patients.length === 0 || (!attack && patients.every((e) => e.type === "Sector")) ? countOf(v, patientTok) : undefined;
    // "the attack", "this breach", "the intrusions": a definite event noun with no victim of its own
    // (singular, a real attack noun, nothing naming it: "the Exchange intrusions" and "its activity" are other things)
    const eventAnaphor =
        p.kind === "noun" && attack && patients.length === 0 && g.pos(t) === "NN" && ATTACK_EVENT.test(g.lemma(t)) &&
        g.kids(t, (r) => r === "compound" || r === "amod" || r === "nmod:poss").length === 0 &&
        g.kids(t, "det").some((d) => /^(the|this|that)$/.test(g.lower(d)));
    return { pattern: p, anchor: t, agents, patients, ...(counted?.length ? { countedPatients: counted } : {}), ...(matching ? { matching } : {}), ...(eventAnaphor ? { eventAnaphor } : {}) };
}

/** All trigger hits of a sentence. */
export function findTriggers(v: SentenceView, book: PatternBook): TriggerResult[] {
    const out: TriggerResult[] = [];
    const g = v.g;
    for (let t = 1; t <= g.size; t++) {
        if (v.at.get(t)?.entity && v.at.get(t)!.source !== "people" && v.at.get(t)!.source !== "sector") continue; // a name is not a trigger
        const cands = new Set([...(book.byLemma.get(g.lemma(t)) ?? []), ...(book.byLemma.get(g.lower(t)) ?? [])]);
        for (const p of cands) {
            const r = applyPattern(v, t, p);
            if (r && (r.agents.length || r.patients.length || r.countedPatients || r.matching || r.eventAnaphor)) out.push(r);
        }
        const misread = misreadVerb(v, book, t) ?? misreadInfinitive(v, book, t) ?? misreadMeasure(v, book, t);
        if (misread) out.push(misread);
    }
    return out;
}

/**
 * "APT99 targets telecommunications firms", "APT99 attacks government networks": a present-tense verb right after a
 * name that the tagger read as a plural noun (so the parse has no clause). The name is the subject and the noun
 * phrases after the verb, read from the words, are its objects; only where the next word opens a noun phrase (never
 * "APT99 attacks on banks").
 */
function misreadVerb(v: SentenceView, book: PatternBook, t: number): TriggerResult | undefined {
    const g = v.g;
    if (g.pos(t) !== "NNS" || !/s$/.test(g.lower(t))) return undefined;
    // (the subject may stand before a relative clause: "APT99, which has been active since 2014, targets X")
    let before = t - 1;
    if (g.word(before) === ",") {
        let k = before - 1;
        while (k > 1 && g.word(k) !== ",") k--;
        if (k > 1 && /^(which|who)$/.test(g.lower(k + 1))) before = k - 1;
    }
    const subject = v.at.get(before);
    if (!subject?.entity || subject.end !== before || subject.source === "sector" || subject.source === "people" || g.pos(before) === "POS") return undefined;
    if (!/^(DT|JJ|JJR|JJS|NN|NNS|NNP|NNPS|CD|PRP\$)$/.test(g.pos(t + 1))) return undefined;
    const stem = g.lower(t).replace(/es$/, "").replace(/s$/, "");
    const lemmas = [g.lower(t).slice(0, -1), stem, g.lower(t).replace(/ies$/, "y")];
    const p = [...new Set(lemmas.flatMap((l) => book.byLemma.get(l) ?? []))].find((x) => x.kind === "verb" && !x.via && !x.objectNoun && !x.subjectNoun && !x.possessorOf && !x.particle && !x.requires && !x.swap && !x.subjectIsPatient);
    if (!p) return undefined;
    // the first noun phrase after the verb ("telecommunications firms in Asia": its head before the preposition), then ", B and C"
    const head = nounPhraseHead(g, t + 1);
    if (!head) return undefined;
    // (an actor's activity only: "Treasury sanctions X" and "US targets Y" headlines are no misread clause of an actor)
    const agents = resolve(v, before, "agent").filter((e) => e.type === "ThreatActor" || e.type === "Person" || (e.type === "Organization" && e.weak));
    const patients: Entity[] = [];
    for (const x of [head, ...listedAfter(v, head)]) for (const e of resolve(v, x, p.predicate === "TARGETED" || p.predicate === "COMPROMISED" ? "victim" : "patient", new Set(), false)) if (!patients.includes(e)) patients.push(e);
    // (a sector list the tagger folded into modifiers: "targets energy, finance and government organisations")
    for (let k = t + 1; k < head; k++) if (entityAt(v, k)?.type === "Sector" && !patients.includes(entityAt(v, k)!)) patients.push(entityAt(v, k)!);
    return agents.length && patients.length ? { pattern: p, anchor: t, agents, patients } : undefined;
}

/** The last noun of the noun phrase that starts at k (0 if none): "the Contoso Ministry of …" → "Ministry". */
function nounPhraseHead(g: SentenceGraph, k: number): number {
    let head = 0;
    for (; k <= g.size && /^(DT|JJ|JJR|JJS|NN|NNS|NNP|NNPS|CD|PRP\$|HYPH|POS)$/.test(g.pos(k)); k++) if (g.pos(k).startsWith("NN")) head = k;
    return head;
}

/**
 * "APT99 used phishing emails to hack Contoso Bank", "used stolen passwords to breach the ministry's network": after
 * an object the left-to-right tagger often reads "to" as a preposition and the infinitive as a noun ("to/IN hack/NN").
 * A bare trigger noun right after "to" with a noun phrase after it is the verb: its subject is the clause's, its
 * object the noun phrase.
 */
function misreadInfinitive(v: SentenceView, book: PatternBook, t: number): TriggerResult | undefined {
    const g = v.g;
    if (g.pos(t) !== "NN" || g.lower(t - 1) !== "to" || g.pos(t - 1) !== "IN" || g.kids(t, (r) => r === "det" || r === "nmod:poss" || r === "amod").length) return undefined;
    // (a verb with its preposition, "to spy on X", takes the noun phrase after the preposition)
    const prep = g.pos(t + 1) === "IN" ? g.lower(t + 1) : undefined;
    const start = prep ? t + 2 : t + 1;
    if (!/^(DT|NNP|NNPS|PRP\$|JJ)$/.test(g.pos(start)) || (g.pos(start) === "JJ" && !prep)) return undefined;
    const p = (book.byLemma.get(g.lemma(t)) ?? []).find((x) => x.kind === "verb" && (prep ? x.via?.includes(prep) && (!x.viaRequires?.[prep] || x.viaRequires[prep]!.includes(g.lemma(t))) : !x.via) && !x.objectNoun && !x.subjectNoun && !x.possessorOf && !x.particle && !x.requires && !x.swap && !x.subjectIsPatient);
    if (!p) return undefined;
    // the verb of the clause: up from the trigger
    let verb: number | undefined;
    for (let up = g.basicParent(t), k = 0; up && up.gov > 0 && k < 4; up = g.basicParent(up.gov), k++) if (g.isVerb(up.gov)) { verb = up.gov; break; }
    if (verb === undefined || verb > t) return undefined;
    const agents = entitiesOf(v, isPassive(g, verb) ? g.kids(verb, "obl:agent") : g.kids(verb, (r) => r === "nsubj" || r === "nsubj:xsubj"), "agent");
    const head = nounPhraseHead(g, start);
    if (!head || agents.length === 0) return undefined;
    const role = p.predicate === "TARGETED" || p.predicate === "COMPROMISED" ? "victim" : "patient";
    const patients: Entity[] = [];
    for (const x of [head, ...listedAfter(v, head)]) for (const e of resolve(v, x, role, new Set(), false)) if (!patients.includes(e)) patients.push(e);
    return patients.length ? { pattern: p, anchor: t, agents, patients } : undefined;
}

/**
 * Whose measure a measure noun is, where the noun names it: "US sanctions", "the Treasury's designations", "the
 * sanctions, announced by OFAC, …", "sanctions by the EU"; "British sanctions" (a demonym: the state). Else the
 * discourse's acting body fills it (discourse.ts).
 */
function measureAgents(v: SentenceView, s: number): { tokens: number[]; states: Entity[] } {
    const g = v.g;
    const tokens = [
        ...g.kids(s, (r) => r === "nmod:poss" || r === "nmod:by" || r === "nmod:from" || r === "compound").filter((d) => d < s || !/^compound/.test(g.basicParent(d)?.rel ?? "")),
        ...g.kids(s, (r) => r === "acl" || r === "acl:relcl").flatMap((a) => (/^(announce|impose|issue|unveil|adopt|approve|agree|introduce|order|levy|publish)$/.test(g.lemma(a)) ? g.kids(a, (r) => r === "obl:agent" || r === "obl:by") : [])),
    ];
    const states = g.kids(s, "amod").map((d) => v.at.get(d)).filter((m) => m?.demonym && m.registry?.type === "State").map((m) => v.table.fromRegistry(m!.registry!));
    return { tokens, states };
}

/**
 * "British sanctions target X" tagged "sanctions/NNS target/NN": the left-to-right tagger reads a measure noun and
 * the base-form verb after it as one noun phrase. A measure noun, then a bare trigger of a measure-subject pattern,
 * then a noun phrase: the verb, with the measure's own acting body.
 */
function misreadMeasure(v: SentenceView, book: PatternBook, t: number): TriggerResult | undefined {
    const g = v.g;
    if (g.pos(t) !== "NN" || !/^(DT|NNP|NNPS|PRP\$|CD|JJ)$/.test(g.pos(t + 1))) return undefined;
    // the measure noun: right before, or, after a comma, the sentence's head noun the words between modify
    // ("The sanctions, announced by OFAC, target X")
    let m = t - 1;
    if (g.word(m) === ",") for (m = t - 2; m > 0 && !(g.pos(m) === "NNS" && g.in(m).some((e) => e.gov === 0)); m--);
    if (m <= 0 || g.pos(m) !== "NNS") return undefined;
    const p = (book.byLemma.get(g.lemma(t)) ?? []).find((x) => x.kind === "verb" && x.subjectNoun?.includes(g.lemma(m)));
    if (!p) return undefined;
    const head = nounPhraseHead(g, t + 1);
    if (!head) return undefined;
    // (the tagger's noun phrase hangs the measure's modifiers on either word: "British/amod→target")
    const own = [measureAgents(v, m), measureAgents(v, t)];
    const agents = [...entitiesOf(v, own.flatMap((x) => x.tokens).filter((x) => x < t), "agent"), ...own.flatMap((x) => x.states)];
    const patients: Entity[] = [];
    for (const x of [head, ...listedAfter(v, head), ...g.kids(head, (r) => r.startsWith("conj"))]) for (const e of resolve(v, x, "patient", new Set(), false)) if (!patients.includes(e)) patients.push(e);
    return patients.length ? { pattern: p, anchor: t, agents, patients } : undefined;
}

/** Picks the first predicate of the pattern whose type rule accepts (subject, object), retyping a weakly typed name if that is what makes it fit. */
export function choosePredicate(p: Pattern, s: Entity, o: Entity): Predicate | undefined {
    // a person's tie that the pattern allows as membership is membership ("worked for", "employed by")
    const order = s.type === "Person" && p.predicate === "AFFILIATED_WITH" && p.else?.includes("MEMBER_OF") ? (["MEMBER_OF", "AFFILIATED_WITH"] as Predicate[]) : [p.predicate, ...(p.else ?? [])];
    for (const pred of order) {
        const rule = EXTRACTION_RULES[pred];
        if (p.subjectTypes && !p.subjectTypes.includes(s.type)) continue;
        if (p.objectTypes && !p.objectTypes.includes(o.type)) continue;
        const sOk = rule.subject.includes(s.type) || (s.weak && s.type === "Organization" && rule.subject.includes("ThreatActor")) || (loneWordPerson(s) && rule.subject.includes("Organization"));
        const oOk = rule.object.includes(o.type) || (o.weak && o.type === "Organization" && rule.object.includes("ThreatActor")) || (loneWordPerson(o) && rule.object.includes("Organization"));
        if (!sOk || !oOk) continue;
        if (!rule.subject.includes(s.type)) retype(s, s.type === "Person" ? "Organization" : "ThreatActor");
        if (!rule.object.includes(o.type)) retype(o, o.type === "Person" ? "Organization" : "ThreatActor");
        // an unknown organisation that attacks is a group (EXTRACTION-GUIDE: malware and operation names are not entities)
        if ((pred === "TARGETED" || pred === "COMPROMISED") && s.weak && s.type === "Organization" && s.kind === "other") retype(s, "ThreatActor");
        return pred;
    }
    return undefined;
}

/** A government body that sanctions, prosecutes, polices or defends networks, by its name (never an intelligence service). */
function enforcementBody(e: Entity): boolean {
    return e.type === "Organization" && e.kind === "government" && [e.name, ...e.aliases].some((n) => /\b(treasury|foreign (?:ministry|office|affairs)|state department|department of state|council of the (?:eu|european union)|european commission|european union|commerce|finance|exchequer|sanctions?|justice|prosecut\w*|attorney|procurator\w*|court|police|FBI|federal bureau of investigation|europol|interpol|law enforcement|cyber ?security|CISA|NCSC|CERT|homeland security)\b/i.test(n));
}

/** Attack words that say nothing of the domain (a missile strike and a DDoS attack are both "attacks"). */
const GENERIC_ATTACK = /^(attack|target|strike|hit|threaten|assault|bombard|offensive|besiege|pummel|menace|harass|onslaught|campaign|operation|wave|aim|go|come|move|lash)$/;
/** Words of the cyber domain in a sentence. */
const CYBER_WORDS = /cyber|hack|digital|computer|network|online|internet|malware|ransomware|phish|ddos|denial[- ]of[- ]service|intrusion|breach|espionage|spying|spyware|wiper|botnet|server|e-?mail|account|\bdata\b|system|software|vulnerab|exploit|website|\bIT\b|credential|password|telecom|election|disinformation|propaganda|surveillance/i;
/** An attack made with weapons or by armed forces: "attacked X with drones", "missile strikes on X", "Russian forces attacked X". */
function kineticMeans(g: SentenceGraph, t: number, armed: Set<string>): boolean {
    const means = [...g.kids(t, (r) => /^(obl:with|obl:using|obl:by_means_of|compound|amod)$/.test(r)), ...g.kids(t, (r) => r === "nsubj")];
    return means.some((m) => armed.has(g.lemma(m)) || g.kids(m, (r) => r === "compound" || r.startsWith("conj")).some((c) => armed.has(g.lemma(c))));
}

/** Words of a sanction measure: "targeted X with sanctions" is a listing, not an attack. */
const MEASURE_WORDS = ["sanction", "sanctions", "penalty", "penalties", "asset-freeze", "embargo", "designation", "designations"];

function official(e: Entity): boolean {
    return e.type === "State" || (e.type === "Organization" && e.kind === "government");
}

function retype(e: Entity, type: EntityType): void {
    e.type = type;
    e.weak = false;
    if (type !== "Organization") delete e.kind;
    else e.kind ??= "other";
}

/** One word the tagger called a person ("Boyusec served as a front"): people are named with two words or more. */
function loneWordPerson(e: Entity): boolean {
    return e.type === "Person" && !e.registry && [e.name, ...e.aliases].every((n) => !/\s/.test(n.trim()));
}

/** Turns trigger results into facts with certainty and claimant (the discourse stage has filled missing agents/targets). */
export function factsOf(v: SentenceView, hits: TriggerResult[]): RawFact[] {
    const out: RawFact[] = [];
    for (const h of hits) {
        const p = h.pattern;
        for (const a of h.agents) {
            for (const b of h.patients) {
                const [s, o] = p.swap ? [b, a] : [a, b];
                if (s === o || s.id === o.id) continue;
                // a state attacks only where the text names the state itself as acting (never through a demonym)
                let pred = choosePredicate(p, s, o);
                if (!pred) continue;
                // people described, not named, never act ("the crew US officials blamed for breaching X")
                if ((pred === "TARGETED" || pred === "COMPROMISED") && s.people) continue;
                // government bodies that work with each other cooperate; that is no tie ("Treasury is working with the FBI")
                if (pred === "AFFILIATED_WITH" && (p.id === "affiliated.work-with" || p.id === "affiliated.on-behalf" || p.id === "affiliated.work-for") && official(s) && official(o)) continue;
                // a government body acting on a group's infrastructure is law enforcement ("the FBI disrupted APT99's
                // botnet", "police destroyed LockBit's servers"), never an intrusion
                // (a covert intrusion by an agency still is one: "the FBI penetrated Hive's network")
                if ((pred === "TARGETED" || pred === "COMPROMISED") && official(s) && o.type === "ThreatActor" && /^(destroy|disrupt|dismantle|seize|disable|knock|erase|wipe|take|sabotage|cripple|attack|target|hit|strike)$/.test(v.g.lemma(h.anchor))) continue;
                // an armed attack is no cyber operation: "Russia launched an offensive against Ukraine", "Israel struck
                // Iranian nuclear facilities", "attacked the grid with drones and missiles" (a state acts in this
                // vocabulary against another state only in words of the cyber domain; anyone acts with weapons only
                // where the sentence says it was also a cyber operation)
                if (pred === "TARGETED" && GENERIC_ATTACK.test(v.g.lemma(h.anchor)) && !CYBER_WORDS.test(v.text.slice(v.g.begin, v.g.end)) && ((s.type === "State" && o.type === "State") || kineticMeans(v.g, h.anchor, v.words.armedMeans))) continue;
                // a company acting against a group is defending ("Microsoft launched a campaign against APT99's
                // infrastructure", "Google's campaign disrupted the group"): a takedown, no intrusion
                if ((pred === "TARGETED" || pred === "COMPROMISED") && o.type === "ThreatActor" && s.type === "Organization" && /^(security-vendor|company|media)$/.test(s.kind ?? "")) continue;
                // a body that sanctions, prosecutes or polices does not attack whom it targets ("the Treasury targeted
                // Contoso Labs"), nor does anyone who targets with sanctions ("targeted X with sanctions")
                // (a covert intrusion into a group's network still is one: "the FBI penetrated Hive's network")
                if ((pred === "TARGETED" || pred === "COMPROMISED") && ((enforcementBody(s) && (pred === "TARGETED" || (o.type !== "ThreatActor" && !o.weak))) || v.g.kids(h.anchor, (r) => /^obl:(with|through|via)$/.test(r)).some((x) => MEASURE_WORDS.includes(v.g.lemma(x))))) continue;
                if (p.requiresOrgObject && o.type === "State") continue;
                // "Contoso Labs has offices in Tehran": a company's office or branch in a state says where it is, no
                // structure (only a government body is part of a state)
                if (pred === "PART_OF" && o.type === "State" && s.type === "Organization" && s.kind !== "government" && p.kind === "relational" && /^(office|branch|subsidiary|headquarters|base)$/.test(v.g.lemma(h.anchor))) {
                    if (s.kind !== "company") continue;
                    pred = "BASED_IN";
                }
                const q = qualify(v, h.anchor, pred);
                if (q.negated && q.certainty !== "denied") continue;
                // a state is never the claimant of its own attack (only of its denial): a speaker resolved to it is wrong
                if (q.claimedBy && q.claimedBy.id === s.id && s.type === "State" && q.certainty !== "denied" && (pred === "TARGETED" || pred === "COMPROMISED")) delete q.claimedBy;
                if (q.attempt && pred === "COMPROMISED") pred = "TARGETED";
                out.push({
                    s,
                    p: pred,
                    o,
                    certainty: q.certainty,
                    // an official action claimed by its own actor needs no claimant; an actor's claim about itself
                    // ("Predatory Sparrow said it had hacked X") and a denial keep theirs
                    ...(q.claimedBy && q.claimedBy.id !== o.id && (q.claimedBy.id !== s.id || q.certainty !== "asserted") ? { claimedBy: q.claimedBy } : q.claimedBy && q.certainty === "denied" ? { claimedBy: q.claimedBy } : {}),
                    sent: v.g.index,
                    anchor: h.anchor,
                    pattern: p.id,
                    confidence: p.kind === "verb" ? 0.8 : 0.7,
                });
            }
        }
    }
    return out;
}
