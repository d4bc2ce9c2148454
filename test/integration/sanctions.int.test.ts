/**
 * OFAC SDN import against a real Neo4j, with the real list in ../shared/data/ofac (read in place, never copied):
 * after the demo articles, OFAC's designations land on the news' nodes; Evil Corp's entry on the Evil Corp actor;
 * Tornado Cash's delisting and re-designation from the listing history; Linked To → AFFILIATED_WITH; re-import
 * changes nothing; a later snapshot ends designations instead of deleting them; bad rows are reported with their
 * line and the others load; a name matching two entities (an Organization and a ThreatActor, two registry bodies
 * of one type through name and a.k.a., two graph entities of one type sharing the name) gets POSSIBLY_SAME_AS, never a merge.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Driver } from "neo4j-driver";
import { REPO_ROOT } from "../../src/config.ts";
import { loadFiles } from "../../src/loader/load-files.ts";
import type { FactLoader } from "../../src/loader/FactLoader.ts";
import type { Registry } from "../../src/registry/Registry.ts";
import { readListingHistory } from "../../src/sanctions/history.ts";
import { importOfacSdn, type SanctionsImportSummary } from "../../src/sanctions/import-ofac.ts";
import { formatSanctionsSummary } from "../../src/cli/import-sanctions.ts";
import { DATABASE, closeTestDriver, freshGraph, graphCounts } from "../helpers/graph.ts";
import { sharedPath } from "../helpers/shared.ts";

export const SDN = sharedPath("data", "ofac", "sdn-cyber-2024-05-03.csv");
export const HISTORY = sharedPath("data", "ofac", "cyber-listing-history.csv");
const DEMO = path.join(REPO_ROOT, "data", "articles");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-sanctions-"));

after(async () => {
    fs.rmSync(tmp, { recursive: true, force: true });
    await closeTestDriver();
});

async function query<T = Record<string, unknown>>(driver: Driver, cypher: string, params = {}): Promise<T[]> {
    const { records } = await driver.executeQuery(cypher, params, { database: DATABASE });
    return records.map((r) => r.toObject() as T);
}

interface Listing {
    id: string;
    name: string;
    validFrom: string | null;
    validTo: string | null;
    certainty: string;
    claimedBy: string;
    source: string;
}

const LISTINGS = `
MATCH (c:Claim {predicate: 'SANCTIONED'})-[:FROM]->(src:SanctionsList) WHERE c.live
MATCH (c)-[:OBJECT]->(e:Entity) WHERE e.id = $id OR e.name = $id
MATCH (c)-[:CLAIMED_BY]->(who)
RETURN e.id AS id, e.name AS name, c.validFrom AS validFrom, c.validTo AS validTo, c.certainty AS certainty, who.id AS claimedBy, src.id AS source
ORDER BY src.id`;

describe("import-sanctions --format ofac-sdn", () => {
    let driver: Driver;
    let loader: FactLoader;
    let registry: Registry;
    let first: SanctionsImportSummary;

    before(async () => {
        ({ driver, loader, registry } = await freshGraph());
        await loadFiles([DEMO], loader);
        const history = await readListingHistory(HISTORY);
        first = await importOfacSdn(driver, DATABASE, loader, registry, SDN, { snapshotDate: "2024-05-03", history });
    });

    it("reads every row: entries, vessels and aircraft skipped with their line, no bad rows", () => {
        assert.equal(first.rows, 244);
        assert.deepEqual(first.bad, []);
        assert.equal(first.skipped.length, 4, JSON.stringify(first.skipped));
        assert.ok(first.skipped.every((s) => s.line > 0 && /vessel|aircraft/.test(s.reason)));
        assert.equal(first.historyOnly, 1); // TORNADO CASH 38499, delisted 2022
        assert.equal(first.entries, 241);
        assert.equal(first.loaded, 241);
        assert.equal(first.matched + first.new + first.ambiguous, first.entries);
        // the news' nodes and the registry's: the front, its officers, Evil Corp, the GRU, the FSB, Iran's MOIS
        assert.deepEqual(first.matchedIds, ["actor:evil-corp", "org:fsb-ru", "org:gru-ru", "org:mois-ir", "org:wuhan-xiaoruizhi-science-and-technology-company", "person:ni-gaobin", "person:zhao-guangzong"]);
    });

    it("puts OFAC's designations of the APT31 front and its two officers on the demo articles' nodes", async () => {
        for (const id of ["org:wuhan-xiaoruizhi-science-and-technology-company", "person:zhao-guangzong", "person:ni-gaobin"]) {
            const listings = await query<Listing>(driver, LISTINGS, { id });
            assert.equal(listings.length, 1, `${id}: ${JSON.stringify(listings)}`);
            assert.deepEqual({ ...listings[0], source: undefined }, { id, name: listings[0]!.name, validFrom: "2024-03-25", validTo: null, certainty: "asserted", claimedBy: "org:ofac", source: undefined });
            // the same node carries the articles' SANCTIONED claims (UK and US)
            const news = await query<{ n: number }>(driver, `MATCH (c:Claim {predicate: 'SANCTIONED'})-[:OBJECT]->(:Entity {id: $id}) MATCH (c)-[:FROM]->(:Article) RETURN count(c) AS n`, { id });
            assert.equal(news[0]!.n, 2, id);
        }
        const [zhao] = await query<{ name: string; aliases: string[]; dob: string[]; ent: number }>(driver, `MATCH (p:Person {id: 'person:zhao-guangzong'}) RETURN p.name AS name, p.aliases AS aliases, p.birthDates AS dob, p.sdnEntNum AS ent`);
        assert.equal(zhao!.name, "Zhao Guangzong");
        assert.ok(zhao!.aliases.includes("Guangzong Zhao"), zhao!.aliases.join(", "));
        assert.deepEqual(zhao!.dob, ["12 Nov 1985"]);
        assert.equal(zhao!.ent, 47814);
    });

    it("rolls OFAC up to the United States through PART_OF", async () => {
        const rows = await query<{ state: string }>(
            driver,
            `MATCH (:Organization {id: 'org:ofac'})-[:SANCTIONED]->(:Person {id: 'person:ni-gaobin'})
             MATCH (:Organization {id: 'org:ofac'})-[:PART_OF*1..4]->(s:State) RETURN s.name AS state`,
        );
        assert.deepEqual(rows.map((r) => r.state), ["United States"]);
    });

    it("lands Evil Corp's entry on the Evil Corp actor, with its identifiers", async () => {
        const listings = await query<Listing>(driver, LISTINGS, { id: "actor:evil-corp" });
        assert.equal(listings.length, 1);
        assert.equal(listings[0]!.source, "sanctions:ofac-sdn:26664");
        const [actor] = await query<{ labels: string[]; ent: number; aliases: string[] }>(driver, `MATCH (a:Entity {id: 'actor:evil-corp'}) RETURN labels(a) AS labels, a.sdnEntNum AS ent, a.aliases AS aliases`);
        assert.ok(actor!.labels.includes("ThreatActor"));
        assert.equal(actor!.ent, 26664);
        const orgs = await query(driver, `MATCH (o:Organization) WHERE 'evilcorp' IN o.normNames RETURN o.id`);
        assert.deepEqual(orgs, [], "no second Evil Corp");
    });

    it("gives Tornado Cash its designation, delisting and re-designation on one node", async () => {
        const listings = await query<Listing>(driver, LISTINGS, { id: "TORNADO CASH" });
        assert.deepEqual(
            listings.map((l) => [l.source, l.validFrom, l.validTo]),
            [
                ["sanctions:ofac-sdn:38499", "2022-08-08", "2022-11-07"],
                ["sanctions:ofac-sdn:39796", "2022-11-09", null],
            ],
        );
        assert.equal(new Set(listings.map((l) => l.id)).size, 1);
        const [tc] = await query<{ addresses: string[]; websites: string[] }>(driver, `MATCH (o:Organization {name: 'TORNADO CASH'}) RETURN o.cryptoAddresses AS addresses, o.websites AS websites`);
        assert.ok(tc!.addresses.some((a) => a.startsWith("ETH 0x12D66f87")));
        assert.deepEqual(tc!.websites, ["tornado.cash"]);
    });

    it("turns Linked To: into AFFILIATED_WITH claimed by OFAC", async () => {
        const rows = await query<{ s: string; o: string }>(
            driver,
            `MATCH (s:Entity)<-[:SUBJECT]-(c:Claim {predicate: 'AFFILIATED_WITH', sourceId: 'sanctions:ofac-sdn:22526'})-[:OBJECT]->(o:Entity)
             MATCH (c)-[:CLAIMED_BY]->(:Organization {id: 'org:ofac'})
             MATCH (s)-[:AFFILIATED_WITH]->(o)
             RETURN s.name AS s, o.name AS o`,
        );
        assert.deepEqual(rows, [{ s: "LIMITED LIABILITY COMPANY CONCORD MANAGEMENT AND CONSULTING", o: "INTERNET RESEARCH AGENCY LLC" }]);
        assert.ok(first.links > 50, `links ${first.links}`);
    });

    it("makes Person–Person and Person–ThreatActor Linked To: edges too (MALKEVICH → PRIGOZHIN, SMIRNOV → EVIL CORP), a person the subject against a company", async () => {
        const links = `
            MATCH (s:Entity)<-[:SUBJECT]-(c:Claim {predicate: 'AFFILIATED_WITH', sourceId: $source})-[:OBJECT]->(o:Entity) WHERE c.live
            MATCH (c)-[:CLAIMED_BY]->(:Organization {id: 'org:ofac'})
            MATCH (s)-[r:AFFILIATED_WITH]->(o)
            RETURN s.type + ':' + s.name AS s, o.type + ':' + o.name AS o, r.certainty AS certainty ORDER BY o`;
        // rows 67 and 71 of the real file: "Linked To: USA REALLY; Linked To: PRIGOZHIN, Yevgeniy Viktorovich." and "Linked To: EVIL CORP."
        assert.deepEqual(await query(driver, links, { source: "sanctions:ofac-sdn:26235" }), [
            { s: "Person:Alexander Aleksandrovich Malkevich", o: "Organization:USA REALLY", certainty: "asserted" },
            { s: "Person:Alexander Aleksandrovich Malkevich", o: "Person:Yevgeniy Viktorovich Prigozhin", certainty: "asserted" },
        ]);
        assert.deepEqual(await query(driver, links, { source: "sanctions:ofac-sdn:26665" }), [{ s: "Person:Dmitriy Konstantinovich Smirnov", o: "ThreatActor:Evil Corp", certainty: "asserted" }]);
        // row 90, BERATEX GROUP LIMITED "Linked To: PRIGOZHIN, Yevgeniy Viktorovich.": the person is the subject
        assert.deepEqual(await query(driver, links, { source: "sanctions:ofac-sdn:27194" }), [{ s: "Person:Yevgeniy Viktorovich Prigozhin", o: "Organization:BERATEX GROUP LIMITED", certainty: "asserted" }]);
        // every Linked To: pair of the file is an edge (no pair left outside the vocabulary); the raw names stay on the entry
        assert.equal(first.linksOutsideVocabulary, 0);
        const [counts] = await query<{ pp: number; pt: number; claims: number }>(
            driver,
            `MATCH (c:Claim {predicate: 'AFFILIATED_WITH'})-[:FROM]->(:SanctionsList) WHERE c.live
             MATCH (c)-[:SUBJECT]->(s:Entity), (c)-[:OBJECT]->(o:Entity)
             RETURN count(c) AS claims, count(CASE WHEN s:Person AND o:Person THEN 1 END) AS pp, count(CASE WHEN s:Person AND o:ThreatActor THEN 1 END) AS pt`,
        );
        assert.equal(counts!.claims, first.links);
        assert.ok(counts!.pp >= 7 && counts!.pt >= 15, JSON.stringify(counts));
        const [malkevich] = await query<{ linked: string[] }>(driver, `MATCH (p:Person {sdnEntNum: 26235}) RETURN p.sdnLinkedTo AS linked`);
        assert.deepEqual(malkevich!.linked, ["USA REALLY", "PRIGOZHIN, Yevgeniy Viktorovich"]);
    });

    it("changes nothing when the same snapshot is imported again", async () => {
        const before = await graphCounts(driver);
        const again = await importOfacSdn(driver, DATABASE, loader, registry, SDN, { snapshotDate: "2024-05-03", history: await readListingHistory(HISTORY) });
        assert.equal(again.unchanged, again.entries);
        assert.deepEqual(await graphCounts(driver), before);
    });

    it("ends what a later snapshot no longer lists, never deletes it, and refuses an older snapshot", async () => {
        const later = path.join(tmp, "sdn-later.csv");
        const rows = fs.readFileSync(SDN, "latin1").split("\r\n");
        fs.writeFileSync(later, rows.filter((r) => !r.startsWith("47814,")).join("\r\n"), "latin1");
        const summary = await importOfacSdn(driver, DATABASE, loader, registry, later, { snapshotDate: "2024-06-01" });
        assert.equal(summary.endedBySnapshot, 1);
        const listings = await query<Listing>(driver, LISTINGS, { id: "person:zhao-guangzong" });
        assert.deepEqual(listings.map((l) => [l.validFrom, l.validTo]), [["2024-03-25", "2024-05-03"]]);
        // the open-ended version is kept, superseded (issue 10), not deleted
        const versions = await query<{ n: number }>(driver, `MATCH (c:Claim {predicate: 'SANCTIONED', sourceId: 'sanctions:ofac-sdn:47814'}) RETURN count(c) AS n`);
        assert.equal(versions[0]!.n, 2);
        const edge = await query(driver, `MATCH (:Organization {id: 'org:ofac'})-[r:SANCTIONED]->(:Person {id: 'person:zhao-guangzong'}) RETURN r`);
        assert.equal(edge.length, 1);
        // the others are still listed, now seen on 2024-06-01
        const [ni] = await query<{ lastSeen: string }>(driver, `MATCH (s:SanctionsList {id: 'sanctions:ofac-sdn:47818'}) RETURN s.lastSeen AS lastSeen`);
        assert.equal(ni!.lastSeen, "2024-06-01");
        await assert.rejects(importOfacSdn(driver, DATABASE, loader, registry, SDN, { snapshotDate: "2024-05-03" }), /newer snapshot .*2024-06-01/);
    });
});

describe("import-sanctions: bad rows and ambiguous names", () => {
    it("reports bad rows with their line and reason, and loads the others", async () => {
        const { driver, loader, registry } = await freshGraph();
        const file = path.join(tmp, "bad.csv");
        const good = fs.readFileSync(SDN, "latin1").split("\r\n").filter((r) => /^(47814|47818),/.test(r));
        fs.writeFileSync(
            file,
            [good[0], `abc,"SOMEONE",-0- ,"CYBER2",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- `, `99,"TOO FEW",-0- ,"CYBER2"`, `98,"NO PROGRAM",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- `, good[1], `97,"BROKEN "QUOTE",-0- ,"CYBER2",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- `].join("\r\n"),
        );
        const summary = await importOfacSdn(driver, DATABASE, loader, registry, file, { snapshotDate: "2024-05-03" });
        assert.deepEqual(
            summary.bad.map((b) => b.line),
            [2, 3, 4, 6],
            JSON.stringify(summary.bad),
        );
        assert.match(summary.bad[0]!.reason, /ent_num 'abc'/);
        assert.match(summary.bad[1]!.reason, /expected 12 columns .* got 4/);
        assert.match(summary.bad[2]!.reason, /Program is empty/);
        assert.match(summary.bad[3]!.reason, /not valid CSV/);
        assert.equal(summary.entries, 2);
        const people = await query<{ name: string }>(driver, `MATCH (:Organization {id: 'org:ofac'})-[:SANCTIONED]->(p:Person) RETURN p.name AS name ORDER BY name`);
        assert.deepEqual(people.map((p) => p.name), ["Gaobin Ni", "Guangzong Zhao"]);
    });

    it("gives a name that matches two entities its own node and POSSIBLY_SAME_AS to both, never a merge", async () => {
        const { driver, loader, registry } = await freshGraph();
        const doc = {
            article: { id: "article:acme", title: "Acme", publishedAt: "2024-01-01" },
            entities: [
                { id: "a", type: "Organization", kind: "company", name: "Acme Cyber Labs", aliases: [] },
                { id: "b", type: "ThreatActor", name: "Acme Cyber Labs", aliases: [] },
                { id: "us", type: "State", name: "United States", aliases: [] },
            ],
            facts: [{ subject: "us", predicate: "SANCTIONED", object: "b", certainty: "asserted" }, { subject: "a", predicate: "BASED_IN", object: "us", certainty: "asserted" }],
        };
        const docFile = path.join(tmp, "acme.json");
        fs.writeFileSync(docFile, JSON.stringify(doc));
        await loadFiles([docFile], loader);
        const file = path.join(tmp, "acme.csv");
        fs.writeFileSync(file, `90001,"ACME CYBER LABS, LLC",-0- ,"CYBER2",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n`);
        const summary = await importOfacSdn(driver, DATABASE, loader, registry, file, { snapshotDate: "2024-05-03" });
        assert.equal(summary.ambiguous, 1);
        assert.deepEqual(summary.ambiguousEntries[0]!.candidates.sort(), ["actor:acme-cyber-labs", "org:acme-cyber-labs"]);
        const same = await query<{ other: string; reason: string; source: string }>(
            driver,
            `MATCH (e:Entity {id: 'org:ofac-sdn-90001'})-[r:POSSIBLY_SAME_AS]-(o) RETURN o.id AS other, r.reason AS reason, r.source AS source ORDER BY other`,
        );
        assert.deepEqual(same.map((s) => s.other), ["actor:acme-cyber-labs", "org:acme-cyber-labs"]);
        assert.match(same[0]!.reason, /90001 'ACME CYBER LABS, LLC' matches/);
        const entities = await query(driver, `MATCH (e:Entity) WHERE 'acmecyberlabs' IN e.normNames RETURN e.id`);
        assert.equal(entities.length, 3);
    });

    it("an entry whose name and a.k.a. are two registry bodies of one type is ambiguous: POSSIBLY_SAME_AS to both, counted, neither merged", async () => {
        const { driver, loader, registry } = await freshGraph();
        const file = path.join(tmp, "gru.csv");
        // the GRU by its registry alias, a.k.a. its unit: two registry Organizations, not one identity
        fs.writeFileSync(file, `90002,"MAIN INTELLIGENCE DIRECTORATE",-0- ,"CYBER2",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. 'UNIT 26165'."\r\n`);
        const summary = await importOfacSdn(driver, DATABASE, loader, registry, file, { snapshotDate: "2024-05-03" });
        assert.equal(summary.ambiguous, 1, JSON.stringify(summary.ambiguousEntries));
        assert.equal(summary.matched, 0);
        assert.deepEqual(summary.ambiguousEntries, [{ entNum: 90002, name: "MAIN INTELLIGENCE DIRECTORATE", candidates: ["org:gru-ru", "org:gru-unit-26165-ru"] }]);
        assert.match(formatSanctionsSummary(summary), /1 ambiguous .*\nambiguous: ent_num 90002 'MAIN INTELLIGENCE DIRECTORATE' matches org:gru-ru, org:gru-unit-26165-ru/s);
        const same = await query<{ other: string; reason: string; source: string }>(
            driver,
            `MATCH (e:Organization {id: 'org:ofac-sdn-90002'})-[r:POSSIBLY_SAME_AS]-(o) RETURN o.id AS other, r.reason AS reason, r.source AS source ORDER BY other`,
        );
        assert.deepEqual(same.map((s) => s.other), ["org:gru-ru", "org:gru-unit-26165-ru"]);
        assert.match(same[0]!.reason, /90002 'MAIN INTELLIGENCE DIRECTORATE' matches org:gru-ru and org:gru-unit-26165-ru/);
        assert.equal(same[0]!.source, "sanctions:ofac-sdn:90002");
        // the designation is on the entry's own node; the registry bodies keep theirs (none) and are not merged
        const sanctioned = await query<{ id: string }>(driver, `MATCH (:Organization {id: 'org:ofac'})-[:SANCTIONED]->(e) RETURN e.id AS id`);
        assert.deepEqual(sanctioned.map((e) => e.id), ["org:ofac-sdn-90002"]);
        const merged = await query(driver, `MATCH (e)-[:MERGED_INTO]-() RETURN e.id`);
        assert.equal(merged.length, 0);
    });

    it("an entry whose name two graph entities of the same type share is ambiguous (the resolver's tie), never the smallest id", async () => {
        const { driver, loader, registry } = await freshGraph();
        const doc = {
            article: { id: "article:northwind", title: "Northwind", publishedAt: "2024-01-01" },
            entities: [
                { id: "a", type: "Organization", kind: "company", name: "Northwind Trading", aliases: ["Northwind Group"] },
                { id: "b", type: "Organization", kind: "company", name: "Northwind Technologies", aliases: ["Northwind Group"] },
                { id: "us", type: "State", name: "United States", aliases: [] },
            ],
            facts: [{ subject: "a", predicate: "BASED_IN", object: "us", certainty: "asserted" }, { subject: "b", predicate: "BASED_IN", object: "us", certainty: "asserted" }],
        };
        const docFile = path.join(tmp, "northwind.json");
        fs.writeFileSync(docFile, JSON.stringify(doc));
        await loadFiles([docFile], loader);
        const file = path.join(tmp, "northwind.csv");
        fs.writeFileSync(file, `90003,"NORTHWIND GROUP LLC",-0- ,"CYBER2",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n`);
        const summary = await importOfacSdn(driver, DATABASE, loader, registry, file, { snapshotDate: "2024-05-03" });
        assert.equal(summary.ambiguous, 1, JSON.stringify(summary));
        assert.deepEqual(summary.ambiguousEntries[0]!.candidates, ["org:northwind-technologies", "org:northwind-trading"]);
        const same = await query<{ other: string }>(driver, `MATCH (:Organization {id: 'org:ofac-sdn-90003'})-[r:POSSIBLY_SAME_AS]-(o) RETURN o.id AS other ORDER BY other`);
        assert.deepEqual(same.map((s) => s.other), ["org:northwind-technologies", "org:northwind-trading"]);
        const sanctioned = await query<{ id: string }>(driver, `MATCH (:Organization {id: 'org:ofac'})-[:SANCTIONED]->(e) RETURN e.id AS id`);
        assert.deepEqual(sanctioned.map((e) => e.id), ["org:ofac-sdn-90003"]);
    });
});
