/**
 * Countries as registry States: every ISO 3166-1 country from `i18n-iso-countries` (English names),
 * merged with our own country-aliases.json (common short names, news aliases, demonyms).
 */
import { createRequire } from "node:module";
import countries from "i18n-iso-countries";
import type { Countries } from "world-countries";
import { z } from "zod";
import { normalizeName } from "../model/normalize.ts";
import type { RegistryEntity } from "./types.ts";

const require = createRequire(import.meta.url);
// The locale file is plain JSON; createRequire avoids depending on import-attribute support.
countries.registerLocale(require("i18n-iso-countries/langs/en.json") as countries.LocaleData);

export const CountryAliasSchema = z
    .object({
        /** The common short English name, overriding the package's (often official) first name. */
        name: z.string().min(1).optional(),
        aliases: z.array(z.string().min(1)).default([]),
        demonyms: z.array(z.string().min(1)).default([]),
    })
    .strict();
export const CountryAliasFileSchema = z.record(z.string().regex(/^[A-Z]{2}$/, "expected an ISO 3166-1 alpha-2 code"), CountryAliasSchema);
export type CountryAliasFile = z.infer<typeof CountryAliasFileSchema>;

/** English names per alpha-2 code, the package's preferred name first, then its alternatives. */
export function isoCountryNames(): Record<string, string[]> {
    const names = countries.getNames("en", { select: "all" }) as Record<string, string[]>;
    return names;
}

/** The state id of an ISO alpha-2 code: "GB" → "state:gb". */
export function stateId(code: string): string {
    return `state:${code.toLowerCase()}`;
}

/** English demonyms by alpha-2 code from `world-countries` (masculine and feminine forms, usually equal). */
function packageDemonyms(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    // (its ESM entry re-exports JSON without an import attribute, which Node 20 refuses: the CommonJS one)
    for (const c of require("world-countries") as Countries) {
        const eng = c.demonyms?.["eng"];
        if (eng) out.set(c.cca2, [...new Set([eng.m, eng.f].filter((x) => x && x.trim()))]);
    }
    return out;
}

/**
 * Without an override, the first package name that reads as a plain name: the package lists
 * catalogue forms such as "Virgin Islands, British" or "Falkland Islands (Malvinas)" too.
 */
function defaultName(names: readonly string[]): string {
    return names.find((n) => !/[,(]/.test(n)) ?? names[0] ?? "";
}

/**
 * Build every State. Aliases shared by two states (the package gives "Congo" to both Congos) are
 * genuinely ambiguous, so they are dropped from both rather than resolving to an arbitrary one.
 */
export function buildCountries(overrides: CountryAliasFile): RegistryEntity[] {
    const iso = isoCountryNames();
    const drafts = Object.entries(iso).map(([code, names]) => {
        const extra = overrides[code];
        const name = extra?.name ?? defaultName(names);
        const aliases = uniqueForms([...names, ...(extra?.aliases ?? [])], [name]);
        // our demonyms first, else the English ones of `world-countries` ("Slovak", "Estonian")
        return { code, name, aliases, demonyms: uniqueForms(extra?.demonyms?.length ? extra.demonyms : packageDemonyms().get(code) ?? [], []) };
    });
    const owners = countOwners(drafts);
    // a demonym two states share ("Congolese", "Dominican") names neither
    const demonymOwners = new Map<string, number>();
    for (const d of drafts) for (const key of new Set(d.demonyms.map(normalizeName))) demonymOwners.set(key, (demonymOwners.get(key) ?? 0) + 1);
    for (const d of drafts) d.demonyms = d.demonyms.filter((x) => (demonymOwners.get(normalizeName(x)) ?? 0) < 2 || overrides[d.code]?.demonyms?.includes(x));
    return drafts
        .map((d): RegistryEntity => ({
            id: stateId(d.code),
            type: "State",
            name: d.name,
            code: d.code,
            aliases: d.aliases.filter((a) => (owners.get(normalizeName(a)) ?? 0) < 2),
            demonyms: d.demonyms,
        }))
        .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Forms without exact repeats, excluding any in `exclude`. Variants such as "U.S." and "US" share a
 * normalized key but stay: text matchers tokenize them differently.
 */
function uniqueForms(forms: readonly string[], exclude: readonly string[]): string[] {
    const seen = new Set(exclude);
    const out: string[] = [];
    for (const f of forms) {
        const form = f.trim();
        if (normalizeName(form) === "" || seen.has(form)) continue;
        seen.add(form);
        out.push(form);
    }
    return out;
}

/** How many states use each normalized name or alias. */
function countOwners(drafts: ReadonlyArray<{ name: string; aliases: string[] }>): Map<string, number> {
    const owners = new Map<string, number>();
    for (const d of drafts) {
        for (const key of new Set([d.name, ...d.aliases].map(normalizeName))) owners.set(key, (owners.get(key) ?? 0) + 1);
    }
    return owners;
}
