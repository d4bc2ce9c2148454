/**
 * Name normalisation for entity resolution: names match case-, accent- and punctuation-insensitively,
 * so "APT-31", "apt 31" and "APT31" are one key, and "Zirconium" equals "ZIRCONIUM".
 */
export function normalizeName(name: string): string {
    return name
        .normalize("NFKD")
        .replace(/\p{M}/gu, "")
        .toLowerCase()
        .replace(/&/g, " and ")
        .replace(/[^\p{L}\p{N}]+/gu, "");
}

/** A readable, stable slug for ids: "Wuhan Xiaoruizhi Science & Technology" → "wuhan-xiaoruizhi-science-and-technology". */
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
