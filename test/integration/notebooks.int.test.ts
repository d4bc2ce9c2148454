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
const FIGURES = ["most_active_actors", "centrality", "communities", "sanctions_matrix", "shortest_path", "claims_timeline"];
interface Cell {
    outputs?: { output_type: string; name?: string; text?: string | string[]; ename?: string; data?: Record<string, string | string[]>; metadata?: { figure?: string } }[];
}
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
        assert.equal(r.actor_centrality[0].name, "APT31");
        assert.ok(r.actor_centrality[0].pagerank > 0 && r.actor_centrality[0].betweenness > 0, JSON.stringify(r.actor_centrality[0]));
        assert.equal(r.shortest_path_captions.length, r.shortest_path_evidence);
        assert.match(r.shortest_path_captions.join("\n"), /\[1\] .* –\w+→ .* \((asserted|alleged|likely|denied).*\): “.+” — .+/);
        for (const png of FIGURES) assert.ok(fs.statSync(path.join(output, `${png}.png`)).size > 5000, `${png}.png written`);
    });

    it("keeps its figures, tables and numbers in the executed notebook, with no warning printed", () => {
        const nb = JSON.parse(fs.readFileSync(path.join(output, "executed", "link_analysis.ipynb"), "utf8")) as { cells: Cell[] };
        const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
        // Every figure is shown in the notebook (a PNG of a real plot, tagged with its name by lib.save_figure).
        const shown = new Map(outputs.filter((o) => o.data?.["image/png"]).map((o) => [o.metadata?.figure, Buffer.from(String(o.data!["image/png"]), "base64").length]));
        for (const figure of FIGURES) assert.ok((shown.get(figure) ?? 0) > 5000, `${figure} shown in the notebook (${[...shown.keys()].join(", ")})`);
        const text = (c: Cell) => (c.outputs ?? []).map((o) => [o.text, o.data?.["text/plain"], o.data?.["text/html"]].flat().join("")).join("\n");
        const cellWith = (figure: string) => nb.cells.find((c) => (c.outputs ?? []).some((o) => o.metadata?.figure === figure))!;
        // The centrality table beside its figure: APT31 first, with its numbers.
        const centrality = text(cellWith("centrality"));
        assert.match(centrality, /<td>APT31<\/td>\s*<td>ThreatActor<\/td>\s*<td>\d+<\/td>\s*<td>0\.\d+<\/td>\s*<td>0\.\d+<\/td>/);
        // The path with its evidence table: the chain printed, the evidence sentences in the table.
        const pathCell = text(cellWith("shortest_path"));
        assert.match(pathCell, /Wuhan Xiaoruizhi Science and Technology Company → APT31 → UK politicians/);
        assert.match(pathCell, /FRONT_FOR/);
        assert.match(pathCell, /TARGETED/);
        // No cell printed a warning (e.g. the driver's UnknownRelationshipTypeWarning) or an error. Only requests'
        // complaint about the machine's urllib3/chardet versions is let through: it is about the Python install.
        const stderr = outputs
            .filter((o) => o.name === "stderr" || o.output_type === "error")
            .map((o) => [o.text, o.ename].flat().join(""))
            .filter((t) => !/^\S+requests\/__init__\.py:\d+: RequestsDependencyWarning: .*\n\s*warnings\.warn\(\n$/.test(t));
        assert.deepEqual(stderr, []);
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
