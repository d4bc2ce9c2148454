/** Extraction output is a facts document the loader takes as is: article text → facts → Neo4j. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { after, describe, it } from "node:test";
import { REPO_ROOT } from "../../src/config.ts";
import { articleFiles, extractFiles, extractSettings } from "../../src/cli/extract.ts";
import { addResult, emptySummary } from "../../src/loader/load-files.ts";
import { unitFromDocument } from "../../src/loader/load-unit.ts";
import { DATABASE, closeTestDriver, freshGraph } from "../helpers/graph.ts";
import { sharedPath } from "../helpers/shared.ts";

const SHARED_ARTICLE = sharedPath("articles", "000_6ecfceea45088f7c.txt");
const CORPUS = path.join(REPO_ROOT, "test", "fixtures", "articles");

after(closeTestDriver);

describe("ingest: extract + load", () => {
    it("loads the extractor's documents for the whole corpus without a rejection, idempotently", async () => {
        const g = await freshGraph();
        const files = [SHARED_ARTICLE, ...articleFiles([CORPUS]).filter((f) => f.endsWith(".txt"))];
        const docs = [];
        for await (const item of extractFiles(files, g.registry, await extractSettings(files))) {
            assert.equal(item.error, undefined, item.error?.message);
            docs.push({ file: item.file, doc: item.doc! });
        }
        const first = emptySummary();
        for (const { file, doc } of docs) addResult(first, await g.loader.load(unitFromDocument(doc, file)));
        assert.equal(first.loaded, files.length);
        assert.ok(first.claims > files.length, `claims written: ${first.claims}`);
        const again = emptySummary();
        for (const { file, doc } of docs) addResult(again, await g.loader.load(unitFromDocument(doc, file)));
        assert.equal(again.unchanged, files.length);
        const { records } = await g.driver.executeQuery(
            "MATCH (c:Claim)-[:FROM]->(a:Article) WHERE c.extractor = 'cyberkg-extractor' RETURN count(c) AS claims, count(DISTINCT a) AS articles",
            {},
            { database: DATABASE },
        );
        assert.equal(records[0]!.get("articles"), files.length);
    });

    it("runs `cyberkg extract` as a command and pipes into `cyberkg load --dry-run -`", () => {
        const extract = spawnSync(process.execPath, ["bin/cyberkg.js", "extract", SHARED_ARTICLE], { cwd: REPO_ROOT, encoding: "utf8" });
        assert.equal(extract.status, 0, extract.stderr);
        const lines = extract.stdout.trim().split("\n");
        assert.equal(lines.length, 1);
        const load = spawnSync(process.execPath, ["bin/cyberkg.js", "load", "--dry-run", "-"], { cwd: REPO_ROOT, encoding: "utf8", input: extract.stdout });
        assert.equal(load.status, 0, load.stderr);
        assert.match(load.stdout, /1 valid, 0 rejected/);
    });
});
