/**
 * The local CoreNLP runtime for real: a throwaway home sharing the fetched jars (.corenlp/lib, fetched by CI with
 * `npx cyberkg nlp fetch`), started on a free port, annotating, reused by a second start, stopped.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { CoreNlpClient } from "../../src/nlp/client.ts";
import { LocalCoreNLP } from "../../src/nlp/runtime/LocalCoreNLP.ts";
import { freePort } from "../../src/neo4j/runtime/LocalNeo4j.ts";
import { throwawayNlpRuntime } from "../helpers/nlp-server.ts";

describe("local CoreNLP runtime", () => {
    let runtime: LocalCoreNLP;
    let home: string;
    before(async () => {
        ({ runtime, home } = await throwawayNlpRuntime());
    });
    after(async () => {
        await runtime.stop();
        fs.rmSync(home, { recursive: true, force: true });
    });

    it("starts (models loaded), annotates tokens, offsets, lemmas and the dependency parse", async () => {
        assert.equal(runtime.status().running, false);
        const progress: string[] = [];
        assert.equal(await runtime.start({ onProgress: (m) => progress.push(m) }), true);
        assert.match(progress.join("\n"), /Starting Stanford CoreNLP 4\.5\.10 on http:\/\/127\.0\.0\.1:\d+/);
        const status = runtime.status();
        assert.equal(status.running, true);
        assert.ok(status.pid && status.pid > 0);

        const text = "APT28 breached the Bundestag.";
        const doc = await new CoreNlpClient(runtime.url, { timeoutMs: 60_000 }).annotate(text);
        assert.equal(doc.sentences.length, 1);
        const s = doc.sentences[0]!;
        assert.deepEqual(
            s.tokens.map((t) => t.word),
            ["APT28", "breached", "the", "Bundestag", "."],
        );
        for (const t of s.tokens) assert.equal(text.slice(t.begin, t.end), t.text, `offsets of ${t.word}`);
        assert.deepEqual([s.begin, s.end], [0, text.length]);
        const tok = (w: string) => s.tokens.find((t) => t.word === w)!;
        assert.equal(tok("breached").lemma, "breach");
        assert.equal(tok("breached").pos, "VBD");
        const edge = (dep: string) => s.deps.find((d) => d.dep === dep);
        assert.deepEqual(edge("nsubj"), { dep: "nsubj", gov: tok("breached").i, dept: tok("APT28").i });
        assert.deepEqual(edge("obj"), { dep: "obj", gov: tok("breached").i, dept: tok("Bundestag").i });
        assert.deepEqual(edge("ROOT"), { dep: "ROOT", gov: 0, dept: tok("breached").i });
        assert.equal(s.basic.length, s.tokens.length, "the basic parse gives every token one governor");
    });

    it("listens on loopback only", async () => {
        const external = Object.values(os.networkInterfaces())
            .flat()
            .find((a) => a && a.family === "IPv4" && !a.internal);
        assert.equal(await runtime.answering(), true);
        if (!external) return; // no other interface to try
        const port = new URL(runtime.url).port;
        await assert.rejects(fetch(`http://${external.address}:${port}/live`, { signal: AbortSignal.timeout(5000) }), /fetch failed/);
    });

    it("a second start from the same home reuses the running server, whatever port it is given", async () => {
        const again = new LocalCoreNLP({ ...runtime.options, port: await freePort() });
        assert.equal(await again.start(), false);
        assert.equal(again.url, runtime.url);
        assert.equal(again.runningPid(), runtime.runningPid());
    });

    it("stops; a stale pid file naming an unrelated process does not count as running", async () => {
        const pid = runtime.runningPid()!;
        assert.equal(await runtime.stop(), true);
        assert.equal(runtime.status().running, false);
        assert.throws(() => process.kill(pid, 0), "the server process is gone");
        assert.equal(await runtime.answering(1000), false);
        assert.equal(await runtime.stop(), false, "nothing left to stop");
        // This test process is alive but is no CoreNLP of this home.
        fs.writeFileSync(path.join(home, "run", "corenlp.pid"), JSON.stringify({ pid: process.pid, port: 9 }));
        assert.equal(runtime.status().running, false);
        assert.equal(await runtime.stop(), false, "stop never signals an unrelated process");
    });
});

