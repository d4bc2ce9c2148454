/**
 * The join of official lists and news through the real HTTP API: after the demo articles and the real OFAC SDN
 * cyber list (../shared/data/ofac) with its history — an entity's designations with authority, program, dates and
 * source; the states that sanctioned it, rolled up through PART_OF; designationsNotInNews(since:),
 * newsSanctionsNotListed and the report → listing lag.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT, loadConfig } from "../../src/config.ts";
import { startServer, type RunningServer } from "../../src/api/server.ts";
import { loadFiles } from "../../src/loader/load-files.ts";
import { readListingHistory } from "../../src/sanctions/history.ts";
import { importOfacSdn } from "../../src/sanctions/import-ofac.ts";
import { DATABASE, closeTestDriver, freshGraph } from "../helpers/graph.ts";
import { sharedPath } from "../helpers/shared.ts";
import { graphql } from "./api-client.ts";

const DEMO = path.join(REPO_ROOT, "data", "articles");
const SDN = sharedPath("data", "ofac", "sdn-cyber-2024-05-03.csv");
const HISTORY = sharedPath("data", "ofac", "cyber-listing-history.csv");
const PYTHON = process.env.PYTHON ?? "python3";
const notebookReady = spawnSync(PYTHON, ["-c", "import nbclient, neo4j, pandas, networkx, matplotlib, scipy, requests, ipykernel"], { encoding: "utf8" });
const notebookMissing = notebookReady.status !== 0 ? `notebook requirements missing: pip install -r notebooks/requirements.txt` : "";
if (notebookMissing && process.env.CI) throw new Error(notebookMissing);

describe("GraphQL: official lists joined with the news", () => {
    let server: RunningServer;
    const ask = async (query: string, variables?: unknown) => {
        const result = await graphql(server.url, query, variables);
        assert.equal(result.errors, undefined, JSON.stringify(result.errors));
        return result.data!;
    };

    before(async () => {
        const graph = await freshGraph();
        await loadFiles([DEMO], graph.loader);
        await importOfacSdn(graph.driver, DATABASE, graph.loader, graph.registry, SDN, { snapshotDate: "2024-05-03", history: await readListingHistory(HISTORY) });
        server = await startServer(loadConfig({ PORT: 0, NODE_ENV: "test" }), graph.driver, DATABASE);
    });
    after(async () => {
        await server?.close();
        await closeTestDriver();
    });

    it("gives an entity's designations with authority, program, dates, source and the news lag", async () => {
        const data = await ask(`{ people(where: { name: { eq: "Zhao Guangzong" } }) {
            designations { authority { name } states { name } program listedOn delistedOn inForce source { title url } firstReportedInNews reportLagDays } } }`);
        assert.deepEqual(data.people[0].designations, [
            {
                authority: { name: "Office of Foreign Assets Control" },
                states: [{ name: "United States" }],
                program: "CYBER2",
                listedOn: "2024-03-25",
                delistedOn: null,
                inForce: true,
                source: { title: "OFAC SDN list: ZHAO, Guangzong", url: "https://sanctionssearch.ofac.treas.gov/Details.aspx?id=47814" },
                firstReportedInNews: "2024-03-26",
                reportLagDays: 1,
            },
        ]);
    });

    it("shows Tornado Cash delisted and re-designated", async () => {
        const data = await ask(`{ organizations(where: { name: { eq: "TORNADO CASH" } }) { designations { listedOn delistedOn inForce program } } }`);
        assert.deepEqual(data.organizations[0].designations, [
            { listedOn: "2022-08-08", delistedOn: "2022-11-07", inForce: false, program: "" },
            { listedOn: "2022-11-09", delistedOn: null, inForce: true, program: "DPRK3, CYBER2" },
        ]);
        const inForce = await ask(`{ organizations(where: { name: { eq: "TORNADO CASH" } }) { designations(includeDelisted: false) { listedOn } } }`);
        assert.deepEqual(inForce.organizations[0].designations, [{ listedOn: "2022-11-09" }]);
    });

    it("rolls 'which states sanctioned X' up through PART_OF: the US once, via itself and OFAC; the UK from the news", async () => {
        const data = await ask(`{ organizations(where: { name: { eq: "Wuhan Xiaoruizhi Science and Technology Company" } }) {
            sanctioningStates { state { name } via { name } listed inNews } } }`);
        const states = data.organizations[0].sanctioningStates as { state: { name: string }; via: { name: string }[]; listed: boolean; inNews: boolean }[];
        assert.deepEqual(
            states.map((s) => ({ ...s, via: s.via.map((v) => v.name).sort() })),
            [
                { state: { name: "United Kingdom" }, via: ["United Kingdom"], listed: false, inNews: true },
                { state: { name: "United States" }, via: ["Office of Foreign Assets Control", "United States"], listed: true, inNews: true },
            ],
        );
        const actor = await ask(`{ threatActors(where: { name: { eq: "Evil Corp" } }) { sanctioningStates { state { name } listed inNews } designations { source { title } } } }`);
        assert.deepEqual(actor.threatActors[0], { sanctioningStates: [{ state: { name: "United States" }, listed: true, inNews: false }], designations: [{ source: { title: "OFAC SDN list: EVIL CORP" } }] });
    });

    it("answers OFAC's Linked To: between people, and between a person and a group, as affiliation edges", async () => {
        // real rows 26235 MALKEVICH "Linked To: PRIGOZHIN, Yevgeniy Viktorovich." and 26665 SMIRNOV "Linked To: EVIL CORP."
        const people = await ask(`{ people(where: { name: { eq: "Yevgeniy Viktorovich Prigozhin" } }) { name affiliates(sort: [{ name: ASC }]) { name type } } }`);
        assert.equal(people.people[0].name, "Yevgeniy Viktorovich Prigozhin");
        const affiliates = people.people[0].affiliates as { name: string; type: string }[];
        assert.ok(affiliates.some((a) => a.name === "Alexander Aleksandrovich Malkevich" && a.type === "Person"), JSON.stringify(affiliates));
        assert.equal(affiliates.filter((a) => a.type === "Person").length, 7, JSON.stringify(affiliates));
        const smirnov = await ask(`{ people(where: { name: { eq: "Dmitriy Konstantinovich Smirnov" } }) {
            affiliatedWithConnection { edges { node { name type } properties { certainty support } } } } }`);
        assert.deepEqual(smirnov.people[0].affiliatedWithConnection.edges, [{ node: { name: "Evil Corp", type: "ThreatActor" }, properties: { certainty: "asserted", support: 1 } }]);
        const evil = await ask(`{ threatActors(where: { name: { eq: "Evil Corp" } }) { affiliates(where: { type: { eq: "Person" } }) { name } } }`);
        assert.equal(evil.threatActors[0].affiliates.length, 17, JSON.stringify(evil.threatActors[0].affiliates));
    });

    it("lists official designations no article reports, since a date", async () => {
        const data = await ask(`{ designationsNotInNews(since: "2024-01-01", first: 100) { entity { name } listedOn firstSeen authority { name } } }`);
        const rows = data.designationsNotInNews as { entity: { name: string }; listedOn: string | null; firstSeen: string }[];
        const names = rows.map((r) => r.entity.name);
        assert.ok(rows.length > 5, names.join(", "));
        assert.ok(rows.every((r) => (r.listedOn ?? r.firstSeen) >= "2024-01-01"), JSON.stringify(rows));
        assert.ok(names.includes("Aleksandr Ermakov") || names.some((n) => /ermakov/i.test(n)), names.join(", "));
        for (const reported of ["Zhao Guangzong", "Ni Gaobin", "Wuhan Xiaoruizhi Science and Technology Company"]) assert.ok(!names.includes(reported), reported);
    });

    it("lists sanctions the news reports that no imported list of that state has", async () => {
        const data = await ask(`{ newsSanctionsNotListed { entity { name } state { name } sanctionedBy { name } source { title } } }`);
        const rows = data.newsSanctionsNotListed as { entity: { name: string }; state: { name: string } }[];
        assert.ok(rows.length > 0);
        assert.ok(rows.every((r) => r.state.name === "United States"), JSON.stringify(rows));
        const names = rows.map((r) => r.entity.name);
        assert.ok(names.includes("Chosun Expo"), names.join(", "));
        assert.ok(!names.includes("Zhao Guangzong") && !names.includes("Ni Gaobin"));
    });

    it("gives the lag between official listing and the first news report", async () => {
        const data = await ask(`{ designationReportLag { entity { name } listedOn firstReportedInNews reportLagDays } }`);
        const byName = new Map((data.designationReportLag as { entity: { name: string }; reportLagDays: number }[]).map((r) => [r.entity.name, r]));
        for (const name of ["Zhao Guangzong", "Ni Gaobin", "Wuhan Xiaoruizhi Science and Technology Company"]) {
            assert.deepEqual(byName.get(name), { entity: { name }, listedOn: "2024-03-25", firstReportedInNews: "2024-03-26", reportLagDays: 1 });
        }
    });

    it("answers the same in the notebook (sanctions_join.ipynb runs the starter queries and checks GraphQL agrees)", { skip: notebookMissing || false }, async () => {
        const output = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-sanctions-nb-"));
        // asynchronously: the notebook calls the API this process serves
        const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
            const child = spawn(PYTHON, [path.join(REPO_ROOT, "scripts", "run-notebooks.py"), path.join(REPO_ROOT, "notebooks", "sanctions_join.ipynb")], {
                env: { ...process.env, CYBERKG_GRAPHQL_URL: server.url, CYBERKG_NOTEBOOK_OUTPUT: output, MPLBACKEND: "Agg" },
            });
            let stdout = "", stderr = "";
            child.stdout.on("data", (d) => (stdout += d));
            child.stderr.on("data", (d) => (stderr += d));
            child.on("close", (status) => resolve({ status, stdout, stderr }));
        });
        assert.equal(run.status, 0, `${run.stdout}\n${run.stderr.slice(-4000)}`);
        const r = JSON.parse(fs.readFileSync(path.join(output, "sanctions_join.json"), "utf8"));
        assert.deepEqual(r.sanctioning_states, {
            "United Kingdom": { via: ["United Kingdom"], listed: false, inNews: true },
            "United States": { via: ["Office of Foreign Assets Control", "United States"], listed: true, inNews: true },
        });
        assert.deepEqual(r.graphql_states, ["United Kingdom", "United States"]);
        assert.deepEqual(r.designations, [["2022-08-08", "2022-11-07"], ["2022-11-09", null]]);
        assert.ok(r.not_in_news > 5 && !r.not_in_news_entities.includes("Zhao Guangzong"));
        assert.ok(r.news_not_listed.includes("Chosun Expo"));
        assert.equal(r.lag_days["Ni Gaobin"], 1);
        fs.rmSync(output, { recursive: true, force: true });
    });
});
