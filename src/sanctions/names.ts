/**
 * Names as sanctions lists write them, turned into the names news and our registry use:
 *   - individuals `SURNAME, Given Names` → display "Given Names Surname", with the surname-first form
 *     ("Zhao Guangzong", as Chinese, Korean and Russian reporting writes it) as an alias;
 *   - entities keep their published name; the same name without its legal form ("…, LIMITED", "OOO …",
 *     "LIMITED LIABILITY COMPANY …", "… CO. LTD.") is an alias, so "WUHAN XIAORUIZHI SCIENCE AND TECHNOLOGY
 *     COMPANY, LIMITED" meets the news' "Wuhan Xiaoruizhi Science and Technology Company".
 * Matching itself stays the loader's (case-, accent- and punctuation-insensitive, normalizeName).
 */

/** "ZHAO, Guangzong" → { surname: "Zhao", given: "Guangzong" }; undefined when the name is not in that form. */
export function splitPersonName(name: string): { surname: string; given: string } | undefined {
    const m = /^([^,]+),\s*(.+)$/.exec(name.trim());
    if (!m) return undefined;
    const surname = m[1]!.trim();
    const given = m[2]!.trim();
    if (!surname || !given || given.includes(",")) return undefined;
    return { surname: surname === surname.toUpperCase() ? titleCase(surname) : surname, given };
}

/** Display name and aliases of an individual: "Given Surname" first, then "Surname Given". */
export function personNames(name: string): { display: string; aliases: string[] } {
    const split = splitPersonName(name);
    if (!split) return { display: name, aliases: [] };
    return { display: `${split.given} ${split.surname}`, aliases: [`${split.surname} ${split.given}`] };
}

/** "KHATIBI AGHADA" → "Khatibi Aghada", "AL-MASRI" → "Al-Masri", "O'NEIL" → "O'Neil". */
export function titleCase(text: string): string {
    return text.toLowerCase().replace(/(^|[\s\-'’.])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase());
}

/** Legal forms at the end of a name (after an optional comma), most specific first. */
const SUFFIXES = [
    "CO\\.?,? LTD\\.?", "CO\\.?,? LIMITED", "COMPANY LIMITED", "LIMITED LIABILITY COMPANY", "LIMITED", "LTD\\.?", "L\\.?L\\.?C\\.?", "INC\\.?", "INCORPORATED",
    "S\\.?R\\.?O\\.?", "OOO", "ZAO", "OAO", "PAO", "AO", "PJSC", "OJSC", "CJSC", "JSC", "GMBH", "FZ-LLC", "FZCO", "FZE", "LLP", "PLC", "S\\.A\\.", "S\\.A\\.R\\.L\\.",
    "SARL", "B\\.V\\.", "OY", "AB", "AG", "KFT", "SP\\. Z O\\.O\\.", "PTE\\.? LTD\\.?", "PVT\\.? LTD\\.?", "DOO", "D\\.O\\.O\\.", "EOOD", "OU", "SIA", "UAB", "TOO",
];
/** Legal forms in front of a name (Russian usage: "OOO YUNIDZHET", "LIMITED LIABILITY COMPANY CONCORD …"). */
const PREFIXES = [
    "LIMITED LIABILITY COMPANY", "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU", "OBSHCHESTVO S OGRANICHENNOY OTVETSTVENNOSTYU", "JOINT STOCK COMPANY",
    "CLOSED JOINT STOCK COMPANY", "OPEN JOINT STOCK COMPANY", "PUBLIC JOINT STOCK COMPANY", "AKTSIONERNOE OBSHCHESTVO", "OOO", "ZAO", "OAO", "PAO", "AO", "JSC", "PJSC", "TOO",
];
const SUFFIX_RE = new RegExp(`[\\s,]+(?:${SUFFIXES.join("|")})\\s*$`, "i");
const PREFIX_RE = new RegExp(`^(?:${PREFIXES.join("|")})\\s+`, "i");

/** The name without its legal form(s), or undefined when it has none (or nothing would be left). */
export function withoutLegalForm(name: string): string | undefined {
    let current = name.trim();
    for (let i = 0; i < 3; i++) {
        const next = current.replace(SUFFIX_RE, "").replace(PREFIX_RE, "").replace(/[\s,]+$/, "").trim();
        if (next === current) break;
        current = next;
    }
    // Quoted trade names: OOO "ANO" → ANO.
    current = current.replace(/^["'“]+|["'”]+$/g, "").trim();
    if (current === name.trim() || current.length < 2 || !/\p{L}/u.test(current)) return undefined;
    return current;
}

/** Display name and aliases of an entity (company, organisation, group). */
export function entityNames(name: string): { display: string; aliases: string[] } {
    const bare = withoutLegalForm(name);
    return { display: name, aliases: bare ? [bare] : [] };
}

/** Does a name look like OFAC's individual form ("SURNAME, Given", surname in capitals, given names not)? */
export function looksLikePerson(name: string): boolean {
    const split = /^([^,]+),\s*(.+)$/.exec(name.trim());
    return Boolean(split && split[1] === split[1]!.toUpperCase() && split[2] !== split[2]!.toUpperCase());
}
