/**
 * Stage 1 — mentions: the spans of a sentence that name something the vocabulary knows. Sources, in order of
 * trust: the registry's names (threat actors, agencies, states and their demonyms), CoreNLP's named-entity
 * spans (PERSON, ORGANIZATION, places), proper-noun chains and code-like group names ("UNC2452"), victim
 * descriptions that map to the guide's sectors ("a regional power utility" → energy), and groups of people
 * named with a modifier ("British MPs"). Types of unknown names come from their form and their head noun
 * ("the X group", "X, a Chengdu company"); what is still unsure is settled by the relations they take part in.
 */
import type { EntityType, OrganizationKind } from "../model/vocabulary.ts";
import type { RegistryEntity } from "../registry/types.ts";
import { countryOfPlace } from "./gazetteer.ts";
import type { Lexicon } from "./lexicon.ts";
import type { Words } from "./patterns.ts";
import type { SentenceGraph } from "./sentence-graph.ts";
import { tokenize } from "./text.ts";

export type MentionType = EntityType | "Place";

export interface Mention {
    sent: number;
    /** Token range, inclusive, 1-based. */
    start: number;
    end: number;
    head: number;
    text: string;
    type: MentionType;
    /** The type is a guess from the form only: relations may change it (an unknown name that attacks is a group). */
    weakType?: boolean;
    source: "registry" | "ner" | "name" | "sector" | "people";
    registry?: RegistryEntity;
    /** A state met through its demonym ("Chinese"): a modifier, never an argument by itself. */
    demonym?: boolean;
    /** Place: the ISO code of its country, and whether it is the capital ("Seoul blacklisted …" is the state). */
    country?: string;
    capital?: boolean;
    kind?: OrganizationKind;
    /** Set by linking. */
    entity?: string;
}

const MONTH = /^(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|spring|summer|autumn|fall|winter)$/i;
const ROLE_OWNED = /^(founder|co-founder|employee|staff|director|executive|ceo|owner|subsidiary|shareholder|headquarters|office|product|customer|client|chairman|manager|engineer|worker|contractor|spokesperson|spokesman)$/;
const ACTOR_NAME = /^(?:APT|UNC|TA|FIN|TAG|DEV|UAT|TEMP|STORM|G|SIG|GOLD|BRONZE|TG|CL-STA|UNK|DPRK)[-\s]?\d{1,5}$/i;
const ACTOR_SUFFIX = /\b(?:Typhoon|Bear|Panda|Kitten|Chollima|Blizzard|Sandstorm|Sleet|Tempest|Spider|Hail|Dust|Lynx|Libra|Taurus|Ursa|Pisces|Serpens|Scorpius|Aries|Leo|Capricorn)$/;

export interface MentionContext {
    text: string;
    lexicon: Lexicon;
    words: Words;
    /** Whether the story already named something so ("Pasit" opening a sentence is that company, not a common word). */
    known?: (name: string) => boolean;
}

/** All mentions of one sentence, non-overlapping, in text order. */
export function findMentions(g: SentenceGraph, ctx: MentionContext): Mention[] {
    const taken = new Array<boolean>(g.size + 2).fill(false);
    const out: Mention[] = [];
    const push = (m: Mention) => {
        for (let i = m.start; i <= m.end; i++) taken[i] = true;
        out.push(m);
    };
    // a state at the front of a longer organisation name the NER found ("New Zealand Parliamentary Counsel Office")
    // is part of that name, not a mention of its own
    // (likewise a registry name inside a longer one: "Contoso Cyber Centre" is not the "Cyber Centre" of the registry)
    // (a possessive ends a name: "the US Treasury's Office of Foreign Assets Control" is two; "People's" is not one)
    const possessive = (i: number) => splitsName(g, i);
    const orgRun = (i: number) => g.ner(i) === "ORGANIZATION" && !possessive(i);
    // a name its acronym spells out whole ("the Inter-Parliamentary Alliance on China (IPAC)") is one name, even where
    // the registry or the NER knows a part of it ("China")
    const known = registryMentions(g, ctx);
    for (const m of acronymMentions(g, ctx)) if (!known.some((r) => r.start <= m.start && m.end <= r.end)) push(m);
    const reg = known.filter((m) => !taken.slice(m.start, m.end + 1).some(Boolean));
    for (const m of reg) {
        const nnpBefore = g.pos(m.start - 1) === "NNP" && g.basicParent(m.start - 1)?.rel === "compound" && m.registry?.type !== "State";
        if (((orgRun(m.start) && orgRun(m.end)) || nnpBefore) && m.registry?.type !== "ThreatActor") {
            let a = m.start;
            let b = m.end;
            while (orgRun(a - 1) || (g.pos(a - 1) === "NNP" && g.basicParent(a - 1)?.rel === "compound" && g.basicParent(a - 1)!.gov >= m.start && g.basicParent(a - 1)!.gov <= m.end)) a--;
            while (orgRun(b + 1)) b++;
            const longer = (a < m.start && /^\p{Lu}/u.test(g.word(a))) || (b > m.end && /^[\p{Lu}\p{N}]/u.test(g.word(b)));
            const alone = !reg.some((o) => o !== m && o.start <= b && o.end >= a);
            if (longer && alone) continue;
        }
        // a registry alias that is the front of the entity's full name as written ("Ministry of Intelligence" of
        // "Iran's Ministry of Intelligence and Security"): the mention is the full name
        const full = m.registry?.name;
        if (full && /^(and|of|for|&)$/i.test(g.word(m.end + 1)))
            for (let b = m.end + 2; b <= Math.min(g.size, m.end + 6); b++) {
                const tail = g.textOf(m.start, b, ctx.text).replace(/\s+/g, " ");
                if (tail.toLowerCase().endsWith(full.toLowerCase())) {
                    m.end = b;
                    m.text = tail;
                    break;
                }
            }
        push(m);
    }
    for (const m of institutionMentions(g, ctx, taken)) push(m);
    for (const m of nerMentions(g, ctx, taken)) push(m);
    for (const m of nameMentions(g, ctx, taken)) push(m);
    for (const m of descriptionMentions(g, ctx, taken)) push(m);
    const inside = (a: Mention, b: Mention) => a !== b && b.start <= a.start && a.end <= b.end && b.end - b.start > a.end - a.start;
    const kept = out.filter((m) => !out.some((o) => o.source === "people" && inside(m, o)));
    return withPlacePrefixes(g, ctx, kept.sort((a, b) => a.start - b.start));
}

/**
 * An organisation's name as written with its place in front: "the New Zealand Parliamentary Counsel Office", "the
 * US Anti-Doping Agency", "the Kyiv Metro". Capitalised words that modify the name ("Parliamentary Counsel") join
 * it, then a state or city compounded onto it; registry names and demonyms stay apart ("US Treasury", "Russian GRU").
 */
function withPlacePrefixes(g: SentenceGraph, ctx: MentionContext, ms: Mention[]): Mention[] {
    const out: Mention[] = [];
    const inside = (t: number, m: Mention) => t >= m.start && t <= m.end;
    for (const m of ms) {
        if (m.type !== "Organization" || (m.source !== "ner" && m.source !== "name")) {
            out.push(m);
            continue;
        }
        let start = m.start;
        const modifies = (t: number) => {
            const p = g.basicParent(t);
            return p !== undefined && (p.rel === "compound" || p.rel === "amod") && p.gov > t && p.gov <= m.end;
        };
        while (start > 1 && /^\p{Lu}/u.test(g.word(start - 1)) && /^(NN|JJ)/.test(g.pos(start - 1)) && modifies(start - 1) && !ms.some((o) => inside(start - 1, o))) start--;
        const prev = out[out.length - 1];
        const place = prev && prev.end === start - 1 && !prev.demonym && (prev.type === "Place" || prev.registry?.type === "State") && modifies(prev.end);
        if (place) {
            out.pop();
            start = prev.start;
        }
        if (start === m.start) {
            out.push(m);
            continue;
        }
        out.push({ ...m, start, text: g.textOf(start, m.end, ctx.text) });
    }
    return out;
}

// ---------------------------------------------------------------------------------------------------------
// Registry names

function registryMentions(g: SentenceGraph, ctx: MentionContext): Mention[] {
    // The lexicon matches its own fine tokens ("U.S." is U . S .): split each CoreNLP token the same way and
    // keep matches whose edges fall on CoreNLP token edges.
    const fine: ReturnType<typeof tokenize> = [];
    const owner: number[] = [];
    const firstFine = new Map<number, number>();
    const lastFine = new Map<number, number>();
    for (const t of g.tokens) {
        const parts = tokenize(ctx.text.slice(t.begin, t.end), t.begin);
        for (const p of parts) {
            if (!firstFine.has(t.i)) firstFine.set(t.i, fine.length);
            lastFine.set(t.i, fine.length);
            fine.push(p);
            owner.push(t.i);
        }
    }
    const out: Mention[] = [];
    const matches = ctx.lexicon.match(fine);
    for (let n = 0; n < matches.length; n++) {
        const m = matches[n]!;
        let start = owner[m.start]!;
        const end = owner[m.end - 1]!;
        if (firstFine.get(start) !== m.start || lastFine.get(end) !== m.end - 1) continue;
        // "the FBI" (an alias written with its article): the name starts after the article
        if (start < end && /^(the|a|an)$/.test(g.word(start))) start++;
        const e = m.entry.entity;
        if (e.type === "Sector") continue; // victim categories come from the guide's list (descriptionMentions)
        // "New Jersey", "New Mexico": a state's name after "New" is another place (the registry matched "New Zealand" whole)
        if (e.type === "State" && g.word(start - 1) === "New") continue;
        // "US" inside "US politicians" is still the state; a lower-case common word is never a registry name
        if (!/[\p{Lu}\p{N}]/u.test(g.word(start)) && e.type !== "State") continue;
        // a body's name that ends in a common noun used as a modifier describes what follows ("US government
        // agencies", "US government officials": the state and a description, not the US Government itself)
        const modifierUse = g.pos(end) === "NN" && /^\p{Ll}/u.test(g.word(end)) && g.in(end).some((x) => x.rel === "compound" && x.gov > end && /^NNS?$/.test(g.pos(x.gov)));
        if (e.type === "Organization" && modifierUse) {
            // (the names inside it still count: the state in "US government agencies")
            const first = firstFine.get(start)!;
            const inner = ctx.lexicon.match(fine.slice(first, firstFine.get(end)!)).map((x) => ({ ...x, start: x.start + first, end: x.end + first }));
            matches.splice(n + 1, 0, ...inner);
            continue;
        }
        const mention: Mention = {
            sent: g.index,
            start,
            end,
            head: g.headOf(start, end),
            text: g.textOf(start, end, ctx.text),
            type: e.type,
            source: "registry",
            registry: e,
            ...(m.entry.demonym ? { demonym: true } : {}),
            ...(e.kind ? { kind: e.kind } : {}),
        };
        out.push(mention);
    }
    // "the German Foreign Office", "Japan's Foreign Ministry": a body of one state's registry entry, named after another
    // state, is that other state's body (the name stays for the NER and name stages), never the entry
    return out.filter((m) => {
        const home = m.registry?.type === "Organization" ? ctx.lexicon.homeState.get(m.registry.id) : undefined;
        if (!home) return true;
        const before = out.find((x) => x.registry?.type === "State" && (x.end === m.start - 1 || (x.end === m.start - 2 && /^['’]s$/.test(g.word(m.start - 1)))));
        return !before || before.registry!.id === home;
    });
}

// ---------------------------------------------------------------------------------------------------------
// CoreNLP named entities

const NER_TYPES: Record<string, MentionType> = {
    PERSON: "Person",
    ORGANIZATION: "Organization",
    COUNTRY: "Place",
    CITY: "Place",
    STATE_OR_PROVINCE: "Place",
    LOCATION: "Place",
    NATIONALITY: "Place",
};

/**
 * A possessive inside a name run that splits it into owner and owned: "the US Treasury's Office of Foreign Assets
 * Control", "GCHQ's NCSC" — not "People's Liberation Army", "Moody's Analytics", "the Federal Prosecutor's Office".
 */
function splitsName(g: SentenceGraph, i: number): boolean {
    if (g.pos(i) !== "POS" || /^people$/i.test(g.word(i - 1))) return false;
    let k = i + 1;
    while (k <= g.size && (g.ner(k) === g.ner(i + 1) && g.ner(k) !== "O")) k++;
    const after = k - (i + 1);
    // (a bare apostrophe after a plural is a possessive unless a body's name goes on: "the Contoso Times' Twitter
    // account", never "the Workers' Party of Korea")
    if (g.word(i) === "'" || g.word(i) === "’") return after >= 1 && !ORG_HEAD.test(g.word(i + 1)) && !BODY_HEAD.test(g.word(i + 1)) && !/^(Party|Union|League|Front|Army|Guard|Association|Federation)$/.test(g.word(i + 1));
    return after >= 2 || /^[\p{Lu}\d]{2,}$/u.test(g.word(i + 1));
}

function nerMentions(g: SentenceGraph, ctx: MentionContext, taken: boolean[]): Mention[] {
    const out: Mention[] = [];
    // a place at the front of an organisation's name is part of the name ("Wuhan XRZ", "Chengdu 404 Network")
    const labels: string[] = [""];
    // a possessive ends a name: "the US Treasury's Office of Foreign Assets Control" is two ("People's" is not one)
    for (let i = 1; i <= g.size; i++) labels.push(splitsName(g, i) ? "O" : g.ner(i));
    for (let i = g.size; i >= 1; i--) {
        if (NER_TYPES[labels[i]!] !== "Place" || g.ner(i) === "NATIONALITY" || g.ner(i) === "COUNTRY") continue;
        const p = g.basicParent(i);
        if (p && p.rel === "compound" && p.gov > i && (labels[p.gov] === "ORGANIZATION" || g.pos(p.gov) === "NNP") && [...Array(p.gov - i - 1).keys()].every((k) => labels[i + 1 + k] === "ORGANIZATION" || g.pos(i + 1 + k) === "NNP")) {
            for (let k = i; k <= p.gov; k++) labels[k] = "ORGANIZATION";
        }
    }
    // a capitalised word and "and" in front of an organisation the NER started late belong to its name:
    // "the Industrial and Commercial Bank of China" (never a word that is a name of its own: "Microsoft and Fabrikam Bank")
    for (let i = 3; i <= g.size; i++) {
        if (labels[i] !== "ORGANIZATION" || labels[i - 1] !== "O" || !/^(and|&)$/.test(g.word(i - 1)) || labels[i - 2] !== "O" || g.pos(i - 2) !== "NNP" || !/^\p{Lu}\p{Ll}+$/u.test(g.word(i - 2))) continue;
        let j = i;
        while (j + 1 <= g.size && labels[j + 1] === "ORGANIZATION") j++;
        if (![...Array(j - i + 1).keys()].some((k) => ORG_HEAD.test(g.word(i + k))) || ctx.lexicon.match(tokenize(g.word(i - 2))).some((x) => !x.entry.lower)) continue;
        labels[i - 2] = labels[i - 1] = "ORGANIZATION";
    }
    let i = 1;
    while (i <= g.size) {
        const label = labels[i]!;
        const type = NER_TYPES[label];
        if (!type || taken[i]) {
            i++;
            continue;
        }
        let j = i;
        while (j + 1 <= g.size && !taken[j + 1] && (labels[j + 1] === label || (type === "Organization" && joinsName(g, j + 1)))) j++;
        // a preposition the NER ran into a name whose object the parse hangs outside it ends the name: "pinned the
        // breach of Contoso Bank on APT99" (never "the Council on Foreign Relations", where the object hangs inside)
        for (let k = i + 1; k < j; k++) {
            if (!/^(IN|TO)$/.test(g.pos(k)) || !/^\p{Ll}/u.test(g.word(k))) continue;
            const object = g.basicParent(k)?.gov;
            const up = object !== undefined && object > k && object <= j ? g.basicParent(object)?.gov : undefined;
            // (and only where what follows is a name of its own: a code name or a name the registry knows; the parse
            // also hangs "for the Prohibition" of "the Organisation for the Prohibition of Chemical Weapons" outside)
            const rest = g.textOf(k + 1, j, ctx.text);
            const restToks = tokenize(rest);
            const ownName = ACTOR_NAME.test(rest) || ctx.lexicon.match(restToks).some((x) => x.start === 0 && x.end === restToks.length);
            if (ownName && up !== undefined && (up < i || up > j)) {
                labels[k] = "O";
                j = k - 1;
                break;
            }
        }
        // drop edge determiners and possessive markers
        let s = i;
        let e = j;
        while (s <= e && /^(the|a|an)$/i.test(g.word(s))) s++;
        // (and a preposition or conjunction left at the end where a registry name took what followed: "Contoso Bank on")
        while (e >= s && (g.pos(e) === "POS" || /^[,.;:'"]$/.test(g.word(e)) || (/^(IN|TO|CC|DT)$/.test(g.pos(e)) && /^\p{Ll}/u.test(g.word(e))))) e--;
        // two bodies the NER ran together: "Japan's Foreign Ministry and Defense Ministry" (a left part that ends in
        // a body's head noun, a right part that has one; never "the Defence Science and Technology Laboratory")
        const and = type === "Organization" ? [...Array(Math.max(0, e - s - 1)).keys()].map((k) => s + 1 + k).find((k) => g.lower(k) === "and" && BODY_HEAD.test(g.word(k - 1)) && [...Array(e - k).keys()].some((d) => BODY_HEAD.test(g.word(k + 1 + d)))) : undefined;
        const parts: Array<[number, number]> = and !== undefined ? [[s, and - 1], [and + 1, e]] : [[s, e]];
        for (const [a, b] of parts) {
            const m = typed(g, ctx, a, b, type, "ner");
            if (m) out.push(m);
        }
        i = j + 1;
    }
    return out;
}

/** The head noun of an institution's or a company's name. */
const ORG_HEAD = /^(Bank|Company|Corporation|Corp|Group|Holdings|Industries|Institute|University|College|Laboratory|Laboratories|Trust|Association|Society|Foundation|Exchange|Fund|Authority|Agency|Commission|Council|Bureau|Office|Ministry|Department)$/;

/** The head noun of a government body's name. */
const BODY_HEAD = /^(Ministry|Department|Agency|Bureau|Office|Service|Commission|Council|Command|Directorate|Police|Authority|Administration|Committee|Court|Ministries|Departments)$/;

/** A token that continues an organisation name: a proper noun, a number inside it ("Chengdu 404 Network"), "of"/"and" between capitals. */
function joinsName(g: SentenceGraph, i: number): boolean {
    const w = g.word(i);
    if (g.pos(i) === "NNP" || g.pos(i) === "NNPS") return /^[\p{Lu}\p{N}]/u.test(w);
    if (g.pos(i) === "CD" && (g.pos(i + 1) === "NNP" || g.ner(i + 1) === "ORGANIZATION")) return true;
    return false;
}

// ---------------------------------------------------------------------------------------------------------
// Proper-noun chains and code names the NER missed

/** "the City of Atlanta", "the Port of San Diego", "the University of Cambridge": an institution of a place is one name. */
function institutionMentions(g: SentenceGraph, ctx: MentionContext, taken: boolean[]): Mention[] {
    const out: Mention[] = [];
    for (let i = 1; i + 2 <= g.size; i++) {
        if (taken[i] || !INSTITUTION_OF.test(g.word(i)) || g.lower(i + 1) !== "of" || !/^\p{Lu}/u.test(g.word(i + 2)) || taken[i + 2]) continue;
        // (the end of a longer name the NER found is left to it: "the Industrial and Commercial Bank of China")
        if (g.ner(i) === "ORGANIZATION" && g.ner(i - 1) === "ORGANIZATION" && /^\p{Lu}/u.test(g.word(i - 1))) continue;
        let j = i + 2;
        while (j + 1 <= g.size && !taken[j + 1] && g.pos(j + 1).startsWith("NNP")) j++;
        const kind: OrganizationKind = /^(City|Municipality|County|Government|Ministry|Department|Office|Council|Court|Commission|Agency|Province|Prefecture|State)$/.test(g.word(i)) ? "government" : "other";
        out.push({ sent: g.index, start: i, end: j, head: i, text: g.textOf(i, j, ctx.text), type: "Organization", kind, source: "name" });
        for (let k = i; k <= j; k++) taken[k] = true;
        i = j;
    }
    return out;
}

/**
 * "the Inter-Parliamentary Alliance on China (IPAC)", "the Organisation for the Prohibition of Chemical Weapons
 * (OPCW)": the capitalised words before a parenthesised acronym whose initials (small words skipped or not) spell
 * it. Only names longer than what a registry or NER span already covers come from here (the rest stay as they are).
 */
function acronymMentions(g: SentenceGraph, ctx: MentionContext): Mention[] {
    const out: Mention[] = [];
    const small = /^(of|on|for|the|and|against|in|to|&)$/;
    for (let p = 3; p + 1 <= g.size; p++) {
        if (g.word(p) !== "(" && g.pos(p) !== "-LRB-") continue;
        const acronym = g.word(p + 1);
        if (!/^\p{Lu}{2,8}$/u.test(acronym) || !/^(\)|-RRB-)$/.test(g.word(p + 2)) && g.pos(p + 2) !== "-RRB-") continue;
        const initials = (a: number, withSmall: boolean) =>
            [...Array(p - a).keys()]
                .map((k) => g.word(a + k))
                .filter((w) => withSmall || !small.test(w))
                .flatMap((w) => w.split(/[-_]/))
                .map((w) => w[0] ?? "")
                .join("")
                .toUpperCase();
        for (let a = p - 2; a >= 1 && (/^\p{Lu}/u.test(g.word(a)) || small.test(g.word(a))); a--) {
            if (!/^\p{Lu}/u.test(g.word(a)) || a === p - 1) continue;
            if (initials(a, false) !== acronym && initials(a, true) !== acronym) continue;
            // a function word inside is what makes the span longer than any one NER or registry run
            if (![...Array(p - a).keys()].some((k) => small.test(g.word(a + k)))) break;
            const m = typed(g, ctx, a, p - 1, "Organization", "ner");
            if (m) out.push(m);
            break;
        }
    }
    return out;
}

const INSTITUTION_OF = /^(City|Port|University|Bank|Municipality|County|Government|Ministry|Department|Office|Council|Court|Commission|Agency|Museum|Hospital|Library|College|Academy|Province|Prefecture|Republic|State)$/;

function nameMentions(g: SentenceGraph, ctx: MentionContext, taken: boolean[]): Mention[] {
    const out: Mention[] = [];
    let i = 1;
    while (i <= g.size) {
        // "Unit 12", "Department 53", "Centre 18": a capitalised word with its number is a name
        if (!taken[i] && !taken[i + 1] && (/^\p{Lu}\p{Ll}+$/u.test(g.word(i)) || /^unit$/i.test(g.word(i))) && g.pos(i).startsWith("NN") && g.pos(i + 1) === "CD" && /^\d+$/.test(g.word(i + 1)) && g.ner(i) !== "DATE" && g.ner(i + 1) !== "DATE" && !MONTH.test(g.word(i))) {
            const m = typed(g, ctx, i, i + 1, "Organization", "name");
            if (m) out.push({ ...m, weakType: m.weakType ?? true });
            i += 2;
            continue;
        }
        if (taken[i] || !nameToken(g, i, ctx.text)) {
            i++;
            continue;
        }
        let j = i;
        while (j + 1 <= g.size && !taken[j + 1] && (nameToken(g, j + 1, ctx.text) || (g.pos(j + 1) === "CD" && nameToken(g, j, ctx.text)))) j++;
        const text = g.textOf(i, j, ctx.text);
        // one capitalised common word at the start of a sentence is not a name
        const single = i === j;
        const codeLike = ACTOR_NAME.test(text) || /\d/.test(text) && /^[A-Z]/.test(text);
        // ("the Government has used …": a capitalised common noun of government is the state's, no name)
        const commonGovernment = single && /^(Government|Administration|Cabinet)$/.test(text) && /^(the|The)$/.test(g.word(i - 1));
        // (unless the words say it is one: "Contoso, a software firm in Shenzhen, …", or the story writes it
        // capitalised inside a sentence: "… sanctions on Contoso")
        const opener = single && i === 1 && !codeLike && !ctx.known?.(text) && !headCue(g, i, j, ctx.words) && !writtenAsName(ctx.text, text);
        // ("managed by North Koreans", "Russians": people of a nationality are no organisation, EXTRACTION-GUIDE rule 4)
        const toks = tokenize(text.replace(/s$/, ""));
        const nationals = /s$/.test(text) && ctx.lexicon.match(toks).some((x) => x.start === 0 && x.end === toks.length && x.entry.demonym);
        if (!opener && !commonGovernment && !nationals && !/^(I|A|An|The|This|That|These|Those|It|Its|They|He|She|We|You)$/.test(text)) {
            const m = typed(g, ctx, i, j, "Organization", "name");
            if (m) out.push({ ...m, weakType: m.weakType ?? true });
        }
        i = j + 1;
    }
    return out;
}

/** Whether the article writes the word capitalised after a lower-case word or a comma: a name, not a sentence's first word. */
function writtenAsName(text: string, word: string): boolean {
    if (!/^\p{Lu}\p{Ll}+$/u.test(word)) return false;
    return new RegExp(`[\\p{Ll},;] ${word}\\b`, "u").test(text);
}

function nameToken(g: SentenceGraph, i: number, articleText?: string): boolean {
    const w = g.word(i);
    // (a code name the parser saw masked, "Axxxx", whatever the tagger made of it: the article's own characters)
    const t = g.tok(i);
    const written = articleText && t ? articleText.slice(t.begin, t.end) : w;
    if (/^[A-Z][A-Za-z]*\d+[A-Za-z0-9-]*$/.test(written) || /^[A-Z]{2,}[-]?\d+$/.test(written)) return true; // APT31, UNC2452, Storm-0558
    // a business named by its web address, whatever the tagger says: "Stake.com", "Bybit.io" (never "example.com")
    if (/^\p{Lu}[\p{L}\p{N}-]*\.(?:com|io|net|org|co|app|finance|exchange|xyz|ai)$/u.test(written)) return true;
    // capitalised parts joined by a hyphen ("i-Soon", "IRGC-CEC"; forParsing made the hyphen "_"), whatever the tagger says
    if (/^\p{Lu}[\p{L}\p{N}]*(?:_[\p{Lu}\p{N}][\p{L}\p{N}]*)+$/u.test(w) && g.pos(i).startsWith("NN")) return true;
    if (g.pos(i) !== "NNP" && g.pos(i) !== "NNPS") return false;
    if (!/^\p{Lu}/u.test(w)) return false;
    if (g.ner(i) === "DATE" || g.ner(i) === "TIME" || g.ner(i) === "TITLE" || g.ner(i) === "DURATION" || g.ner(i) === "MONEY") return false;
    return true;
}

/** Types a name span from its form, its NER label and its head noun. */
function typed(g: SentenceGraph, ctx: MentionContext, start: number, end: number, nerType: MentionType, source: Mention["source"]): Mention | undefined {
    const text = g.textOf(start, end, ctx.text);
    if (!/\p{L}/u.test(text)) return undefined;
    const W = ctx.words;
    const base: Mention = { sent: g.index, start, end, head: g.headOf(start, end), text, type: nerType, source };
    // a code name is a group's whatever the NER made of it (the masked "Axxxx" is often read as a LOCATION)
    if (ACTOR_NAME.test(text)) return { ...base, type: "ThreatActor" };
    if (nerType === "Place" && /^(City|Port|University|Bank|Municipality|County|Museum|Hospital|Library|College|Academy)\s+of\s+\p{Lu}/u.test(text)) return { ...base, type: "Organization", kind: /^(City|Municipality|County)/.test(text) ? "government" : "other" };
    if (nerType === "Place") {
        const city = countryOfPlace(text);
        // a province or city the gazetteer does not know is still a place, never an organisation's name; a
        // generic LOCATION it does not know may be a name the NER misread ("Ukrenergo")
        if (!city) return g.ner(start) === "LOCATION" ? { ...base, type: "Organization", kind: "other", weakType: true } : base;
        return { ...base, country: city.country, ...(city.capital ? { capital: true } : {}) };
    }
    // a city the NER took for an organisation, used as a place ("St Petersburg-based", "in Shenzhen")
    if (nerType !== "Person" && (g.word(end + 1) === "-" || /^(in|from)$/i.test(g.word(start - 1)))) {
        const city = countryOfPlace(text);
        if (city) return { ...base, type: "Place", country: city.country, ...(city.capital ? { capital: true } : {}) };
    }
    const lowerWords = text.toLowerCase().split(/[\s-]+/);
    const last = lowerWords[lowerWords.length - 1]!;
    // a list is not an organisation ("the Entity List", "the SDN List")
    if (/^(list|lists|regime|act|order|programme|program)$/.test(last)) return undefined;
    const cue = headCue(g, base.head, end, W);
    if (ACTOR_NAME.test(text) || ACTOR_SUFFIX.test(text) || cue === "actor") return { ...base, type: "ThreatActor" };
    if (nerType === "Person") {
        if (cue === "company" || cue === "government") return { ...base, type: "Organization", kind: cue };
        // "Wuhan Xiaoruizhi", "Chengdu Silence": a name that opens with a large city outside the English-speaking
        // world is a company the tagger took for a person (Chinese firms are named for their city)
        const opener = lowerWords.length > 1 ? countryOfPlace(text.split(/\s+/)[0]!) : undefined;
        if (opener?.large && !/^(US|GB|AU|CA|NZ|IE)$/.test(opener.country)) return { ...base, type: "Organization", kind: "company", weakType: true };
        // "Contoso Trading", "Contoso Labs": a company word ends the name
        if (lowerWords.length > 1 && W.companyNameWords.has(last) && !/^(group|security|information|data|capital|media)$/.test(last)) return { ...base, type: "Organization", kind: "company" };
        // "I-Soon's founder": a name whose role nouns are owned by it is an organisation
        if (g.in(base.head, "nmod:poss").some((e) => ROLE_OWNED.test(g.lemma(e.gov)))) return { ...base, type: "Organization", kind: "company", weakType: true };
        return base;
    }
    if (lowerWords.some((w) => W.governmentNameWords.has(w)) && !W.companyNameWords.has(last)) return { ...base, type: "Organization", kind: "government" };
    if (W.companyNameWords.has(last) || cue === "company") return { ...base, type: "Organization", kind: "company" };
    if (cue === "government") return { ...base, type: "Organization", kind: "government" };
    if (nerType === "Organization") return { ...base, type: "Organization", kind: "other", weakType: true };
    return { ...base, weakType: true };
}

const NAMING_VERB = /^(call|know|dub|name|track|label|nickname|codename|refer|designate|brand|identify|describe)$/;

/** What the name's syntactic context says it is: "the X group", "X, a hacking group", "a group called X". */
function headCue(g: SentenceGraph, head: number, end: number, W: Words): "actor" | "company" | "government" | undefined {
    const kinds = (lemma: string) => (W.actorNouns.has(lemma) ? "actor" : W.companyNouns.has(lemma) ? "company" : W.governmentNouns.has(lemma) ? "government" : undefined);
    // the name modifies a noun: "the Sandworm group", "the Contoso company"
    for (const e of g.in(head)) {
        // (never a possessor: in "Google's Threat Analysis Group" Google owns the group)
        if ((e.rel === "compound" || e.rel === "appos" || (e.rel.startsWith("nmod") && e.rel !== "nmod:poss")) && e.gov > end) {
            const k = kinds(g.lemma(e.gov));
            if (k && !(k === "actor" && g.lemma(e.gov) === "network")) return k;
        }
        // "X, a group that …", "a group known as X", "the group X"
        if (e.rel === "appos" || e.rel === "xcomp" || e.rel === "obl:as" || e.rel.startsWith("obl")) {
            const gov = e.gov;
            if (gov < head) {
                const k = kinds(g.lemma(gov));
                if (k) return k;
                // "a group called / dubbed / known as X": the verb's governor (a naming verb only: in "the group,
                // which works for X" X is another body)
                if (NAMING_VERB.test(g.lemma(gov))) for (const e2 of g.in(gov)) if (e2.rel === "acl" || e2.rel === "acl:relcl") {
                    const k2 = kinds(g.lemma(e2.gov));
                    if (k2) return k2;
                }
            }
        }
    }
    for (const e of g.out(head)) {
        if (e.rel === "appos") {
            const k = kinds(g.lemma(e.dep));
            if (k) return k;
        }
    }
    return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Victim descriptions: sectors and groups of people

const sectorTables = new WeakMap<Words, Map<string, string>>();
/** Phrase → sector name, built once per word book (not per sentence). */
function sectorTable(W: Words): Map<string, string> {
    let table = sectorTables.get(W);
    if (!table) {
        table = new Map();
        for (const [sector, phrases] of Object.entries(W.sectors)) for (const p of [sector, ...phrases]) table.set(p.toLowerCase(), sector);
        sectorTables.set(W, table);
    }
    return table;
}

const QUANTIFIER = /^(multiple|various|several|many|some|other|numerous|dozens|hundreds|thousands|current|former|serving|retired|senior|junior|key|top|prominent|certain|unnamed|unidentified|two|three|four|five|six|seven|eight|nine|ten|more|most|all|both|few|also)$/;
const INSTITUTION = /^(parliament|legislature|senate|congress|military|army|navy|presidency|judiciary|knesset|duma|bundestag|assembly)$/;
const GROUP_HEAD = /^(sector|sectors|industry|industries|organisations|organizations|companies|firms|providers|operators|entities|networks|systems|facilities|infrastructure|targets|victims|contractors|businesses)$/;

function descriptionMentions(g: SentenceGraph, ctx: MentionContext, taken: boolean[]): Mention[] {
    const out: Mention[] = [];
    const W = ctx.words;
    const sectorPhrases = sectorTable(W);
    // "IT" is information technology only in capitals (never the pronoun)
    const itOfSomething = (t: number) => /^(system|network|infrastructure|environment|department|staff|team|service|account|equipment|security|manager|worker|specialist)$/.test(g.lemma(g.basicParent(t)?.gov ?? 0));
    // (nor are "defences" the defence sector: "penetrated the bank's defences")
    const lookup = (t: number) => (g.word(t) === "IT" ? (itOfSomething(t) ? undefined : "information technology") : /^defen[cs]es$/.test(g.lower(t)) ? undefined : (sectorPhrases.get(g.lemma(t)) ?? sectorPhrases.get(g.lower(t))));
    for (let h = 1; h <= g.size; h++) {
        if (taken[h] || !g.pos(h).startsWith("NN") || g.pos(h).startsWith("NNP")) continue;
        // "the defence, IT and telecommunications sectors": one sector per coordinated modifier
        if (GROUP_HEAD.test(g.lower(h))) {
            // (the parser often hangs the group noun on the list's first member instead: "the government, financial
            // and energy sectors" → dep(government, sectors); the list is then that member, its modifiers and conjuncts)
            const misHung = g.in(h, "dep").map((e) => e.gov).filter((m) => m < h && g.pos(m).startsWith("NN") && !g.pos(m).startsWith("NNP"));
            const first = [...g.kids(h, (r) => r === "amod" || r === "compound"), ...misHung, ...misHung.flatMap((m) => g.kids(m, "amod"))].filter((m) => m < h);
            const listed = [...new Set([...first, ...first.flatMap((m) => g.kids(m, (r) => r.startsWith("conj")))])].filter((m) => m < h);
            const all = listed.filter((m) => !taken[m]);
            // (a modifier that names a sector only as "X sector": "the aerospace, technology and telecoms industries")
            const hits = all.map((m) => [m, lookup(m) ?? sectorPhrases.get(`${g.lemma(m)} sector`) ?? sectorPhrases.get(`${g.lower(m)} sector`)] as const).filter(([, sec]) => sec);
            if (hits.length > 1 || (hits.length === 1 && listed.length > 1)) {
                for (const [m, sec] of hits) {
                    out.push({ sent: g.index, start: m, end: m, head: m, text: sec!, type: "Sector", source: "sector" });
                    taken[m] = true;
                }
                continue;
            }
        }
        // (with the compounds of a compound: "electricity distribution companies" → compound(distribution, electricity))
        const direct = g.kids(h, (r) => r === "amod" || r === "compound").filter((m) => m < h);
        const mods = [...new Set([...direct, ...direct.flatMap((m) => g.kids(m, "compound").filter((c) => c < m))])].sort((a, b) => a - b);
        // longest phrase first: "computer hardware maker", "power utility", "utility"
        let sector: string | undefined;
        let from = h;
        for (let k = 0; k < mods.length && !sector; k++) {
            const phrase = [...mods.slice(k).map((m) => g.lemma(m)), g.lemma(h)].join(" ");
            const phraseWords = [...mods.slice(k).map((m) => g.lower(m)), g.lower(h)].join(" ");
            // (the modifiers as written and the head's lemma too: "arms manufacturers" → "arms manufacturer")
            const writtenThenLemma = [...mods.slice(k).map((m) => g.lower(m)), g.lemma(h)].join(" ");
            sector = sectorPhrases.get(phrase) ?? sectorPhrases.get(phraseWords) ?? sectorPhrases.get(writtenThenLemma);
            if (sector) from = mods[k]!;
        }
        if (!sector) {
            for (const m of mods) {
                const two = `${g.lemma(m)} ${g.lemma(h)}`;
                sector = sectorPhrases.get(two);
                if (sector) {
                    from = m;
                    break;
                }
            }
        }
        // "the energy sector", "the defence industry", "telecommunications providers": a sector word before a group noun
        if (!sector && /^(sector|industry|industries|sectors|company|companies|firm|firms|provider|providers|organisation|organisations|organization|organizations|operator|operators|entity|entities|network|networks|system|systems|facility|facilities|infrastructure|target|targets|victim|victims|contractor|contractors)$/.test(g.lower(h))) {
            // "critical infrastructure organisations": the whole modifier phrase first
            for (let k = 0; k < mods.length && !sector; k++) {
                const phrase = mods.slice(k).map((m) => g.lower(m)).join(" ");
                if (sectorPhrases.has(phrase)) {
                    sector = sectorPhrases.get(phrase);
                    from = mods[k]!;
                }
            }
            for (const m of sector ? [] : mods) {
                const s1 = sectorPhrases.get(g.lemma(m)) ?? sectorPhrases.get(g.lower(m));
                if (s1) {
                    sector = s1;
                    from = m;
                    break;
                }
            }
        }
        if (!sector) sector = lookup(h);
        // "the Garantex exchange", "the Contoso bank": a singular head noun after a name describes that name
        // ("the Moscow-based exchange Garantex": the name right after it)
        const placeNer = (m: number) => /^(LOCATION|COUNTRY|CITY|STATE_OR_PROVINCE|NATIONALITY)$/.test(g.ner(m));
        const describesName = g.pos(h) === "NN" && (g.kids(h, "compound").some((m) => m < h && taken[m] && !placeNer(m) && /^\p{Lu}/u.test(g.word(m))) || (taken[h + 1] && /^\p{Lu}/u.test(g.word(h + 1)) && g.kids(h, "det").length > 0));
        // a state's institution: "the Georgian parliament", "Ukraine's military", "Ukraine's armed forces" → an
        // organisation named as written (a sector only without its state: "militaries", "armed forces")
        // (one named body: "the German foreign ministry", "Ukraine's defence ministry"; "ministries" is the sector)
        // (and a state's commission or police: "the Moldovan electoral commission", "the Dutch police")
        const oneBody = g.pos(h) === "NN" && /^(ministry|department|commission|police)$/.test(g.lower(h));
        // (a mission abroad is named with its city: "the Chinese embassy in Prague", "Russia's embassy in Paris"; a
        // state's own, never a sector)
        const mission = g.pos(h) === "NN" && /^(embassy|consulate|mission)$/.test(g.lower(h));
        if (!taken[h] && (INSTITUTION.test(g.lower(h)) || oneBody || mission || (g.lower(h) === "forces" && g.kids(h, "amod").some((a) => g.lower(a) === "armed")))) {
            const st = g.kids(h, (r) => r === "amod" || r === "compound" || r === "nmod:poss").filter((m) => m < h && g.ner(m) !== "O" && /^\p{Lu}/u.test(g.word(m)));
            if (st.length) {
                const s0 = Math.min(...st);
                // ("Iran's mission to the United Nations": the body it is accredited to)
                const city = mission ? (g.kids(h, "nmod:in").find((x) => x > h && placeNer(x)) ?? g.kids(h, "nmod:to").find((x) => x > h && /^\p{Lu}/u.test(g.word(x)))) : undefined;
                const end = city !== undefined ? Math.max(...g.subtree(city)) : h;
                out.push({ sent: g.index, start: s0, end, head: h, text: g.textOf(s0, end, ctx.text).replace(/\s+/g, " "), type: "Organization", kind: "government", source: "people" });
                for (let k = s0; k <= end; k++) taken[k] = true;
                continue;
            }
        }
        if (sector && !describesName && !(g.lemma(h) === "government" && g.in(h).some((e) => e.rel === "compound" || e.rel === "amod"))) {
            if (![...Array(h - from + 1).keys()].some((k) => taken[from + k])) {
                out.push({ sent: g.index, start: from, end: h, head: h, text: sector, type: "Sector", source: "sector" });
                for (let k = from; k <= h; k++) taken[k] = true;
            }
            continue;
        }
        // a politician's campaign is an organisation named as written: "Emmanuel Macron's presidential campaign"
        if (g.lemma(h) === "campaign" && !taken[h]) {
            const owner = g.kids(h, (r) => r === "nmod:poss" || r === "compound").find((m) => m < h && g.ner(m) === "PERSON");
            // (a group's campaign against someone is an attack: "APT99's campaign against X")
            const political = (g.kids(h, "amod").some((a) => /^(presidential|election|electoral|re-election|reelection|political|parliamentary|senate|mayoral)$/.test(g.lower(a))) || g.kids(h, "nmod:poss").length > 0) && !g.kids(h, (r) => /^nmod:(against|on|targeting)$/.test(r)).length && !ACTOR_NAME.test(g.word(owner ?? 0)) && !ACTOR_SUFFIX.test(g.word(owner ?? 0));
            if (owner !== undefined && political) {
                let s0 = Math.min(...g.subtree(owner));
                while (s0 < h && (g.pos(s0) === "DT")) s0++;
                // (the person's own mention inside it gives way: findMentions drops mentions inside a wider one)
                if (![...Array(h - s0 + 1).keys()].some((k) => taken[s0 + k] && g.ner(s0 + k) !== "PERSON" && g.pos(s0 + k) !== "POS")) {
                    out.push({ sent: g.index, start: s0, end: h, head: h, text: g.textOf(s0, h, ctx.text).replace(/\s+/g, " ").trim(), type: "Organization", kind: "other", source: "people" });
                    for (let k = s0; k <= h; k++) taken[k] = true;
                    continue;
                }
            }
        }
        // groups of people with a modifier: "British MPs", "Uyghur activists", "US politicians"
        const lemma = g.lemma(h);
        if (W.peopleGroupNouns.has(lemma) && (g.pos(h) === "NNS" || lemma === "staff" || lemma === "personnel")) {
            // (a verb the tagger made a modifier after a comma is no part of the name: "APT35, a group, targeted journalists")
            // (nor a gerund after a preposition: "accused of targeting journalists", "known for attacking activists")
            const verbMod = (m: number) => (/^VB[ND]$/.test(g.pos(m)) && g.word(m - 1) === ",") || ((g.pos(m) === "VBG" || /ing$/.test(g.lower(m))) && g.pos(m - 1) === "IN");
            // (a possessive pronoun says whose they are, it names no group: "two of its employees")
            const mods = g.kids(h, (r) => r === "amod" || r === "compound" || r === "nmod:poss").filter((m) => m < h && g.pos(m) !== "PRP$").sort((a, b) => a - b);
            const all = mods.filter((m) => !verbMod(m));
            // the name starts at the first modifier that says which people ("US intelligence officials",
            // "high-ranking government officials"), not at quantifiers or time ("multiple", "current and former")
            const kept = all.filter((m) => !QUANTIFIER.test(g.lower(m)) && !g.kids(m, (r) => r.startsWith("conj")).some((c) => QUANTIFIER.test(g.lower(c))));
            const named = kept.length ? kept : all.length === 0 ? [h] : [];
            if (named.length > 0 && (named[0] !== h || W.peopleGroupNouns.has(lemma))) {
                // from the start of the first modifier's own phrase ("human rights activists")
                let s = Math.min(...named.map((m) => (m === h ? h : Math.min(...g.subtree(m)))));
                // a list the parser folded into modifiers ("officials, journalists and human rights activists")
                // keeps only its last item
                for (let k = h - 1; k >= s; k--) if (g.pos(k) === "," || g.pos(k) === "CC") {
                    s = k + 1;
                    break;
                }
                while (s < h && (g.pos(s) === "DT" || g.pos(s) === "POS" || QUANTIFIER.test(g.lower(s)))) s++;
                // a bare plural ("journalists") only as one item of a list
                // (or, for the plain victim classes, as a verb's object or an attack's target: "targeted journalists")
                const argument = W.bareVictimNouns.has(lemma) && g.in(h).some((e) => /^(obj|nsubj:pass|obl:(against|on|at|to|targeting)|nmod:(against|on|at|of|targeting))$/.test(e.rel));
                const bare = s === h && g.pos(h) === "NNS" && g.kids(h, "nummod").length === 0 && (argument || g.in(h).some((e) => e.rel.startsWith("conj") || e.rel === "amod") || g.out(h).some((e) => e.rel.startsWith("conj")) || mods.some(verbMod));
                if (s < h || bare) {
                    out.push({ sent: g.index, start: s, end: h, head: h, text: g.textOf(s, h, ctx.text).replace(/['’]s\b/g, "").replace(/\s+/g, " ").trim(), type: "Organization", kind: "other", source: "people" });
                    for (let k = s; k <= h; k++) taken[k] = true;
                }
            }
        }
    }
    return out;
}
