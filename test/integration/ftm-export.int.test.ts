/**
 * `export --format ftm` after the demo articles and the real OFAC SDN cyber list: the JSON lines pass the
 * `followthemoney` package's checks (schema, id, property types, required properties, references; run by
 * test/helpers/ftm_check.py with the package pinned in test/requirements.txt) and read back through its
 * EntityProxy with the designations, memberships, links and evidence we put in.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT } from "../../src/config.ts";
import { exportGraph } from "../../src/export/export-graph.ts";
import { loadFiles } from "../../src/loader/load-files.ts";
import { readListingHistory } from "../../src/sanctions/history.ts";
import { importOfacSdn } from "../../src/sanctions/import-ofac.ts";
import { DATABASE, closeTestDriver, freshGraph } from "../helpers/graph.ts";
import { sharedPath } from "../helpers/shared.ts";
import { testPython } from "../helpers/test-python.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-ftm-"));
interface Reread {
    schema: string;
    caption: string;
    properties: Record<string, string[]>;
}
interface Check {
    entities: number;
    counts: Record<string, number>;
    problems: string[];
    reread: Record<string, Reread>;
}

function check(file: string): Check {
    const run = spawnSync(testPython("followthemoney"), [path.join(REPO_ROOT, "test", "helpers", "ftm_check.py"), file], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout) as Check;
}

describe("export --format ftm", () => {
    let content: string;
    let result: Check;

    before(async () => {
        const g = await freshGraph();
        await loadFiles([path.join(REPO_ROOT, "data", "articles")], g.loader);
        const history = await readListingHistory(sharedPath("data", "ofac", "cyber-listing-history.csv"));
        await importOfacSdn(g.driver, DATABASE, g.loader, g.registry, sharedPath("data", "ofac", "sdn-cyber-2024-05-03.csv"), { snapshotDate: "2024-05-03", history });
        const { files } = await exportGraph(g.driver, DATABASE, "ftm");
        content = files[0]!.content;
        fs.writeFileSync(path.join(tmp, "graph.ftm.jsonl"), content);
        result = check(path.join(tmp, "graph.ftm.jsonl"));
    });
    after(async () => {
        fs.rmSync(tmp, { recursive: true, force: true });
        await closeTestDriver();
    });

    it("validates with the followthemoney package", () => {
        assert.deepEqual(result.problems, []);
        for (const schema of ["Person", "Organization", "Company", "PublicBody", "Sanction", "Membership", "UnknownLink", "Documentation", "Article", "CryptoWallet"]) {
            assert.ok((result.counts[schema] ?? 0) > 0, `${schema}: ${JSON.stringify(result.counts)}`);
        }
        assert.equal(content.trim().split("\n").length, result.entities);
    });

    it("reads back OFAC's and the news' sanctions of Zhao Guangzong, with stable ids", () => {
        const zhao = result.reread["cyberkg-person-zhao-guangzong"]!;
        assert.equal(zhao.schema, "Person");
        assert.deepEqual(zhao.properties.birthDate, ["1985-11-12"]);
        assert.deepEqual(zhao.properties.nationality, ["cn"]);
        assert.ok(zhao.properties.topics!.includes("sanction"));
        const sanctions = Object.values(result.reread).filter((e) => e.schema === "Sanction" && e.properties.entity?.includes("cyberkg-person-zhao-guangzong"));
        const byAuthority = Object.fromEntries(sanctions.map((s) => [s.properties.authority![0]!, s.properties]));
        assert.deepEqual(Object.keys(byAuthority).sort(), ["Office of Foreign Assets Control", "United Kingdom", "United States"]);
        const ofac = byAuthority["Office of Foreign Assets Control"]!;
        assert.deepEqual([ofac.country, ofac.program, ofac.startDate, ofac.listingDate, ofac.sourceUrl], [["us"], ["CYBER2"], ["2024-03-25"], ["2024-03-25"], ["https://sanctionssearch.ofac.treas.gov/Details.aspx?id=47814"]]);
        assert.deepEqual([byAuthority["United Kingdom"]!.country, byAuthority["United Kingdom"]!.date], [["gb"], ["2024-03-26"]]);
    });

    it("keeps Tornado Cash's delisting and re-designation, memberships, links and the articles' evidence", () => {
        const tornado = Object.entries(result.reread).find(([, e]) => e.caption === "TORNADO CASH")!;
        const designations = Object.values(result.reread)
            .filter((e) => e.schema === "Sanction" && e.properties.entity?.includes(tornado[0]))
            .map((s) => [s.properties.startDate?.[0], s.properties.endDate?.[0] ?? null])
            .sort();
        assert.deepEqual(designations, [["2022-08-08", "2022-11-07"], ["2022-11-09", null]]);
        const memberships = Object.values(result.reread).filter((e) => e.schema === "Membership" && e.properties.organization?.includes("cyberkg-actor-apt31"));
        assert.ok(memberships.some((m) => m.properties.member?.includes("cyberkg-person-ni-gaobin")));
        const front = Object.values(result.reread).find((e) => e.schema === "UnknownLink" && e.properties.role?.[0] === "front for" && e.properties.subject?.[0] === "cyberkg-org-wuhan-xiaoruizhi-science-and-technology-company");
        assert.deepEqual(front?.properties.object, ["cyberkg-actor-apt31"]);
        // OFAC's Linked To: between two people and between a person and a group: UnknownLink, subject and object as in the graph
        const idOf = (caption: string) => Object.entries(result.reread).find(([, e]) => e.caption === caption)?.[0];
        const link = (s: string, o: string) => Object.values(result.reread).filter((e) => e.schema === "UnknownLink" && e.properties.subject?.[0] === idOf(s) && e.properties.object?.[0] === idOf(o)).map((e) => e.properties.role);
        assert.deepEqual(link("Alexander Aleksandrovich Malkevich", "Yevgeniy Viktorovich Prigozhin"), [["affiliated with"]]);
        assert.deepEqual(link("Dmitriy Konstantinovich Smirnov", "Evil Corp"), [["affiliated with"]]);
        const docs = Object.values(result.reread).filter((e) => e.schema === "Documentation" && e.properties.entity?.includes("cyberkg-person-ni-gaobin"));
        assert.ok(docs.length >= 3 && docs.every((d) => result.reread[d.properties.document![0]!]?.schema === "Article"));
    });

    it("gives the same bytes for the same graph", async () => {
        const { files } = await exportGraph((await import("../helpers/graph.ts")).testDriver(), DATABASE, "ftm");
        assert.equal(files[0]!.content, content);
    });
});
