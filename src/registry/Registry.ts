/**
 * The entity registry: reference knowledge written by us (countries, threat actors, agencies, sectors)
 * read from data/registry/*.json, validated once, and indexed for O(1) name lookups.
 *
 * A bad entry fails loudly with the file and JSON path, because every later stage (extraction,
 * resolution, loading) trusts these ids and aliases.
 */
import { CyberkgError, ErrorCode } from "../errors.ts";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { normalizeName } from "../model/normalize.ts";
import { ORGANIZATION_KINDS, type EntityType } from "../model/vocabulary.ts";
import { buildCountries, CountryAliasFileSchema, isoCountryNames, stateId, type CountryAliasFile } from "./countries.ts";
import type { RegistryEntity, RegistryFact } from "./types.ts";

/** The data files, by role. All are required. */
export const REGISTRY_FILES = {
    countries: "country-aliases.json",
    actors: "threat-actors.json",
    agencies: "agencies.json",
    sectors: "sectors.json",
} as const;

const DEFAULT_DIR = fileURLToPath(new URL("../../data/registry/", import.meta.url));

const Form = z.string().trim().min(1);
const slugId = (prefix: string) =>
    z.string().regex(new RegExp(`^${prefix}:[a-z0-9]+(-[a-z0-9]+)*$`), `expected an id like "${prefix}:some-slug"`);

const ActorSchema = z
    .object({
        id: slugId("actor"),
        name: Form,
        aliases: z.array(Form).default([]),
        /** ISO alpha-2 of the affiliated state; absent for criminal and unattributed groups. */
        state: z.string().regex(/^[A-Z]{2}$/, "expected an ISO 3166-1 alpha-2 code").optional(),
        description: Form,
    })
    .strict();

const AgencySchema = z
    .object({
        id: slugId("org"),
        name: Form,
        aliases: z.array(Form).default([]),
        kind: z.enum(ORGANIZATION_KINDS),
        /** Id of the parent agency or of the state (`state:<cc>`). */
        partOf: z.string().min(1).optional(),
        description: Form.optional(),
    })
    .strict();

const SectorSchema = z
    .object({
        id: slugId("sector"),
        name: Form,
        aliases: z.array(Form).default([]),
        description: Form.optional(),
    })
    .strict();

type Actor = z.infer<typeof ActorSchema>;
type Agency = z.infer<typeof AgencySchema>;
type Sector = z.infer<typeof SectorSchema>;

/** Where an entity came from, so cross-file checks can name the file and JSON path. */
interface Origin {
    file: string;
    path: string;
}

export interface SurfaceForm {
    form: string;
    entity: RegistryEntity;
}

/** Error for a bad registry file or entry: "<file>: <json path>: <problem>". */
export class RegistryError extends CyberkgError {
    constructor(file: string, path: string, problem: string) {
        super(ErrorCode.CONFIG, `registry ${file}: ${path}: ${problem}`);
    }
}

/**
 * Lookup key: normalizeName, after dropping a leading "the" so "the US Treasury" and "US Treasury"
 * meet; articles are never what distinguishes two entities in this domain.
 */
export function lookupKey(name: string): string {
    return normalizeName(name.replace(/^\s*the\s+/i, ""));
}

function jsonPath(path: ReadonlyArray<string | number>): string {
    return "$" + path.map((p) => (typeof p === "number" ? `[${p}]` : /^[A-Za-z_]\w*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join("");
}

function readJson(dir: string, file: string): { text: string; data: unknown } {
    let text: string;
    try {
        text = readFileSync(join(dir, file), "utf8");
    } catch (err) {
        throw new RegistryError(file, "$", `cannot read ${join(dir, file)}: ${(err as Error).message}`);
    }
    try {
        return { text, data: JSON.parse(text) as unknown };
    } catch (err) {
        throw new RegistryError(file, "$", `invalid JSON: ${(err as Error).message}`);
    }
}

function parseWith<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, file: string, data: unknown): T {
    const result = schema.safeParse(data);
    if (result.success) return result.data;
    const issue = result.error.issues[0]!;
    const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : "";
    throw new RegistryError(file, jsonPath(issue.path), issue.message + more);
}

/** Deep-freeze an entity: the default registry is shared by every caller, so nobody may edit it. */
function freeze(e: RegistryEntity): RegistryEntity {
    Object.freeze(e.aliases);
    if (e.demonyms) Object.freeze(e.demonyms);
    return Object.freeze(e);
}

/**
 * Aliases without exact repeats or the name itself. Spelling variants with one lookup key ("U.S."
 * and "US") are kept on purpose: text matchers tokenize them differently.
 */
function cleanAliases(name: string, aliases: readonly string[]): string[] {
    const seen = new Set([name]);
    return aliases.filter((a) => {
        if (lookupKey(a) === "" || seen.has(a)) return false;
        seen.add(a);
        return true;
    });
}

export class Registry {
    private static defaultInstance: Registry | undefined;

    readonly version: string;
    private readonly all: RegistryEntity[] = [];
    private readonly byId = new Map<string, RegistryEntity>();
    private readonly byKey = new Map<string, RegistryEntity[]>();
    private readonly byDemonym = new Map<string, RegistryEntity>();
    private readonly origins = new Map<string, Origin>();
    private readonly forms: SurfaceForm[] = [];
    private readonly registryFacts: RegistryFact[] = [];

    private constructor(dir: string) {
        const files = Object.fromEntries(
            Object.entries(REGISTRY_FILES).map(([role, file]) => [role, readJson(dir, file)]),
        ) as Record<keyof typeof REGISTRY_FILES, { text: string; data: unknown }>;
        this.version = Registry.versionOf(files);

        const countryFile = parseWith(CountryAliasFileSchema, REGISTRY_FILES.countries, files.countries.data);
        const actors = parseWith(z.array(ActorSchema), REGISTRY_FILES.actors, files.actors.data);
        const agencies = parseWith(z.array(AgencySchema), REGISTRY_FILES.agencies, files.agencies.data);
        const sectors = parseWith(z.array(SectorSchema), REGISTRY_FILES.sectors, files.sectors.data);

        this.addCountries(countryFile);
        actors.forEach((a, i) => this.addActor(a, i));
        agencies.forEach((a, i) => this.addAgency(a, i));
        sectors.forEach((s, i) => this.addSector(s, i));
        this.checkUniqueForms("ThreatActor");
        this.checkUniqueForms("Organization");
        this.checkUniqueForms("Sector");
        this.addFacts(actors, agencies);
        this.buildIndexes();
    }

    /**
     * The registry in `dir`, or the repository's data/registry when omitted (that one is cached:
     * the extractor and loader ask for it many times).
     */
    static load(dir?: string): Registry {
        if (dir !== undefined) return new Registry(dir);
        Registry.defaultInstance ??= new Registry(DEFAULT_DIR);
        return Registry.defaultInstance;
    }

    /** Content hash of the data files and the ISO country list, so facts record what they came from. */
    private static versionOf(files: Record<string, { text: string }>): string {
        const hash = createHash("sha256");
        for (const role of Object.keys(REGISTRY_FILES).sort()) {
            hash.update(role).update("\0").update(files[role]!.text).update("\0");
        }
        hash.update(JSON.stringify(isoCountryNames()));
        return `cyberkg-registry@${hash.digest("hex").slice(0, 12)}`;
    }

    // ---- building ----

    private add(entity: RegistryEntity, origin: Origin): void {
        const previous = this.origins.get(entity.id);
        if (previous) {
            throw new RegistryError(origin.file, `${origin.path}.id`, `duplicate id "${entity.id}" (first defined in ${previous.file} at ${previous.path})`);
        }
        this.origins.set(entity.id, origin);
        this.byId.set(entity.id, entity);
        this.all.push(entity);
    }

    private addCountries(file: CountryAliasFile): void {
        const iso = isoCountryNames();
        for (const code of Object.keys(file)) {
            if (!(code in iso)) throw new RegistryError(REGISTRY_FILES.countries, jsonPath([code]), `"${code}" is not an ISO 3166-1 alpha-2 code`);
        }
        for (const state of buildCountries(file)) {
            this.add(state, { file: REGISTRY_FILES.countries, path: jsonPath([state.code!]) });
        }
    }

    private addActor(a: Actor, index: number): void {
        const origin = { file: REGISTRY_FILES.actors, path: jsonPath([index]) };
        if (a.state !== undefined && !this.byId.has(stateId(a.state))) {
            throw new RegistryError(origin.file, `${origin.path}.state`, `unknown country code "${a.state}"`);
        }
        this.add({ id: a.id, type: "ThreatActor", name: a.name, aliases: cleanAliases(a.name, a.aliases), description: a.description }, origin);
    }

    private addAgency(a: Agency, index: number): void {
        const entity: RegistryEntity = { id: a.id, type: "Organization", name: a.name, aliases: cleanAliases(a.name, a.aliases), kind: a.kind };
        if (a.description !== undefined) entity.description = a.description;
        this.add(entity, { file: REGISTRY_FILES.agencies, path: jsonPath([index]) });
    }

    private addSector(s: Sector, index: number): void {
        const entity: RegistryEntity = { id: s.id, type: "Sector", name: s.name, aliases: cleanAliases(s.name, s.aliases) };
        if (s.description !== undefined) entity.description = s.description;
        this.add(entity, { file: REGISTRY_FILES.sectors, path: jsonPath([index]) });
    }

    /**
     * Within one entity type a name or alias must point to one entity: a lookup of "APT31" has to
     * answer one actor. Disputed identities are modelled in the graph, not by sharing an alias here.
     * Across types sharing is fine (lookup takes a type).
     */
    private checkUniqueForms(type: EntityType): void {
        const owner = new Map<string, RegistryEntity>();
        for (const e of this.all) {
            if (e.type !== type) continue;
            const forms = [e.name, ...e.aliases];
            forms.forEach((form, i) => {
                const key = lookupKey(form);
                const other = owner.get(key);
                if (other && other.id !== e.id) {
                    const origin = this.origins.get(e.id)!;
                    const where = i === 0 ? `${origin.path}.name` : `${origin.path}.aliases[${e.aliases.indexOf(form)}]`;
                    throw new RegistryError(origin.file, where, `"${form}" already names ${other.id}; an alias may belong to one ${type} only`);
                }
                owner.set(key, e);
            });
        }
    }

    private addFacts(actors: readonly Actor[], agencies: readonly Agency[]): void {
        agencies.forEach((a, i) => {
            if (a.partOf === undefined) return;
            const path = `${jsonPath([i])}.partOf`;
            const parent = this.byId.get(a.partOf);
            if (!parent) throw new RegistryError(REGISTRY_FILES.agencies, path, `partOf "${a.partOf}" is not a known id`);
            if (parent.type !== "Organization" && parent.type !== "State") {
                throw new RegistryError(REGISTRY_FILES.agencies, path, `partOf "${a.partOf}" must be an Organization or a State, not a ${parent.type}`);
            }
            this.checkNoCycle(a.id, agencies, path);
            this.registryFacts.push({ subject: a.id, predicate: "PART_OF", object: a.partOf });
        });
        for (const a of actors) {
            if (a.state !== undefined) this.registryFacts.push({ subject: a.id, predicate: "AFFILIATED_WITH", object: stateId(a.state) });
        }
    }

    /** A PART_OF chain must end at a state or a top-level body, never loop back. */
    private checkNoCycle(start: string, agencies: readonly Agency[], path: string): void {
        const parentOf = new Map(agencies.map((a) => [a.id, a.partOf]));
        const seen = new Set<string>([start]);
        for (let id = parentOf.get(start); id !== undefined; id = parentOf.get(id)) {
            if (seen.has(id)) throw new RegistryError(REGISTRY_FILES.agencies, path, `partOf chain from "${start}" loops through "${id}"`);
            seen.add(id);
        }
    }

    private buildIndexes(): void {
        for (const e of this.all) {
            freeze(e);
            for (const form of [e.name, ...e.aliases]) {
                this.forms.push({ form, entity: e });
                const key = lookupKey(form);
                const list = this.byKey.get(key);
                if (!list) this.byKey.set(key, [e]);
                else if (!list.includes(e)) list.push(e);
            }
            for (const [i, d] of (e.demonyms ?? []).entries()) this.addDemonym(d, e, i);
        }
    }

    private addDemonym(demonym: string, state: RegistryEntity, index: number): void {
        const key = lookupKey(demonym);
        const other = this.byDemonym.get(key);
        if (other && other !== state) {
            throw new RegistryError(REGISTRY_FILES.countries, `${jsonPath([state.code!])}.demonyms[${index}]`, `demonym "${demonym}" already belongs to ${other.id}`);
        }
        this.byDemonym.set(key, state);
    }

    // ---- queries ----

    /** Every entity: states, then threat actors, agencies and sectors in file order. */
    entities(): RegistryEntity[] {
        return [...this.all];
    }

    get(id: string): RegistryEntity | undefined {
        return this.byId.get(id);
    }

    /** The State with an ISO alpha-2 code ("GB" or "gb"). */
    state(code: string): RegistryEntity | undefined {
        return this.byId.get(stateId(code));
    }

    /**
     * Entities whose name or alias matches `name` after normalisation, optionally of one type.
     * Demonyms never match here ("Chinese" is not China): use lookupDemonym for those.
     * A trailing possessive is retried without it ("Russia's" → Russia).
     */
    lookup(name: string, type?: EntityType): RegistryEntity[] {
        let hits = this.byKey.get(lookupKey(name));
        if (!hits) {
            const bare = name.replace(/['’]s?\s*$/u, "");
            if (bare !== name) hits = this.byKey.get(lookupKey(bare));
        }
        if (!hits) return [];
        return type === undefined ? [...hits] : hits.filter((e) => e.type === type);
    }

    /** The State a demonym or adjective refers to: "Chinese" → China, "North Korean" → North Korea. */
    lookupDemonym(word: string): RegistryEntity | undefined {
        return this.byDemonym.get(lookupKey(word));
    }

    /** Every name and alias with its entity, for dictionary matching in text (demonyms excluded). */
    surfaceForms(): SurfaceForm[] {
        return [...this.forms];
    }

    /** Every demonym with its State, for extractors that match adjectives separately. */
    demonymForms(): SurfaceForm[] {
        return this.all.flatMap((e) => (e.demonyms ?? []).map((form) => ({ form, entity: e })));
    }

    /** Registry facts: agency PART_OF (from partOf) and threat actor AFFILIATED_WITH its state. */
    facts(): RegistryFact[] {
        return this.registryFacts.map((f) => ({ ...f }));
    }
}
