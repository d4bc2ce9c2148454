/**
 * Dictionary matching of registry names in token streams: a token trie over every surface form
 * (names, aliases, state demonyms), built once per registry and cached.
 */
import type { RegistryEntity } from "../registry/types.ts";
import { tokenize, type Token } from "./text.ts";

/** What the extractor needs from a registry (the Registry class satisfies it). */
export interface RegistryLike {
    entities(): Iterable<RegistryEntity>;
    /** PART_OF between registry entities (an agency's parent), if the registry has them. */
    facts?(): Array<{ subject: string; predicate: string; object: string }>;
    readonly version?: string;
}

export interface LexEntry {
    entity: RegistryEntity;
    /** Matched through a demonym ("Chinese") rather than a name. */
    demonym: boolean;
    /** Exact letters required (short all-caps forms such as "US", "IT", "MSS"). */
    exact?: string;
    /** First letter must be upper-case in the text (names that are also common words). */
    capital: boolean;
    /** A lower-case form (sector words): must not be capitalised inside a sentence ("Science and Technology Co"). */
    lower: boolean;
}

interface TrieNode {
    next: Map<string, TrieNode>;
    entries?: LexEntry[];
}

export interface LexMatch {
    start: number;
    end: number;
    entry: LexEntry;
}

/** Tokens allowed inside a multi-word name without breaking it ("U.S.", "APT-31", "O'Brien"). */
const INNER_PUNCT = new Set([".", "-", "'"]);

const STOP_FORMS = new Set(["it", "us", "who", "the", "a", "an", "state", "group", "government"]);

export class Lexicon {
    private readonly root: TrieNode = { next: new Map() };
    readonly byId = new Map<string, RegistryEntity>();
    readonly version: string | undefined;

    /** The state a registry body belongs to, through its PART_OF chain ("org:ofac" → "state:us"). */
    readonly homeState = new Map<string, string>();

    constructor(registry: RegistryLike) {
        this.version = registry.version;
        for (const e of registry.entities()) {
            this.byId.set(e.id, e);
            const forms = new Set([e.name, ...(e.aliases ?? [])]);
            for (const f of forms) this.add(f, e, false);
            for (const d of e.demonyms ?? []) this.add(d, e, true);
        }
        const parent = new Map((registry.facts?.() ?? []).filter((f) => f.predicate === "PART_OF").map((f) => [f.subject, f.object]));
        for (const id of parent.keys()) {
            let at: string | undefined = id;
            for (let k = 0; at && k < 8 && !at.startsWith("state:"); k++) at = parent.get(at);
            if (at?.startsWith("state:")) this.homeState.set(id, at);
        }
        // a state's body goes by its state's name as well as its demonym: "Russian military intelligence" is also
        // "Russia's military intelligence" (and the other way round)
        for (const e of [...this.byId.values()]) {
            const home = this.homeState.get(e.id);
            const st = home ? this.byId.get(home) : undefined;
            if (!st) continue;
            for (const f of [e.name, ...(e.aliases ?? [])]) {
                for (const dem of st.demonyms ?? []) if (f.startsWith(`${dem} `)) this.add(`${st.name}'s ${f.slice(dem.length + 1)}`, e, false);
                const dem = st.demonyms?.[0];
                if (dem && f.startsWith(`${st.name}'s `)) this.add(`${dem} ${f.slice(st.name.length + 3)}`, e, false);
            }
        }
    }

    private add(form: string, entity: RegistryEntity, demonym: boolean): void {
        const words = tokenize(form).filter((t) => t.w || t.l === "&");
        if (words.length === 0) return;
        const letters = words.map((w) => w.t).join("");
        const allCaps = /^[\p{Lu}\p{N}]+$/u.test(letters);
        if (STOP_FORMS.has(letters.toLowerCase()) && !allCaps) return;
        let node = this.root;
        for (const w of words) {
            let child = node.next.get(w.l);
            if (!child) {
                child = { next: new Map() };
                node.next.set(w.l, child);
            }
            node = child;
        }
        const isAcronym = /^[\p{Lu}\p{N}]+$/u.test(letters) && letters.replace(/\p{N}/gu, "").length <= 5;
        const entry: LexEntry = {
            entity,
            demonym,
            capital: entity.type !== "Sector" && /^\p{Lu}/u.test(form),
            lower: entity.type === "Sector" && !isAcronym,
            ...(isAcronym ? { exact: letters } : {}),
        };
        node.entries ??= [];
        if (!node.entries.some((x) => x.entity.id === entity.id && x.demonym === demonym && x.exact === entry.exact)) node.entries.push(entry);
    }

    private heads?: Map<string, RegistryEntity[]>;

    /**
     * Organisations whose names contain a capitalised head word ("Treasury" → US Department of the Treasury,
     * HM Treasury, …): candidates for a bare "the Treasury". Built on first use.
     */
    headCandidates(word: string): RegistryEntity[] {
        if (!this.heads) {
            this.heads = new Map();
            for (const e of this.byId.values()) {
                if (e.type !== "Organization") continue;
                for (const f of [e.name, ...(e.aliases ?? [])]) {
                    for (const w of tokenize(f)) {
                        if (!w.w || !/^\p{Lu}\p{Ll}{3,}$/u.test(w.t)) continue;
                        const list = this.heads.get(w.l) ?? [];
                        if (!list.includes(e)) list.push(e);
                        this.heads.set(w.l, list);
                    }
                }
            }
        }
        return this.heads.get(word.toLowerCase()) ?? [];
    }

    /** Longest, left-to-right, non-overlapping matches in a token list. */
    match(tokens: Token[]): LexMatch[] {
        const out: LexMatch[] = [];
        let i = 0;
        while (i < tokens.length) {
            const best = this.longestAt(tokens, i);
            if (best) {
                out.push(best);
                i = best.end;
            } else i++;
        }
        return out;
    }

    private longestAt(tokens: Token[], i: number): LexMatch | undefined {
        const first = tokens[i]!;
        if (!first.w) return undefined;
        let node: TrieNode | undefined = this.root;
        let best: LexMatch | undefined;
        let j = i;
        while (j < tokens.length && node) {
            const tok = tokens[j]!;
            if (!tok.w) {
                // inner punctuation is skipped only between two words of a name
                if (j > i && INNER_PUNCT.has(tok.l) && tokens[j + 1]?.w && tokens[j + 1]!.s === tok.e) {
                    j++;
                    continue;
                }
                // (and a comma inside a name the registry writes with one: "Foreign, Commonwealth and Development Office")
                if (j > i && tok.l === "," && tokens[j + 1]?.w && node.next.has(tokens[j + 1]!.l)) {
                    j++;
                    continue;
                }
                break;
            }
            node = node.next.get(tok.l);
            if (!node) break;
            j++;
            if (node.entries) {
                const entry = this.accept(node.entries, tokens, i, j);
                if (entry) best = { start: i, end: j, entry };
            }
        }
        return best;
    }

    private accept(entries: LexEntry[], tokens: Token[], i: number, j: number): LexEntry | undefined {
        const letters = tokens
            .slice(i, j)
            .filter((t) => t.w)
            .map((t) => t.t)
            .join("");
        const firstUpper = /^\p{Lu}/u.test(tokens[i]!.t);
        let fallback: LexEntry | undefined;
        for (const e of entries) {
            if (e.exact !== undefined) {
                if (letters === e.exact) return e;
                continue;
            }
            if (e.capital && !firstUpper) continue;
            if (e.lower && i > 0 && tokens.slice(i, j).some((t) => /^\p{Lu}/u.test(t.t))) continue;
            if (!e.demonym) return e;
            fallback ??= e;
        }
        return fallback;
    }
}

const cache = new WeakMap<object, Lexicon>();

/** The lexicon of a registry, built once per registry object. */
export function lexiconFor(registry: RegistryLike): Lexicon {
    let lex = cache.get(registry);
    if (!lex) {
        lex = new Lexicon(registry);
        cache.set(registry, lex);
    }
    return lex;
}
