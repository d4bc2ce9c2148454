import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { parsePublishedAt } from "./published-at.ts";

describe("--published-at", () => {
    it("keeps the contract's own forms", () => {
        for (const v of ["2024-03-25", "2024-03", "2024", "2024-03-25T09:30:00Z", "2024-03-25T09:30:00+01:00"]) assert.equal(parsePublishedAt(v), v);
    });
    it("reads written months and unambiguous numeric dates", () => {
        assert.equal(parsePublishedAt("25 March 2024"), "2024-03-25");
        assert.equal(parsePublishedAt("March 25, 2024"), "2024-03-25");
        assert.equal(parsePublishedAt("2 Feb 2024"), "2024-02-02");
        assert.equal(parsePublishedAt("25/03/2024"), "2024-03-25");
        assert.equal(parsePublishedAt("03/25/2024"), "2024-03-25");
        assert.equal(parsePublishedAt("02/02/2024"), "2024-02-02");
    });
    it("refuses ambiguous, impossible and unreadable dates, naming the accepted forms", () => {
        assert.throws(() => parsePublishedAt("02/03/2024"), /ambiguous .*YYYY-MM-DD/);
        assert.throws(() => parsePublishedAt("2024-02-30"), /not a calendar date/);
        assert.throws(() => parsePublishedAt("31/02/2024"), /not a calendar date/);
        assert.throws(() => parsePublishedAt("last Tuesday"), /accepted: 2024-03-25/);
        assert.throws(() => parsePublishedAt("March 2024 or so"), /accepted/);
    });
});

describe("cyberkg extract --published-at", () => {
    const cli = path.resolve(import.meta.dirname, "index.ts");
    const article = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-date-")), "a.txt");
    fs.writeFileSync(article, "APT28 hacked the Bundestag\n\nAPT28 breached the Bundestag in 2015.\n");
    const run = (date: string) => spawnSync(process.execPath, ["--import", "tsx", cli, "extract", "--published-at", date, article], { encoding: "utf8", env: process.env });
    it("refuses an ambiguous date with exit code 2 and the reason, before any work", () => {
        const r = run("02/03/2024");
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, /--published-at <date>': "02\/03\/2024" is ambiguous/);
        assert.equal(r.stdout, "");
    });
    it("writes a written-out date into the document as YYYY-MM-DD (NLP_URL: npm run test:unit provides it)", () => {
        const r = run("25 March 2024");
        assert.equal(r.status, 0, r.stderr);
        assert.equal(JSON.parse(r.stdout.trim().split("\n")[0]!).article.publishedAt, "2024-03-25");
    });
});
