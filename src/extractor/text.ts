/**
 * Text plumbing for the extractor: reading .txt/.html articles, a fast sentence splitter with offsets
 * and a tokenizer whose tokens keep their character offsets into the article text.
 */
import { readFile } from "node:fs/promises";
import { extname } from "node:path";

export interface ArticleInput {
    text: string;
    title?: string;
    url?: string;
    publishedAt?: string;
    sourceName?: string;
}

export interface Token {
    /** Original text. */
    t: string;
    /** Lower-cased text ("&" → "and", curly apostrophes → "'"). */
    l: string;
    /** Offsets into the article text. */
    s: number;
    e: number;
    /** Letters/digits (true) or punctuation (false). */
    w: boolean;
}

export interface Sentence {
    text: string;
    start: number;
    end: number;
    tokens: Token[];
}

const TOKEN_RE = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu;

export function tokenize(text: string, offset = 0): Token[] {
    const out: Token[] = [];
    TOKEN_RE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = TOKEN_RE.exec(text)) !== null) {
        const t = m[0];
        const w = /[\p{L}\p{N}]/u.test(t);
        let l = t.toLowerCase();
        if (t === "’" || t === "‘" || t === "`") l = "'";
        else if (t === "“" || t === "”" || t === "„") l = '"';
        else if (t === "&") l = "and";
        else if (t === "–" || t === "—") l = "-";
        out.push({ t, l, s: offset + m.index, e: offset + m.index + t.length, w: w || t === "&" });
    }
    return out;
}

/** Words whose trailing period does not end a sentence. */
const ABBREVIATIONS = new Set(
    "mr mrs ms dr prof st co ltd inc corp jr sr gen col lt maj capt sgt gov sen rep jan feb mar apr jun jul aug sep sept oct nov dec no vs etc e.g i.e u.s u.k u.n a.m p.m dept est approx fig".split(" "),
);

/**
 * Splits text into sentences with offsets. Line breaks always end a sentence (headlines, paragraphs);
 * inside a line, [.!?] followed by space and an upper-case letter, digit or quote ends one unless the word
 * before the period is an abbreviation or a single capital letter (initials, "U.S.").
 */
export function splitSentences(text: string): Sentence[] {
    const out: Sentence[] = [];
    const push = (s: number, e: number) => {
        while (s < e && /\s/.test(text[s]!)) s++;
        while (e > s && /\s/.test(text[e - 1]!)) e--;
        if (e > s) out.push({ text: text.slice(s, e), start: s, end: e, tokens: tokenize(text.slice(s, e), s) });
    };
    let lineStart = 0;
    const n = text.length;
    for (let i = 0; i <= n; i++) {
        if (i === n || text[i] === "\n") {
            splitLine(lineStart, i, push);
            lineStart = i + 1;
        }
    }
    return out;

    function splitLine(from: number, to: number, emit: (s: number, e: number) => void): void {
        let s = from;
        for (let i = from; i < to; i++) {
            const c = text[i]!;
            if (c !== "." && c !== "!" && c !== "?") continue;
            // extend over closing quotes/brackets
            let j = i + 1;
            while (j < to && /["”’')\]]/.test(text[j]!)) j++;
            if (j >= to) continue;
            if (!/\s/.test(text[j]!)) continue;
            let k = j;
            while (k < to && /\s/.test(text[k]!)) k++;
            if (k >= to) continue;
            const next = text[k]!;
            if (!/[\p{Lu}\p{N}"“‘'(\[]/u.test(next)) continue;
            if (c === ".") {
                const before = text.slice(Math.max(from, i - 12), i);
                const word = /([\p{L}.]+)$/u.exec(before)?.[1]?.toLowerCase() ?? "";
                if (ABBREVIATIONS.has(word) || /^\p{L}$/u.test(word) || /^(\p{L}\.)+\p{L}$/u.test(word)) continue;
            }
            emit(s, j);
            s = k;
            i = k - 1;
        }
        emit(s, to);
    }
}

// ---------------------------------------------------------------------------------------------
// HTML

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", rsquo: "’", lsquo: "‘", rdquo: "”", ldquo: "“", ndash: "–", mdash: "—", hellip: "…" };

export function decodeEntities(s: string): string {
    return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
        if (e[0] === "#") {
            const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
            // Beyond U+10FFFF (String.fromCodePoint would throw a RangeError), a surrogate or NUL: U+FFFD, as HTML does.
            if (!Number.isFinite(code) || code > 0x10ffff || code === 0 || (code >= 0xd800 && code <= 0xdfff)) return "\uFFFD";
            return String.fromCodePoint(code);
        }
        return ENTITIES[e.toLowerCase()] ?? m;
    });
}

function stripTags(s: string): string {
    return decodeEntities(s.replace(/<[^>]*>/g, " ")).replace(/[ \t\r\f\v]+/g, " ").trim();
}

/** A small regex HTML-to-text: title from <title>/<h1>, main text from <article>/<main> (else the body), one paragraph a line. */
export function htmlToArticle(html: string): { title?: string; text: string } {
    let doc = html
        .replace(/<!--[\s\S]*?-->/g, " ")
        .replace(/<(script|style|noscript|svg|template|iframe|form)\b[\s\S]*?<\/\1\s*>/gi, " ");
    const h1 = /<h1\b[^>]*>([\s\S]*?)<\/h1>/i.exec(doc)?.[1];
    const titleTag = /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(doc)?.[1];
    const title = (h1 && stripTags(h1)) || (titleTag && stripTags(titleTag)) || undefined;
    const main = /<article\b[^>]*>([\s\S]*?)<\/article>/i.exec(doc)?.[1] ?? /<main\b[^>]*>([\s\S]*?)<\/main>/i.exec(doc)?.[1];
    if (main !== undefined) doc = main;
    else {
        doc = /<body\b[^>]*>([\s\S]*?)<\/body>/i.exec(doc)?.[1] ?? doc;
    }
    doc = doc.replace(/<(nav|footer|header|aside|figure|figcaption|button|menu)\b[\s\S]*?<\/\1\s*>/gi, " ");
    const blocks: string[] = [];
    const re = /<(p|h[2-6]|li|blockquote)\b[^>]*>([\s\S]*?)<\/\1\s*>/gi;
    let m: RegExpExecArray | null;
    while ((m = re.exec(doc)) !== null) {
        const t = stripTags(m[2]!);
        if (t.length > 0) blocks.push(t);
    }
    if (blocks.length === 0) {
        const t = decodeEntities(doc.replace(/<br\s*\/?>|<\/(div|section|p|h\d|li|tr)>/gi, "\n").replace(/<[^>]*>/g, " "));
        for (const line of t.split("\n")) {
            const l = line.replace(/\s+/g, " ").trim();
            if (l.length > 0) blocks.push(l);
        }
    }
    const text = blocks.filter((b) => b !== title).join("\n");
    return title !== undefined ? { title, text } : { text };
}

/** Reads an article file: .html/.htm through htmlToArticle, anything else as text with the title on the first line. */
export async function readArticleFile(path: string): Promise<ArticleInput> {
    const raw = await readFile(path, "utf8");
    return parseArticle(raw, extname(path).toLowerCase());
}

export function parseArticle(raw: string, ext: string): ArticleInput {
    if (ext === ".html" || ext === ".htm" || (ext === "" && /^\s*<(!doctype|html)/i.test(raw))) {
        const { title, text } = htmlToArticle(raw);
        return { title: title ?? firstLine(text), text };
    }
    const text = raw.replace(/\r\n?/g, "\n");
    return { title: firstLine(text), text };
}

function firstLine(text: string): string {
    const line = text.split("\n").find((l) => l.trim().length > 0)?.trim() ?? "Untitled";
    return line.length > 300 ? line.slice(0, 297) + "..." : line;
}
