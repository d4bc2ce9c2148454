/**
 * Sanctions-list import benchmark: rows per second importing a synthetic OFAC SDN CSV (OFAC's legacy format: no
 * header, `-0- ` for empty, `SURNAME, Given` individuals, entities with legal forms, programs joined by `] [`,
 * remarks with DOB/POB/nationality, a.k.a., Linked To: earlier entries, identifiers, digital currency addresses)
 * into a throwaway local Neo4j (or NEO4J_URI with CYBERKG_TEST_ALLOW_WIPE=1), after the demo articles; then the
 * same file again (every entry unchanged) and the real 244-row list of ../shared/data/ofac.
 *   npm run bench:sanctions -- [rows=20000]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import "../src/neo4j/tcp-nodelay.ts";
import neo4j from "neo4j-driver";
import { FactLoader } from "../src/loader/FactLoader.ts";
import { loadFiles } from "../src/loader/load-files.ts";
import { unitFromRegistry } from "../src/loader/registry-unit.ts";
import { applySchema } from "../src/neo4j/cypher-files.ts";
import { Registry } from "../src/registry/Registry.ts";
import { REPO_ROOT } from "../src/config.ts";
import { readListingHistory } from "../src/sanctions/history.ts";
import { importOfacSdn } from "../src/sanctions/import-ofac.ts";
import { provideNeo4j } from "../test/helpers/neo4j-server.ts";
import { sharedPath } from "../test/helpers/shared.ts";

const rows = Number(process.argv[2] ?? 20000);
const SURNAMES = ["IVANOV", "PETROV", "SMIRNOV", "ZHANG", "WANG", "LI", "KIM", "PARK", "HOSSEINI", "AHMADI", "KOVALENKO", "NOVAK"];
const GIVEN = ["Aleksandr Sergeyevich", "Dmitriy", "Wei", "Jin Hyok", "Mohammad Reza", "Olena", "Pavel Igorevich", "Li Ming"];
const WORDS = ["NORTH", "STAR", "CYBER", "TECH", "TRADE", "GLOBAL", "DIGITAL", "SECURITY", "NETWORK", "CAPITAL", "SYSTEMS", "LAB"];
const FORMS = [", LIMITED", " LLC", ", OOO", " CO. LTD.", "", " JSC"];
const PROGRAMS = ["CYBER2", "CYBER2] [ELECTION-EO13848", "DPRK3] [CYBER2", "CYBER2] [RUSSIA-EO14024", "IRGC] [CYBER2"];
const COUNTRIES = ["Russia", "China", "Iran", "Korea, North", "Ukraine"];
const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
const E = "-0- ";

function nameOf(i: number): { name: string; individual: boolean } {
    if (i % 5 < 3) return { name: `${SURNAMES[i % SURNAMES.length]}${i}, ${GIVEN[(i * 7) % GIVEN.length]}`, individual: true };
    return { name: `${WORDS[i % WORDS.length]} ${WORDS[(i * 5 + 3) % WORDS.length]} ${i}${FORMS[i % FORMS.length]}`, individual: false };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cyberkg-bench-sdn-"));
const file = path.join(dir, "sdn-synthetic.csv");
const out = fs.createWriteStream(file);
for (let i = 0; i < rows; i++) {
    const entNum = 100000 + i;
    const { name, individual } = nameOf(i);
    const remarks: string[] = [];
    if (individual) remarks.push(`DOB ${1 + (i % 28)} Jan ${1960 + (i % 40)}`, `POB Moscow, ${COUNTRIES[i % COUNTRIES.length]}`, `nationality ${COUNTRIES[i % COUNTRIES.length]}`, `Gender ${i % 2 ? "Male" : "Female"}`, `Passport ${700000000 + i} (Russia)`);
    else remarks.push(`Organization Established Date ${1 + (i % 28)} Mar ${1995 + (i % 25)}`, `Registration Number ${1000000 + i}`, `Website www.example${i}.test`);
    if (i % 3 === 0) remarks.push(`a.k.a. '${individual ? `ALIAS${i}` : `${WORDS[(i + 1) % WORDS.length]} ${i} GROUP`}'`);
    if (i % 4 === 0) remarks.push(`Digital Currency Address - XBT bc1q${i.toString(16).padStart(38, "0")}`);
    if (i > 10 && i % 2 === 0) remarks.push(`Linked To: ${nameOf(i - 1 - (i % 9)).name}`);
    remarks.push("Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201");
    out.write([entNum, q(name), individual ? q("individual") : E, q(PROGRAMS[i % PROGRAMS.length]!), E, E, E, E, E, E, E, q(remarks.join("; ") + ".")].join(",") + "\r\n");
}
await new Promise((r) => out.end(r));

const server = await provideNeo4j();
const driver = neo4j.driver(server.uri, neo4j.auth.basic(server.user, server.password), { disableLosslessIntegers: true });
try {
    if (server.kind === "external" && process.env.CYBERKG_TEST_ALLOW_WIPE !== "1") throw new Error("Refusing to wipe NEO4J_URI: set CYBERKG_TEST_ALLOW_WIPE=1 for a disposable database");
    const session = driver.session();
    // relationships first: a hub such as OFAC (one MENTIONS and one SANCTIONED per entry) is too big to detach in one go
    await session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS");
    await session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS");
    await session.close();
    await applySchema(driver, "neo4j");
    const registry = Registry.load();
    const loader = new FactLoader(driver, "neo4j", registry);
    await loader.load(unitFromRegistry(registry));
    await loadFiles([path.join(REPO_ROOT, "data", "articles")], loader);

    let peakRss = 0;
    const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
    const timed = async (label: string, f: string, options: Parameters<typeof importOfacSdn>[5]) => {
        const started = performance.now();
        const summary = await importOfacSdn(driver, "neo4j", loader, registry, f, { ...options, onEntry: sample });
        const s = (performance.now() - started) / 1000;
        process.stdout.write(`${label}: ${summary.rows} rows in ${s.toFixed(1)} s = ${(summary.rows / s).toFixed(0)} rows/s (${summary.loaded} loaded, ${summary.unchanged} unchanged, ${summary.matched} matched, ${summary.new} new, ${summary.ambiguous} ambiguous, ${summary.links} links, ${summary.bad.length} bad)\n`);
    };
    await timed(`synthetic ${rows}-row SDN file, first import`, file, { snapshotDate: "2024-05-03" });
    await timed(`the same file again (unchanged)`, file, { snapshotDate: "2024-05-03" });
    const history = await readListingHistory(sharedPath("data", "ofac", "cyber-listing-history.csv"));
    await timed("real OFAC cyber list (244 rows) with its history", sharedPath("data", "ofac", "sdn-cyber-2024-05-03.csv"), { snapshotDate: "2024-05-03", history });
    process.stdout.write(`peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB; machine: ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}\n`);
} finally {
    await driver.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
}
