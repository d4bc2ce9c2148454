/**
 * Structure written inside noun phrases (EXTRACTION-GUIDE rules 3, 4, 6): a state or parent in a government
 * body's name ("the Valdorian Interior Ministry", "Russia's GRU", "the ministry's Unit 12", "the Ministry of
 * Defence of Valdoria") → PART_OF; a state on a company ("the Valdorian security company X") → BASED_IN; a
 * state-sponsorship modifier ("a Chinese state-sponsored group, APT40") → AFFILIATED_WITH. Nothing from world
 * knowledge: a bare "FBI" gives nothing.
 */
import type { Predicate } from "../model/vocabulary.ts";
import { colonList, entityAt, placeState, resolve, type SentenceView } from "./arguments.ts";
import type { Entity } from "./entities.ts";
import { qualify } from "./qualify.ts";
import type { RawFact } from "./relations.ts";

const SPONSOR = /^(sponsor|sponsored|back|backed|affiliate|affiliated|link|linked|align|aligned|direct|directed|support|supported|fund|funded|control|controlled|run|tie|tied|connect|connected|nexus)$/;

function isGovernment(e: Entity): boolean {
    return e.type === "Organization" && e.kind === "government";
}

/** The state a modifier token stands for: a State name or a demonym ("Chinese"). */
function stateOf(v: SentenceView, t: number): Entity | undefined {
    const m = v.at.get(t);
    if (m?.registry?.type === "State") return v.table.fromRegistry(m.registry);
    return undefined;
}

/** Names a generic noun is apposed to or compounded with: "the company Contoso", "Contoso, a company". */
function namedBy(v: SentenceView, n: number): Entity[] {
    const g = v.g;
    const out: Entity[] = [];
    for (const e of g.out(n)) if ((e.rel === "appos" || e.rel === "compound" || e.rel === "nmod:named" || e.rel === "dep") && e.dep > n) {
        const x = entityAt(v, e.dep);
        if (x) out.push(x);
    }
    // "the Russian Trickbot gang": a name compounded in front of the noun
    for (const c of g.kids(n, "compound")) if (c < n && !v.at.get(c)?.demonym && v.at.get(c)?.registry?.type !== "State") {
        const x = entityAt(v, c);
        if (x && (x.type === "Organization" || x.type === "ThreatActor")) out.push(x);
    }
    for (const e of g.in(n, "appos")) {
        const x = entityAt(v, e.gov);
        if (x) out.push(x);
    }
    // "the American security firm SentinelOne" parsed with the name outside the noun phrase: the name right after it
    const next = v.mentions.find((m) => m.start === n + 1 && m.entity);
    if (next && out.length === 0 && (g.pos(n) === "NN" || g.pos(n) === "NNS")) {
        const x = v.table.byId.get(next.entity!);
        if (x && (x.type === "Organization" || x.type === "ThreatActor")) out.push(x);
    }
    // "Iranian hackers known as APT99", "a Russian group called X": the name the noun is known by
    if (out.length === 0 && /^(known|called|dubbed|named|nicknamed|tracked)$/.test(g.lower(n + 1))) {
        const k = g.lower(n + 2) === "as" ? n + 3 : n + 2;
        const x = entityAt(v, k);
        if (x && (x.type === "Organization" || x.type === "ThreatActor")) out.push(x);
    }
    // "six Russian technology companies that …: A, B, …": the names a colon lists for the counted noun
    if (out.length === 0) out.push(...colonList(v, n));
    // "X is a Chinese company", "X is believed to be a North Korean group"
    if (g.out(n, "cop").length) for (const s of g.kids(n, (r) => r === "nsubj" || r === "nsubj:xsubj")) out.push(...resolve(v, s, "holder"));
    return out;
}

export function modifierFacts(v: SentenceView): RawFact[] {
    const g = v.g;
    const W = v.words;
    const out: RawFact[] = [];
    const push = (s: Entity, p: Predicate, o: Entity, anchor: number, pattern: string) => {
        if (s.id === o.id) return;
        // structure written in a name is the article's own statement, whatever the clause around it says
        // ("China's foreign ministry denied …" does not deny that the ministry is China's)
        if (p === "PART_OF" || p === "BASED_IN") {
            out.push({ s, p, o, certainty: "asserted", sent: g.index, anchor, pattern, confidence: 0.7 });
            return;
        }
        const q = qualify(v, anchor, p);
        if (q.negated) return;
        out.push({ s, p, o, certainty: q.certainty === "denied" ? "asserted" : q.certainty, ...(q.claimedBy && q.claimedBy.id !== o.id && q.certainty !== "denied" ? { claimedBy: q.claimedBy } : {}), sent: g.index, anchor, pattern, confidence: 0.7 });
    };
    const structural = (e: Entity, parent: Entity, anchor: number, pattern: string) => {
        if (e.type === "Organization" && (parent.type === "State" || parent.type === "Organization") && (isGovernment(e) || parent.type === "Organization")) push(e, "PART_OF", parent, anchor, pattern);
        else if (e.type === "Organization" && e.kind === "company" && parent.type === "State") push(e, "BASED_IN", parent, anchor, pattern);
        else if (e.type === "ThreatActor" && (parent.type === "State" || parent.type === "Organization")) push(e, "AFFILIATED_WITH", parent, anchor, pattern);
    };
    for (const m of v.mentions) {
        if (!m.entity) continue;
        const e = v.table.byId.get(m.entity);
        if (!e || e.type === "Person" || e.type === "Sector" || e.type === "State") continue;
        if (m.source === "people") {
            // a state's institution named with its state: "Ukraine's armed forces", "the Georgian parliament"
            const st = isGovernment(e) ? v.table.statePrefix(m.text.replace(/^the\s+/i, "").replace(/['’]s\b/, "")) : undefined;
            if (st) structural(e, st, m.head, "modifier.state");
            continue;
        }
        // a state written at the front of the name: "US Treasury", "Chinese Ministry of State Security"
        // (a state's own government, "the British government", is not a part of it)
        if (m.end > m.start && isGovernment(e) && !/^(government|administration|authorities|regime)$/.test(g.lemma(m.head))) {
            const first = v.at.get(m.start);
            const st = first && first !== m && first.registry?.type === "State" ? v.table.fromRegistry(first.registry) : v.table.statePrefix(m.text.replace(/^the\s+/i, ""));
            if (st) structural(e, st, m.head, "modifier.name-prefix");
            // "the Cyber Security Agency of Singapore", "the Ministry of Defence of Ukraine": the state at its end
            const end = st ? undefined : v.table.stateSuffix(m.text);
            if (end) structural(e, end, m.head, "modifier.name-suffix");
        }
        // "Germany's Federal Prosecutor's Office" (the possessor hung on a word inside the name); "Japan's Foreign
        // Ministry and Defense Ministry" read as compounds (the first name a compound of the second, which the
        // possessor is on): a state possessor in front of the name is its state too
        if (isGovernment(e)) {
            const holders = [...Array.from({ length: m.end - m.start + 1 }, (_, k) => m.start + k).filter((k) => k !== m.head), ...g.in(m.head, "compound").map((c) => c.gov).filter((h) => h > m.end && v.at.get(h)?.entity && isGovernment(v.table.byId.get(v.at.get(h)!.entity!)!))];
            for (const h of holders) for (const p of g.kids(h, "nmod:poss")) {
                if (p >= m.start) continue;
                if (v.at.get(p)?.registry?.type === "State") structural(e, v.table.fromRegistry(v.at.get(p)!.registry!), m.head, "modifier.possessive");
                // (or a government body: "the Treasury Department's Office of Foreign Assets Control")
                else if (h >= m.start && h <= m.end) for (const parent of resolve(v, p, "object")) if (parent.type === "Organization" && isGovernment(parent)) structural(e, parent, m.head, "modifier.possessive");
            }
        }
        for (const ed of g.out(m.head)) {
            if (ed.dep >= m.start && ed.dep <= m.end && ed.rel !== "nmod:poss") continue;
            // "Russia's GRU", "the ministry's Unit 12", "its unit" (possessive pronouns resolve through coreference)
            if (ed.rel === "nmod:poss") {
                for (const parent of resolve(v, ed.dep, "object")) structural(e, parent, m.head, "modifier.possessive");
                continue;
            }
            // "the Valdorian Interior Ministry", "the Russian firm Contoso" (a demonym or state in front)
            // (not across a possessive: in "France names Russia's GRU" the GRU is Russia's alone)
            const possessor = g.kids(m.head, "nmod:poss").find((p) => p < m.start);
            if ((ed.rel === "amod" || ed.rel === "compound") && ed.dep < m.start && !(possessor !== undefined && ed.dep < possessor)) {
                const st = stateOf(v, ed.dep);
                if (st) structural(e, st, m.head, "modifier.state");
                else if (ed.rel === "compound") {
                    const parent = entityAt(v, ed.dep);
                    if (parent && parent.type === "Organization" && isGovernment(parent) && isGovernment(e)) structural(e, parent, m.head, "modifier.parent");
                }
            }
            // "Contoso Labs of Tehran", "Fabrikam Trading, of Dubai": a company of a place is based there
            if (ed.rel === "nmod:of" && e.type === "Organization" && e.kind === "company") for (const st of placeState(v, ed.dep)) push(e, "BASED_IN", st, m.head, "modifier.company-of");
            // "the Ministry of Defence of Valdoria" (not "the Department of the Treasury's Office of …": there the "of"
            // belongs to the name and the phrase after it is the possessor's)
            const ofInside = g.kids(ed.dep, "case").some((c) => c >= m.start && c <= m.end);
            if (ed.rel === "nmod:of" && isGovernment(e) && !ofInside) {
                for (const parent of resolve(v, ed.dep, "object")) if (parent.type === "State" || isGovernment(parent)) structural(e, parent, m.head, "modifier.of");
            }
        }
    }
    // "Centre 18 of the FSB was behind Star Blizzard": the body behind a group is the group's (a tie, rule 6)
    for (const m of v.mentions) {
        const group = m.entity ? v.table.byId.get(m.entity) : undefined;
        if (group?.type !== "ThreatActor" || !g.out(m.head).some((e) => e.rel === "case" && g.lower(e.dep) === "behind")) continue;
        for (const s of g.kids(m.head, "nsubj")) for (const body of resolve(v, s, "agent")) if (body.type === "Organization" || body.type === "State") push(group, "AFFILIATED_WITH", body, m.head, "modifier.behind-group");
    }
    // generic heads with a state and a name: "the Chinese company Contoso", "a Chinese state-sponsored group, APT40"
    for (let n = 1; n <= g.size; n++) {
        // (a sector word apposed to a name describes the name: "Aeza Group, a Russian hosting provider")
        if (!g.pos(n).startsWith("NN") || g.pos(n).startsWith("NNP") || (v.at.get(n)?.entity && !(v.at.get(n)!.source === "sector" && (g.in(n, "appos").length || colonList(v, n).length)))) continue;
        const lemma = g.lemma(n);
        const isCompany = W.companyNouns.has(lemma);
        // (people of a group stand for it here: "Iranian hackers known as APT99")
        // ("a North Korean hacking team": a team is a group when it hacks; "Microsoft's research team" is not one)
        const hackingTeam = /^(team|unit|squad)$/.test(lemma) && g.kids(n, (r) => r === "amod" || r === "compound").some((d) => /^(hack|hacking|hacker|cyber|cyberespionage|espionage|intrusion)$/.test(g.lower(d)));
        const isActor = W.actorNouns.has(lemma) || /^(hacker|operative|spy|attacker)$/.test(lemma) || hackingTeam;
        const isGov = W.governmentNouns.has(lemma);
        if (!isCompany && !isActor && !isGov) continue;
        // ("six Russian technology companies": the demonym may hang on the compound in front)
        const front = g.kids(n, (r) => r === "amod" || r === "compound" || r === "nmod:poss").filter((d) => d < n);
        const states = [...front, ...front.filter((d) => g.in(d).some((e) => e.rel === "compound" && e.gov === n)).flatMap((d) => g.kids(d, "amod").filter((a) => a < d))].map((d) => stateOf(v, d)).filter((x): x is Entity => Boolean(x));
        // "the Shenzhen firm Contoso Labs": a city in front of a company noun places the company in its country
        if (isCompany && states.length === 0) for (const c of front) if (v.at.get(c)?.type === "Place" && g.in(c).some((e) => e.rel === "compound" && e.gov === n)) states.push(...placeState(v, c));
        // "Contoso Labs, a firm in Shenzhen, China": a company noun placed in a city or country
        if (isCompany) for (const p of g.kids(n, "nmod:in")) for (const st of placeState(v, p)) for (const e of namedBy(v, n)) if (e.type === "Organization") push(e, "BASED_IN", st, n, "modifier.company-in");
        const sponsored = g.kids(n, (r) => r === "amod" || r === "compound" || r === "acl").some((d) => SPONSOR.test(g.lower(d)) && g.out(d).some((x) => /^(state|government|kremlin|regime)$/.test(g.lower(x.dep))));
        if (states.length === 0) continue;
        for (const e of namedBy(v, n)) {
            for (const st of states) {
                if (isActor && sponsored && (e.type === "ThreatActor" || e.type === "Organization")) push(e, "AFFILIATED_WITH", st, n, "modifier.state-sponsored");
                else if (isCompany && e.type === "Organization") push(e, "BASED_IN", st, n, "modifier.company-state");
                // "the Russian cybercrime group Evil Corp": a nationality on a criminal group says where it is based;
                // on any other group ("the Iranian group Peach Sandstorm") it is the state's group
                else if (isActor && !sponsored && e.type === "ThreatActor" && !g.kids(n, (r) => r === "amod" || r === "compound").some((d) => /^(opposition|exile|exiled|dissident|rebel|resistance|diaspora)$/.test(g.lower(d)))) {
                    const criminal = /^(gang|syndicate|cartel|mob)$/.test(lemma) || g.kids(n, (r) => r === "amod" || r === "compound").some((d) => /^(cybercrime|cybercriminal|criminal|crime|ransomware|extortion|fraud)$/.test(g.lower(d)));
                    push(e, criminal ? "BASED_IN" : "AFFILIATED_WITH", st, n, criminal ? "modifier.group-state" : "modifier.state-group");
                }
                else if (isGov && e.type === "Organization") push(e, "PART_OF", st, n, "modifier.government-state");
                else if (isGov && e.type === "ThreatActor") push(e, "AFFILIATED_WITH", st, n, "modifier.government-state");
            }
        }
    }
    // "APT40, a Chinese state-sponsored group": states on a sponsored actor noun whose holder is the name
    return out;
}
