/**
 * The notebooks run top to bottom against the test Neo4j loaded with the demo data (plus the explore fixtures),
 * with the GraphQL API up for getting_started.ipynb; any failing cell fails the test. Then the key numbers the
 * notebooks wrote to notebooks/output/*.json are checked.
 *
 * Needs `pip install -r notebooks/requirements.txt` (CI does it). Elsewhere, without it, the test is skipped with
 * that hint; with CI=true it fails instead, so CI cannot silently stop running the notebooks.
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
import { DATABASE, closeTestDriver, freshGraph } from "../helpers/graph.ts";

const INPUTS = [path.join(REPO_ROOT, "data", "articles")];
const PYTHON = process.env.PYTHON ?? "python3";
const ready = spawnSync(PYTHON, ["-c", "import nbclient, neo4j, pandas, networkx, matplotlib, scipy, requests, ipykernel"], { encoding: "utf8" });
const missing = ready.status !== 0 ? `notebook requirements missing (${ready.stderr.trim().split("\n").pop()}): pip install -r notebooks/requirements.txt` : "";
if (missing && process.env.CI) throw new Error(missing);

describe("notebooks", { skip: missing || false }, () => {
    let server: RunningServer;
    const output = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-notebooks-"));
    let run: { code: number; stdout: string; stderr: string };

    before(async () => {
        const graph = await freshGraph();
        const summary = await loadFiles(INPUTS, graph.loader);
        assert.equal(summary.rejected, 0, JSON.stringify(summary.errors));
        server = await startServer(loadConfig({ PORT: 0, NODE_ENV: "test" }), graph.driver, DATABASE);
        run = await execute(PYTHON, [path.join(REPO_ROOT, "scripts", "run-notebooks.py")], {
            ...process.env,
            CYBERKG_GRAPHQL_URL: server.url,
            CYBERKG_NOTEBOOK_OUTPUT: output,
            MPLBACKEND: "Agg",
        });
    });
    after(async () => {
        await server?.close();
        await closeTestDriver();
    });

    it("executes every notebook without a failing cell", () => {
        assert.equal(run.code, 0, `${run.stdout}\n${run.stderr.slice(-4000)}`);
        const notebooks = fs.readdirSync(path.join(REPO_ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb"));
        assert.ok(notebooks.length >= 2);
        for (const nb of notebooks) assert.match(run.stdout, new RegExp(`ok +notebooks/${nb.replace(".", "\\.")}`));
    });

    it("link_analysis finds APT31 the most active and most central actor, and its evidence-backed path", () => {
        const r = JSON.parse(fs.readFileSync(path.join(output, "link_analysis.json"), "utf8"));
        assert.equal(r.most_active_actors[0].actorName, "APT31");
        assert.equal(r.most_active_actors[0].targets, 5);
        assert.equal(r.top_actors_by_pagerank[0], "APT31");
        assert.ok(r.top_actors_by_pagerank.includes("Lazarus Group"));
        assert.equal(r.most_targeted[0].targetName, "Defence");
        assert.ok(r.communities >= 2);
        assert.ok(r.community_of_actor.includes("Wuhan Xiaoruizhi Science and Technology Company"));
        const pairs = r.co_targeting.map((p: { actor1: string; actor2: string }) => `${p.actor1}|${p.actor2}`);
        assert.ok(pairs.includes("APT31|Lazarus Group"));
        assert.deepEqual(r.sanctions_overlaps["United Kingdom & United States"], ["Ni Gaobin", "Wuhan Xiaoruizhi Science and Technology Company", "Zhao Guangzong"]);
        assert.deepEqual(r.sanctions_overlaps["United States & European Union"], ["Chosun Expo"]);
        assert.deepEqual(r.shortest_path, ["Wuhan Xiaoruizhi Science and Technology Company", "APT31", "UK politicians"]);
        assert.ok(r.shortest_path_evidence >= 2);
        assert.deepEqual(Object.keys(r.claims_by_year).sort(), ["2018", "2020", "2024"]);
        for (const png of ["most_active_actors", "communities", "sanctions_matrix", "claims_timeline"]) {
            assert.ok(fs.statSync(path.join(output, `${png}.png`)).size > 5000, `${png}.png written`);
        }
    });

    it("getting_started answers its five questions the same way in Cypher and GraphQL", () => {
        const r = JSON.parse(fs.readFileSync(path.join(output, "getting_started.json"), "utf8"));
        assert.equal(r.search[0], "Wuhan Xiaoruizhi Science and Technology Company");
        assert.deepEqual(r.targets, ["Defence", "Energy", "Information Technology", "UK politicians", "US politicians"]);
        assert.deepEqual(r.front_sanctioners, ["United Kingdom", "United States"]);
        assert.equal(r.path.length, 3);
        assert.ok(r.timeline >= 10);
    });
});

function execute(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        const child = spawn(command, args, { env, cwd: REPO_ROOT });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
}
