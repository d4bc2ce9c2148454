/** The public GraphQL API matches the committed snapshot (graphql/api.snapshot.graphql): an API change is a reviewed diff. */
import assert from "node:assert/strict";
import fs from "node:fs";
import { describe, it } from "node:test";
import { SNAPSHOT_FILE, apiSnapshot } from "./schema-snapshot.ts";

describe("the GraphQL API snapshot", () => {
    it("is what the SDL generates (run `npm run schema:snapshot` and review the diff when the change is intended)", async () => {
        const current = await apiSnapshot();
        const committed = fs.readFileSync(SNAPSHOT_FILE, "utf8");
        assert.ok(committed.includes("type Query {") && committed.includes("possiblySameAs(entity: String!)"), "the snapshot holds the root fields");
        if (current === committed) return;
        const a = committed.split("\n"), b = current.split("\n");
        const line = a.findIndex((l, i) => l !== b[i]);
        assert.fail(`graphql/api.snapshot.graphql is out of date from line ${line + 1}:\n  committed: ${a[line] ?? "(end)"}\n  generated: ${b[line] ?? "(end)"}\nrun \`npm run schema:snapshot\` and review the diff`);
    });
});
