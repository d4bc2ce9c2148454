/**
 * The README's "## Official sanctions lists (OFAC SDN)" section, run as written: its `import-sanctions` command
 * through the real CLI (after the demo articles; `../shared` is the shared data folder wherever it is), then each
 * GraphQL example through the real HTTP API, each answer's `backticked` values checked against the result.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT, loadConfig } from "../../src/config.ts";
import { startServer, type RunningServer } from "../../src/api/server.ts";
import { loadFiles } from "../../src/loader/load-files.ts";
import { DATABASE, closeTestDriver, freshGraph } from "../helpers/graph.ts";
import { sharedDir } from "../helpers/shared.ts";
import { answerValues, graphql } from "./api-client.ts";

interface Example {
    language: "sh" | "graphql";
    code: string;
    answer: string;
}

function sectionExamples(): Example[] {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const start = readme.indexOf("## Official sanctions lists (OFAC SDN)");
    assert.ok(start >= 0, "README has the sanctions section");
    const end = readme.indexOf("\n## ", start + 5);
    const section = readme.slice(start, end < 0 ? undefined : end);
    return [...section.matchAll(/```(sh|graphql)\n([\s\S]*?)```\s*\n→ ([\s\S]*?)(?:\n\n|$)/g)].map((m) => ({ language: m[1] as "sh" | "graphql", code: m[2]!.trim(), answer: m[3]!.replace(/\n/g, " ") }));
}

function runCli(command: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const args = command.replace(/\\\n\s*/g, " ").trim().split(/\s+/).slice(2); // drop "npx cyberkg"
    const shared = sharedDir();
    const resolved = args.map((a) => (a.startsWith("../shared/") ? path.join(shared, a.slice("../shared/".length)) : a));
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin", "cyberkg.js"), ...resolved], { cwd: REPO_ROOT, env: process.env });
        let stdout = "", stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}

describe("README: official sanctions lists", () => {
    const examples = sectionExamples();
    let server: RunningServer;

    before(async () => {
        const graph = await freshGraph();
        await loadFiles([path.join(REPO_ROOT, "data", "articles")], graph.loader);
        server = await startServer(loadConfig({ PORT: 0, NODE_ENV: "test" }), graph.driver, DATABASE);
    });
    after(async () => {
        await server?.close();
        await closeTestDriver();
    });

    it("has the import command and at least seven GraphQL examples", () => {
        assert.equal(examples.filter((e) => e.language === "sh").length, 1);
        assert.ok(examples.filter((e) => e.language === "graphql").length >= 7, JSON.stringify(examples.map((e) => e.code.split("\n")[0])));
    });

    it("imports the list as the README shows and prints what it says", async () => {
        const example = examples.find((e) => e.language === "sh")!;
        const run = await runCli(example.code);
        assert.equal(run.code, 0, run.stderr);
        for (const value of answerValues(example.answer)) assert.ok(run.stdout.includes(value), `'${value}' in:\n${run.stdout}`);
        assert.match(run.stdout, /skipped: line \d+: .* aircraft/);
    });

    it("answers every GraphQL example with the values its answer names", async () => {
        for (const example of examples.filter((e) => e.language === "graphql")) {
            const result = await graphql(server.url, example.code);
            assert.equal(result.errors, undefined, `${example.code.split("\n")[0]}: ${JSON.stringify(result.errors)}`);
            const text = JSON.stringify(result.data);
            const values = answerValues(example.answer);
            assert.ok(values.length >= 2, example.answer);
            for (const value of values) assert.ok(text.includes(value), `${example.code.split("\n")[0]}: '${value}' not in ${text.slice(0, 2000)}`);
        }
    });

    it("gives the counts the answers state", async () => {
        const notInNews = await graphql(server.url, examples.find((e) => e.code.includes("designationsNotInNews"))!.code);
        assert.equal(notInNews.data!.designationsNotInNews.length, 11);
        const lag = await graphql(server.url, examples.find((e) => e.code.includes("designationReportLag"))!.code);
        assert.deepEqual(
            lag.data!.designationReportLag.map((r: { entity: { name: string }; reportLagDays: number }) => [r.entity.name, r.reportLagDays]).sort(),
            [["Ni Gaobin", 1], ["Wuhan Xiaoruizhi Science and Technology Company", 1], ["Zhao Guangzong", 1]],
        );
        const linked = await graphql(server.url, examples.find((e) => e.code.includes("Linked To:"))!.code);
        assert.equal(linked.data!.people[0].affiliates.length, 7);
        assert.equal(linked.data!.threatActors[0].affiliatesConnection.totalCount, 17);
        const tornado = await graphql(server.url, examples.find((e) => e.code.includes("TORNADO CASH"))!.code);
        assert.deepEqual(tornado.data!.organizations[0].designations.map((d: { listedOn: string; delistedOn: string | null }) => [d.listedOn, d.delistedOn]), [["2022-08-08", "2022-11-07"], ["2022-11-09", null]]);
    });
});
