/**
 * Name normalisation for entity resolution: names match case-, accent- and punctuation-insensitively,
 * so "APT-31", "apt 31" and "APT31" are one key, and "Zirconium" equals "ZIRCONIUM". Look-alikes match too:
 * the Cyrillic "АРТ31" is the key of APT31, never a twin that renders the same (foldConfusables).
 */
import { createHash } from "node:crypto";
import unhomoglyph from "unhomoglyph";

export function normalizeName(name: string): string {
    return foldConfusables(name.normalize("NFKD").replace(/\p{M}/gu, ""))
        .toLowerCase()
        .replace(/&/g, " and ")
        .replace(/[^\p{L}\p{N}]+/gu, "");
}

/** A readable, stable slug for ids: "Wuhan Xiaoruizhi Science & Technology" → "wuhan-xiaoruizhi-science-and-technology". */
/** The words of a name or query: accents and case folded, split at anything that is not a letter or digit ("Ivan Petrov" → ["ivan", "petrov"]). */
export function nameWords(text: string): string[] {
    return text
        .normalize("NFKD")
        .replace(/\p{M}/gu, "")
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean);
}

export function slugify(name: string): string {
    const slug = fullSlug(name);
    return slug.length > 0 ? slug.slice(0, 80) : "unnamed";
}

function fullSlug(name: string): string {
    return name
        .normalize("NFKD")
        .replace(/\p{M}/gu, "")
        .toLowerCase()
        .replace(/&/g, " and ")
        .replace(/[^\p{L}\p{N}]+/gu, "-")
        .replace(/^-+|-+$/g, "");
}

const MAX_SLUG = 80;

/**
 * The id of a new entity: `<prefix>:<slug>` while the slug says the whole name (at most 80 characters, at least
 * one letter or digit) and no other entity has it; otherwise the slug (cut to 60, or "unnamed") plus a short hash
 * of the type and the full normalised name (the name itself when it normalises to nothing), so two distinct
 * things never share an id: "!!!" and "???", or two names equal in their first 80 characters.
 */
export function newEntityId(prefix: string, type: string, name: string, taken: (id: string) => boolean = () => false): string {
    const slug = fullSlug(name);
    const plain = `${prefix}:${slug}`;
    if (slug.length > 0 && slug.length <= MAX_SLUG && !taken(plain)) return plain;
    const key = `${type}|${normalizeName(name) || name.normalize("NFC").trim()}`;
    return `${prefix}:${slug.slice(0, 60).replace(/-+$/, "") || "unnamed"}-${createHash("sha256").update(key).digest("hex").slice(0, 10)}`;
}

const ASCII = /^[\x00-\x7F]+$/;
const folded = new Map<string, string>();

/**
 * Unicode confusable folding (the prototypes of UTS #39's confusables.txt, through unhomoglyph): a non-ASCII
 * character that looks like an ASCII one (Cyrillic А Р Т, Greek Ο, Cherokee Ꭺ …) becomes that ASCII character.
 * ASCII itself is left alone, so ordinary names keep their keys ("APT1" and "APTl" stay different) and only
 * characters that could disguise an ASCII name are folded; non-ASCII characters without an ASCII prototype stay.
 */
export function foldConfusables(text: string): string {
    if (ASCII.test(text) || text === "") return text;
    return text.replace(/[^\x00-\x7F]/gu, (char) => {
        let prototype = folded.get(char);
        if (prototype === undefined) {
            const mapped = unhomoglyph(char);
            prototype = ASCII.test(mapped) ? mapped : char;
            folded.set(char, prototype);
        }
        return prototype;
    });
}
