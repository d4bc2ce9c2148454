/**
 * A deterministic synthetic corpus of facts documents with the shape of real OSINT reporting, for the
 * benchmarks (`npm run gen:corpus`, `bench:load`, `bench:api`):
 *   - skewed popularity: a few states (China, Russia, Iran, North Korea, the US, the UK) and actors appear in most
 *     documents (Zipf over the registry), with a long tail of people and companies first named in one document;
 *   - 5–20 facts per document over all nine predicates (the vocabulary's type rules), some claimed by an agency;
 *   - alias variants (registry aliases such as "Zirconium" for APT31, "X Ltd" / "X Limited");
 *   - facts repeated across documents (a story told by several outlets);
 *   - publication dates over 15 years (2011–2025);
 *   - reloads: a share of documents re-publish an earlier article id with changed facts.
 * Same options, same bytes (faker is seeded; nothing reads the clock or Math.random).
 */
import { Faker, base, en } from "@faker-js/faker";
import type { Entity, FactsDocumentInput } from "../src/model/facts-document.ts";
import { CERTAINTIES, PREDICATES, PREDICATE_RULES, type Certainty, type EntityType, type Predicate } from "../src/model/vocabulary.ts";
import type { Registry } from "../src/registry/Registry.ts";
import type { RegistryEntity } from "../src/registry/types.ts";

export interface CorpusOptions {
    documents: number;
    seed: number;
    /** Share of documents that reload an earlier article with changed facts (default 0.03). */
    reloadShare?: number;
}

/** The hubs: most stories name one of these. */
const HUB_STATES = ["state:cn", "state:ru", "state:ir", "state:kp", "state:us", "state:gb"];
const CERTAINTY_WEIGHTS: Record<Certainty, number> = { asserted: 6, likely: 2, alleged: 3, denied: 0.3 };
const VERBS: Record<Predicate, string> = {
    TARGETED: "targeted",
    COMPROMISED: "compromised",
    SANCTIONED: "sanctioned",
    CHARGED: "charged",
    AFFILIATED_WITH: "is affiliated with",
    MEMBER_OF: "is a member of",
    FRONT_FOR: "is a front for",
    PART_OF: "is part of",
    BASED_IN: "is based in",
};
const COMPANY_SUFFIXES = [["Ltd", "Limited"], ["Co", "Company"], ["Technology", "Tech"], ["Group", "Grp"], ["LLC", "L.L.C."]] as const;

interface Named {
    key: string;
    type: EntityType;
    /** The canonical name and the variants a document may use instead. */
    name: string;
    variants: string[];
    kind?: string;
}

interface Triple {
    s: Named;
    p: Predicate;
    o: Named;
}

export function* generateCorpus(registry: Registry, options: CorpusOptions): Generator<FactsDocumentInput> {
    const faker = new Faker({ locale: [en, base], seed: options.seed });
    const reloadShare = options.reloadShare ?? 0.03;
    const fromRegistry = (e: RegistryEntity): Named => ({ key: e.id, type: e.type, name: e.name, variants: e.aliases.filter((a) => !/^G\d{4}$/.test(a)), ...(e.kind ? { kind: e.kind } : {}) });
    const all = registry.entities();
    const states = [...HUB_STATES.map((id) => registry.get(id)!), ...all.filter((e) => e.type === "State" && !HUB_STATES.includes(e.id))].map(fromRegistry);
    const byType = (t: EntityType) => all.filter((e) => e.type === t).map(fromRegistry);
    const registryPools: Partial<Record<EntityType, Named[]>> = { State: states, ThreatActor: byType("ThreatActor"), Sector: byType("Sector"), Organization: byType("Organization") };
    const agencies = registryPools.Organization!.filter((o) => o.kind === "government");
    // The long tail, grown as documents name new people and companies.
    const people: Named[] = [];
    const companies: Named[] = [];
    const told: Triple[] = [];
    const published: { id: string; title: string; publishedAt: string; facts: number }[] = [];

    /** Zipf-like pick: index ~ floor(n * u^3), so the first few items take most picks. */
    const skewed = <T>(items: T[], power = 3): T => items[Math.min(items.length - 1, Math.floor(items.length * faker.number.float() ** power))]!;
    const newPerson = (): Named => {
        const first = faker.person.firstName();
        const last = faker.person.lastName();
        const person: Named = { key: `person:${people.length}`, type: "Person", name: `${first} ${last}`, variants: [`${first[0]}. ${last}`, `${last} ${first}`] };
        people.push(person);
        return person;
    };
    const newCompany = (): Named => {
        const [short, long] = faker.helpers.arrayElement(COMPANY_SUFFIXES);
        const stem = faker.company.name().replace(/[,.]/g, "").replace(/\s+(LLC|Inc|Group|and Sons)$/i, "");
        const company: Named = { key: `org:${companies.length}`, type: "Organization", name: `${stem} ${short}`, variants: [`${stem} ${long}`], kind: "company" };
        companies.push(company);
        return company;
    };
    const pick = (type: EntityType): Named => {
        switch (type) {
            case "State":
                return skewed(states, 4);
            case "ThreatActor":
            case "Sector":
                return skewed(registryPools[type]!, 2);
            case "Person":
                return people.length === 0 || faker.number.float() < 0.35 ? newPerson() : faker.helpers.arrayElement(people);
            case "Organization": {
                const u = faker.number.float();
                if (u < 0.2) return skewed(registryPools.Organization!, 2);
                return companies.length === 0 || u < 0.5 ? newCompany() : faker.helpers.arrayElement(companies);
            }
        }
    };
    const freshTriple = (): Triple => {
        for (;;) {
            const p = faker.helpers.arrayElement(PREDICATES);
            const rule = PREDICATE_RULES[p];
            const s = pick(faker.helpers.arrayElement(rule.subject));
            const o = pick(faker.helpers.arrayElement(rule.object));
            if (s.key !== o.key) return { s, p, o };
        }
    };

    for (let d = 0; d < options.documents; d++) {
        const reload = published.length > 10 && faker.number.float() < reloadShare ? faker.helpers.arrayElement(published) : undefined;
        const factCount = reload ? reload.facts : faker.number.int({ min: 5, max: 20 });
        const triples: Triple[] = [];
        for (let f = 0; f < factCount; f++) {
            // A story several outlets tell: a recent fact told again.
            const repeat = told.length > 0 && faker.number.float() < 0.25;
            triples.push(repeat ? skewed(told.slice(-2000).reverse(), 2) : freshTriple());
        }
        for (const t of triples.slice(-3)) told.push(t);
        if (told.length > 4000) told.splice(0, 2000);

        const local = new Map<string, { id: string; type: EntityType; name: string; aliases: string[]; kind?: string }>();
        const localId = (n: Named): string => {
            let entity = local.get(n.key);
            if (!entity) {
                const useVariant = n.variants.length > 0 && faker.number.float() < 0.3;
                const name = useVariant ? faker.helpers.arrayElement(n.variants) : n.name;
                // A long-tail entity named by a variant carries its full name as an alias (as an extractor would).
                const aliases = useVariant && /^(person|org):\d+$/.test(n.key) ? [n.name] : [];
                entity = { id: `e${local.size + 1}`, type: n.type, name, aliases, ...(n.type === "Organization" ? { kind: n.kind ?? "other" } : {}) };
                local.set(n.key, entity);
            }
            return entity.id;
        };
        const article = reload ?? { id: `gen:${options.seed}:${d}`, title: `${faker.company.catchPhrase()} (${d})`, publishedAt: faker.date.between({ from: "2011-01-01T00:00:00Z", to: "2025-12-31T00:00:00Z" }).toISOString().slice(0, 10), facts: factCount };
        if (!reload) published.push(article);
        const facts = triples.map((t) => {
            const s = localId(t.s);
            const o = localId(t.o);
            const certainty = faker.helpers.weightedArrayElement(CERTAINTIES.map((c) => ({ value: c, weight: CERTAINTY_WEIGHTS[c] })));
            const claimant = faker.number.float() < 0.3 ? faker.helpers.arrayElement(agencies) : undefined;
            const claimedBy = claimant && claimant.key !== t.s.key && claimant.key !== t.o.key ? localId(claimant) : undefined;
            const sentence = `${local.get(t.s.key)!.name} ${VERBS[t.p]} ${local.get(t.o.key)!.name}${certainty === "denied" ? ", which it denies" : ""}.`;
            const validFrom = faker.number.float() < 0.2 ? article.publishedAt.slice(0, 4) : undefined;
            return {
                subject: s,
                predicate: t.p,
                object: o,
                certainty,
                ...(claimedBy ? { claimedBy } : {}),
                ...(validFrom ? { validFrom } : {}),
                evidence: { text: sentence },
                extractor: { name: "gen-corpus", version: "1" },
                confidence: Math.round(faker.number.float({ min: 0.5, max: 1 }) * 100) / 100,
            };
        });
        yield {
            article: { id: article.id, title: article.title, publisher: skewed(["Reuters", "The Record", "BBC News", "Wired", "Bleeping Computer", "Le Monde"]), publishedAt: article.publishedAt, language: "en" },
            entities: [...local.values()] as Entity[],
            facts,
        };
    }
}
