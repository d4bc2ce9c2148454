import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, it } from "node:test";
import { normalizeName } from "../model/normalize.ts";
import { PREDICATE_RULES } from "../model/vocabulary.ts";
import { Registry } from "./Registry.ts";

const registry = Registry.load();
const DATA_DIR = fileURLToPath(new URL("../../data/registry/", import.meta.url));

/** The single id a name resolves to (of one type when given); fails on none or several. */
function resolveOne(name: string, type?: Parameters<Registry["lookup"]>[1]): string {
    const hits = registry.lookup(name, type);
    assert.equal(hits.length, 1, `"${name}" should resolve to exactly one entity, got [${hits.map((h) => h.id).join(", ")}]`);
    return hits[0]!.id;
}

describe("Registry lookups", () => {
    it("resolves APT31's vendor names, case- and punctuation-insensitively", () => {
        for (const name of ["APT31", "apt-31", "APT 31", "Zirconium", "ZIRCONIUM", "Violet Typhoon", "Judgment Panda", "G0128"]) {
            assert.equal(resolveOne(name, "ThreatActor"), "actor:apt31", name);
        }
    });

    it("resolves the named actors of the brief", () => {
        const expected: Record<string, string> = {
            "Volt Typhoon": "actor:volt-typhoon",
            "Salt Typhoon": "actor:salt-typhoon",
            "Flax Typhoon": "actor:flax-typhoon",
            "Silk Typhoon": "actor:silk-typhoon",
            Hafnium: "actor:silk-typhoon",
            "Linen Typhoon": "actor:apt27",
            "Brass Typhoon": "actor:apt41",
            Lazarus: "actor:lazarus-group",
            Kimsuky: "actor:kimsuky",
            Andariel: "actor:andariel",
            BlueNoroff: "actor:apt38",
            "Fancy Bear": "actor:apt28",
            "Midnight Blizzard": "actor:apt29",
            Sandworm: "actor:sandworm",
            Turla: "actor:turla",
            Gamaredon: "actor:gamaredon",
            Callisto: "actor:star-blizzard",
            "Cadet Blizzard": "actor:ember-bear",
            "Charming Kitten": "actor:apt35",
            OilRig: "actor:apt34",
            MuddyWater: "actor:muddywater",
            CyberAv3ngers: "actor:cyberav3ngers",
            "Fox Kitten": "actor:pioneer-kitten",
            "Evil Corp": "actor:evil-corp",
            LockBit: "actor:lockbit",
            Conti: "actor:conti",
            "Octo Tempest": "actor:scattered-spider",
            FIN7: "actor:fin7",
            Sodinokibi: "actor:revil",
            ALPHV: "actor:blackcat",
            Clop: "actor:cl0p",
            "Mustang Panda": "actor:mustang-panda",
        };
        for (const [name, id] of Object.entries(expected)) assert.equal(resolveOne(name, "ThreatActor"), id, name);
    });

    it("resolves the UK by its common names", () => {
        for (const name of ["UK", "U.K.", "Britain", "Great Britain", "United Kingdom"]) assert.equal(resolveOne(name, "State"), "state:gb", name);
        assert.equal(registry.get("state:gb")?.name, "United Kingdom");
        assert.equal(registry.get("state:us")?.name, "United States");
        assert.equal(registry.get("state:ru")?.name, "Russia");
        assert.equal(registry.get("state:kp")?.name, "North Korea");
    });

    it("resolves the US Treasury with or without an article", () => {
        for (const name of ["the US Treasury", "US Treasury", "Treasury Department", "Department of the Treasury"]) {
            assert.equal(resolveOne(name, "Organization"), "org:us-treasury", name);
        }
    });

    it("resolves the required agencies", () => {
        const expected: Record<string, string> = {
            NCSC: "org:ncsc-gb",
            GCHQ: "org:gchq-gb",
            "Foreign Office": "org:fcdo-gb",
            "National Crime Agency": "org:nca-gb",
            CISA: "org:cisa-us",
            FBI: "org:fbi-us",
            "Justice Department": "org:doj-us",
            OFAC: "org:ofac",
            "State Department": "org:state-department-us",
            "Cyber Command": "org:cybercom-us",
            MSS: "org:mss-cn",
            "Hubei State Security Department": "org:hubei-ssd-cn",
            "Unit 61398": "org:pla-unit-61398-cn",
            "Unit 26165": "org:gru-unit-26165-ru",
            "Unit 74455": "org:gru-unit-74455-ru",
            "Unit 29155": "org:gru-unit-29155-ru",
            "Center 16": "org:fsb-center-16-ru",
            SVR: "org:svr-ru",
            "Reconnaissance General Bureau": "org:rgb-kp",
            "IRGC-CEC": "org:irgc-cec-ir",
            MOIS: "org:mois-ir",
            "Unit 42": "org:palo-alto-networks",
        };
        for (const [name, id] of Object.entries(expected)) assert.equal(resolveOne(name, "Organization"), id, name);
        assert.equal(registry.get("org:mandiant")?.kind, "security-vendor");
    });

    it("filters by type and returns nothing for unknown names", () => {
        assert.deepEqual(registry.lookup("APT31", "State"), []);
        assert.deepEqual(registry.lookup("Not A Real Group 12345"), []);
        assert.deepEqual(registry.lookup("   "), []);
    });

    it("matches demonyms only through lookupDemonym", () => {
        assert.equal(registry.lookupDemonym("Chinese")?.id, "state:cn");
        assert.equal(registry.lookupDemonym("North Korean")?.id, "state:kp");
        assert.equal(registry.lookupDemonym("british")?.id, "state:gb");
        assert.equal(registry.lookupDemonym("Klingon"), undefined);
        assert.deepEqual(registry.lookup("Chinese", "State"), []);
    });
});

describe("Registry content", () => {
    const entities = registry.entities();
    const ofType = (t: string) => entities.filter((e) => e.type === t);

    it("has at least 90 threat actors and 240 countries", () => {
        assert.ok(ofType("ThreatActor").length >= 90, `actors: ${ofType("ThreatActor").length}`);
        assert.ok(ofType("State").length >= 240, `states: ${ofType("State").length}`);
        assert.ok(ofType("Sector").length >= 20, `sectors: ${ofType("Sector").length}`);
    });

    it("gives no name or alias to two actors", () => {
        const owner = new Map<string, string>();
        for (const actor of ofType("ThreatActor")) {
            for (const form of new Set([actor.name, ...actor.aliases].map(normalizeName))) {
                assert.equal(owner.get(form) ?? actor.id, actor.id, `"${form}" names ${owner.get(form)} and ${actor.id}`);
                owner.set(form, actor.id);
            }
        }
    });

    it("states OFAC is part of the US Treasury and APT31 is affiliated with China", () => {
        const facts = registry.facts();
        assert.ok(facts.some((f) => f.subject === "org:ofac" && f.predicate === "PART_OF" && f.object === "org:us-treasury"));
        assert.ok(facts.some((f) => f.subject === "actor:apt31" && f.predicate === "AFFILIATED_WITH" && f.object === "state:cn"));
        assert.ok(!facts.some((f) => f.subject === "actor:lockbit"), "criminal groups carry no state");
    });

    it("has only facts between known entities that obey the vocabulary's type rules", () => {
        for (const f of registry.facts()) {
            const subject = registry.get(f.subject);
            const object = registry.get(f.object);
            assert.ok(subject && object, `fact ${f.subject} ${f.predicate} ${f.object} has unknown ends`);
            assert.ok(PREDICATE_RULES[f.predicate].subject.includes(subject.type), `${f.subject} cannot be subject of ${f.predicate}`);
            assert.ok(PREDICATE_RULES[f.predicate].object.includes(object.type), `${f.object} cannot be object of ${f.predicate}`);
        }
    });

    it("lists names and aliases, not demonyms, as surface forms", () => {
        const forms = registry.surfaceForms();
        assert.ok(forms.some((f) => f.form === "Violet Typhoon" && f.entity.id === "actor:apt31"));
        assert.ok(forms.some((f) => f.form === "U.S." && f.entity.id === "state:us"));
        assert.ok(!forms.some((f) => f.form === "Chinese"));
    });

    it("caches the default registry and versions it by content", () => {
        assert.equal(Registry.load(), registry);
        assert.match(registry.version, /^cyberkg-registry@[0-9a-f]{12}$/);
        assert.equal(Registry.load(DATA_DIR).version, registry.version);
    });

    it("returns frozen entities, so the shared instance cannot be edited", () => {
        assert.throws(() => {
            (registry.get("actor:apt31")!.aliases as string[]).push("Mine");
        });
    });
});

describe("Registry validation", () => {
    const dirs: string[] = [];
    after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

    /** A copy of the real data dir with one file rewritten by `edit`. */
    function brokenCopy(file: string, edit: (data: any) => unknown): string {
        const dir = mkdtempSync(join(tmpdir(), "cyberkg-registry-"));
        dirs.push(dir);
        cpSync(DATA_DIR, dir, { recursive: true });
        const data = JSON.parse(readFileSync(join(dir, file), "utf8"));
        writeFileSync(join(dir, file), JSON.stringify(edit(data)));
        return dir;
    }

    it("accepts an unmodified copy", () => {
        const dir = brokenCopy("sectors.json", (d) => d);
        const copy = Registry.load(dir);
        assert.ok(copy.get("actor:apt31"));
        assert.notEqual(copy, registry, "an explicit dir is not the cached default");
    });

    it("rejects invalid JSON, naming the file", () => {
        const dir = brokenCopy("sectors.json", (d) => d);
        writeFileSync(join(dir, "sectors.json"), "[{ not json");
        assert.throws(() => Registry.load(dir), /sectors\.json: \$: invalid JSON/);
    });

    it("rejects a schema violation with its JSON path", () => {
        const dir = brokenCopy("agencies.json", (d) => {
            d[3].kind = "spy-agency";
            return d;
        });
        assert.throws(() => Registry.load(dir), /agencies\.json: \$\[3\]\.kind/);
    });

    it("rejects a duplicate id", () => {
        const dir = brokenCopy("threat-actors.json", (d) => [...d, { ...d[0], aliases: [], name: "Copy" }]);
        assert.throws(() => Registry.load(dir), /threat-actors\.json: \$\[\d+\]\.id: duplicate id "actor:apt1"/);
    });

    it("rejects a partOf pointing to an unknown id", () => {
        const dir = brokenCopy("agencies.json", (d) => {
            d[1].partOf = "org:nowhere";
            return d;
        });
        assert.throws(() => Registry.load(dir), /agencies\.json: \$\[1\]\.partOf: partOf "org:nowhere" is not a known id/);
    });

    it("rejects an alias given to two actors", () => {
        const dir = brokenCopy("threat-actors.json", (d) => {
            d[1].aliases.push("Zirconium");
            return d;
        });
        assert.throws(() => Registry.load(dir), /threat-actors\.json: .*"Zirconium" already names actor:/);
    });

    it("rejects an unknown country code", () => {
        const dir = brokenCopy("threat-actors.json", (d) => {
            d[0].state = "XX";
            return d;
        });
        assert.throws(() => Registry.load(dir), /threat-actors\.json: \$\[0\]\.state: unknown country code "XX"/);
    });

    it("rejects a missing file, naming it", () => {
        const dir = brokenCopy("sectors.json", (d) => d);
        rmSync(join(dir, "agencies.json"));
        assert.throws(() => Registry.load(dir), /agencies\.json/);
    });
});
