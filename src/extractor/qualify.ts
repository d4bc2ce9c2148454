/**
 * Stage 5 — certainty and claimant of a relation, from the clauses above its trigger (EXTRACTION-GUIDE rule 7):
 * a reporting verb ("the NCSC said …", "prosecutors allege …") or "according to X" makes it `alleged` and names
 * the claimant; hedges ("allegedly", "accused of") make it `alleged`; "highly likely", "probably", "assessed with
 * moderate confidence" make it `likely`; a denial ("X denied hacking Y") makes it `denied`, claimed by the denier.
 * Official actions and structural facts stay `asserted` whoever reports them. A negated clause gives no fact;
 * an intrusion verb under "tried to" is only an attempt.
 */
import type { Certainty, Predicate } from "../model/vocabulary.ts";
import { resolve, type SentenceView } from "./arguments.ts";
import type { Entity } from "./entities.ts";

export interface Qualification {
    certainty: Certainty;
    claimedBy?: Entity;
    /** "did not hack": no fact. */
    negated: boolean;
    /** "tried to break into": TARGETED, not COMPROMISED. */
    attempt: boolean;
}

const OFFICIAL: ReadonlySet<Predicate> = new Set(["SANCTIONED", "CHARGED", "PART_OF", "BASED_IN"]);
const CLAIMANT_TYPES = new Set(["Organization", "State", "Person", "ThreatActor"]);
const CLIMB = /^(ccomp|xcomp|advcl|conj|acl|acl:relcl|obl|nmod|obj|dep|csubj|parataxis|appos|nsubj|nsubj:pass|root|amod)/;

/** Speakers that stand for an institution named before: "prosecutors said" is the prosecuting body's claim. */
const OFFICIAL_SPEAKER = /^(prosecutor|indictment|complaint|charge|filing|court|document|jury|attorney|advisory|statement|report|agency|authority|official|government|department|investigator|investigation|assessment|analysis|release|announcement|notice|ministry|spokesperson|spokesman|spokeswoman|minister|secretary|order|designation|sanction)$/;
const PRIVATE_SPEAKER = /^(company|firm|researcher|vendor|analyst|expert|investigator|team|lab)$/;

function claimantOf(v: SentenceView, verb: number): Entity | undefined {
    const g = v.g;
    // "APT99, believed to be working for X": the participle's subject is what is believed, not who believes it
    // (tagged VBN or, after a comma, VBD: "APT99, believed to be …"; "Officials believed it to be …" has an object)
    if (/^VB[ND]$/.test(g.pos(verb)) && /^(believe|think|suspect|know|assume|presume|understand|expect|consider|say|report|allege|reckon)$/.test(g.lemma(verb)) && g.kids(verb, "obj").length === 0 && g.kids(verb, "xcomp").some((x) => g.kids(x, "mark").some((m) => g.lower(m) === "to")) && (g.pos(verb) === "VBN" || g.word(verb - 1) === ",")) return g.kids(verb, "obl:agent").map((a) => resolve(v, a, "agent").find((x) => CLAIMANT_TYPES.has(x.type))).find(Boolean);
    for (const s of g.kids(verb, (r) => r === "nsubj" || r === "obl:agent")) {
        // "the Justice Department charged A, a hacker it said was a member of X": "it" speaks for the body that is
        // the subject earlier in the same sentence, before any group the story is about
        if (/^(it|they)$/.test(g.lower(s))) {
            const subject = v.table.recent(["Organization", "State"], g.index, s, 0, (x) => x.type === "State" || x.kind === "government" || x.kind === "company" || x.kind === "security-vendor", true);
            if (subject) return subject;
            // "… the indictment says. It alleges that …": a speaking "it" continues the last speaker, then the body
            // named just before — rather than the group the story is about
            const last = v.table.lastClaimant;
            if (last && g.index - last.sent <= 3 && last.entity.type !== "Person") return last.entity;
            // (a state is "it", never "they": "Researchers have tied APT99 to China. They said …" is not China speaking)
            const they = g.lower(s) === "they";
            const body = v.table.recent(they ? ["Organization"] : ["Organization", "State"], g.index, s, 2, (x) => (x.type === "State" && !they) || x.kind === "government" || x.kind === "company" || x.kind === "security-vendor" || x.kind === "media");
            if (body) return body;
        }
        // "US officials said", "British investigators said": people named by their state speak for it (house rule 3)
        const group = v.at.get(s);
        // (an institution named with its state, "Iran's foreign ministry", speaks for itself)
        const people = group?.source === "people" && group.entity && v.table.byId.get(group.entity)?.kind !== "government" ? v.table.statePrefix(group.text.replace(/^the\s+/i, "")) : undefined;
        if (people) return people;
        const e = resolve(v, s, "agent").find((x) => CLAIMANT_TYPES.has(x.type));
        if (e) {
            // "CISA, the NSA and the FBI warned": the first named speaks for the list
            const first = g.kids(s, (r) => r.startsWith("conj")).length === 0 ? g.in(s).find((x) => x.rel.startsWith("conj"))?.gov : undefined;
            const lead = first !== undefined ? resolve(v, first, "agent", new Set(), false).find((x) => CLAIMANT_TYPES.has(x.type)) : undefined;
            return lead ?? e;
        }
        const behind = speakerBehind(v, s);
        if (behind) return behind;
    }
    return undefined;
}

/** The institution a generic speaker stands for: "prosecutors", "the indictment" → the official body named before; "researchers" → the company. */
function speakerBehind(v: SentenceView, s: number): Entity | undefined {
    const g = v.g;
    const lemma = g.lemma(s);
    const official = (x: Entity) => x.type === "State" || x.kind === "government";
    // "a Mandiant report said", "Microsoft's advisory", "a statement from the FBI": the document's author
    if (/^(report|advisory|statement|assessment|analysis|blog|post|study|paper|filing|release|announcement|notice|document|investigation|review|alert|bulletin|research)$/.test(lemma))
        for (const d of g.kids(s, (r) => r === "amod" || r === "compound" || r === "nmod:poss" || r === "nmod:by" || r === "nmod:from")) {
            const author = v.at.get(d)?.entity ? resolve(v, d, "agent").find((x) => CLAIMANT_TYPES.has(x.type) && x.type !== "ThreatActor") : undefined;
            if (author) return author;
        }
    // "the US secretary of state", "Britain's foreign secretary", "a Dutch official": the state the title names
    if (OFFICIAL_SPEAKER.test(lemma))
        for (const d of g.kids(s, (r) => r === "amod" || r === "compound" || r === "nmod:poss")) {
            const reg = v.at.get(d)?.registry;
            if (reg?.type === "State") return v.table.fromRegistry(reg);
        }
    // "the joint advisory said": the first of the bodies named together just before (a joint statement is its first-named agency's)
    if (/^(advisory|statement|report|assessment|announcement|release)$/.test(lemma)) {
        const set = v.table.recentSet(g.index, undefined, false, 3);
        if (set && set.length >= 2 && set.every(official)) return set[0];
    }
    // (a body that is only a place or a victim in the claim's own sentence is not who speaks: "Volt Typhoon targeted
    // X in Guam, officials said"; beyond the subjects, only bodies of earlier sentences)
    if (OFFICIAL_SPEAKER.test(lemma)) return v.table.recent(["Organization", "State"], g.index, s, 10, official, true) ?? v.table.recent(["Organization", "State"], g.index, 0, 10, official);
    if (PRIVATE_SPEAKER.test(lemma)) return v.table.recent(["Organization"], g.index, s, 6, (x) => x.kind === "company" || x.kind === "security-vendor" || x.kind === "media", true);
    return undefined;
}

export function qualify(v: SentenceView, anchor: number, predicate: Predicate): Qualification {
    const g = v.g;
    const W = v.words;
    let certainty: Certainty | undefined;
    let hedge: Certainty | undefined;
    let claimedBy: Entity | undefined;
    let negated = false;
    let attempt = false;
    let denied = false;

    const chain: Array<{ node: number; rel: string }> = [{ node: anchor, rel: "self" }];
    for (let t = anchor, k = 0; k < 8; k++) {
        const p = g.basicParent(t);
        if (!p || p.gov === 0) break;
        if (!CLIMB.test(p.rel) && !p.rel.startsWith("obl") && !p.rel.startsWith("nmod")) break;
        chain.push({ node: p.gov, rel: p.rel });
        t = p.gov;
    }
    // "attempts to compromise X", "an effort to hack X": an attempt noun in front of the verb; "launched an
    // operation to disrupt X", "a campaign to steal from X": a purpose, not a result
    const ATTEMPT_NOUN = /^(attempt|effort|bid|try|plot|plan|scheme|operation|campaign|mission|drive|push|programme|program)$/;
    if ([...g.kids(anchor, "nsubj:xsubj"), ...g.in(anchor, "acl").map((e) => e.gov)].some((x) => ATTEMPT_NOUN.test(g.lemma(x)))) attempt = true;
    // "attempted intrusions into X", "a failed breach of X", "thwarted hacks": an event noun said not to have succeeded
    if (g.pos(anchor).startsWith("NN") && g.kids(anchor, (r) => r === "amod" || r === "compound").some((x) => /^(attempt|attempted|failed|unsuccessful|thwarted|foiled|blocked|abortive|would-be|aborted|foil|thwart)$/.test(g.lower(x)))) attempt = true;
    // "A and B, two hackers who prosecutors said were members of X" parsed with the predicate cut off from "said":
    // a predicate whose subject's relative clause is the report is the reporter's claim
    if (g.out(anchor, "cop").length)
        for (const s0 of g.kids(anchor, "nsubj"))
            for (const r of g.kids(s0, "acl:relcl"))
                if (W.reportingVerbs.has(g.lemma(r)) && s0 < r && r < anchor) {
                    certainty ??= "alleged";
                    claimedBy ??= claimantOf(v, r);
                }
    for (let k = 0; k < chain.length; k++) {
        const n = chain[k]!.node;
        const lemma = g.lemma(n);
        /** How the clause below attaches to this node (ccomp, xcomp, …). */
        const below = k > 0 ? { node: chain[k - 1]!.node, rel: chain[k]!.rel } : undefined;
        for (const e of g.out(n)) {
            const w = g.lower(e.dep);
            if (e.rel === "advmod" || e.rel === "amod" || e.rel === "aux" || e.rel === "obl:npmod" || e.rel === "dep") {
                if (W.allegedWords.has(w)) hedge ??= "alleged";
                if (W.likelyWords.has(w)) hedge = "likely";
            }
            // negation of the trigger's own clause or of the light verb right above it ("did not hack", "never
            // imposed sanctions"), and "no evidence that …" anywhere above
            if ((e.rel === "advmod" || e.rel === "neg") && W.negations.has(w) && (k === 0 || (k === 1 && /^(obj|xcomp)$/.test(chain[1]!.rel)))) negated = true;
            if (e.rel === "det" && w === "no" && k > 0 && g.pos(n).startsWith("NN")) negated = true;
            // a hypothetical ("a country that would extradite them", "could target X"): no fact; "may have hacked" is a hedge
            if (k === 0 && e.rel === "aux" && /^(would|could|can|should|might|may|must)$/.test(w) && !g.out(n).some((x) => x.rel === "aux" && g.lower(x.dep) === "have")) negated = true;
            if ((e.rel === "obl:according_to" || e.rel === "nmod:according_to") && !claimedBy) {
                // "according to the indictment": the body behind the document
                const c = v.at.get(e.dep)?.entity ? resolve(v, e.dep, "agent").find((x) => CLAIMANT_TYPES.has(x.type)) : (speakerBehind(v, e.dep) ?? resolve(v, e.dep, "agent").find((x) => CLAIMANT_TYPES.has(x.type)));
                if (c) claimedBy = c;
                certainty ??= "alleged";
            }
            // "APT31 targeted X, the NCSC said"; "investigators believe X was behind the attack" parsed with the
            // reporting verb as the clause's subject
            // (not a participle that describes the subject: "Hackers linked to APT28 broke into X" misparsed)
            if ((e.rel === "parataxis" || (e.rel === "csubj" && g.pos(e.dep) !== "VBN")) && W.reportingVerbs.has(g.lemma(e.dep)) && !claimedBy) {
                claimedBy = claimantOf(v, e.dep);
                certainty ??= "alleged";
            }
        }
        // "X claimed responsibility for the attack on Y": the actor's own claim (EXTRACTION-GUIDE rule 7)
        if (/^(responsibility|credit)$/.test(lemma) && k > 0 && chain[k]!.rel.startsWith("nmod")) {
            const up = g.basicParent(n);
            if (up?.rel === "obj" && /^(claim|take)$/.test(g.lemma(up.gov))) {
                certainty ??= "alleged";
                claimedBy ??= claimantOf(v, up.gov);
            }
        }
        // "LockBit claimed the attack on Y": a claimed attack is the claimer's own claim
        if (lemma === "claim" && k > 0 && chain[k]!.rel === "obj" && g.isVerb(n)) {
            certainty ??= "alleged";
            claimedBy ??= claimantOf(v, n);
        }
        // "researchers attributed the attacks on Y to X", "the FBI blamed the breach on X": the attributor's claim
        if (k > 0 && /^(attribute|blame|pin)$/.test(lemma) && /^(obj|nsubj:pass)$/.test(chain[k]!.rel)) {
            certainty ??= "alleged";
            claimedBy ??= claimantOf(v, n);
        }
        // "Microsoft has linked APT99 to the GRU", "Mandiant tied X to Y": a tie its subject draws is the subject's claim
        // (unnamed speakers too: "security firms have linked X to Y" is their claim, claimed by no one named)
        if (k === 0 && /^(link|tie|connect|associate|attribute|trace)$/.test(lemma) && g.isVerb(n) && !g.out(n).some((e) => e.rel === "aux:pass") && g.kids(n, "obj").length && g.kids(n, "nsubj").length) {
            const c = claimantOf(v, n);
            if (c) claimedBy ??= c;
            certainty ??= "alleged";
        }
        if (k === 0) continue;
        if (below && below.rel === "xcomp" && W.attemptVerbs.has(lemma)) attempt = true;
        // (an apposition is the article's description of the denier: "Oleg Sidorov, a Kremlin spokesman, denied …")
        if (W.denialVerbs.has(lemma) && chain[1]?.rel !== "appos") {
            denied = true;
            claimedBy = claimantOf(v, n) ?? claimedBy;
            break;
        }
        // a claim is a clause under the reporting verb ("said that …", "accused X of hacking …"), not a noun phrase
        // ("blamed X for the breach", "described X as a front": the blame or the description is the claim)
        // (whatever the parser hung the "of"-phrase on: "accuses the two of targeting X" parsed with "of X" under "two")
        const accusing = /^(accuse|suspect|charge|indict|allege|blame)$/.test(lemma) && below !== undefined && (/^(obl|advcl)/.test(below.rel) || (below.rel === "obj" && /^(accuse|suspect)$/.test(lemma) && g.kids(below.node, (r) => r === "nmod:of" || r === "acl").length > 0));
        const describing = /^(describe|call|label|brand|characterise|characterize|portray|depict|identify)$/.test(lemma) && below !== undefined && (below.rel === "xcomp" || (/^(obl|advcl)/.test(below.rel) && g.kids(below.node, (r) => r === "case" || r === "mark").some((x) => g.lower(x) === "as")));
        // ("Hackers linked to APT99 breached X" read with "linked" as the main verb: a participle describing its
        // subject noun, no one's report)
        const describingParticiple = g.pos(n) === "VBN" && /^(link|tie|connect|associate|attribute)$/.test(lemma) && !g.out(n).some((e) => e.rel.startsWith("aux")) && g.kids(n, "nsubj").some((x) => x < n && g.pos(x).startsWith("NN") && !g.pos(x).startsWith("NNP"));
        // ("three companies that it said were fronts for X": a predicate noun with its copula is a clause too)
        const clause = (t: number) => g.isVerb(t) || g.out(t, "cop").length > 0;
        if ((W.reportingVerbs.has(lemma) || describing) && !describingParticiple && below && (accusing || describing || /^(ccomp|xcomp|advcl|parataxis)/.test(below.rel) || (/^(obl|dep|obj)/.test(below.rel) && clause(below.node)))) {
            const c = claimantOf(v, n);
            if (c || !claimedBy) {
                if (c) claimedBy = c;
                certainty ??= "alleged";
            }
            // "accused of", "charged with": the claim is the accuser's
            if (/^(accuse|suspect|charge|indict|blame|allege|attribute)$/.test(lemma)) certainty = "alleged";
            if (claimedBy) break;
        }
    }
    // "…, according to the indictment." ending the sentence speaks for all of it, wherever the parser hung it
    if (!certainty && !claimedBy && !denied) {
        for (let t = g.size; t > anchor && t > g.size - 10; t--) {
            const e = g.in(t).find((x) => (x.rel === "obl:according_to" || x.rel === "nmod:according_to") && x.gov !== anchor);
            const according = g.kids(t, "case").find((c) => g.lower(c) === "according");
            if (!e || according === undefined || g.word(according - 1) !== ",") continue;
            claimedBy = v.at.get(t)?.entity ? resolve(v, t, "agent").find((x) => CLAIMANT_TYPES.has(x.type)) : (speakerBehind(v, t) ?? resolve(v, t, "agent").find((x) => CLAIMANT_TYPES.has(x.type)));
            certainty = "alleged";
            break;
        }
    }
    // an attack only threatened, planned, expected or possible is no event: "threatened to attack X", "plans to hack
    // X", "will attack X", "is likely to target X next year", "is capable of attacking X", "possible attacks on X"
    // (never a perfect, which tells of the past: "is believed to have targeted X"; sanctions announced for later
    // stay a measure: "Britain will sanction X")
    if (predicate === "TARGETED" || predicate === "COMPROMISED") {
        const perfect = g.out(anchor).some((e) => e.rel === "aux" && /^(have|has|had|having)$/.test(g.lower(e.dep)));
        if (g.out(anchor).some((e) => e.rel === "aux" && /^(will|shall|'ll)$/.test(g.lower(e.dep)))) negated = true;
        // (a gerund the tagger made a modifier of its object hangs one step lower: "capable of attacking/amod X")
        const up = chain[1]?.rel === "amod" && chain[2] ? chain[2] : chain[1];
        if (up && !perfect && /^(xcomp|advcl|acl|obl)/.test(up.rel) && W.unrealisedWords.has(g.lemma(up.node)) && up.node < anchor) negated = true;
        if (g.pos(anchor).startsWith("NN") && g.kids(anchor, "amod").some((x) => /^(possible|potential|future|planned|prospective|hypothetical|threatened|imminent|expected)$/.test(g.lower(x)))) negated = true;
    }
    // "highly likely", "almost certainly", "with moderate confidence" anywhere in the sentence's clause
    const sentenceText = v.text.slice(g.begin, g.end).toLowerCase();
    for (const ph of W.likelyPhrases) if (sentenceText.includes(ph)) hedge = "likely";
    let result: Certainty;
    if (denied) result = "denied";
    else if (OFFICIAL.has(predicate)) result = "asserted";
    else if (hedge === "likely") result = "likely";
    else if (certainty || hedge) result = "alleged";
    else result = "asserted";
    if (claimedBy && result !== "denied") {
        v.table.lastClaimant = { entity: claimedBy, sent: g.index };
        v.table.voices.add(claimedBy);
    }
    // a hedged claim with no speaker of its own continues the last one ("… the NCSC said. The group also allegedly …")
    if (!claimedBy && (result === "alleged" || result === "likely")) {
        const last = v.table.lastClaimant;
        if (last && g.index - last.sent <= 4) claimedBy = last.entity;
        // else the official body the story is about ("allegedly" in an indictment story is the prosecutors' claim),
        // never a body the sentence itself names, which is a party to the claim ("A, who worked for the FSB's
        // Center 18, was charged with hacking Y" is no claim of Center 18's)
        // (and only a body the story has heard speak or act: "The GRU's Unit 26165 is known as APT28. The group
        // allegedly hacked X" is no claim of the GRU's)
        else {
            const here = new Set(v.mentions.map((m) => m.entity).filter(Boolean));
            claimedBy = v.table.salient(["Organization", "State"], g.index, anchor, 10, (x) => (x.type === "State" || x.kind === "government") && !here.has(x.id) && v.table.voices.has(x));
        }
    }
    return { certainty: result, ...(claimedBy ? { claimedBy } : {}), negated, attempt };
}
