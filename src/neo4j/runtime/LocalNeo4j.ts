/**
 * The local Neo4j runtime: Neo4j Community 5.26 + Browser + APOC from Maven Central, started with Java 17
 * as `java … org.neo4j.server.CommunityEntryPoint --console-mode` (what the official launcher runs).
 *
 * Layout under `home` (default `.neo4j/`, git-ignored):
 *   lib/ (server + browser jars)  plugins/ (APOC)  conf/neo4j.conf  data/  logs/  run/neo4j.pid  password (0600)
 *
 * The jars are fetched on first use with `mvn dependency:copy-dependencies` over `neo4j/pom.xml`
 * (never in an npm install script: npm 11 may skip those).
 * @see https://neo4j.com/docs/operations-manual/5/configuration/configuration-settings/
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import neo4j from "neo4j-driver";
import { REPO_ROOT, type Config } from "../../config.ts";
import { Neo4jRuntimeError } from "../../errors.ts";
import { fewOf, isAlive, javaAt, missingFetchedFiles, readTail, recordFetchedFiles } from "../../java-process.ts";
import { log } from "../../log.ts";

const logger = log.child({ module: "neo4j-runtime" });
type RuntimeConfig = Config["runtime"];
const POM = path.join(REPO_ROOT, "neo4j", "pom.xml");

/** The runtime part of the config (home, ports, heap, page cache, start timeout, JAVA_HOME), plus: */
export interface LocalNeo4jOptions extends RuntimeConfig {
    /** Overrides the generated password (NEO4J_PASSWORD). */
    password?: string;
    /** Where the cyberkg service runs, for the Browser's post-connect style and guide. */
    serviceUrl?: string;
    /** Share the jars of another home (tests use a throwaway data dir but the fetched jars). */
    jarsHome?: string;
}

export interface RuntimeStatus {
    running: boolean;
    pid?: number;
    boltUri: string;
    browserUrl: string;
    home: string;
}

/** JVM flags the official launcher passes; heap and --add-opens only work on the command line. */
const JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
];

export class LocalNeo4j {
    readonly home: string;
    private child?: ChildProcess;

    constructor(private readonly options: LocalNeo4jOptions) {
        this.home = path.resolve(options.home);
    }

    /** True when this object started the server (so it should stop it), false when it found one running. */
    get ownsProcess(): boolean {
        return this.child !== undefined;
    }

    get boltUri(): string {
        return `bolt://127.0.0.1:${this.options.boltPort}`;
    }
    get browserUrl(): string {
        return `http://127.0.0.1:${this.options.httpPort}/browser/`;
    }
    private get jarsHome(): string {
        return path.resolve(this.options.jarsHome ?? this.home);
    }
    private dir(name: "lib" | "plugins"): string {
        return path.join(this.jarsHome, name);
    }
    private get confDir(): string {
        return path.join(this.home, "conf");
    }
    private get pidFile(): string {
        return path.join(this.home, "run", "neo4j.pid");
    }
    get passwordFile(): string {
        return path.join(this.home, "password");
    }

    /**
     * Fetches the jars once (a marker file records the pom's hash, so a changed pom refetches), and again when some
     * of them have gone missing since (the marker's file list); without Maven, one line says what is missing and
     * what to run.
     */
    ensureFetched(onProgress: (msg: string) => void = () => {}): void {
        const marker = path.join(this.jarsHome, ".fetched");
        const pomHash = createHash("sha256").update(fs.readFileSync(POM)).digest("hex");
        let missing: string[] = [];
        if (fs.existsSync(marker) && fs.readFileSync(marker, "utf8") === pomHash) {
            missing = missingFetchedFiles(this.jarsHome, marker, NEO4J_JARS);
            if (missing.length === 0) return;
        }
        const incomplete = missing.length > 0 ? `Neo4j's jars are incomplete: ${fewOf(missing)} missing from ${this.jarsHome}` : "";
        requireCommand(
            "mvn",
            ["-v"],
            incomplete
                ? `${incomplete}, and Maven is needed to fetch them again: install it (apt-get install maven), then run \`npx cyberkg neo4j fetch\`; or set NEO4J_URI to use an existing Neo4j`
                : "Maven is needed once to fetch Neo4j from Maven Central: install it (apt-get install maven), or set NEO4J_URI to use an existing Neo4j",
            Boolean(incomplete),
        );
        onProgress(incomplete ? `${incomplete}; fetching them again from Maven Central…` : "Fetching Neo4j 5.26, Neo4j Browser and APOC from Maven Central (first run only)…");
        fs.rmSync(this.dir("lib"), { recursive: true, force: true });
        fs.rmSync(this.dir("plugins"), { recursive: true, force: true });
        for (const [profile, dir] of [["server", "lib"], ["plugins,!server", "plugins"]] as const) {
            const result = spawnSync(
                "mvn",
                ["-q", "-B", "-f", POM, "-P", profile, "dependency:copy-dependencies", `-DoutputDirectory=${this.dir(dir)}`],
                { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
            );
            if (result.status !== 0) {
                const detail = `${result.stdout}\n${result.stderr}`.split("\n").find((l) => l.includes("ERROR")) ?? "";
                throw new Neo4jRuntimeError(
                    `Fetching Neo4j from Maven Central failed (${detail.replace(/\u001b\[[0-9;]*m/g, "").trim().slice(0, 300)}): check network access to Maven Central or ~/.m2/settings.xml, then retry`,
                );
            }
        }
        recordFetchedFiles(marker, [this.dir("lib"), this.dir("plugins")]);
        fs.writeFileSync(`${marker}.${process.pid}`, pomHash);
        fs.renameSync(`${marker}.${process.pid}`, marker);
    }

    /** Writes conf/neo4j.conf (5.x keys only: strict validation rejects anything else). */
    writeConfig(): void {
        fs.mkdirSync(this.confDir, { recursive: true });
        for (const d of ["data", "logs", "run", "import"]) fs.mkdirSync(path.join(this.home, d), { recursive: true });
        const { boltPort, httpPort, pagecache, serviceUrl } = this.options;
        const lines = [
            "# Generated by cyberkg (src/neo4j/runtime/LocalNeo4j.ts) on every start: edit the code, not this file.",
            `server.directories.data=${path.join(this.home, "data")}`,
            `server.directories.logs=${path.join(this.home, "logs")}`,
            `server.directories.run=${path.join(this.home, "run")}`,
            `server.directories.import=${path.join(this.home, "import")}`,
            `server.directories.plugins=${this.dir("plugins")}`,
            `server.directories.lib=${this.dir("lib")}`,
            "server.default_listen_address=127.0.0.1",
            "server.bolt.enabled=true",
            `server.bolt.listen_address=127.0.0.1:${boltPort}`,
            `server.bolt.advertised_address=localhost:${boltPort}`,
            "server.bolt.tls_level=DISABLED",
            "server.http.enabled=true",
            `server.http.listen_address=127.0.0.1:${httpPort}`,
            `server.http.advertised_address=localhost:${httpPort}`,
            "server.https.enabled=false",
            "dbms.security.auth_enabled=true",
            "dbms.usage_report.enabled=false",
            // Offline by design: no product analytics from Neo4j Browser either.
            "client.allow_telemetry=false",
            `server.memory.pagecache.size=${pagecache}`,
            "dbms.security.procedures.unrestricted=apoc.*",
            "dbms.security.procedures.allowlist=apoc.*",
            "db.transaction.timeout=60s",
            "server.logs.debug.enabled=true",
            "browser.remote_content_hostname_whitelist=localhost,127.0.0.1",
        ];
        if (serviceUrl) lines.push(`browser.post_connect_cmd=style ${serviceUrl}/browser/style.grass; guide ${serviceUrl}/browser/start.html`);
        fs.writeFileSync(path.join(this.confDir, "neo4j.conf"), lines.join("\n") + "\n");
    }

    /** The password: NEO4J_PASSWORD, else the one generated on first start and kept in a 0600 file. */
    password(): string {
        if (this.options.password) return this.options.password;
        if (fs.existsSync(this.passwordFile)) return fs.readFileSync(this.passwordFile, "utf8").trim();
        fs.mkdirSync(this.home, { recursive: true });
        const generated = randomBytes(18).toString("base64url");
        fs.writeFileSync(this.passwordFile, generated + "\n", { mode: 0o600 });
        return generated;
    }

    /**
     * Sets the initial password before the first start (Neo4j's default neo4j/neo4j must be changed). `--` ends the
     * options: a generated base64url password starts with "-" one time in 64, and neo4j-admin took it for an option.
     */
    private ensureInitialPassword(java: string): void {
        if (fs.existsSync(path.join(this.home, "data", "dbms", "auth.ini"))) return;
        const result = spawnSync(
            java,
            ["-cp", `${this.dir("lib")}/*`, "org.neo4j.cli.AdminTool", "dbms", "set-initial-password", "--", this.password()],
            { encoding: "utf8", env: { ...process.env, NEO4J_HOME: this.home, NEO4J_CONF: this.confDir } },
        );
        if (result.status !== 0) throw new Neo4jRuntimeError(`Setting the initial Neo4j password failed: ${result.stderr.trim().slice(0, 300)}`);
    }

    /**
     * Runs `neo4j-admin` (org.neo4j.cli.AdminTool) against this home, e.g. `["database", "dump", "neo4j", "--to-path=…"]`;
     * the jars are fetched and the config written first. Resolves with the exit code and the output.
     */
    adminTool(args: string[]): { status: number | null; output: string } {
        const java = findJava(this.options.javaHome);
        this.ensureFetched();
        this.writeConfig();
        const result = spawnSync(java, ["-cp", `${this.dir("lib")}/*`, "org.neo4j.cli.AdminTool", ...args], {
            encoding: "utf8",
            env: { ...process.env, NEO4J_HOME: this.home, NEO4J_CONF: this.confDir },
            maxBuffer: 64 * 1024 * 1024,
        });
        return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}`.trim() };
    }

    /** The store directory of a database of this home (exists once the database was created or loaded). */
    databaseDir(database: string): string {
        return path.join(this.home, "data", "databases", database);
    }

    /** Pid of a server started from this home, if it is alive. */
    runningPid(): number | undefined {
        if (!fs.existsSync(this.pidFile)) return undefined;
        const pid = Number(fs.readFileSync(this.pidFile, "utf8").trim());
        if (!Number.isInteger(pid) || pid <= 0) return undefined;
        // A stale pid file (after a reboot) may name an unrelated process: only a Neo4j of this home counts.
        try {
            const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
            return cmdline.includes("CommunityEntryPoint") && cmdline.includes(`--home-dir=${this.home}`) ? pid : undefined;
        } catch {
            return isAlive(pid) && process.platform !== "linux" ? pid : undefined;
        }
    }

    /**
     * Starts the server and waits until Bolt answers. `detached` leaves it running after this process exits
     * (`cyberkg neo4j start`); otherwise it is this process's child and stops with it.
     */
    async start({ detached = false, onProgress = (_: string) => {} }: { detached?: boolean; onProgress?: (msg: string) => void } = {}): Promise<void> {
        const existing = this.runningPid();
        if (existing && this.isStopping(existing)) {
            // `npm start` again right after Ctrl-C: the old server may still answer for a moment, then go.
            onProgress(`Neo4j (pid ${existing}) from ${this.home} is shutting down; waiting for it to exit, then starting a new one`);
            const deadline = Date.now() + 120_000;
            while (isAlive(existing) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
            if (isAlive(existing)) throw new Neo4jRuntimeError(`Neo4j (pid ${existing}) is still shutting down after 2 minutes: wait for it, or stop it with \`kill ${existing}\`, then start again`);
        } else if (existing) {
            onProgress(`Neo4j is already running (pid ${existing}) from ${this.home}`);
            try {
                // Answers, or exits meanwhile: a Neo4j still shutting down (just after Ctrl-C) is waited for.
                await this.waitReady(() => !isAlive(existing));
                return;
            } catch (error) {
                if (isAlive(existing) || error instanceof Neo4jRuntimeError) throw error;
                onProgress(`That Neo4j (pid ${existing}) was shutting down and has exited; starting a new one`);
                fs.rmSync(this.pidFile, { force: true });
            }
        }
        const java = findJava(this.options.javaHome);
        this.ensureFetched(onProgress);
        await assertPortFree(this.options.boltPort, "Bolt", "NEO4J_BOLT_PORT or --bolt-port");
        await assertPortFree(this.options.httpPort, "HTTP", "NEO4J_HTTP_PORT or --http-port");
        this.writeConfig();
        this.ensureInitialPassword(java);
        const consoleLog = path.join(this.home, "logs", "console.log");
        const out = fs.openSync(consoleLog, "a");
        const classpath = [this.dir("plugins"), this.confDir, this.dir("lib")].map((d) => `${d}/*`).join(":");
        const args = [
            "-cp", classpath,
            `-Xms${this.options.heap}`, `-Xmx${this.options.heap}`,
            ...JVM_FLAGS,
            "org.neo4j.server.CommunityEntryPoint",
            `--home-dir=${this.home}`,
            `--config-dir=${this.confDir}`,
            "--console-mode",
        ];
        onProgress(`Starting Neo4j (Bolt ${this.boltUri}, HTTP :${this.options.httpPort}); log: ${consoleLog}`);
        const child = spawn(java, args, { detached, stdio: ["ignore", out, out], env: { ...process.env, NEO4J_HOME: this.home, NEO4J_CONF: this.confDir } });
        fs.closeSync(out);
        this.child = child;
        fs.writeFileSync(this.pidFile, String(child.pid));
        if (detached) child.unref();
        let exited: number | null | undefined;
        child.once("exit", (code) => {
            exited = code;
        });
        try {
            await this.waitReady(() => exited !== undefined);
        } catch (error) {
            const tail = readTail(consoleLog, 15);
            await this.stop();
            if (error instanceof Neo4jRuntimeError) throw error; // the password was rejected: that line says it all
            const why = exited !== undefined ? `Neo4j exited with code ${exited}` : `Neo4j did not answer on ${this.boltUri} within ${this.options.startTimeoutMs / 1000}s`;
            throw new Neo4jRuntimeError(`${why}. Last lines of ${consoleLog}:\n${tail}`, { cause: error });
        }
        logger.info({ pid: child.pid, bolt: this.boltUri }, "neo4j started");
    }

    /**
     * Polls Bolt until it answers with our credentials and the default database takes transactions: Bolt and
     * the system database come up before the default database, and a query in that gap fails with
     * Neo.TransientError.General.DatabaseUnavailable (CI: a benchmark's first query, right after "started").
     */
    async waitReady(hasExited: () => boolean = () => false, timeoutMs = this.options.startTimeoutMs): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        const driver = neo4j.driver(this.boltUri, neo4j.auth.basic("neo4j", this.password()), { logging: undefined, connectionTimeout: 2000 });
        try {
            for (;;) {
                if (hasExited()) throw new Error("process exited");
                try {
                    // verifyAuthentication resolves false (does not throw) for rejected credentials.
                    if (!(await driver.verifyAuthentication())) {
                        throw Object.assign(new Error("authentication failed"), { code: "Neo.ClientError.Security.Unauthorized" });
                    }
                    await driver.executeQuery("RETURN 1");
                    return;
                } catch (error) {
                    const code = (error as { code?: string }).code ?? "";
                    if (code.startsWith("Neo.ClientError.Security")) {
                        throw new Neo4jRuntimeError(
                            `Neo4j at ${this.boltUri} rejected the password: it was set when ${this.home}/data was created. Use that password (NEO4J_PASSWORD or ${this.passwordFile}), or delete ${this.home}/data to start over`,
                        );
                    }
                    if (Date.now() > deadline) throw error;
                }
                await new Promise((r) => setTimeout(r, 500));
            }
        } finally {
            await driver.close();
        }
    }

    /** Marks a server as shutting down (for a start that comes meanwhile, from another process). */
    private get stoppingFile(): string {
        return path.join(this.home, "run", "neo4j.stopping");
    }
    private isStopping(pid: number): boolean {
        try {
            return fs.readFileSync(this.stoppingFile, "utf8").trim() === String(pid);
        } catch {
            return false;
        }
    }

    /** Stops the server gracefully (SIGTERM: Neo4j checkpoints and shuts down), SIGKILL after 60 s. */
    async stop(): Promise<boolean> {
        // Our child, unless it has exited (another process may have restarted the server from this home meanwhile).
        const child = this.child && this.child.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
        const pid = child ?? this.runningPid();
        if (!pid) return false;
        fs.mkdirSync(path.dirname(this.stoppingFile), { recursive: true });
        fs.writeFileSync(this.stoppingFile, String(pid));
        try {
            process.kill(pid, "SIGTERM");
        } catch {
            /* already gone */
        }
        const deadline = Date.now() + 60_000;
        while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
        if (isAlive(pid)) process.kill(pid, "SIGKILL");
        // Only our own files: a new server may have started from this home meanwhile (see start()).
        for (const file of [this.pidFile, this.stoppingFile]) {
            try {
                if (fs.readFileSync(file, "utf8").trim() === String(pid)) fs.rmSync(file, { force: true });
            } catch {
                /* already gone */
            }
        }
        this.child = undefined;
        logger.info({ pid }, "neo4j stopped");
        return true;
    }

    status(): RuntimeStatus {
        const pid = this.runningPid();
        return { running: pid !== undefined, pid, boltUri: this.boltUri, browserUrl: this.browserUrl, home: this.home };
    }
}

/** Java 17 (or 21): JAVA_HOME if set, else `java` on PATH. */
export function findJava(javaHome?: string): string {
    const { java, major } = javaAt(javaHome);
    if (major === undefined) {
        throw new Neo4jRuntimeError(`Java was not found (${java}): install Java 17 (apt-get install openjdk-17-jre-headless) or set JAVA_HOME, or set NEO4J_URI to use an existing Neo4j`);
    }
    if (major !== 17 && major !== 21) {
        throw new Neo4jRuntimeError(`Neo4j 5.26 needs Java 17 or 21, but ${java} is Java ${major}: set JAVA_HOME to a Java 17 installation`);
    }
    return java;
}

/** The jars a fetch must have left (the pom's direct artifacts), for a fetch that recorded no file list. */
const NEO4J_JARS = [
    { dir: "lib", pattern: /^neo4j-5\.[\d.]+\.jar$/, name: "neo4j-5.26.x.jar" },
    { dir: "lib", pattern: /^neo4j-browser-.*\.jar$/, name: "neo4j-browser.jar" },
    { dir: "plugins", pattern: /^apoc-core-.*\.jar$/, name: "apoc-core.jar" },
];

/** `message` alone when `whole` (it already names the command), else "'mvn' was not found: <message>". */
function requireCommand(command: string, args: string[], hint: string, whole = false): void {
    const result = spawnSync(command, args, { encoding: "utf8" });
    if (result.error) throw new Neo4jRuntimeError(whole ? hint : `'${command}' was not found: ${hint}`);
}

export async function assertPortFree(port: number, what: string, option: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
        const server = net.createServer();
        server.once("error", () =>
            reject(new Neo4jRuntimeError(`Port ${port} (${what}) on 127.0.0.1 is busy: stop what uses it (\`ss -ltnp 'sport = :${port}'\`) or choose another port with ${option}`)),
        );
        server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
    });
}

/** A free TCP port on loopback (for throwaway test servers). */
export async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            const port = typeof address === "object" && address ? address.port : 0;
            server.close(() => resolve(port));
        });
    });
}


