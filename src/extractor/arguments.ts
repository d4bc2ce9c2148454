/**
 * From a token of the dependency graph to the entities it stands for: a mention's entity, the members of a
 * coordination ("A, B and C"), the names apposed to a generic noun ("two men, A and B", "six companies: …"),
 * "including" lists, the owner of a victim's systems ("the ministry's networks"), the group behind an agent
 * noun ("APT31 hackers", "hackers from APT31"), and pronouns and definite descriptions through the entity table.
 */
import type { Entity, EntityTable } from "./entities.ts";
import { anaphorKind } from "./entities.ts";
import type { Mention } from "./mentions.ts";
import type { Words } from "./patterns.ts";
import type { SentenceGraph } from "./sentence-graph.ts";

export interface SentenceView {
    g: SentenceGraph;
    mentions: Mention[];
    /** Token → the mention covering it (the innermost). */
    at: Map<number, Mention>;
    table: EntityTable;
    words: Words;
    text: string;
}

/** agent: who acts; victim: what an attack hit; patient: what a measure or tie is about; holder / object: of a relational noun. */
export type Role = "agent" | "victim" | "patient" | "holder" | "object";

const GOVERNMENT_SECTOR = /^(ministry|ministries|government|governments|agency|agencies|department|departments|parliament|embassy|embassies)$/;
const GROUP_NOUN = /^(sectors|industries|sector|industry)$/;
const ACTIVITY = /^(hacking|hack|operation|operations|activity|activities|work|intrusion|intrusions|campaign|campaigns|espionage|attack|attacks|effort|efforts|spying|theft|thefts|cyberattack|cyberattacks|program|programme|ransomware|outbreak|incident|breach|compromise|heist|wave|spree)$/;

export function viewOf(g: SentenceGraph, mentions: Mention[], table: EntityTable, words: Words, text: string): SentenceView {
    const at = new Map<number, Mention>();
    // wider mentions first, so narrower ones (a demonym inside a people group) do not hide the head
    for (const m of [...mentions].sort((a, b) => b.end - b.start - (a.end - a.start))) for (let i = m.start; i <= m.end; i++) at.set(i, m);
    for (const m of mentions) at.set(m.head, m.entity ? m : (at.get(m.head) ?? m));
    return { g, mentions, at, table, words, text };
}

export function entityAt(v: SentenceView, i: number): Entity | undefined {
    const m = v.at.get(i);
    return m?.entity ? v.table.byId.get(m.entity) : undefined;
}

/** Is the token a generic noun that stands for named things elsewhere ("the men", "companies", "hackers")? */
function generic(v: SentenceView, i: number): boolean {
    const g = v.g;
    // (an adjective the tagger gave a noun's place: "a 35-year-old Russian national who worked at X")
    const nounJJ = g.pos(i) === "JJ" && g.kids(i, "det").length > 0 && g.in(i).some((e) => e.rel === "appos" || e.rel.startsWith("nsubj") || e.rel === "obj");
    return !v.at.get(i)?.entity && (g.pos(i).startsWith("NN") || g.pos(i) === "CD" || nounJJ) && !g.pos(i).startsWith("NNP");
}

/**
 * The entities a token stands for in a role. `seen` guards against cycles; `distribute` follows conjuncts.
 */
/**
 * An exclusion: "sanctioned A, but not his brother B", "A but not B targeted X" — a conjunct the words negate (or a
 * name inside it) is left out of the list (EXTRACTION-GUIDE rule 1, exclusions).
 */
function excluded(g: SentenceGraph, i: number): boolean {
    for (let t = i, k = 0; t > 0 && k < 3; k++) {
        // (the parser's own mark of a negated conjunct: "A and B but not C" → conj:negcc)
        if (g.in(t).some((e) => e.rel === "conj:negcc")) return true;
        const up = g.basicParent(t);
        if (!up) return false;
        if (up.rel.startsWith("conj") && g.kids(t, "advmod").some((a) => /^(not|never)$/.test(g.lower(a)) && a < t)) return true;
        if (!/^(dep|appos|compound|flat)/.test(up.rel)) return false;
        t = up.gov;
    }
    return false;
}

/**
 * "The US Department of the Treasury's Office of Foreign Assets Control designated X" parsed with "Department" as the
 * head and the Office hung under it: the body named after the possessive is the one the phrase names.
 */
function possessedBody(v: SentenceView, i: number): Entity | undefined {
    const g = v.g;
    const m = v.at.get(i);
    if (!m?.entity || m.head !== i || !/^['’]s$/.test(g.word(m.end + 1))) return undefined;
    const next = v.mentions.find((x) => x.start === m.end + 2 && x.entity);
    const up = next ? g.basicParent(next.head) : undefined;
    if (!next || !up || up.gov < m.start || up.gov > m.end) return undefined;
    const e = v.table.byId.get(next.entity!);
    return e?.type === "Organization" ? e : undefined;
}

export function resolve(v: SentenceView, i: number, role: Role, seen = new Set<number>(), distribute = true): Entity[] {
    if (i <= 0 || seen.has(i) || excluded(v.g, i)) return [];
    seen.add(i);
    const g = v.g;
    const W = v.words;
    const out: Entity[] = [];
    const add = (es: Entity[]) => {
        for (const e of es) if (!out.includes(e)) out.push(e);
    };
    let direct = possessedBody(v, i) ?? entityAt(v, i);
    // "sanctioned six Russian technology companies …: A, B, …": a counted sector noun whose names a colon lists
    if (role === "patient" && direct?.type === "Sector" && g.pos(i) === "NNS") {
        const named = colonList(v, i);
        if (named.length) {
            add(named);
            direct = undefined;
            return out;
        }
    }
    // "the government, financial and energy sectors" parsed with "financial" a modifier of the first sector
    if ((role === "victim" || role === "patient" || role === "object") && direct?.type === "Sector") {
        for (const x of g.kids(i, "amod")) if (x > i && v.at.get(x)?.source === "sector" && entityAt(v, x) !== direct) add(resolve(v, x, role, seen));
        // (or with the rest of the list apposed to the first: "the government, financial and energy sectors")
        for (const x of g.kids(i, "appos")) if (x > i && GROUP_NOUN.test(g.lower(x))) add(resolve(v, x, role, seen).filter((e) => e.type === "Sector"));
    }
    // ("the Australian government imposed sanctions": a state's government that acts is the state, rule 1)
    const stateGovernment = role === "agent" && g.pos(i) === "NN" && g.lemma(i) === "government" && stateModifiers(v, i).length > 0;
    if (direct?.type === "Sector" && GOVERNMENT_SECTOR.test(g.lemma(i)) && (role === "victim" || stateGovernment || (role !== "agent" && stateModifiers(v, i).length))) {
        // "the foreign ministries of Taiwan and India", "Ukraine's government agencies" → the states
        // (also with the state on a modifier of the same class: "US government agencies")
        const modifierStates = g.kids(i, "compound").filter((c) => c < i && GOVERNMENT_SECTOR.test(g.lemma(c))).flatMap((c) => stateModifiers(v, c));
        const owners = [...g.kids(i, (r) => r === "nmod:of" || r === "nmod:poss").flatMap((o) => resolve(v, o, role, seen)), ...stateModifiers(v, i), ...modifierStates].filter((x) => x.type === "State" || x.type === "Organization");
        add(owners.length ? owners : [direct]);
    } else if (direct) {
        add([direct]);
        // "officials and critical infrastructure sectors, including defence, IT and energy": the parser hangs the
        // list on the coordination's head, which may be a name
        if (role === "victim") for (const x of g.kids(i, (r) => r === "nmod:including" || r === "nmod:such_as")) if (x > i) add(resolve(v, x, role, seen).filter((e) => e.type === "Sector" || e.type === "Organization"));
        // "officials, journalists and human rights activists" parsed as modifiers of the last item
        if (role === "victim" && v.at.get(i)?.source === "people")
            for (const x of g.kids(i, "amod")) if (x < i && v.at.get(x)?.source === "people" && entityAt(v, x) !== direct) add(resolve(v, x, role, seen));
    }
    else if (v.at.get(i)?.demonym) {
        // "the Chinese" as a noun is not an actor
    } else if (g.pos(i).startsWith("PRP") || g.pos(i) === "WP" || g.pos(i) === "WDT" || generic(v, i) || (g.pos(i) === "DT" && /^(both|all|each|those|these)$/.test(g.lower(i)))) {
        // relative pronouns: enhanced++ already points their clause at the antecedent; "ref" gives it too
        const ref = g.in(i, "ref")[0];
        if (ref) add(resolve(v, ref.gov, role, seen));
        // "APT99, which has targeted X, is based in Y" parsed without a relative clause: the name before the comma
        // ("a group called Volt Typhoon that was targeting Y": the name right before it)
        else if (/^(which|who|that)$/.test(g.lower(i)) && g.in(i).some((e) => e.rel.startsWith("nsubj"))) {
            const clause = g.in(i).find((e) => e.rel.startsWith("nsubj"))!.gov;
            const before = g.word(i - 1) === "," ? i - 2 : i - 1;
            if (g.in(clause).some((e) => e.gov < i && /^(dep|acl|parataxis|appos)$/.test(e.rel)) && entityAt(v, before) && entityAt(v, before)!.type !== "Sector") add(resolve(v, before, role, seen, false));
        }
        const expanded: Entity[] = [];
        // "two men, A and B"; "six companies: A, B and C"; "hackers, including A"
        for (const e of g.out(i)) {
            if (e.rel === "appos" || e.rel === "dep" || e.rel === "parataxis" || e.rel === "list" || e.rel === "nmod:including" || e.rel === "nmod:such_as" || e.rel === "nmod:among" || e.rel === "acl:including") {
                if (e.dep > i) expanded.push(...resolve(v, e.dep, role, seen));
            }
        }
        // "two members of Evil Corp, A and B" parsed with the names inside the "of" phrase: a counted noun's people
        if (expanded.length === 0) expanded.push(...countedNames(v, i).map((t) => entityAt(v, t)!));
        // "charging two Chinese nationals, A and B, with …", "two of its employees, A and B" with the names attached
        // elsewhere: the names the words list right after the counted noun, when there are as many as it counts
        if (expanded.length === 0 && generic(v, i)) {
            const count = (t: number) => W.numbers[g.lower(t)] ?? Number(g.lower(t));
            const n = g.pos(i) === "CD" ? count(i) : g.kids(i, "nummod").map(count).find((x) => Number.isInteger(x) && x > 1);
            const noun = g.pos(i) === "CD" ? g.kids(i, "nmod:of").find((x) => g.pos(x) === "NNS") : i;
            const items = noun !== undefined && g.word(noun + 1) === "," ? listedAfter(v, noun).map((t) => entityAt(v, t)) : [];
            if (n && n > 1 && items.length === n && items.every((e) => e && e.type === "Person")) expanded.push(...(items as Entity[]));
        }
        // "sanctioned three companies on Tuesday: A, B and C", "three firms it said were its fronts: A, B and C": the
        // names listed after a colon later in the clause, when there are as many as the noun counts
        if (expanded.length === 0 && generic(v, i)) expanded.push(...colonList(v, i));
        // "A and B, two hackers who prosecutors said …" with the noun phrase cut off from the names: the list right
        // before the comma, when there are as many names as it counts
        if (expanded.length === 0 && generic(v, i)) expanded.push(...namesBefore(v, i));
        // "the group, APT31": the name is the governor of an appos
        // (of a list "A, B and C, a China-based firm", the name right before the apposition)
        if (expanded.length === 0)
            for (const e of g.in(i, "appos")) {
                if (!entityAt(v, e.gov)) continue;
                // ("A and B, two hackers …": a counted noun stands for the whole list it counts)
                const listed = [e.gov, ...listMembers(v, e.gov)];
                if (countOf(v, i) === listed.length && listed.every((t) => t < i)) {
                    expanded.push(...resolve(v, e.gov, role, seen));
                    continue;
                }
                const nearest = Math.max(...[e.gov, ...g.kids(e.gov, (r) => r.startsWith("conj") || r === "appos")].filter((x) => x < i && entityAt(v, x)));
                expanded.push(...resolve(v, nearest, role, seen, false));
            }
        if (expanded.length === 0 && generic(v, i)) {
            const lemma = g.lemma(i);
            // "the Garantex exchange", "the Sandworm group", "the Contoso company": the name the head noun describes
            if (g.pos(i) === "NN" && (W.actorNouns.has(lemma) || W.companyNouns.has(lemma) || W.governmentNouns.has(lemma)))
                for (const c of g.kids(i, "compound")) if (c < i && entityAt(v, c) && entityAt(v, c)!.type !== "Sector" && entityAt(v, c)!.type !== "State" && !v.at.get(c)?.demonym) expanded.push(entityAt(v, c)!);
            // "the Moscow-based exchange Garantex", "the group known as Turla" (however the parser attached the name)
            if (expanded.length === 0 && g.pos(i) === "NN" && (W.actorNouns.has(lemma) || W.companyNouns.has(lemma) || W.governmentNouns.has(lemma))) {
                let k = i + 1;
                if (/^(known|called|dubbed|named|nicknamed|codenamed|tracked|labelled|labeled)$/.test(g.lower(k))) k += g.lower(k + 1) === "as" ? 2 : 1;
                const named = entityAt(v, k);
                // ("the actor Microsoft associates with X": the subject of a clause that modifies the noun is not its name)
                if (named && (named.type === "ThreatActor" || named.type === "Organization") && (k > i + 1 || g.kids(i, "det").length) && !g.in(k).some((e) => e.rel === "nsubj" && g.in(e.gov).some((r) => r.gov === i && /^(dep|acl|acl:relcl)$/.test(r.rel)))) expanded.push(named);
            }
            // "the Iran-linked hacking group CyberAv3ngers": the noun modifies the name that follows it
            if (W.actorNouns.has(lemma) || W.companyNouns.has(lemma) || W.governmentNouns.has(lemma))
                for (const e of g.in(i, "compound")) if (e.gov > i && entityAt(v, e.gov) && entityAt(v, e.gov)!.type !== "Sector") expanded.push(entityAt(v, e.gov)!);
            // "an indictment unsealed by the Justice Department named X", "a report by Mandiant said": the author
            if (role === "agent" && /^(indictment|complaint|filing|statement|advisory|report|order|notice|announcement|document|release|assessment|investigation|analysis)$/.test(lemma)) {
                for (const a of g.kids(i, (r) => r === "acl" || r === "acl:relcl")) for (const o of g.kids(a, (r) => r === "obl:agent" || r === "obl:by")) expanded.push(...resolve(v, o, role, seen));
                for (const o of g.kids(i, (r) => r === "nmod:by" || r === "nmod:from" || r === "nmod:poss")) expanded.push(...resolve(v, o, role, seen));
            }
            // "APT31 hackers", "hackers from APT31", "hackers working for APT31" → the group
            // "a group (called|known as|dubbed) X", in any role
            for (const e of g.out(i)) if (e.rel === "acl" || e.rel === "acl:relcl") for (const e2 of g.out(e.dep)) if (/^(xcomp|obl:as|obj|nsubj:pass)$/.test(e2.rel) && e2.dep > e.dep && /^(call|know|dub|name|track|label|nickname|codename|refer|identify)$/.test(g.lemma(e.dep))) expanded.push(...resolve(v, e2.dep, role, seen));
            if (role === "agent" || role === "holder") {
                if (W.agentNouns.has(lemma) || W.actorNouns.has(lemma) || W.companyNouns.has(lemma) || W.governmentNouns.has(lemma)) {
                    for (const e of g.out(i)) {
                        if (e.rel === "compound" || e.rel === "nmod:poss" || e.rel === "nmod:from" || e.rel === "nmod:of" || e.rel === "nmod:with" || e.rel === "nmod:at" || e.rel === "nmod:in") {
                            const ent = entityAt(v, e.dep);
                            if (ent && (ent.type === "ThreatActor" || (ent.type === "Organization" && (role === "agent" ? W.agentNouns.has(lemma) : true)))) expanded.push(ent);
                        }
                    }
                }
                // "hackers working for APT29", "hackers linked to APT29", "the campaign, attributed to APT29",
                // "the attacks, which Microsoft attributed to APT29"
                // ("the hackers, who officials said were working for APT29": through the reporting verb to its clause)
                // ("APT99-linked hackers": the participle before the noun, its group joined by a hyphen)
                const hyphenated = (e: { rel: string; dep: number }) => e.rel === "amod" && e.dep < i && g.pos(e.dep) === "VBN" && /^[-‐–_]$/.test(g.word(e.dep - 1));
                const modifiers = g.out(i).filter((e) => e.rel === "acl" || e.rel === "acl:relcl" || (e.rel === "amod" && e.dep > i && g.pos(e.dep) === "VBN") || hyphenated(e)).map((e) => e.dep);
                for (const m of [...modifiers]) if (W.reportingVerbs.has(g.lemma(m))) modifiers.push(...g.kids(m, (r) => r === "ccomp" || r === "dep" || r === "xcomp").filter((c) => g.isVerb(c)));
                // (once the noun names its group, the body they work for is not them: "APT99 hackers, who work for the MSS")
                const namedGroup = expanded.some((x) => x.type === "ThreatActor");
                for (const m of namedGroup ? [] : modifiers) {
                    const verb = g.lemma(m);
                    // (a group or a company that works for a body is an organisation of its own, never that body:
                    // "the group, which works for the IRGC, targeted X")
                    const ownOrganisation = W.actorNouns.has(lemma) || W.companyNouns.has(lemma);
                    if (/^(work|operate|act|spy|hack)$/.test(verb) && !ownOrganisation) for (const o of g.kids(m, (r) => /^obl:(for|on_behalf_of|with)$/.test(r))) expanded.push(...resolve(v, o, role, seen).filter((x) => x.type === "ThreatActor" || x.type === "Organization"));
                    // "the hackers, who belong to APT99"
                    if (verb === "belong") for (const o of g.kids(m, "obl:to")) expanded.push(...resolve(v, o, role, seen).filter((x) => x.type === "ThreatActor"));
                    if (/^(link|tie|attribute|blame|connect|affiliate|associate|trace|pin)$/.test(verb)) for (const o of g.kids(m, (r) => /^obl:(to|with|on)$/.test(r) || (r === "obl" && m < i))) expanded.push(...resolve(v, o, role, seen).filter((x) => x.type === "ThreatActor" || (x.type === "Organization" && ACTIVITY.test(lemma))));
                }
                // "X is a group that …": the copula's subject
                if (expanded.length === 0 && g.out(i, "cop").length > 0) for (const s of g.kids(i, (r) => r === "nsubj")) expanded.push(...resolve(v, s, role, seen));
                // "Microsoft has described X as a group that …", "officials called X a gang that …": the verb's object
                if (expanded.length === 0 && (W.actorNouns.has(lemma) || W.companyNouns.has(lemma))) for (const e of g.in(i)) if (/^(obl:as|xcomp|advcl:as)$/.test(e.rel) && g.isVerb(e.gov)) for (const o of g.kids(e.gov, "obj")) if (o !== i) expanded.push(...resolve(v, o, role, seen).filter((x) => x.type === "ThreatActor" || x.type === "Organization"));
            }
            // "members of the alliance", "employees of the Defense Department" → the organisation
            if (role === "victim" && /^(member|employee|staff|staffer|official|officer|personnel|worker|customer|user|client|subscriber|executive)$/.test(lemma)) {
                for (const o of g.kids(i, (r) => r === "nmod:of" || r === "nmod:at" || r === "nmod:poss" || r === "nmod:in" || r === "compound")) expanded.push(...resolve(v, o, role, seen).filter((x) => x.type === "Organization" || x.type === "ThreatActor"));
            }
            // "the hackers, part of APT29" / "hackers, members of APT29": the group the apposition names
            if (role === "agent") for (const a of g.kids(i, "appos")) if (/^(part|member|unit|arm|operative|affiliate|division|team|cell)$/.test(g.lemma(a))) for (const o of g.kids(a, "nmod:of")) expanded.push(...resolve(v, o, role, seen).filter((x) => x.type === "ThreatActor" || x.type === "Organization"));
            // an agent that is an event: "the unit's NotPetya attack crippled …" → the unit; "X ran a campaign
            // targeting Y" → X, the subject of the campaign's light verb
            if (role === "agent" && ACTIVITY.test(lemma)) {
                for (const p of g.kids(i, (r) => r === "nmod:poss" || r === "nmod:by")) expanded.push(...resolve(v, p, "agent", seen).filter((x) => x.type !== "Sector"));
                // "the APT33 campaign focused on …": a group named in front of its activity
                for (const c of g.kids(i, "compound")) if (c < i && entityAt(v, c)?.type === "ThreatActor") expanded.push(entityAt(v, c)!);
                for (const e of g.in(i)) {
                    if ((e.rel === "obj" || e.rel === "nsubj:pass") && W.lightVerbs.has(g.lemma(e.gov))) for (const s2 of g.kids(e.gov, (r) => r === "nsubj" || r === "obl:agent")) expanded.push(...resolve(v, s2, "agent", seen));
                    // "X was responsible for the outbreak, which disrupted Y"; "blamed X for a cyberattack that knocked out Y"
                    if (e.rel === "obl:for" && W.responsibilityWords.has(g.lemma(e.gov))) for (const s2 of g.kids(e.gov, "nsubj")) expanded.push(...resolve(v, s2, "agent", seen));
                    if (e.rel === "obl:for" && /^(blame|accuse|sanction|charge|indict|fault|condemn|hold)$/.test(g.lemma(e.gov))) for (const s2 of g.kids(e.gov, (r) => r === "obj" || r === "nsubj:pass")) expanded.push(...resolve(v, s2, "agent", seen));
                    // "X is suspected of the attack that took down Y", "accused X of a hack that exposed Y"
                    if (/^obl:(of|over|in|with)$/.test(e.rel) && /^(suspect|accuse|charge|indict|convict|implicate)$/.test(g.lemma(e.gov))) for (const s2 of g.kids(e.gov, (r) => r === "obj" || r === "nsubj:pass")) expanded.push(...resolve(v, s2, "agent", seen));
                }
                if (g.out(i).some((e) => e.rel === "case" && W.responsibilityWords.has(g.lower(e.dep)))) for (const s2 of g.kids(i, "nsubj")) expanded.push(...resolve(v, s2, "agent", seen));
            }
            // "Australian networks", "Ukrainian government systems" → the state
            // ("US healthcare networks" are the sector's, not the state's)
            // ("Ukrainian targets", "US victims": what was aimed at is the state's)
            if (role === "victim" && (W.ownedSystemNouns.has(lemma) || /^(target|victim)$/.test(lemma)) && !g.kids(i, (r) => r === "amod" || r === "compound").some((c) => entityAt(v, c)?.type === "Sector")) {
                expanded.push(...stateModifiers(v, i));
                // "focused on targets in Taiwan": what was aimed at in a state is the state's
                if (/^(target|victim)$/.test(lemma)) for (const p of g.kids(i, "nmod:in")) if (v.at.get(p)?.registry?.type === "State") expanded.push(...placeState(v, p));
                for (const c of g.kids(i, "compound")) if (entityAt(v, c)?.type === "Sector" && GOVERNMENT_SECTOR.test(g.lemma(c))) expanded.push(...stateModifiers(v, c));
            }
            // "phones used by X", "accounts belonging to X" (never "devices made by X"): kept for a product noun too
            const users: Entity[] = [];
            if (role === "victim") for (const a of g.kids(i, (r) => r === "acl")) if (/^(use|own|belong|operate|run|hold)$/.test(g.lemma(a))) for (const o of g.kids(a, (r) => r === "obl:agent" || r === "obl:to" || r === "obl:by")) users.push(...resolve(v, o, role, seen));
            // "Exchange servers at Contoso Bank": where the systems are (never whose product they are)
            if (role === "victim" && W.productNouns.has(lemma)) for (const o of g.kids(i, "nmod:at")) users.push(...resolve(v, o, role, seen).filter((x) => x.type === "Organization" && x.kind !== "security-vendor"));
            // "entities in the United States, including universities and defence contractors"
            // ("sanctioned 17 individuals linked to the group, including its leader, A, and B": the measure's too)
            if (role === "victim" || role === "patient") for (const d of g.subtree(i)) if (d !== i) for (const e of g.in(d)) if (/^nmod:(including|such_as)$/.test(e.rel) && e.gov !== i) expanded.push(...resolve(v, d, role, seen).filter((x) => x.type !== "State" && (role === "victim" || x.type !== "Sector")));
            // "its director, Ivan Petrov" with the name attached elsewhere: a role noun's apposed name, read from the words
            if (expanded.length === 0 && g.pos(i) === "NN" && W.memberNouns.has(lemma) && g.word(i + 1) === "," && v.at.get(i + 2)?.start === i + 2 && entityAt(v, i + 2)?.type === "Person") expanded.push(entityAt(v, i + 2)!);
            // "the Russian state", "the Iranian government" (as what a tie or measure is about) → the state
            if (role !== "agent" && /^(state|government|regime|authorities|leadership|kremlin)$/.test(lemma)) expanded.push(...stateModifiers(v, i));
            // "under US sanctions", "EU sanctions": the body whose sanctions they are
            if (role === "object" && /^(sanction|embargo)$/.test(lemma)) for (const c of g.kids(i, (r) => r === "compound" || r === "amod" || r === "nmod:poss")) if (c < i) expanded.push(...resolve(v, c, "agent", seen).filter((x) => x.type === "State" || (x.type === "Organization" && x.kind === "government")));
            // "the RGB's offices in Pyongyang" → the RGB
            if ((role === "object" || role === "patient") && /^(office|offices|headquarters|branch|branches|bureau|bureaus|unit|units|division|divisions|department|departments)$/.test(lemma)) for (const o of g.kids(i, (r) => r === "nmod:poss" || r === "nmod:of")) expanded.push(...resolve(v, o, role, seen).filter((x) => x.type === "Organization" || x.type === "ThreatActor" || x.type === "State"));
            // "on the orders of the MSS", "under the direction of X", "at the behest of X" → X
            // "its members have targeted X", "Scattered Spider's hackers breached Y": a group's people act as the group
            if (role === "agent" && g.pos(i) === "NNS" && (W.memberNouns.has(lemma) || /^(hacker|operative|operator|affiliate)$/.test(lemma)))
                for (const o of g.kids(i, (r) => r === "nmod:poss" || r === "nmod:of")) expanded.push(...resolve(v, o, role, seen).filter((x) => x.type === "ThreatActor"));
            // "at the hands of X"
            if (lemma === "hand" && g.kids(i, "case").some((c) => g.lower(c) === "at")) for (const o of g.kids(i, "nmod:of")) expanded.push(...resolve(v, o, role, seen));
            if (role !== "agent" && /^(order|orders|instruction|instructions|direction|behest|command|authority|control|auspices|guidance|supervision|tasking|request|behalf)$/.test(lemma)) for (const o of g.kids(i, (r) => r === "nmod:of" || r === "nmod:poss")) expanded.push(...resolve(v, o, role, seen));
            // "a number of targets", "dozens of companies"
            if (role === "victim" && /^(number|dozens|hundreds|thousands|handful|series|range|variety|string|host|list|set|group)$/.test(lemma)) for (const o of g.kids(i, "nmod:of")) expanded.push(...resolve(v, o, role, seen));
            // "the networks of the ministry", "the ministry's systems" → the ministry (never a vendor's products)
            if (role === "victim" && W.ownedSystemNouns.has(lemma) && !W.productNouns.has(lemma)) {
                for (const e of g.out(i)) {
                    if (e.rel === "nmod:poss" || e.rel === "nmod:of" || e.rel === "nmod:at" || e.rel === "nmod:belonging_to" || e.rel === "nmod:in" || e.rel === "compound") {
                        const ent = resolve(v, e.dep, role, seen);
                        // ("the Contoso Bank network" is the bank's; "Microsoft accounts" or "Fortinet devices" are a vendor's products)
                        if (e.rel === "compound" && ent.some((x) => x.kind === "security-vendor" || (x.kind === "company" && W.productNouns.has(lemma)))) continue;
                        // ("the Twitter account of the Contoso Times", "the Times's Twitter account": with an owner named, the
                        // name in front is the platform)
                        if (e.rel === "compound" && g.kids(i, (r) => r === "nmod:poss" || r === "nmod:of").some((o) => entityAt(v, o) !== undefined)) continue;
                        expanded.push(...ent);
                    }
                }
            }
            // "organisations in the energy and water sectors", "networks at telecommunications companies", "the X sectors"
            if (role === "victim" || role === "patient" || role === "object") {
                for (const e of g.out(i)) {
                    if ((e.rel === "amod" || e.rel === "compound") && entityAt(v, e.dep)?.type === "Sector" && !(GOVERNMENT_SECTOR.test(g.lemma(e.dep)) && stateModifiers(v, e.dep).length)) expanded.push(...resolve(v, e.dep, role, seen));
                    if (/^nmod:(in|across|within|throughout|at|including|such_as|from|among)$/.test(e.rel)) expanded.push(...resolve(v, e.dep, role, seen).filter((x) => x.type === "Sector" || (/:(at|including|such_as|among)$/.test(e.rel) && x.type !== "State")));
                }
                // "cover for APT41's hacking": an activity's owner
                if (ACTIVITY.test(lemma)) {
                    // ("the Russian government's activities": the state, as "the government" is read outside an agent's place)
                    for (const p of g.kids(i, (r) => r === "nmod:poss" || r === "nmod:of" || r === "nmod:by")) expanded.push(...resolve(v, p, /^(state|government|regime|authorities|leadership)$/.test(g.lemma(p)) ? role : "agent", seen).filter((x) => x.type !== "Sector"));
                    // "ran the LockBit operation": a group named in front of its operation
                    if (role !== "victim") for (const c of g.kids(i, "compound")) if (entityAt(v, c)?.type === "ThreatActor") expanded.push(entityAt(v, c)!);
                }
            }
            if (W.productNouns.has(lemma)) expanded.length = 0;
            expanded.push(...users);
            // "the servers of Contoso Hospital", "devices at Contoso": a product noun that is also owned names its
            // owner through "of"/"at"/"belonging to" (never "X's routers" or "Cisco devices": the vendor's)
            if (role === "victim" && W.ownedSystemNouns.has(lemma) && W.productNouns.has(lemma))
                for (const e of g.out(i)) if (/^nmod:(of|at|belonging_to)$/.test(e.rel)) expanded.push(...resolve(v, e.dep, role, seen).filter((x) => x.kind !== "security-vendor"));
            // ("Contoso Bank's email servers": servers a possessor runs are its own, unless a product name says whose
            // make they are: "Microsoft's Exchange servers")
            // ("the finance ministry's Microsoft Exchange servers": a body that makes no products runs the ones it owns)
            if (role === "victim" && lemma === "server") {
                const named = g.kids(i, "compound").some((c) => g.pos(c).startsWith("NNP"));
                for (const o of g.kids(i, "nmod:poss")) expanded.push(...resolve(v, o, role, seen).filter((x) => x.type === "Organization" && x.kind !== "security-vendor" && (!named || (x.kind !== "company" && x.kind !== undefined))));
            }
        }
        // "X was one of several organisations targeted by Y", "A and B were two of the companies sanctioned": the
        // subject of the copula the counted part is the predicate of
        if (expanded.length === 0 && role !== "agent" && g.pos(i) === "NNS")
            for (const e of g.in(i, "nmod:of")) if ((g.pos(e.gov) === "CD" || /^(some|many|several|few|most|each|all|both|any)$/.test(g.lower(e.gov))) && g.out(e.gov, "cop").length) for (const s2 of g.kids(e.gov, (r) => r === "nsubj")) expanded.push(...resolve(v, s2, role, seen));
        // "Among those sanctioned were A and B", "A was among those designated": the names the clause is about
        // ("X was among the companies targeted by Y": any plural that is a set the subject belongs to)
        if (expanded.length === 0 && (/^(those|these|others|them)$/.test(g.lower(i)) || (g.pos(i) === "NNS" && g.out(i).some((e) => e.rel === "case" && g.lower(e.dep) === "among")))) {
            for (const e of g.in(i)) if (/^(obl|nmod):among$/.test(e.rel)) {
                // "Among those sanctioned were the group's leader, A, …": the copula's predicate names them
                if (entityAt(v, e.gov) || g.out(e.gov, "cop").length) expanded.push(...resolve(v, e.gov, role, seen));
                for (const s2 of g.kids(e.gov, (r) => r === "nsubj" || r === "nsubj:pass")) expanded.push(...resolve(v, s2, role, seen));
            }
            // "All three defendants were among those sanctioned": "those" is the predicate, its subject the names
            // (or, parsed the other way round, "those" is the subject of the names: "Among those … were A and B")
            if (g.out(i).some((e) => e.rel === "case" && g.lower(e.dep) === "among")) {
                for (const s2 of g.kids(i, "nsubj")) expanded.push(...resolve(v, s2, role, seen));
                for (const e of g.in(i, "nsubj")) if (g.out(e.gov, "cop").length) expanded.push(...resolve(v, e.gov, role, seen));
            }
        }
        add(expanded);
        if (out.length === 0) {
            const ana = anaphorKind(g, i, W);
            if (ana) add(resolveAnaphor(v, i, ana));
        }
    }
    // coordination: "A, B and C" (enhanced++ copies most relations to conjuncts; nominal ones need this); a person
    // "apposed" to another person is a list the parser broke ("A, the head of X, and B, C and D")
    if (distribute) for (const c of listMembers(v, i)) add(resolve(v, c, role, seen));
    // a list of victims the parser broke ("targeted government bodies, research institutes, universities and media
    // organisations" parsed with the last items as modifiers of an adverbial noun): read from the words
    if (distribute && role === "victim") for (const c of listedAfter(v, i)) add(resolve(v, c, role, seen, false));
    return out;
}

/**
 * The heads of the noun phrases listed after token i in the words: ", B, C and D" up to where the list ends (a
 * preposition, a relative pronoun, a clause or sentence boundary). An item the words continue as a clause ("…, the
 * agency said"; ", and stole data") ends the list without being part of it; an item the parser apposed is no item.
 */
export function listedAfter(v: SentenceView, i: number): number[] {
    const g = v.g;
    const out: number[] = [];
    const inItem = (k: number) => /^(DT|PRP\$|JJ[RS]?|NNP?S?|CD|HYPH|POS)$/.test(g.pos(k)) || (/^VB[NG]$/.test(g.pos(k)) && /^(NN|JJ)/.test(g.pos(k + 1)));
    let k = i + 1;
    for (;;) {
        if (g.lower(k) === ",") k++;
        else if (!/^(and|or)$/.test(g.lower(k))) break;
        if (/^(and|or)$/.test(g.lower(k))) k++;
        let head = 0;
        for (; k <= g.size && inItem(k); k++) if (g.pos(k).startsWith("NN")) head = k;
        const ends = k > g.size || /^(,|and|or)$/.test(g.lower(k)) || /^(\.|:|-RRB-|IN|TO|WDT|WP)$/.test(g.pos(k));
        if (!head || !ends) break;
        // "Kyivstar, Ukraine's biggest mobile operator": an apposition describes the name before it (after a
        // sector it is the next item the parser apposed: "government agencies, the defence industry and media")
        if (!v.g.in(head, "appos").length || entityAt(v, i)?.type === "Sector") out.push(head);
    }
    return out;
}

/** How many things a counted noun counts ("three companies", "the five"), if it says. */
function countOf(v: SentenceView, i: number): number | undefined {
    const g = v.g;
    const count = (t: number) => v.words.numbers[g.lower(t)] ?? Number(g.lower(t));
    const n = g.pos(i) === "CD" ? count(i) : g.kids(i, "nummod").map(count).find((x) => Number.isInteger(x) && x > 1);
    return n && Number.isInteger(n) && n > 1 ? n : undefined;
}

/** The names listed right before a counted noun's phrase and its comma ("A and B, two hackers"), as many as it counts. */
function namesBefore(v: SentenceView, i: number): Entity[] {
    const g = v.g;
    const n = countOf(v, i);
    if (!n || !g.pos(i).startsWith("NNS")) return [];
    const start = Math.min(i, ...g.kids(i, (r) => r === "nummod" || r === "det" || r === "amod"));
    if (g.word(start - 1) !== ",") return [];
    const last = start - 2;
    if (!entityAt(v, last)) return [];
    const head = g.in(last).find((e) => e.rel.startsWith("conj") && e.gov < last)?.gov ?? last;
    const items = [head, ...listMembers(v, head)].filter((t, k, all) => all.indexOf(t) === k && t <= last);
    const es = items.map((t) => entityAt(v, t));
    return es.length === n && es.every((e) => e && e.type === es[0]!.type && e.type !== "Sector") ? (es as Entity[]) : [];
}

/**
 * The entities listed after the first colon that follows a counted plural noun in its sentence ("sanctioned three
 * companies on Tuesday: A, B and C"): exactly as many names as the count, all of one type (never sectors or states).
 */
export function colonList(v: SentenceView, i: number): Entity[] {
    const g = v.g;
    const n = countOf(v, i);
    if (!n || !g.pos(i).startsWith("NNS")) return [];
    let colon = 0;
    for (let k = i + 1; k <= g.size && !colon; k++) {
        if (/^[;.]$/.test(g.word(k))) return [];
        if (g.word(k) === ":") colon = k;
    }
    if (!colon) return [];
    const inItem = (k: number) => /^(DT|PRP\$|JJ[RS]?|NNP?S?|CD|HYPH|POS)$/.test(g.pos(k));
    let head = 0;
    let k = colon + 1;
    for (; k <= g.size && inItem(k); k++) if (g.pos(k).startsWith("NN")) head = k;
    if (!head || !(k > g.size || /^(,|and|\.|;)$/.test(g.word(k)) || g.pos(k) === "-LRB-")) return [];
    const items = [head, ...listedAfter(v, head)].map((t) => entityAt(v, t));
    const first = items[0];
    if (items.length !== n || !first || first.type === "Sector" || first.type === "State") return [];
    return items.every((e) => e && e.type === first.type) ? (items as Entity[]) : [];
}

/**
 * The speaker a pronoun of a reported clause stands for: "Solntsepek claimed that it had hacked Y", "Contoso said it
 * had been breached" (the clause's subject), "Microsoft says APT29 broke into its email system" (a possessor in a
 * clause whose own subject is someone else). Only a speaker of the pronoun's types, named in the sentence.
 */
function reportingSpeaker(v: SentenceView, i: number, types: readonly string[]): Entity | undefined {
    const g = v.g;
    const asSubject = g.in(i).find((e) => e.rel === "nsubj" || e.rel === "nsubj:pass");
    // (a possessor only of what a victim owns: "its email system", never "its victims" or "its own tools")
    const possessed = asSubject ? undefined : g.in(i, "nmod:poss").map((e) => e.gov).find((n) => v.words.ownedSystemNouns.has(g.lemma(n)));
    // (an expletive "it" is nobody: "the NCSC said it was highly likely that …")
    if (asSubject && !g.isVerb(asSubject.gov)) return undefined;
    // the verb of the clause the pronoun is in
    let clause = asSubject?.gov;
    for (let t = possessed, k = 0; clause === undefined && t !== undefined && k < 4; k++) {
        const up = g.basicParent(t);
        if (!up || up.gov === 0) break;
        if (g.isVerb(up.gov)) clause = up.gov;
        t = up.gov;
    }
    if (clause === undefined) return undefined;
    const report = g.in(clause).find((e) => (e.rel === "ccomp" || e.rel === "xcomp") && v.words.reportingVerbs.has(g.lemma(e.gov)))?.gov;
    if (report === undefined) return undefined;
    const speaker = g.kids(report, "nsubj").flatMap((s) => (s === i ? [] : [entityAt(v, s)])).find((e): e is Entity => Boolean(e));
    // (a one-word name the NER took for a person is what "it" says it is not: "Solntsepek claimed that it had …")
    if (!speaker || !(types.includes(speaker.type) || speaker.weak || (speaker.type === "Person" && !/\s/.test(speaker.name)))) return undefined;
    if (possessed !== undefined) {
        // ("APT99 hacked Contoso and stole its data": another name before the pronoun is what it refers to)
        if (v.mentions.some((m) => m.entity && m.start > report && m.end < i && !g.kids(clause, (r) => r === "nsubj" || r === "nsubj:pass").includes(m.head))) return undefined;
        // "APT29 said it used its own tools": a possessor in the speaker's own clause is the clause subject's
        const own = g.kids(clause, (r) => r === "nsubj" || r === "nsubj:pass").map((s) => entityAt(v, s));
        if (own.length === 0 || own.includes(speaker) || g.kids(possessed, "amod").some((a) => g.lower(a) === "own")) return undefined;
    }
    return speaker;
}

function resolveAnaphor(v: SentenceView, i: number, ana: NonNullable<ReturnType<typeof anaphorKind>>): Entity[] {
    const sent = v.g.index;
    if (!ana.plural && !ana.noun && /^(it|its)$/.test(v.g.lower(i))) {
        const speaker = reportingSpeaker(v, i, ana.types);
        if (speaker) return [speaker];
    }
    if (ana.preferGroup) {
        const e = v.table.salient(["ThreatActor"], sent, i, 8);
        if (e) return [e];
    }
    if (ana.plural) {
        const set = v.table.recentSet(sent, ana.count, ana.types.length === 1 && ana.types[0] === "Person" ? true : undefined);
        if (set && set.length >= 2) return set.filter((e) => ana.types.includes(e.type));
        if (ana.count) return [];
        // "they" / "their" for a group
        if (!ana.noun) {
            const e = v.table.recent(["ThreatActor"], sent, i, 2);
            return e ? [e] : [];
        }
        return [];
    }
    // "the unit", "the ministry": an entity that carries the word in one of its names first ("Unit 74455")
    if (ana.noun) {
        const re = new RegExp(`\\b${ana.noun}\\b`, "i");
        // (a name that carries the noun is strong evidence: look back over the whole story)
        const named = v.table.recent(ana.types, sent, i, 40, (x) => [x.name, ...x.aliases].some((n) => re.test(n)));
        if (named) return [named];
    }
    const filter = ana.noun && ana.types.includes("Organization") ? orgNounFilter(ana.noun) : undefined;
    // "its leader", "its victims": a group or company before the agency that speaks of it
    // ("its own network" is the clause's own subject's)
    if (!ana.noun && v.g.in(i, "nmod:poss").length && !v.g.in(i, "nmod:poss").some((e) => v.g.kids(e.gov, "amod").some((a) => v.g.lower(a) === "own"))) {
        const owner = v.table.recent(ana.types, sent, i, 3, (x) => x.type === "ThreatActor" || (x.type === "Organization" && x.kind !== "government"));
        if (owner) return [owner];
    }
    // a group is the story's most salient group; a company or body the most recent one
    const e = ana.types[0] === "ThreatActor" ? (v.table.salient(["ThreatActor"], sent, i, 8) ?? v.table.recent(ana.types, sent, i, 3, filter)) : v.table.recent(ana.types, sent, i, 3, filter);
    return e ? [e] : [];
}

/** "the company" is a company, "the ministry" a government body. */
function orgNounFilter(noun: string): ((e: Entity) => boolean) | undefined {
    if (/^(company|firm|business|contractor|subsidiary|startup|vendor|provider|front|exchange|platform|bank)$/.test(noun)) return (e) => e.kind !== "government";
    if (/^(agency|ministry|department|bureau|office|service|directorate|unit|division|branch|arm)$/.test(noun)) return (e) => e.kind === "government" || e.kind === undefined;
    // ("the institute" named by its word was looked for first: unnamed it is no ministry or department)
    if (/^(institute|institution|academy|university|college|school|laboratory|lab)$/.test(noun)) return (e) => e.kind !== "government";
    return undefined;
}

/**
 * Person names a counted noun holds in its "of" phrase when the parser put them there ("sanctioned two members
 * of Evil Corp, Ivan Petrov and Oleg Sidorov"): only when their number is the count.
 */
export function countedNames(v: SentenceView, i: number): number[] {
    const g = v.g;
    const count = g.kids(i, "nummod").map((d) => v.words.numbers[g.lower(d)] ?? Number(g.lower(d))).find((x) => Number.isInteger(x) && x > 1);
    if (!count) return [];
    const names = [...new Set(g.kids(i, (r) => r.startsWith("nmod")).filter((t) => v.table.byId.get(v.at.get(t)?.entity ?? "")?.type === "Person"))];
    return names.length === count ? names : [];
}

/** The tokens listed with i: its conjuncts, and for a person the other persons the parser apposed to it. */
export function listMembers(v: SentenceView, i: number): number[] {
    const self = entityAt(v, i);
    // two persons, or two organisations of known type, are never one thing written twice (aliases were linked before)
    const listable = (e: Entity | undefined) => e && e !== self && e.type === self?.type && (e.type === "Person" || (e.type === "Organization" && !e.weak && !self.weak));
    // (a name after a verb the tagger made its modifier is the verb's object, no list item: "X, which is linked to
    // Y, targeted Z" parsed with "targeted Z" apposed to Y)
    const clauseObject = (d: number) => v.g.kids(d, "amod").some((a) => /^VB[DN]$/.test(v.g.pos(a)) && v.g.word(a - 1) === ",");
    const listed = v.g
        .out(i)
        .filter((e) => e.rel.startsWith("conj") || (e.rel === "appos" && listable(entityAt(v, e.dep)) && !clauseObject(e.dep)))
        .map((e) => e.dep);
    // a long name the parser did not read as one ("the Organisation for the Prohibition of Chemical Weapons and the
    // Defence Science and Technology Laboratory": the second is a conjunct of "Weapons")
    const m = v.at.get(i);
    if (m && self && m.head === i)
        for (let t = m.start; t <= m.end; t++) if (t !== i) for (const e of v.g.out(t)) if (e.rel.startsWith("conj") && e.dep > m.end && /^\p{Lu}/u.test(v.at.get(e.dep)?.text ?? "") && entityAt(v, e.dep) && !listed.includes(e.dep)) listed.push(e.dep);
    // two names the NER ran together and the parser compounded ("the Interior Ministry and Finance Ministry": the
    // first a compound of the second's head)
    if (m && self && v.g.lower(m.start - 1) === "and")
        for (const c of v.g.kids(i, "compound")) if (c < m.start - 1 && listable(entityAt(v, c)) && v.at.get(c)!.end === m.start - 2 && !listed.includes(c)) listed.push(c);
    return listed;
}

/** States written as modifiers of a noun: "Australian networks", "Ukraine's government". */
function stateModifiers(v: SentenceView, i: number): Entity[] {
    const out: Entity[] = [];
    for (const c of v.g.kids(i, (r) => r === "amod" || r === "compound" || r === "nmod:poss")) {
        const m = v.at.get(c);
        if (c < i && m?.registry?.type === "State") out.push(v.table.fromRegistry(m.registry));
    }
    return out;
}

/** The state a place token names: a State mention, or a city/region whose country the gazetteer knows. */
export function placeState(v: SentenceView, i: number): Entity[] {
    const out: Entity[] = [];
    const tryTok = (t: number) => {
        const m = v.at.get(t);
        if (!m) return;
        if (m.registry?.type === "State") out.push(v.table.fromRegistry(m.registry));
        else if (m.type === "Place" && m.country) {
            const s = v.table.stateByCode(m.country);
            if (s) out.push(s);
        }
    };
    tryTok(i);
    // "Haikou, on China's Hainan island" / "Ostburg, Valdoria"
    if (out.length === 0) for (const e of v.g.out(i)) if (e.rel === "appos" || e.rel.startsWith("nmod")) tryTok(e.dep);
    // "Sichuan province", "the state of Texas": the region named on a region noun
    if (out.length === 0 && /^(province|state|region|prefecture|oblast|county)$/.test(v.g.lower(i))) for (const e of v.g.out(i)) if (e.rel === "compound" || e.rel === "nmod:of") tryTok(e.dep);
    for (const c of v.g.kids(i, (r) => r.startsWith("conj"))) tryTok(c);
    return out;
}
