/**
 * OFAC's Remarks field: `;`-separated details of an entry. Names (a.k.a./f.k.a./n.k.a.), links to other entries
 * (`Linked To:`), dates and places of birth, nationality and citizenship, gender, identity documents and other
 * identifiers, digital currency addresses, e-mail addresses, websites, establishment dates. What is not
 * recognised stays in `other` (the full text is kept on the entity too). OFAC truncates long remarks; a cut-off
 * last item is kept as it is.
 */

export interface SdnRemarks {
    /** a.k.a. (also known as), f.k.a. (formerly), n.k.a. (now known as): every one is a name of the entry. */
    aliases: { kind: "a.k.a." | "f.k.a." | "n.k.a."; name: string }[];
    /** `Linked To:` names of other SDN entries. */
    linkedTo: string[];
    birthDates: string[];
    birthPlaces: string[];
    nationalities: string[];
    citizenships: string[];
    gender?: string;
    /** "Passport RU0313455106 (Russia)", "National ID No. 4508818947 (Russia)", "Tax ID No. …". */
    identifiers: string[];
    /** "ETH 0x12D6…", "XBT 1Q2w…". */
    cryptoAddresses: string[];
    emails: string[];
    websites: string[];
    establishedOn: string[];
    other: string[];
}

const ALIAS = /^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s*['‘’"]?(.+?)['‘’"]?$/i;

export function parseRemarks(text: string | undefined): SdnRemarks {
    const out: SdnRemarks = { aliases: [], linkedTo: [], birthDates: [], birthPlaces: [], nationalities: [], citizenships: [], identifiers: [], cryptoAddresses: [], emails: [], websites: [], establishedOn: [], other: [] };
    if (!text) return out;
    const items = text
        .split(";")
        .map((s) => s.trim())
        .filter(Boolean);
    items.forEach((raw, i) => {
        // the remarks end with a full stop; an inner item keeps its own (names such as "MEROE GOLD CO. LTD.")
        let item = i === items.length - 1 ? raw.replace(/\.$/, "") : raw;
        const alias = ALIAS.exec(item);
        if (alias) {
            out.aliases.push({ kind: alias[1]!.toLowerCase() as SdnRemarks["aliases"][number]["kind"], name: alias[2]!.trim() });
            return;
        }
        const link = /^Linked To:\s*(.+)$/i.exec(item);
        if (link) {
            out.linkedTo.push(link[1]!.replace(/\.$/, "").trim());
            return;
        }
        item = item.replace(/^alt\.\s+/i, "");
        const [, key, value] = /^(DOB|POB|nationality|citizen|Gender|Digital Currency Address -|Email Address|Website|Organization Established Date)\s+(.+)$/i.exec(item) ?? [];
        switch (key?.toLowerCase()) {
            case "dob":
                out.birthDates.push(value!);
                return;
            case "pob":
                out.birthPlaces.push(value!);
                return;
            case "nationality":
                out.nationalities.push(value!);
                return;
            case "citizen":
                out.citizenships.push(value!);
                return;
            case "gender":
                out.gender = value;
                return;
            case "digital currency address -":
                out.cryptoAddresses.push(value!);
                return;
            case "email address":
                out.emails.push(value!);
                return;
            case "website":
                out.websites.push(value!);
                return;
            case "organization established date":
                out.establishedOn.push(value!);
                return;
        }
        // Identity documents and registry numbers: a label, then a value with a digit in it.
        if (/^(?:[\w.'/()-]+\s+)*?(Passport|ID|No\.|Number|NumberID|Certificate|Code|License|Card|Gazette|SSN|USCC)\b.*\d/i.test(item) && !/^(Secondary sanctions|Additional Sanctions|Transactions Prohibited|Target Type|Organization Type)/i.test(item)) {
            out.identifiers.push(item);
            return;
        }
        out.other.push(raw.replace(/\.$/, ""));
    });
    return out;
}
