/**
 * The extraction pipeline, in the order data flows: article → NLP annotation (sentences, tokens, lemmas, parts of
 * speech, named entities, dependencies) → mentions → entity linking → coreference → relations (patterns as data)
 * and modifiers → discourse (acting bodies, counted sets) → certainty and claimant → type rules → facts document.
 * Deterministic for a given annotation; offline.
 */
import type { FactsDocument } from "../model/facts-document.ts";
import type { NlpAnnotator, NlpDocument } from "../nlp/types.ts";
import { viewOf, type SentenceView } from "./arguments.ts";
import { Discourse, setsOf } from "./discourse.ts";
import { assembleDocument } from "./document.ts";
import { factDates } from "./dates.ts";
import { cleanName, EntityTable } from "./entities.ts";
import { lexiconFor, type RegistryLike } from "./lexicon.ts";
import { findMentions, type Mention } from "./mentions.ts";
import { modifierFacts } from "./modifiers.ts";
import { patternBook } from "./patterns.ts";
import { factsOf, findTriggers, type RawFact } from "./relations.ts";
import { SentenceGraph } from "./sentence-graph.ts";
import { tokenize, type ArticleInput } from "./text.ts";

export { EXTRACTOR_NAME, EXTRACTOR_VERSION } from "./document.ts";

export interface ExtractDocumentOptions {
    /** Aborts the article's NLP request (the per-article time box). */
    signal?: AbortSignal;
}

/** One article → one facts document. */
export async function extractDocument(input: ArticleInput, registry: RegistryLike, nlp: NlpAnnotator, options: ExtractDocumentOptions = {}): Promise<FactsDocument> {
    const annotation = await nlp.annotate(forParsing(input.text), options.signal ? { signal: options.signal } : {});
    return extractFromAnnotation(input, registry, annotation);
}

const REPORTING_PAST = "said|says|added|adds|wrote|writes|warned|noted|stated|alleged|alleges|claimed|claims|reported|announced|confirmed|concluded|assessed|explained|believes|believe|told\\s+\\p{L}+";
/** ", the Treasury said on Monday." / ", officials said." at the end of a sentence (not ", which it said …"). */
const TRAILING_REPORT = new RegExp(
    `,(?=\\s+(?!(?:which|who|whom|that|as|and|but|while|although|because|when|where|if)\\b)(?:(?!(?:which|who|whom|that|had|has|have|was|were|is)\\b)[\\p{L}\\p{N}’'.&-]+\\s+){1,6}?(?:${REPORTING_PAST})(?:\\s+(?:on|in|at|last|this|earlier|late|later|after|before|during|yesterday|today|recently|previously|separately|publicly|formally|then)\\b[^.,;:!?"“”]{0,50}?)?[.!?](?:["”’]?)(?:\\s|$))`,
    "gu",
);

/** A dateline at the start of a paragraph: upper-case place, optional date, a dash ("MILAN - ", "KYIV, Jan 4 - "). */
const DATELINE = /(^|\n[ \t]*\n[ \t]*)(\p{Lu}[\p{Lu}'’. ]*\p{Lu}(?:, [\p{L}\d ]{1,20}?)? )(—|–|--|-)(?= )/gu;

/**
 * The text the parser sees: the article with names that start in lower case capitalised ("i-Soon" → "I-Soon",
 * "eBay" → "EBay"), which the tokenizer would otherwise split into a pronoun and an adverb. Same length, so
 * every offset still points into the article.
 */
export function forParsing(text: string): string {
    return (
        text
            // code names ("APT29", "UNC2452", "Storm-0558") read as one proper noun ("Axxxx"): the tagger takes "APT29"
            // for a common noun and the verb after it for an adjective ("APT29 targeted X" → "targeted X")
            .replace(/(?<![\p{L}\p{N}_-])\p{Lu}[\p{L}]{1,7}-?\d{1,5}(?![\p{L}\p{N}_]|-\p{L})/gu, (m) => (/\p{Lu}.*\p{Lu}|-/u.test(m) ? m[0] + "x".repeat(m.length - 1) : m))
            // "Unit 29155", "Department 53", "Centre 18": one proper noun too (the number alone derails the parse)
            .replace(/(?<![\p{L}\p{N}])(?:Unit|Department|Centre|Center|Bureau|Office|Division|Directorate|Institute|Lab|Laboratory|Team|Group|Base)\s\d{1,6}(?![\p{L}\p{N}]|[.,]\d)/gu, (m) => m.replace(/\s/, "_"))
            .replace(/(?<![\p{L}\p{N}])\p{Ll}(?=-?\p{Lu}\p{Ll})/gu, (c) => c.toUpperCase())
            // a hyphen between two capitalised parts joins one name ("I-Soon", "IRGC-CEC", "Storm-0558"); the
            // tokenizer would split it, while "Moscow-based" and "China-linked" must stay split
            .replace(/(?<=(?<![\p{L}\p{N}])\p{Lu}[\p{L}\p{N}]*)-(?=[\p{Lu}\p{N}])/gu, "_")
            // a news dateline ends at its dash ("WASHINGTON — The Treasury …", "KYIV, Jan 4 - Hackers …"): a full stop
            // there keeps the city out of the sentence, where the parser would make it the subject
            .replace(DATELINE, (m, lead: string, place: string, dash: string) => lead + place + "." + " ".repeat(dash.length - 1) + m.slice(lead.length + place.length + dash.length))
            // a reporting clause that ends the sentence ("X leads Evil Corp, the Treasury said.") behind a semicolon:
            // after a comma the parser often reads the last name of the claim as the speaker's subject
            .replace(TRAILING_REPORT, (m) => ";" + m.slice(1))
            // a time adverbial between an auxiliary and its participle set off by commas (same length: spaces become
            // commas): "has since at least 2016 taken aim at X" is otherwise parsed with "taken" a modifier of "aim"
            .replace(/\b(has|have|had) (since (?:at least |early |late |mid-)?(?:\d{4}|last year|then)) (?=\p{Ll}+ed\b|\p{Ll}+en\b|taken|made|begun|sought|run|hit|stolen|broken)/gu, "$1,$2,")
            // a measure of time joined to "long"/"old" ("a months-long campaign against X") read as one modifier: the tagger
            // takes the hyphen after a plural noun for a colon and the phrase breaks up
            .replace(/\b(hours|days|weeks|months|years|decades)-(long|old)\b/gi, "$1_$2")
            // "think tanks" read as one noun ("…, think tanks and defence companies" is parsed with a verb "think")
            .replace(/\b([Tt]hink) (tanks?)\b/g, "$1_$2")
    );
}

const ALIAS_BETWEEN = [
    // "Grey Heron (also tracked as APT99)", "the National Cyber Security Centre (NCSC)"
    /^\s*\(\s*(?:(?:also|or|aka|a\.k\.a\.?|formerly|previously|now|alias)\s+)?(?:(?:known|tracked|referred to|dubbed|called|named)\s+(?:as\s+)?)?$/i,
    // "APT31, also known as Zirconium", "Unit 12, better known as …", ", dubbed X", "or X,"
    // (without a comma or an adverb, a naming word that can be a past tense needs its "as": "Contoso Security tracked
    // APT99 attacking banks" and "Contoso Labs called APT99 a front" name no alias)
    /^\s*(?:,\s*(?:(?:also|better|formerly|previously|otherwise|commonly|sometimes|widely|now|more commonly)\s+)?|(?:also|better|formerly|previously|otherwise|commonly|sometimes|widely|now|more commonly)\s+)(?:known|tracked|referred to|dubbed|called|nicknamed|codenamed|code-named|labelled|labeled|identified)\s+(?:as\s+|by\s+[\w\s]+?\s+as\s+)?$/i,
    /^\s*(?:(?:known|nicknamed|codenamed|code-named)\s+(?:as\s+)?|(?:tracked|referred to|dubbed|called|labelled|labeled|identified)\s+(?:as\s+|by\s+[\w\s]+?\s+as\s+))$/i,
    /^\s*,?\s*(?:a\.k\.a\.?|aka|alias|or)\s+$/i,
    // "Grey Heron, a group tracked as APT99"
    /^\s*,\s*an?\s+(?:[\w-]+\s+){0,3}?(?:group|actor|gang|unit|crew|team|collective|outfit|cluster)\s+(?:also\s+)?(?:known|tracked|referred to|dubbed|called|named)\s+(?:as\s+)?$/i,
    // "APT31, which Microsoft calls Violet Typhoon" / "which researchers track as"
    /^\s*,?\s*(?:which|whom)\s+[\w\s]{1,40}?\s+(?:calls?|call|tracks?\s+as|track\s+as|names?|dubs?|refers?\s+to\s+as|identif(?:y|ies)\s+as)\s+$/i,
];

/** Aliases the text gives: the second name becomes a form of the first entity. */
function linkAliases(v: SentenceView): void {
    const ms = v.mentions.filter((m) => m.entity && !m.demonym && m.source !== "sector" && m.source !== "people");
    for (let k = 0; k + 1 < ms.length; k++) {
        const a = ms[k]!;
        const b = ms[k + 1]!;
        const between = v.text.slice(v.g.tok(a.end)!.end, v.g.tok(b.start)!.begin);
        if (!ALIAS_BETWEEN.some((re) => re.test(between))) continue;
        const ea = v.table.byId.get(a.entity!)!;
        const eb = v.table.byId.get(b.entity!)!;
        if (ea.id === eb.id) continue;
        if (ea.registry && eb.registry) continue; // two registry entities stay two: vendors' lists may disagree
        if (ea.type === "State" || eb.type === "State" || ea.type === "Sector" || eb.type === "Sector") continue;
        const [keep, drop, dropMention] = eb.registry && !ea.registry ? [eb, ea, a] : [ea, eb, b];
        // ("Grey Heron, also tracked as APT99": what a vendor tracks is a group, whatever the NER made of its other name)
        const tracked = /\b(?:tracked|group|actor|gang|crew|cluster)\b/i.test(between);
        for (const [x, y] of [[keep, drop], [drop, keep]] as const) if (tracked && x.type === "Person" && !x.registry && y.type === "ThreatActor") x.type = "ThreatActor";
        if (keep.type !== drop.type && !drop.weak && !keep.weak) continue;
        v.table.alias(keep, cleanName(dropMention.text));
        if (keep.weak && !drop.weak) {
            keep.type = drop.type;
            keep.weak = false;
        }
        for (const m of v.mentions) if (m.entity === drop.id) m.entity = keep.id;
        v.table.merge(keep, drop);
    }
}

function isSubject(v: SentenceView, m: Mention): boolean {
    return v.g.in(m.head).some((e) => e.rel === "nsubj" || e.rel === "nsubj:pass");
}

/** The pipeline over an annotation already made (what tests and re-extraction use). */
export function extractFromAnnotation(input: ArticleInput, registry: RegistryLike, annotation: NlpDocument): FactsDocument {
    const book = patternBook();
    const lexicon = lexiconFor(registry);
    const table = new EntityTable(lexicon);
    const discourse = new Discourse();
    const facts: RawFact[] = [];
    const spans: Array<{ begin: number; end: number }> = [];
    for (const s of annotation.sentences) {
        spans[s.index] = { begin: s.begin, end: s.end };
        const g = new SentenceGraph(s);
        const mentions = findMentions(g, { text: input.text, lexicon, words: book.words, known: (name) => table.knows(name) });
        for (const m of mentions) {
            const e = table.link(m);
            if (e) m.entity = e.id;
        }
        // a capital that acts is its government: "Seoul blacklisted X" (EXTRACTION-GUIDE rule 1)
        for (const m of mentions) if (!m.entity && m.capital && m.country && g.in(m.head).some((e) => e.rel === "nsubj" || e.rel === "obl:agent")) m.entity = table.stateByCode(m.country)?.id;
        const v = viewOf(g, mentions, table, book.words, input.text);
        linkAliases(v);
        const namesRegistryBody = (name: string) => {
            const toks = tokenize(name);
            return lexicon.match(toks).some((x) => x.start === 0 && x.end === toks.length && x.entry.entity.type === "Organization");
        };
        // "the Russian Interior Ministry": the demonym-led form is a name of the body too
        for (let k = 1; k < mentions.length; k++) {
            const [d, m] = [mentions[k - 1]!, mentions[k]!];
            const e = m.entity ? table.byId.get(m.entity) : undefined;
            if (d.demonym && d.end + 1 === m.start && e?.type === "Organization" && e.kind === "government" && !e.registry) {
                table.alias(e, `${d.text} ${m.text}`);
                // ("the German Foreign Office": the bare name is another state's body in the registry, so the body goes
                // by the demonym-led form, or the graph would take it for the British one)
                if (namesRegistryBody(m.text)) e.name = `${d.text} ${m.text}`;
            }
            // (likewise "Germany's Foreign Office")
            if (!d.demonym && d.registry?.type === "State" && d.end + 2 === m.start && /^['’]s$/.test(g.word(d.end + 1)) && e?.type === "Organization" && !e.registry && namesRegistryBody(m.text)) e.name = input.text.slice(g.tok(d.start)!.begin, g.tok(m.end)!.end);
        }
        // "Iran's foreign ministry": the body also goes by its name without the state ("the foreign ministry")
        for (const m of mentions) {
            const e = m.entity ? table.byId.get(m.entity) : undefined;
            const own = /^(?:the\s+)?(.+?)['’]s\s+(.+)$/i.exec(m.text);
            if (e && m.source === "people" && e.kind === "government" && own && table.statePrefix(`${own[1]}'s`)) table.alias(e, own[2]!);
        }
        for (const m of mentions) if (m.entity) table.note(table.byId.get(m.entity)!, g.index, m.head, isSubject(v, m));
        const sets = setsOf(v);
        for (const set of sets) table.noteSet(set, g.index);
        const hits = findTriggers(v, book);
        for (const f of discourse.fillCounted(v, sets, hits)) facts.push(Object.assign(f, factDates(g, undefined, f.p, { text: input.text, ...(input.publishedAt ? { publishedAt: input.publishedAt } : {}) })));
        discourse.resolveEvents(v, hits);
        // people named together as the targets of one measure form a set ("charged A and B", however parsed)
        for (const h of hits) table.noteSet(h.patients.filter((e) => e.type === "Person"), g.index);
        discourse.complete(v, hits);
        // who sanctions or charges is a voice of the story: a later hedged claim with no speaker may be theirs
        for (const h of hits) if (h.pattern.predicate === "SANCTIONED" || h.pattern.predicate === "CHARGED") for (const a of h.agents) table.voices.add(a);
        discourse.events(v, hits);
        const sentenceFacts = [...factsOf(v, hits), ...modifierFacts(v)];
        const dated = { text: input.text, ...(input.publishedAt ? { publishedAt: input.publishedAt } : {}) };
        for (const f of sentenceFacts) Object.assign(f, factDates(g, f.anchor, f.p, dated));
        discourse.record(v, sentenceFacts);
        facts.push(...sentenceFacts);
    }
    return assembleDocument(input, facts, spans);
}
