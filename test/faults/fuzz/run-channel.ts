/**
 * One fuzz channel in its own process (started by test/faults/fuzz.test.ts, which time-boxes every input: a hang,
 * even in synchronous code, cannot stop its watchdog). For each generated input it runs the real code path of the
 * channel against the real Neo4j (NEO4J_URI) and prints one JSON line:
 *   {"i":…, "kind":…, "outcome":"rejected"|"stored"|"timeboxed", "ms":…, "violation"?: "…"}
 * A violation is: a crash (an error that is not one of ours, HTTP 5xx, a stack trace in a message), an error that
 * does not name the input, a write by a rejected input (node or relationship counts changed), a stored input whose
 * claims in the graph differ from what was reported or whose name was not stored as given, a look-alike that became
 * a twin, a polluted Object prototype, or an outcome its case forbids (`reject` stored, `store` rejected).
 *
 * Usage: tsx test/faults/fuzz/run-channel.ts <load|ingestFacts|extract|stix>; env FUZZ_SEED, FUZZ_INPUTS, FUZZ_DIR.
 */
import fs from "node:fs";
import path from "node:path";
import type { Driver } from "neo4j-driver";
import { loadConfig } from "../../../src/config.ts";
import { CyberkgError } from "../../../src/errors.ts";
import { createDriver } from "../../../src/neo4j/connection.ts";
import { FactLoader } from "../../../src/loader/FactLoader.ts";
import { loadFiles } from "../../../src/loader/load-files.ts";
import { Registry } from "../../../src/registry/Registry.ts";
import { generate, type Channel, type HostileInput } from "./generate.ts";

const channel = process.argv[2] as Channel;
const SEED = process.env.FUZZ_SEED ?? "cyberkg";
const INPUTS = Number(process.env.FUZZ_INPUTS ?? 10_000);
const START = Number(process.env.FUZZ_START ?? 0);
const DIR = process.env.FUZZ_DIR ?? fs.mkdtempSync("/tmp/cyberkg-fuzz-");
const DATABASE = "neo4j";
/** The extractor's own time box for one article (EXTRACT_TIMEOUT_MS in production); the parent's watchdog is longer. */
const EXTRACT_BOX_MS = Number(process.env.FUZZ_EXTRACT_TIMEOUT_MS ?? 10_000);

type Outcome = { outcome: "rejected" | "stored" | "timeboxed"; message?: string; claims?: number };

const driver: Driver = createDriver({ uri: process.env.NEO4J_URI!, user: process.env.NEO4J_USER ?? "neo4j", password: process.env.NEO4J_PASSWORD!, database: DATABASE });
const registry = Registry.load();
const loader = new FactLoader(driver, DATABASE, registry);

async function counts(): Promise<string> {
    const { records } = await driver.executeQuery("CALL () { MATCH (n) RETURN count(n) AS n } CALL () { MATCH ()-[r]->() RETURN count(r) AS r } RETURN n, r", {}, { database: DATABASE });
    return `${records[0]!.get("n")}/${records[0]!.get("r")}`;
}

async function claimsOf(articleId: string): Promise<number> {
    const { records } = await driver.executeQuery("MATCH (:Source {id: $id})<-[:FROM]-(c:Claim) RETURN count(c) AS n", { id: articleId }, { database: DATABASE });
    return records[0]!.get("n") as number;
}

async function subjectsOf(articleId: string): Promise<{ id: string; name: string }[]> {
    const { records } = await driver.executeQuery("MATCH (:Source {id: $id})<-[:FROM]-(c:Claim)-[:SUBJECT]->(e) RETURN DISTINCT e.id AS id, e.name AS name ORDER BY id", { id: articleId }, { database: DATABASE });
    return records.map((r) => ({ id: r.get("id"), name: r.get("name") }));
}

async function namesStored(name: string): Promise<number> {
    const { records } = await driver.executeQuery("MATCH (e:Entity) WHERE e.name = $name OR $name IN coalesce(e.aliases, []) RETURN count(e) AS n", { name }, { database: DATABASE });
    return records[0]!.get("n") as number;
}

function fileFor(input: HostileInput, suffix = ""): string {
    const file = path.join(DIR, `${channel}-${input.i}${suffix}${input.ext}`);
    return file;
}

/** Our errors name what was wrong; anything else (TypeError, RangeError, a driver error) escaped as a crash. */
function asRejection(error: unknown): Outcome {
    if (!(error instanceof CyberkgError)) throw Object.assign(new Error(`crash: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`.slice(0, 500)), { violation: true });
    return { outcome: "rejected", message: error.message, claims: 0 };
}

// ---- channels ------------------------------------------------------------------------------------------------

async function viaLoad(input: HostileInput, bytes = input.bytes, suffix = ""): Promise<Outcome> {
    const file = fileFor(input, suffix);
    fs.writeFileSync(file, bytes);
    try {
        const summary = await loadFiles([file], loader);
        if (summary.rejected > 0) {
            if (summary.loaded + summary.replaced + summary.unchanged > 0) return { outcome: "stored", message: summary.errors.map((e) => e.message).join("; "), claims: summary.claims };
            return { outcome: "rejected", message: summary.errors.map((e) => e.message).join("; ") };
        }
        if (summary.loaded + summary.replaced + summary.unchanged === 0) return { outcome: "rejected", message: "" }; // nothing in the file
        return { outcome: "stored", claims: summary.claims };
    } catch (error) {
        return asRejection(error);
    } finally {
        fs.rmSync(file, { force: true });
    }
}

let api: { url: string; token: string; close: () => Promise<void> } | undefined;
async function viaIngestFacts(input: HostileInput, bytes = input.bytes): Promise<Outcome> {
    if (!api) {
        const { startServer } = await import("../../../src/api/server.ts");
        const { issueToken } = await import("../../../src/api/issue-token.ts");
        const secret = "cyberkg-fuzz-secret-0123456789-abcdefghij";
        const server = await startServer(loadConfig({ PORT: 0, NODE_ENV: "production", JWT_SECRET: secret, LOG_LEVEL: "silent" }), driver, DATABASE);
        api = { url: server.url, token: await issueToken(secret, ["editor"], "2h", "fuzz"), close: () => server.close() };
    }
    const response = await fetch(api.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${api.token}` }, body: new Uint8Array(bytes), signal: AbortSignal.timeout(60_000) });
    const text = await response.text();
    if (response.status >= 500) throw Object.assign(new Error(`HTTP ${response.status}: ${text.slice(0, 300)}`), { violation: true });
    let body: { data?: { ingestFacts?: { status: string; claims: number } | null }; errors?: { message: string; extensions?: { code?: string } }[] };
    try {
        body = JSON.parse(text);
    } catch {
        throw Object.assign(new Error(`HTTP ${response.status}, not a JSON answer: ${text.slice(0, 200)}`), { violation: true });
    }
    const error = body.errors?.[0];
    if (error) {
        const code = error.extensions?.code ?? "";
        if (!["FACTS_INVALID", "BAD_USER_INPUT", "BAD_REQUEST", "PAYLOAD_TOO_LARGE", "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"].includes(code)) throw Object.assign(new Error(`error code ${code || "(none)"}: ${error.message.slice(0, 300)}`), { violation: true });
        return { outcome: "rejected", message: `HTTP ${response.status} ${code}: ${error.message}` };
    }
    const result = body.data?.ingestFacts;
    if (!result) throw Object.assign(new Error(`no data and no error: ${text.slice(0, 200)}`), { violation: true });
    return { outcome: "stored", claims: result.claims };
}

let extractSettings: import("../../../src/cli/extract.ts").ExtractSettings | undefined;
async function viaExtract(input: HostileInput): Promise<Outcome> {
    const { extractFiles } = await import("../../../src/cli/extract.ts");
    if (!extractSettings) {
        const { openNlp } = await import("../../../src/nlp/index.ts");
        const config = loadConfig();
        extractSettings = { nlp: await openNlp(config), concurrency: 1, maxArticleChars: config.extract.maxArticleChars, timeoutMs: EXTRACT_BOX_MS };
    }
    const file = fileFor(input);
    fs.writeFileSync(file, input.bytes);
    try {
        for await (const result of extractFiles([file], registry, extractSettings)) {
            if (result.error) {
                if (/extraction failed \(/.test(result.error.message)) throw Object.assign(new Error(`extractor crash: ${result.error.message.slice(0, 400)}`), { violation: true });
                const outcome = /took longer than/.test(result.error.message) ? "timeboxed" : "rejected";
                return { outcome, message: result.error.message };
            }
            return { outcome: "stored", claims: result.doc.facts.length };
        }
        throw Object.assign(new Error("extract gave no result for the file"), { violation: true });
    } finally {
        fs.rmSync(file, { force: true });
    }
}

async function viaStix(input: HostileInput): Promise<Outcome> {
    const { readBundle } = await import("../../../src/stix/bundle.ts");
    const { importBundles } = await import("../../../src/stix/import.ts");
    const file = fileFor(input);
    fs.writeFileSync(file, input.bytes);
    try {
        const bundle = readBundle(file);
        const summary = await importBundles(loader, registry, [bundle]);
        if (summary.loaded + summary.replaced === 0) return { outcome: "rejected", message: "nothing imported" };
        return { outcome: "stored", claims: summary.claims };
    } catch (error) {
        return asRejection(error);
    } finally {
        fs.rmSync(file, { force: true });
    }
}

const run = { load: viaLoad, ingestFacts: viaIngestFacts, extract: viaExtract, stix: viaStix }[channel];

// ---- checks ----------------------------------------------------------------------------------------------------

/** The label an error message must name: the file, or the ingestFacts argument / the request. */
function labelOk(input: HostileInput, message: string): boolean {
    if (channel === "ingestFacts") return /ingestFacts\(document\)|Variable "\$document"|JSON|body|request|Syntax Error|Unexpected/i.test(message);
    if (channel === "stix" && message === "nothing imported") return true;
    return message.includes(`${channel}-${input.i}`);
}

async function check(input: HostileInput): Promise<{ outcome: string; violation?: string }> {
    const writes = channel !== "extract";
    if (input.twin && writes) {
        const twin = channel === "ingestFacts" ? await viaIngestFacts(input, (await import("./generate.ts")).ingestBody(input.twin)) : await viaLoad(input, input.twin, "-twin");
        if (twin.outcome !== "stored") return { outcome: twin.outcome, violation: `the ASCII twin was not stored: ${twin.message}` };
    }
    const before = writes ? await counts() : "";
    const result = await run(input);
    const polluted = ({} as Record<string, unknown>).polluted ?? ({} as Record<string, unknown>).isAdmin;
    if (polluted !== undefined) return { outcome: result.outcome, violation: "Object.prototype was polluted" };
    if (result.message !== undefined && /\n\s+at .+:\d+:\d+/.test(result.message)) return { outcome: result.outcome, violation: `a stack trace in the message: ${result.message.slice(0, 300)}` };
    if (result.outcome !== "stored") {
        if (input.expect === "store") return { outcome: result.outcome, violation: `expected to be stored, was ${result.outcome}: ${result.message?.slice(0, 300)}` };
        if (result.message && !labelOk(input, result.message)) return { outcome: result.outcome, violation: `the error does not name the input: ${result.message.slice(0, 300)}` };
        if (writes && (await counts()) !== before) return { outcome: result.outcome, violation: `a rejected input wrote to the graph (${before} → ${await counts()}): ${result.message?.slice(0, 200)}` };
        return { outcome: result.outcome };
    }
    if (input.expect === "reject") return { outcome: "stored", violation: "expected to be rejected, was stored" };
    if (!writes) return { outcome: "stored" };
    if (input.articleId && channel !== "stix") {
        const claims = await claimsOf(input.articleId);
        if (claims !== result.claims || (claims === 0 && !input.noFacts)) return { outcome: "stored", violation: `reported ${result.claims} claims, the graph holds ${claims} for ${input.articleId}` };
    }
    if (input.twin) {
        const mine = await subjectsOf(input.articleId!);
        const twinId = input.articleId!.replace(/-(\d+)$/, "-twin-$1");
        const theirs = await subjectsOf(twinId);
        const actor = (list: { id: string }[]) => list.find((e) => e.id.startsWith("actor:"))?.id;
        if (!actor(mine) || actor(mine) !== actor(theirs)) return { outcome: "stored", violation: `a look-alike became a twin: ${JSON.stringify(mine)} vs ${JSON.stringify(theirs)}` };
    } else if (input.literal && (await namesStored(input.literal.trim())) === 0) {
        return { outcome: "stored", violation: `the name ${JSON.stringify(input.literal)} was not stored as given` };
    }
    return { outcome: "stored" };
}

for (let i = START; i < INPUTS; i++) {
    const input = generate(channel, SEED, i);
    process.stdout.write(JSON.stringify({ start: i, kind: input.kind }) + "\n");
    const started = performance.now();
    let line: Record<string, unknown>;
    try {
        const { outcome, violation } = await check(input);
        line = { i, kind: input.kind, outcome, ms: Math.round(performance.now() - started), violation };
    } catch (error) {
        const violation = (error as { violation?: boolean }).violation ? (error as Error).message : `crash: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`.slice(0, 500);
        line = { i, kind: input.kind, outcome: "crash", ms: Math.round(performance.now() - started), violation };
    }
    process.stdout.write(JSON.stringify(line) + "\n");
}
await api?.close();
await driver.close();
