/**
 * Name normalisation for entity resolution: names match case-, accent- and punctuation-insensitively,
 * so "APT-31", "apt 31" and "APT31" are one key, and "Zirconium" equals "ZIRCONIUM". Look-alikes match too:
 * the Cyrillic "АРТ31" is the key of APT31, never a twin that renders the same (foldConfusables).
 */
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
    const slug = name
        .normalize("NFKD")
        .replace(/\p{M}/gu, "")
        .toLowerCase()
        .replace(/&/g, " and ")
        .replace(/[^\p{L}\p{N}]+/gu, "-")
        .replace(/^-+|-+$/g, "");
    return slug.length > 0 ? slug.slice(0, 80) : "unnamed";
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
