/**
 * One definition of each rule: everything that restates the vocabulary (the SDL's enums and type lists, Cypher
 * relationship-type lists in the SDL, starter queries and notebooks, the notebook constants, the Browser style)
 * agrees with src/model/vocabulary.ts; readers never re-derive the live-claim rule or rebuild the edge key
 * (src/model/claim-rules.ts), and every as-of test is the one `liveAt` form.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { parse, Kind, type EnumTypeDefinitionNode, type ObjectTypeDefinitionNode } from "graphql";
import { REPO_ROOT } from "../config.ts";
import { CERTAINTIES, ENTITY_TYPES, PREDICATE_RULES, PREDICATES, REVIEW_STATUSES, describeRule, type EntityType, type Predicate } from "./vocabulary.ts";
import { certaintyOfRank, liveAt } from "./claim-rules.ts";

const read = (...parts: string[]) => fs.readFileSync(path.join(REPO_ROOT, ...parts), "utf8");
const sdl = read("graphql", "schema.graphql");
const doc = parse(sdl);

function notebookSources(): { file: string; text: string }[] {
    return fs
        .readdirSync(path.join(REPO_ROOT, "notebooks"))
        .filter((f) => f.endsWith(".ipynb"))
        .map((f) => ({ file: `notebooks/${f}`, text: (JSON.parse(read("notebooks", f)).cells as { source: string[] | string }[]).map((c) => [c.source].flat().join("")).join("\n") }));
}

/** Every text that queries the graph, other than the writers (src/loader) and the rules module itself. */
function readers(): { file: string; text: string }[] {
    const files: { file: string; text: string }[] = [{ file: "notebooks/lib.py", text: read("notebooks", "lib.py") }, ...notebookSources()];
    for (const f of fs.readdirSync(path.join(REPO_ROOT, "graphql"))) if (f.endsWith(".graphql")) files.push({ file: `graphql/${f}`, text: read("graphql", f) });
    for (const f of fs.readdirSync(path.join(REPO_ROOT, "cypher", "queries"))) files.push({ file: `cypher/queries/${f}`, text: read("cypher", "queries", f) });
    files.push({ file: "cypher/MODEL.md", text: read("cypher", "MODEL.md") });
    for (const dir of ["api", "export", "stix", "browser-guide"]) {
        for (const f of fs.readdirSync(path.join(REPO_ROOT, "src", dir), { recursive: true }) as string[]) {
            if (f.endsWith(".ts") && !f.endsWith(".test.ts")) files.push({ file: `src/${dir}/${f}`, text: read("src", dir, f) });
        }
    }
    return files;
}

function enumValues(name: string): string[] {
    const node = doc.definitions.find((d): d is EnumTypeDefinitionNode => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === name);
    assert.ok(node, `enum ${name} in the SDL`);
    return (node.values ?? []).map((v) => v.name.value);
}

describe("one vocabulary", () => {
    it("the SDL's enums are the vocabulary's lists", () => {
        assert.deepEqual(enumValues("Predicate"), [...PREDICATES]);
        assert.deepEqual(enumValues("Certainty"), [...CERTAINTIES]);
        assert.deepEqual(enumValues("ReviewStatus"), [...REVIEW_STATUSES]);
    });

    it("the SDL's entity types are the vocabulary's, each a node with its label and :Entity; Claim.predicate is the enum", () => {
        const objects = doc.definitions.filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION);
        const entities = objects.filter((o) => o.interfaces?.some((i) => i.name.value === "Entity"));
        assert.deepEqual(entities.map((e) => e.name.value).sort(), [...ENTITY_TYPES].sort());
        for (const e of entities) {
            const node = e.directives?.find((d) => d.name.value === "node");
            const labels = node?.arguments?.find((a) => a.name.value === "labels")?.value;
            assert.ok(labels?.kind === Kind.LIST);
            assert.deepEqual(labels.values.map((v) => (v.kind === Kind.STRING ? v.value : "")), [e.name.value, "Entity"]);
        }
        const claim = objects.find((o) => o.name.value === "Claim");
        const predicate = claim?.fields?.find((f) => f.name.value === "predicate")?.type;
        assert.ok(predicate?.kind === Kind.NON_NULL_TYPE && predicate.type.kind === Kind.NAMED_TYPE && predicate.type.name.value === "Predicate", "Claim.predicate: Predicate!");
    });

    it("every relationship-type list in Cypher (SDL, starter queries, notebooks) names only predicates, and a list of all of them in vocabulary order", () => {
        const lists = readers().flatMap(({ file, text }) =>
            [...text.matchAll(/\[:([A-Z_]+(?:\|[A-Z_]+)+)[*\]]|relationshipFilter:\s*'([A-Z_|]+)'/g)].map((m) => ({ file, types: (m[1] ?? m[2]!).split("|") })),
        );
        assert.ok(lists.length >= 4, `found ${lists.length} lists`);
        for (const { file, types } of lists) {
            if (types.every((t) => ["SUBJECT", "OBJECT", "CLAIMED_BY", "FROM"].includes(t))) continue; // the claim layer
            for (const t of types) assert.ok((PREDICATES as readonly string[]).includes(t), `${file}: ${t} is not a predicate`);
            if (types.length > 4) assert.deepEqual(types, [...PREDICATES], `${file}: a list of every predicate must be the vocabulary's`);
        }
    });

    it("the SDL's typed-edge fields follow the type rules: one each way for every type a predicate allows, none for a type it does not", () => {
        const objects = doc.definitions.filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && (ENTITY_TYPES as readonly string[]).includes(d.name.value));
        const fields = objects.flatMap((o) =>
            (o.fields ?? []).flatMap((f) => {
                const rel = f.directives?.find((d) => d.name.value === "relationship");
                const arg = (n: string) => rel?.arguments?.find((a) => a.name.value === n)?.value;
                const type = arg("type"), direction = arg("direction");
                if (type?.kind !== Kind.STRING || !(PREDICATES as readonly string[]).includes(type.value) || direction?.kind !== Kind.ENUM) return [];
                let t = f.type;
                while (t.kind !== Kind.NAMED_TYPE) t = t.type;
                return [{ on: o.name.value as EntityType, field: f.name.value, predicate: type.value as Predicate, out: direction.value === "OUT", target: t.name.value }];
            }),
        );
        assert.ok(fields.length > 40, `found ${fields.length} typed-edge fields`);
        for (const p of PREDICATES) {
            const rule = PREDICATE_RULES[p];
            for (const [out, ends, others] of [[true, rule.subject, rule.object], [false, rule.object, rule.subject]] as const) {
                for (const t of ENTITY_TYPES) {
                    const here = fields.filter((f) => f.on === t && f.predicate === p && f.out === out);
                    const what = `${t}: ${out ? "outgoing" : "incoming"} ${p} (${describeRule(p)})`;
                    if (!ends.includes(t)) assert.deepEqual(here, [], `${what}: the rule does not allow ${t} there`);
                    else {
                        assert.equal(here.length, 1, `${what}: one field (graphql/schema.graphql), found ${here.map((f) => f.field).join(", ") || "none"}`);
                        assert.ok(here[0]!.target === "Entity" || (others.length === 1 && others[0] === here[0]!.target), `${t}.${here[0]!.field}: [${here[0]!.target}] must hold every type at the other end (${others.join(", ")})`);
                    }
                }
            }
        }
    });

    it("the notebooks' PREDICATES constant is the vocabulary's", () => {
        const match = /^PREDICATES = \[([^\]]*)\]/m.exec(read("notebooks", "lib.py"));
        assert.ok(match);
        assert.deepEqual([...match[1]!.matchAll(/"([A-Z_]+)"/g)].map((m) => m[1]), [...PREDICATES]);
    });

    it("the Browser style styles every entity type and every predicate", () => {
        const grass = read("cypher", "style.grass");
        for (const t of ENTITY_TYPES) assert.match(grass, new RegExp(`node\\.${t} \\{`), `style.grass: node.${t}`);
        for (const p of PREDICATES) assert.match(grass, new RegExp(`relationship\\.${p} \\{`), `style.grass: relationship.${p}`);
    });
});

describe("one live-claim rule and one edge key", () => {
    it("no reader re-derives liveness from retractedAt, supersededAt or reviewStatus", () => {
        for (const { file, text } of readers()) {
            for (const pattern of [/retractedAt IS NULL/, /supersededAt IS NULL/, /reviewStatus[^\n]{0,20}<> ?'rejected'/]) {
                assert.doesNotMatch(text, pattern, `${file} restates the live rule (${pattern}); read Claim.live / liveFrom / liveUntil`);
            }
        }
    });

    it("every as-of test is the one liveAt form", () => {
        let seen = 0;
        for (const { file, text } of readers()) {
            for (const m of text.matchAll(/(\w+)\.liveFrom <=[^\n]*/g)) {
                seen++;
                const variable = m[1]!;
                const instant = /liveFrom <= ((?:datetime\()?\$?\w+\)?)/.exec(m[0])![1]!;
                assert.ok(m[0].includes(liveAt(variable, instant)), `${file}: '${m[0].trim()}' is not liveAt(${variable}, ${instant}) = ${liveAt(variable, instant)}`);
            }
        }
        assert.ok(seen >= 2, "the SDL's evidence and timeline test as-of");
    });

    it("every rank → certainty CASE (SDL, starter queries, notebooks) is the one certaintyOfRank form", () => {
        let seen = 0;
        for (const { file, text } of readers()) {
            for (const m of text.matchAll(/CASE\s+(\S+(?:\([^)]*\))?)\s+WHEN\s+\d+\s+THEN\s+'[^\n]*?END/g)) {
                seen++;
                assert.equal(m[0], certaintyOfRank(m[1]!), `${file}: '${m[0]}' is not certaintyOfRank(${m[1]})`);
            }
            assert.doesNotMatch(text, /WHEN\s+'(asserted|likely|alleged|denied)'\s+THEN\s+\d/, `${file} ranks certainties by hand; read Claim.certaintyRank`);
        }
        assert.ok(seen >= 4, `the SDL's as-of fields and the edges-as-of starter query rank certainties (${seen} found)`);
    });

    it("no reader or writer outside claim-rules.ts builds the edge key", () => {
        const writers = ["FactLoader.ts", "rebuild.ts", "merge.ts"].map((f) => ({ file: `src/loader/${f}`, text: read("src", "loader", f) }));
        for (const { file, text } of [...readers(), ...writers]) {
            assert.doesNotMatch(text, /\+ ?'\|' ?\+/, `${file} concatenates an edge key in Cypher; use r.key or edgeKey()`);
            assert.doesNotMatch(text, /`\$\{[^}]+\}\|\$\{[^}]+\}\|\$\{[^}]+\}`/, `${file} builds an edge key by hand; use edgeKey()`);
        }
    });
});

describe("one direction between modules", () => {
    /** The src/ files a module imports (relative specifiers, resolved), type-only imports included. */
    function importsOf(dir: string): { file: string; target: string }[] {
        const out: { file: string; target: string }[] = [];
        for (const f of fs.readdirSync(path.join(REPO_ROOT, "src", dir), { recursive: true }) as string[]) {
            if (!f.endsWith(".ts")) continue;
            const file = path.join("src", dir, f);
            for (const m of read(file).matchAll(/^\s*(?:import|export)\b[^;]*?from\s+"(\.[^"]+)"/gms)) {
                out.push({ file, target: path.relative(REPO_ROOT, path.resolve(REPO_ROOT, path.dirname(file), m[1]!)) });
            }
        }
        return out;
    }

    it("src/export may use src/stix, src/stix never imports src/export (no cycle)", () => {
        const stixImports = importsOf("stix");
        assert.ok(stixImports.some((i) => i.target.startsWith("src/model")), "the scan sees src/stix's imports");
        for (const { file, target } of stixImports) assert.ok(!target.startsWith("src/export/"), `${file} imports ${target}: src/export → src/stix → src/export is a cycle`);
    });
});

describe("one definition of each GraphQL field", () => {
    /** The @cypher statement of a root field. */
    function rootStatement(name: string): string {
        const query = doc.definitions.find((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === "Query");
        const value = query?.fields?.find((f) => f.name.value === name)?.directives?.find((d) => d.name.value === "cypher")?.arguments?.find((a) => a.name.value === "statement")?.value;
        assert.ok(value?.kind === Kind.STRING, `Query.${name} has a @cypher statement`);
        return value.value;
    }

    it("identity(entity:)'s possiblySameAs is the possiblySameAs statement that every entity type gets", async () => {
        const { perEntityStatement } = await import("../api/schema.ts");
        const per = perEntityStatement(doc, "possiblySameAs").statement;
        const flat = (t: string) => t.replace(/\s+/g, " ").trim();
        assert.ok(per.length > 40, "the per-entity statement is read");
        assert.ok(flat(rootStatement("identity")).includes(`possiblySameAs: COLLECT { ${flat(per)} }`), `identity's possiblySameAs differs from Query.possiblySameAs's statement:\n${per}`);
    });
});
