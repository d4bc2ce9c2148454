/**
 * Hostile inputs for the fuzz suite (issue 12), deterministic: input `i` of a channel depends only on
 * (seed, channel, i), so a failure names `FUZZ_SEED` and the index and can be regenerated alone.
 *
 * Channels: `load` (a file for `cyberkg load`), `ingestFacts` (a raw HTTP body for POST /graphql), `extract` (an
 * article file for `cyberkg extract`), `stix` (a bundle file for `cyberkg import-stix`). Each input says what is
 * expected of it: `reject` (a clear error, nothing written), `store` (written, its `literal` stored as given), or
 * `either` (a random change that may or may not still be valid: whichever happens, it must be clean).
 * Every name a stored input can write is unique to the input (it carries the channel and index), so "everything
 * else in the graph is unchanged" can be checked by a checksum of the graph as it was before the run.
 */
import { createHash } from "node:crypto";
import { articleId, type Article } from "../../../src/model/facts-document.ts";

export type Channel = "load" | "ingestFacts" | "extract" | "stix";
export const CHANNELS: readonly Channel[] = ["load", "ingestFacts", "extract", "stix"];

export interface HostileInput {
    channel: Channel;
    i: number;
    kind: string;
    /** The file's bytes (load, extract, stix) or the HTTP request body (ingestFacts). */
    bytes: Buffer;
    /** File extension for file channels. */
    ext: string;
    expect: "reject" | "store" | "either";
    /** For `store`: the article id written and a name that must be stored exactly as given. */
    articleId?: string;
    literal?: string;
    /** For confusable cases: an ASCII twin document to load first; both must resolve to one entity. */
    twin?: Buffer;
    /** The document, as mutated, has no facts ("facts": [] is a valid value): stored, it holds no claims. */
    noFacts?: boolean;
}

/** mulberry32, seeded from a hash of (seed, channel, i). */
function rng(seed: string, channel: Channel, i: number): () => number {
    let a = createHash("sha256").update(`${seed}/${channel}/${i}`).digest().readUInt32LE(0);
    return () => {
        a = (a + 0x6d2b79f5) | 0;
        let t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

type Rand = ReturnType<typeof rng>;
const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const int = (r: Rand, min: number, max: number) => min + Math.floor(r() * (max - min + 1));

/** Strings that look like code in the languages the service speaks; stored literally, never run. */
const INJECTIONS = [
    "') MATCH (n) DETACH DELETE n //",
    "\" } ) WITH 1 AS x CALL db.clearQueryCaches() //",
    "${injection} {{constructor.constructor('return process')()}}",
    "mutation { retractArticle(id: \"x\", purge: true) { claims } }",
    "query { __schema { types { name } } }",
    "<script>alert(1)</script>",
    "'; DROP TABLE entities; --",
    "MERGE (:Admin {name: 'x'})",
    "\\u0000 \\x00 %00 %s%s%n",
    "../../../etc/passwd",
    "$where: function() { return true }",
    "1=1 OR ''='",
];
/** Well-formed Unicode that is unusual but legal: must be stored exactly. */
const ODD_TEXT = ["Ünïcödé Ñame", "名字 组织", "مجموعة القراصنة", "😀🔥 Emoji Crew", "Zero\u200Bwidth", "Bidi \u202Eevil\u202C name", "Ｆｕｌｌｗｉｄｔｈ", "Combining e\u0301\u0302\u0303", "Tab-free    spaces", "\uFEFFBOM name", "𝔐𝔞𝔱𝔥 𝔉𝔯𝔞𝔨𝔱𝔲𝔯"];
/** Characters that must be refused (never turned into U+FFFD silently). */
const BAD_CHARS = ["\u0000", "\u0001", "\u001B", "\u007F", "\u0085", "\uD800", "\uDFFF", "\uDBFF"];
/** Byte sequences that are not UTF-8. */
const BAD_UTF8 = [[0xff], [0xc3, 0x28], [0xc0, 0xaf], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xfe, 0xfe], [0x80]];
/** Latin letters and the Cyrillic/Greek letters that render like them. */
const CONFUSABLE: Record<string, string> = { A: "\u0410", B: "\u0412", E: "\u0415", K: "\u041A", M: "\u041C", H: "\u041D", O: "\u041E", P: "\u0420", C: "\u0421", T: "\u0422", X: "\u0425", a: "\u0430", e: "\u0435", o: "\u043E", p: "\u0440", c: "\u0441", x: "\u0445", y: "\u0443", i: "\u0456" };
const IMPOSSIBLE_DATES = ["2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "0000-00-00", "99999-01-01", "2024-1-1", "yesterday", "2024-06-01T25:00:00Z", "", "2024/06/01", "1e9"];
const WRONG_VALUES: unknown[] = [null, 0, -1, 1.5, 1e308, true, false, "", " ", [], [null], {}, { a: 1 }, "x".repeat(400), [1, 2, 3], { $gt: "" }, "NaN"];
const PREDICATES = ["TARGETED", "SANCTIONED", "MEMBER_OF", "COMPROMISED", "BASED_IN", "AFFILIATED_WITH"];
const UNKNOWN_PREDICATES = ["HACKED", "targeted", "TARGETED ", "DETACH_DELETE", "", "__proto__", "TARGETED\u0000", "ТARGETED"];

function confusableOf(name: string): string {
    let out = "";
    let changed = false;
    for (const ch of name) {
        const c = CONFUSABLE[ch];
        if (c && !changed) {
            out += c;
            changed = true;
        } else out += c && ch === ch.toUpperCase() ? c : ch;
    }
    return out;
}

/** A valid facts document whose names are unique to (channel, i). */
function baseDocument(channel: Channel, i: number, tag = "") {
    const u = `${channel}${tag} ${i}`;
    return {
        article: { id: `article:fuzz-${channel.toLowerCase()}${tag}-${i}`, title: `Fuzz article ${u}`, publishedAt: "2024-06-01", text: `Fuzz Actor ${u} targeted Fuzz Company ${u}. Fuzz State ${u} sanctioned Fuzz Person ${u}.` },
        entities: [
            { id: "a", type: "ThreatActor", name: `Fuzz Actor ${u}`, aliases: [`FA ${u}`] },
            { id: "o", type: "Organization", kind: "company", name: `Fuzz Company ${u}`, aliases: [] },
            { id: "s", type: "State", name: `Fuzz State ${u}`, aliases: [] },
            { id: "p", type: "Person", name: `Fuzz Person ${u}`, aliases: [] },
        ] as Record<string, unknown>[],
        facts: [
            { subject: "a", predicate: "TARGETED", object: "o", evidence: { text: `Fuzz Actor ${u} targeted Fuzz Company ${u}.`, start: 0, end: `Fuzz Actor ${u} targeted Fuzz Company ${u}.`.length } },
            { subject: "s", predicate: "SANCTIONED", object: "p", certainty: "alleged" },
        ] as Record<string, unknown>[],
    };
}
type Doc = ReturnType<typeof baseDocument>;

/** Every place in the document a random change can land on. */
function paths(doc: Doc): (string | number)[][] {
    const out: (string | number)[][] = [["article"], ["entities"], ["facts"]];
    for (const k of Object.keys(doc.article)) out.push(["article", k]);
    doc.entities.forEach((e, n) => Object.keys(e).forEach((k) => out.push(["entities", n, k])));
    doc.facts.forEach((f, n) => Object.keys(f).forEach((k) => out.push(["facts", n, k])));
    return out;
}
function setAt(root: unknown, path: (string | number)[], value: unknown, remove = false): void {
    let node = root as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    if (remove) delete node[last];
    else node[last] = value;
}
const deep = (depth: number): string => "[".repeat(depth) + "]".repeat(depth);
const deepObject = (depth: number): string => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);

interface FactsCase {
    kind: string;
    noFacts?: boolean;
    expect: HostileInput["expect"];
    /** JSON text of the document (or other bytes). */
    bytes: Buffer;
    literal?: string;
    articleId?: string;
    twin?: Buffer;
}

/** One hostile facts document (load and ingestFacts share these). */
function factsCase(r: Rand, channel: Channel, i: number): FactsCase {
    const doc = baseDocument(channel, i);
    const json = (d: unknown = doc) => Buffer.from(JSON.stringify(d));
    const id = doc.article.id;
    const kind = pick(r, [
        "wrong-type", "missing-field", "unknown-predicate", "dangling-id", "huge-name", "huge-text", "huge-title", "deep-nesting",
        "invalid-utf8", "bad-char", "proto-key", "injection", "odd-unicode", "huge-array", "duplicate-id", "offset-outside",
        "impossible-date", "confusable", "garbage", "truncated", "unknown-field", "type-rule", "not-an-object", "valid",
    ] as const);
    switch (kind) {
        case "wrong-type": {
            const p = pick(r, paths(doc));
            setAt(doc, p, pick(r, WRONG_VALUES));
            // A string that replaced article.id is a valid id ("NaN"): stored under it (an empty one: the derived id).
            const stored = p.join(".") === "article.id" && typeof doc.article.id === "string" ? articleId(doc.article as unknown as Article) : id;
            // (an empty array is the right type for "facts": a document with no facts, stored without claims)
            const noFacts = Array.isArray(doc.facts) && doc.facts.length === 0;
            return { kind: `${kind}:${p.join(".")}`, expect: "either", bytes: json(), articleId: stored, ...(noFacts ? { noFacts } : {}) };
        }
        case "missing-field": {
            const p = pick(r, paths(doc));
            setAt(doc, p, undefined, true);
            // Without article.id the article is stored under the id derived from its content (url, else title + text).
            const stored = p.join(".") === "article.id" ? articleId(doc.article as unknown as Article) : id;
            return { kind: `${kind}:${p.join(".")}`, expect: "either", bytes: json(), articleId: stored };
        }
        case "unknown-predicate":
            doc.facts[int(r, 0, 1)]!.predicate = pick(r, UNKNOWN_PREDICATES);
            return { kind, expect: "reject", bytes: json() };
        case "dangling-id":
            doc.facts[int(r, 0, 1)]![pick(r, ["subject", "object", "claimedBy"])] = pick(r, ["nobody", "x", "actor:apt31", "a ", "A"]);
            return { kind, expect: "reject", bytes: json() };
        case "huge-name":
            doc.entities[int(r, 0, 3)]![pick(r, ["name", "aliases"])] = ((s: string) => (r() < 0.5 ? s : [s]))("N".repeat(int(r, 301, 20_000)));
            return { kind, expect: "reject", bytes: json() };
        case "huge-text":
            doc.article.text = "T".repeat(2_000_001 + int(r, 0, 1000));
            return { kind, expect: "reject", bytes: json() };
        case "huge-title":
            doc.article.title = "T".repeat(int(r, 2001, 20_000));
            return { kind, expect: "reject", bytes: json() };
        case "deep-nesting": {
            const depth = int(r, 100, 5_000);
            const text = JSON.stringify(doc).replace('"article":{', `"article":{"extra":${r() < 0.5 ? deep(depth) : deepObject(depth)},`);
            return { kind: `${kind}:${depth}`, expect: "reject", bytes: Buffer.from(text) };
        }
        case "invalid-utf8": {
            const text = JSON.stringify(doc);
            const at = text.indexOf("Fuzz Actor") + int(r, 0, 9);
            return { kind, expect: "reject", bytes: Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(pick(r, BAD_UTF8)), Buffer.from(text.slice(at))]) };
        }
        case "bad-char": {
            const ch = pick(r, BAD_CHARS);
            const target = pick(r, [0, 1, 2, 3]);
            doc.entities[target]!.name = `Fuzz${ch}Name ${channel} ${i}`;
            return { kind: `${kind}:U+${ch.charCodeAt(0).toString(16)}`, expect: "reject", bytes: json() };
        }
        case "proto-key": {
            const key = pick(r, ["__proto__", "constructor", "prototype"]);
            const where = pick(r, ['"article":{', '{"id":"a",', '{"subject":"a",', "{"]);
            const text = JSON.stringify(doc).replace(where, `${where}"${key}":{"polluted":true,"isAdmin":true},`);
            return { kind: `${kind}:${key}`, expect: "reject", bytes: Buffer.from(text) };
        }
        case "injection":
        case "odd-unicode": {
            const literal = `${pick(r, kind === "injection" ? INJECTIONS : ODD_TEXT)} ${channel}-${i}`;
            doc.entities[0]!.name = literal;
            return { kind, expect: "store", bytes: json(), literal, articleId: id };
        }
        case "huge-array": {
            const which = pick(r, ["facts", "entities", "aliases"] as const);
            if (which === "facts") doc.facts = Array.from({ length: 5001 + int(r, 0, 2000) }, () => ({ subject: "a", predicate: "TARGETED", object: "o" }));
            if (which === "entities") doc.entities = Array.from({ length: 2001 + int(r, 0, 500) }, (_, n) => ({ id: `e${n}`, type: "Sector", name: `Sector ${n}`, aliases: [] }));
            if (which === "aliases") doc.entities[0]!.aliases = Array.from({ length: 201 + int(r, 0, 500) }, (_, n) => `Alias ${n}`);
            return { kind: `${kind}:${which}`, expect: "reject", bytes: json() };
        }
        case "duplicate-id":
            doc.entities[1]!.id = "a";
            return { kind, expect: "reject", bytes: json() };
        case "offset-outside": {
            const ev = doc.facts[0]!.evidence as { start: number; end: number };
            const choice = int(r, 0, 3);
            if (choice === 0) ev.end = doc.article.text.length + int(r, 1, 1e6);
            if (choice === 1) ev.start = -int(r, 1, 100);
            if (choice === 2) [ev.start, ev.end] = [ev.end, ev.start];
            if (choice === 3) ev.start = ev.start + 1;
            return { kind: `${kind}:${choice}`, expect: "reject", bytes: json() };
        }
        case "impossible-date":
            if (r() < 0.5) doc.article.publishedAt = pick(r, IMPOSSIBLE_DATES);
            else doc.facts[1]!.validFrom = pick(r, IMPOSSIBLE_DATES);
            return { kind, expect: "reject", bytes: json() };
        case "confusable": {
            // The ASCII twin is loaded first; the look-alike must resolve to the same entity.
            const twin = baseDocument(channel, i, "-twin");
            const ascii = twin.entities[0]!.name as string;
            doc.entities[0]!.name = confusableOf(ascii);
            doc.entities[0]!.aliases = [];
            return { kind, expect: "store", bytes: json(), literal: ascii, articleId: id, twin: Buffer.from(JSON.stringify(twin)) };
        }
        case "garbage": {
            const bytes = Buffer.alloc(int(r, 0, 2000));
            for (let n = 0; n < bytes.length; n++) bytes[n] = int(r, 0, 255);
            return { kind, expect: "reject", bytes };
        }
        case "truncated": {
            const text = JSON.stringify(doc);
            return { kind, expect: "reject", bytes: Buffer.from(text.slice(0, int(r, 0, text.length - 1))) };
        }
        case "unknown-field":
            setAt(doc, pick(r, [["article", "cypher"], ["entities", 0, "label"], ["facts", 0, "weight"], ["extra"]]), "MATCH (n) DELETE n");
            return { kind, expect: "reject", bytes: json() };
        case "type-rule":
            doc.facts[0] = { subject: "o", predicate: pick(r, PREDICATES), object: "o" };
            return { kind, expect: "reject", bytes: json() };
        case "not-an-object":
            return { kind, expect: "reject", bytes: Buffer.from(JSON.stringify(pick(r, [null, 42, "doc", true, [], [[]], { article: null }]))) };
        case "valid":
            return { kind, expect: "store", bytes: json(), literal: doc.entities[0]!.name as string, articleId: id };
    }
}

export const INGEST_QUERY = "mutation Ingest($document: JSON!) { ingestFacts(document: $document) { sourceId status claims } }";

/** A GraphQL request body around the document's bytes (spliced as bytes: invalid UTF-8 reaches the server as sent). */
export function ingestBody(documentBytes: Buffer): Buffer {
    return Buffer.concat([Buffer.from(`{"query":${JSON.stringify(INGEST_QUERY)},"variables":{"document":`), documentBytes.length ? documentBytes : Buffer.from("null"), Buffer.from("}}")]);
}

function extractCase(r: Rand, i: number): Omit<HostileInput, "channel" | "i"> {
    const u = `extract ${i}`;
    const sentence = `Fuzz Actor ${u} targeted the energy sector, officials said.`;
    const kind = pick(r, ["html-entity", "invalid-utf8", "nul", "long-line", "deep-html", "empty", "too-long", "injection", "odd-unicode", "many-sentences", "garbage", "lone-surrogate-entity", "plain"] as const);
    const html = r() < 0.5;
    const ext = html ? ".html" : pick(r, [".txt", ".md"]);
    const wrap = (body: string) => (html ? `<!doctype html><html><head><title>Fuzz ${u}</title></head><body><article><p>${body}</p></article></body></html>` : `Fuzz ${u}\n\n${body}\n`);
    const out = (kindName: string, expect: HostileInput["expect"], bytes: Buffer, e = ext) => ({ kind: kindName, expect, bytes, ext: e });
    switch (kind) {
        case "html-entity": {
            const entity = pick(r, ["&#x110000;", "&#1114112;", "&#99999999999;", "&#xD800;", "&#0;", "&#x;", "&#;", "&amp;&amp;", "&#x1F600;", "&nbsp;&nbsp;", "&#-1;", "&#xFFFFFFFFFFFF;"]);
            return out(`${kind}:${entity}`, "either", Buffer.from(wrap(`${sentence} ${entity} ${entity}`)), ".html");
        }
        case "invalid-utf8":
            return out(kind, "reject", Buffer.concat([Buffer.from(wrap(sentence).slice(0, 20)), Buffer.from(pick(r, BAD_UTF8)), Buffer.from(wrap(sentence).slice(20))]));
        case "nul":
            return out(kind, "either", Buffer.from(wrap(`${sentence}\u0000${pick(r, BAD_CHARS.slice(0, 5))} more`)));
        case "long-line":
            return out(kind, "either", Buffer.from(wrap(`${sentence} ${pick(r, ["a", "APT31 ", "x,", "(", "the "]).repeat(int(r, 200, 3000))}`)));
        case "deep-html":
            return out(kind, "either", Buffer.from(`<html><body>${"<div>".repeat(int(r, 100, 20_000))}${sentence}${"</div>".repeat(int(r, 0, 100))}</body></html>`), ".html");
        case "empty": {
            // Markup is only empty as HTML: in a .txt or .md file "<html></html>" is text.
            const content = pick(r, ["", " ", "\n\n\n", "<html></html>", "<html><body>   </body></html>", "\t"]);
            return out(kind, "reject", Buffer.from(content), content.startsWith("<") ? ".html" : ext);
        }
        case "too-long":
            return out(kind, "reject", Buffer.from(`Fuzz ${u}\n` + "Word ".repeat(20_001 + int(r, 0, 1000))), ".txt");
        case "injection":
            return out(kind, "either", Buffer.from(wrap(`${sentence} ${pick(r, INJECTIONS)}`)));
        case "odd-unicode":
            return out(kind, "either", Buffer.from(wrap(`${pick(r, ODD_TEXT)} targeted ${confusableOf("APT31")} in 2024.`)));
        case "many-sentences":
            return out(kind, "either", Buffer.from(wrap(Array.from({ length: int(r, 5, 60) }, () => sentence).join(" "))));
        case "garbage": {
            const bytes = Buffer.alloc(int(r, 1, 3000));
            for (let n = 0; n < bytes.length; n++) bytes[n] = int(r, 0, 255);
            return out(kind, "either", bytes);
        }
        case "lone-surrogate-entity":
            return out(kind, "either", Buffer.from(wrap(`${sentence} &#xDC00;&#55296;`)), ".html");
        case "plain":
            return out(kind, "either", Buffer.from(wrap(sentence)));
    }
}

function uuid(r: Rand): string {
    const h = () => int(r, 0, 15).toString(16);
    const s = (n: number) => Array.from({ length: n }, h).join("");
    return `${s(8)}-${s(4)}-4${s(3)}-a${s(3)}-${s(12)}`;
}

function stixCase(r: Rand, i: number): Omit<HostileInput, "channel" | "i"> {
    const u = `stix ${i}`;
    const set = { type: "intrusion-set", spec_version: "2.1", id: `intrusion-set--${uuid(r)}`, created: "2024-01-01T00:00:00.000Z", modified: "2024-01-01T00:00:00.000Z", name: `Fuzz Set ${u}`, aliases: [`FS ${u}`], description: "A fuzz group." };
    const victim = { type: "identity", spec_version: "2.1", id: `identity--${uuid(r)}`, created: "2024-01-01T00:00:00.000Z", modified: "2024-01-01T00:00:00.000Z", name: `Fuzz Victim ${u}`, identity_class: "organization" };
    const rel = { type: "relationship", spec_version: "2.1", id: `relationship--${uuid(r)}`, created: "2024-01-01T00:00:00.000Z", modified: "2024-01-01T00:00:00.000Z", relationship_type: "targets", source_ref: set.id, target_ref: victim.id };
    const bundle: Record<string, unknown> = { type: "bundle", id: `bundle--${uuid(r)}`, objects: [set, victim, rel] };
    const json = () => Buffer.from(JSON.stringify(bundle));
    const out = (kind: string, expect: HostileInput["expect"], bytes: Buffer, literal?: string) => ({ kind, expect, bytes, ext: ".json", literal });
    const objects = bundle.objects as Record<string, unknown>[];
    const kind = pick(r, ["wrong-type", "missing-field", "dangling-ref", "huge-name", "huge-aliases", "deep-nesting", "invalid-utf8", "bad-char", "proto-key", "injection", "odd-unicode", "huge-array", "duplicate-id", "bad-id", "impossible-date", "confusable", "garbage", "truncated", "not-a-bundle", "valid"] as const);
    switch (kind) {
        case "wrong-type": {
            const target = pick(r, [bundle, ...objects]);
            const key = pick(r, Object.keys(target));
            target[key] = pick(r, WRONG_VALUES);
            return out(`${kind}:${key}`, "either", json());
        }
        case "missing-field": {
            const target = pick(r, [bundle, ...objects]);
            delete target[pick(r, Object.keys(target))];
            return out(kind, "either", json());
        }
        case "dangling-ref":
            rel[pick(r, ["source_ref", "target_ref"] as const)] = `identity--${uuid(r)}`;
            return out(kind, "either", json());
        case "huge-name":
            (pick(r, [set, victim]) as { name: string }).name = "N".repeat(int(r, 301, 20_000));
            return out(kind, "either", json());
        case "huge-aliases":
            set.aliases = Array.from({ length: int(r, 201, 2_000) }, (_, n) => `Alias ${u} ${n}`);
            return out(kind, "either", json());
        case "deep-nesting":
            return out(kind, "either", Buffer.from(JSON.stringify(bundle).replace('"objects":[', `"x_deep":${deep(int(r, 100, 20_000))},"objects":[`)));
        case "invalid-utf8": {
            const text = JSON.stringify(bundle);
            const at = text.indexOf("Fuzz Set") + int(r, 0, 8);
            return out(kind, "reject", Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(pick(r, BAD_UTF8)), Buffer.from(text.slice(at))]));
        }
        case "bad-char":
            set.name = `Fuzz${pick(r, BAD_CHARS)}Set ${u}`;
            return out(kind, "either", json());
        case "proto-key": {
            const key = pick(r, ["__proto__", "constructor", "prototype"]);
            return out(kind, "either", Buffer.from(JSON.stringify(bundle).replace('{"type":"intrusion-set",', `{"${key}":{"polluted":true},"type":"intrusion-set",`)));
        }
        case "injection":
        case "odd-unicode":
            set.name = `${pick(r, kind === "injection" ? INJECTIONS : ODD_TEXT)} ${u}`;
            return out(kind, "store", json(), set.name);
        case "huge-array":
            bundle.objects = [...objects, ...Array.from({ length: int(r, 1000, 5_000) }, () => ({ type: "x-fuzz", id: `x-fuzz--${uuid(r)}` }))];
            return out(kind, "either", json());
        case "duplicate-id":
            victim.id = set.id as never;
            return out(kind, "either", json());
        case "bad-id":
            (pick(r, [bundle, set, rel]) as { id: string }).id = pick(r, ["bundle--x", "intrusion-set--", "", "identity--00000000-0000-0000-0000-000000000000", "../x"]);
            return out(kind, "either", json());
        case "impossible-date":
            set[pick(r, ["created", "modified"] as const)] = pick(r, IMPOSSIBLE_DATES);
            return out(kind, "either", json());
        case "confusable":
            set.name = confusableOf(`Fuzz Set ${u}`);
            return out(kind, "either", json());
        case "garbage": {
            const bytes = Buffer.alloc(int(r, 0, 2000));
            for (let n = 0; n < bytes.length; n++) bytes[n] = int(r, 0, 255);
            return out(kind, "reject", bytes);
        }
        case "truncated": {
            const text = JSON.stringify(bundle);
            return out(kind, "reject", Buffer.from(text.slice(0, int(r, 0, text.length - 1))));
        }
        case "not-a-bundle":
            return out(kind, "reject", Buffer.from(JSON.stringify(pick(r, [null, [], 1, "bundle", { type: "bundle" }, { type: "bundle", id: "bundle--x" }, { type: "report" }]))));
        case "valid":
            return out(kind, "store", json(), set.name);
    }
}

/** Input `i` of a channel for a seed. */
export function generate(channel: Channel, seed: string, i: number): HostileInput {
    const r = rng(seed, channel, i);
    if (channel === "extract") return { channel, i, ...extractCase(r, i) };
    if (channel === "stix") return { channel, i, ...stixCase(r, i) };
    const c = factsCase(r, channel, i);
    const ext = channel === "load" ? pick(r, [".json", ".json", ".jsonl", ".yaml"]) : "";
    const bytes = channel === "ingestFacts" ? ingestBody(c.bytes) : c.bytes;
    return { channel, i, kind: c.kind, bytes, ext, expect: c.expect, articleId: c.articleId, literal: c.literal, twin: c.twin, ...(c.noFacts ? { noFacts: true } : {}) };
}
