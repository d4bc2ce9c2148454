/**
 * The local NLP runtime: Stanford CoreNLP 4.5.10 + its English models from Maven Central, started with Java 17 as
 * `java … edu.stanford.nlp.pipeline.StanfordCoreNLPServer` on 127.0.0.1 (the way LocalNeo4j runs Neo4j).
 *
 * Layout under `home` (default `.corenlp/`, git-ignored):
 *   lib/ (CoreNLP + models jars, .fetched = the pom's hash)  launcher/ (the loopback HTTP provider, compiled)
 *   conf/server.properties  logs/server.log  run/corenlp.pid ({pid, port})  tmp/ (the server's java.io.tmpdir)
 *
 * CoreNLP's server has no bind-address flag; `nlp/launcher/…/LoopbackHttpServerProvider.java` (compiled here with
 * javac once) makes the JDK's HTTP server bind 127.0.0.1 instead of every interface.
 * @see https://stanfordnlp.github.io/CoreNLP/corenlp-server.html
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT, type Config } from "../../config.ts";
import { fewOf, isAlive, javaAt, missingFetchedFiles, readTail, recordFetchedFiles } from "../../java-process.ts";
import { log } from "../../log.ts";
import { assertPortFree } from "../../neo4j/runtime/LocalNeo4j.ts";
import { CoreNlpClient } from "../client.ts";
import { NlpRuntimeError } from "../errors.ts";
import { ANNOTATORS, propertiesFile } from "../properties.ts";

const logger = log.child({ module: "corenlp-runtime" });
const POM = path.join(REPO_ROOT, "nlp", "pom.xml");
const LAUNCHER_SRC = path.join(REPO_ROOT, "nlp", "launcher", "dev", "cyberkg", "nlp", "LoopbackHttpServerProvider.java");
const PROVIDER_CLASS = "dev.cyberkg.nlp.LoopbackHttpServerProvider";
const ADD_EXPORTS = "--add-exports=jdk.httpserver/sun.net.httpserver=ALL-UNNAMED";
export const CORENLP_VERSION = "4.5.10";
/** The jars a fetch must have left (the pom's two artifacts), for a fetch that recorded no file list. */
const CORENLP_JARS = [
    { dir: "lib", pattern: /^stanford-corenlp-[\d.]+\.jar$/, name: `stanford-corenlp-${CORENLP_VERSION}.jar` },
    { dir: "lib", pattern: /^stanford-corenlp-[\d.]+-models\.jar$/, name: `stanford-corenlp-${CORENLP_VERSION}-models.jar` },
];

/** The NLP part of the config (home, port, heap, threads, timeouts, JAVA_HOME), plus: */
export interface LocalCoreNLPOptions extends Omit<Config["nlp"], "url"> {
    /** Share the jars of another home (tests: a throwaway home with the fetched jars). */
    jarsHome?: string;
    /** CoreNLP's -maxCharLength (MAX_ARTICLE_CHARS). */
    maxCharLength?: number;
}

export interface NlpRuntimeStatus {
    running: boolean;
    pid?: number;
    url: string;
    home: string;
}

export class LocalCoreNLP {
    readonly home: string;
    private child?: ChildProcess;
    /** The port of the server this home runs (the pid file's, when one runs), else the configured one. */
    private port: number;

    constructor(readonly options: LocalCoreNLPOptions) {
        this.home = path.resolve(options.home);
        this.port = options.port;
    }

    /** True when this object started the server (and it is its child, not detached). */
    get ownsProcess(): boolean {
        return this.child !== undefined;
    }
    get url(): string {
        return `http://127.0.0.1:${this.port}`;
    }
    private get jarsHome(): string {
        return path.resolve(this.options.jarsHome ?? this.home);
    }
    private get libDir(): string {
        return path.join(this.jarsHome, "lib");
    }
    private get launcherDir(): string {
        return path.join(this.jarsHome, "launcher");
    }
    private get pidFile(): string {
        return path.join(this.home, "run", "corenlp.pid");
    }
    get logFile(): string {
        return path.join(this.home, "logs", "server.log");
    }
    private get propertiesPath(): string {
        return path.join(this.home, "conf", "server.properties");
    }

    /**
     * Fetches the jars once (a marker records the pom's hash, so a changed pom refetches), and again when some of
     * them — the models jar, say — have gone missing since (the marker's file list); without Maven, one line says
     * what is missing and what to run.
     */
    ensureFetched(onProgress: (msg: string) => void = () => {}): void {
        const marker = path.join(this.libDir, ".fetched");
        const pomHash = hashOf(fs.readFileSync(POM));
        let missing: string[] = [];
        if (fs.existsSync(marker) && fs.readFileSync(marker, "utf8") === pomHash) {
            missing = missingFetchedFiles(this.jarsHome, marker, CORENLP_JARS);
            if (missing.length === 0) return;
        }
        const what = missing.some((f) => f.includes("models")) ? "CoreNLP's English models are" : "CoreNLP's jars are";
        const incomplete = missing.length > 0 ? `${what} incomplete: ${fewOf(missing)} missing from ${this.jarsHome}` : "";
        const probe = spawnSync("mvn", ["-v"], { encoding: "utf8" });
        if (probe.error) {
            throw new NlpRuntimeError(
                incomplete
                    ? `${incomplete}, and Maven is needed to fetch them again: install it (apt-get install maven), then run \`npx cyberkg nlp fetch\`; or set NLP_URL to use a running CoreNLP server`
                    : "'mvn' was not found: Maven is needed once to fetch Stanford CoreNLP from Maven Central (apt-get install maven), or set NLP_URL to use a running CoreNLP server",
            );
        }
        onProgress(
            incomplete
                ? `${incomplete}; fetching Stanford CoreNLP ${CORENLP_VERSION} and its models (~480 MB) again from Maven Central…`
                : `Fetching Stanford CoreNLP ${CORENLP_VERSION} and its English models (~480 MB) from Maven Central, first run only…`,
        );
        fs.rmSync(this.libDir, { recursive: true, force: true });
        const result = spawnSync("mvn", ["-q", "-B", "-f", POM, "dependency:copy-dependencies", `-DoutputDirectory=${this.libDir}`], {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        });
        if (result.status !== 0) {
            const detail = `${result.stdout}\n${result.stderr}`.split("\n").find((l) => l.includes("ERROR")) ?? "";
            throw new NlpRuntimeError(
                `Fetching Stanford CoreNLP from Maven Central failed (${detail.replace(/\u001b\[[0-9;]*m/g, "").trim().slice(0, 300)}): check network access to Maven Central or ~/.m2/settings.xml, then retry \`npx cyberkg nlp fetch\``,
            );
        }
        recordFetchedFiles(marker, [this.libDir]);
        fs.writeFileSync(`${marker}.${process.pid}`, pomHash);
        fs.renameSync(`${marker}.${process.pid}`, marker);
    }

    /** Compiles the loopback HTTP provider once (javac of the same JDK; a marker records the source's hash). */
    ensureLauncher(): void {
        const source = fs.readFileSync(LAUNCHER_SRC);
        const marker = path.join(this.launcherDir, ".built");
        if (fs.existsSync(marker) && fs.readFileSync(marker, "utf8") === hashOf(source)) return;
        const javac = this.options.javaHome ? path.join(this.options.javaHome, "bin", "javac") : "javac";
        fs.rmSync(this.launcherDir, { recursive: true, force: true });
        const result = spawnSync(javac, [ADD_EXPORTS, "-d", this.launcherDir, LAUNCHER_SRC], { encoding: "utf8" });
        if (result.error || result.status !== 0) {
            throw new NlpRuntimeError(
                `Compiling the loopback launcher for CoreNLP failed (${result.error ? `${javac} not found` : result.stderr.trim().slice(0, 300)}): a JDK 17 is needed (apt-get install openjdk-17-jdk-headless, or set JAVA_HOME), or set NLP_URL`,
            );
        }
        fs.writeFileSync(marker, hashOf(source));
    }

    writeConfig(): void {
        for (const d of ["conf", "logs", "run", "tmp"]) fs.mkdirSync(path.join(this.home, d), { recursive: true });
        fs.writeFileSync(this.propertiesPath, `# Generated by cyberkg (src/nlp/properties.ts) on every start: edit the code, not this file.\n${propertiesFile()}`);
    }

    /** Pid (and port) of a server started from this home, if it is alive. */
    private running(): { pid: number; port: number } | undefined {
        let recorded: { pid?: unknown; port?: unknown };
        try {
            recorded = JSON.parse(fs.readFileSync(this.pidFile, "utf8")) as typeof recorded;
        } catch {
            return undefined;
        }
        const { pid, port } = recorded;
        if (typeof pid !== "number" || !Number.isInteger(pid) || pid <= 0 || typeof port !== "number") return undefined;
        // A stale pid file (after a reboot) may name an unrelated process: only a CoreNLP server of this home counts.
        try {
            const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
            return cmdline.includes("edu.stanford.nlp.pipeline.StanfordCoreNLPServer") && cmdline.includes(`-Dcyberkg.nlp.home=${this.home}`) ? { pid, port } : undefined;
        } catch {
            return isAlive(pid) && process.platform !== "linux" ? { pid, port } : undefined;
        }
    }

    runningPid(): number | undefined {
        return this.running()?.pid;
    }

    /**
     * Starts the server (or finds the one this home runs) and returns once it has annotated a warm-up sentence,
     * so "started" means the models are loaded. `detached` leaves it running after this process exits.
     * Resolves to true when it started a server, false when it reused one.
     */
    async start({ detached = false, onProgress = (_: string) => {} }: { detached?: boolean; onProgress?: (msg: string) => void } = {}): Promise<boolean> {
        const existing = this.running();
        if (existing) {
            this.port = existing.port;
            await this.waitReady(() => !isAlive(existing.pid));
            return false;
        }
        this.port = this.options.port;
        const java = findJava(this.options.javaHome);
        this.ensureFetched(onProgress);
        this.ensureLauncher();
        await assertPortFree(this.port, "CoreNLP", "NLP_PORT or --port");
        this.writeConfig();
        const out = fs.openSync(this.logFile, "a");
        const timeoutMs = this.options.timeoutMs;
        const args = [
            `-Xmx${this.options.heap}`,
            "-XX:+UseG1GC",
            "-Dfile.encoding=UTF-8",
            `-Djava.io.tmpdir=${path.join(this.home, "tmp")}`, // its shutdown-key file: one per home, not /tmp/corenlp.shutdown
            `-Dcyberkg.nlp.home=${this.home}`, // lets runningPid() recognise the process
            `-Dcom.sun.net.httpserver.HttpServerProvider=${PROVIDER_CLASS}`,
            ADD_EXPORTS,
            "-cp", `${this.launcherDir}:${this.libDir}/*`,
            "edu.stanford.nlp.pipeline.StanfordCoreNLPServer",
            "-port", String(this.port),
            "-threads", String(this.options.threads),
            "-timeout", String(timeoutMs),
            "-maxCharLength", String(this.options.maxCharLength ?? 100_000),
            "-quiet", "true",
            "-preload", ANNOTATORS,
            "-serverProperties", this.propertiesPath,
        ];
        onProgress(`Starting Stanford CoreNLP ${CORENLP_VERSION} on ${this.url} (heap ${this.options.heap}, ${this.options.threads} threads; loading the models takes ~30 s); log: ${this.logFile}`);
        const child = spawn(java, args, { detached, stdio: ["ignore", out, out], cwd: this.home });
        fs.closeSync(out);
        this.child = child;
        fs.writeFileSync(this.pidFile, JSON.stringify({ pid: child.pid, port: this.port }) + "\n");
        if (detached) child.unref();
        let exited: number | null | undefined;
        child.once("exit", (code) => {
            exited = code;
        });
        try {
            await this.waitReady(() => exited !== undefined);
        } catch (error) {
            const tail = readTail(this.logFile, 15);
            await this.stop();
            const why = exited !== undefined ? `CoreNLP exited with code ${exited}` : `CoreNLP did not become ready on ${this.url} within ${this.options.startTimeoutMs / 1000}s`;
            throw new NlpRuntimeError(`${why}. Last lines of ${this.logFile}:\n${tail}`, { cause: error });
        }
        if (detached) this.child = undefined; // it outlives us: stop() finds it through the pid file
        logger.debug({ pid: child.pid, url: this.url }, "corenlp started");
        return true;
    }

    /** Polls /ready until the server answers, then annotates one sentence (loads every model into the pipeline). */
    async waitReady(hasExited: () => boolean = () => false, timeoutMs = this.options.startTimeoutMs): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            if (hasExited()) throw new NlpRuntimeError("the CoreNLP process exited");
            if (await answers(`${this.url}/ready`)) break;
            if (Date.now() > deadline) throw new NlpRuntimeError(`CoreNLP at ${this.url} did not answer /ready within ${timeoutMs / 1000}s`);
            await new Promise((r) => setTimeout(r, 500));
        }
        const client = new CoreNlpClient(this.url, { timeoutMs: Math.max(1000, deadline - Date.now()) });
        await client.annotate("The warm-up sentence loads the models of CoreNLP in London.");
    }

    /** True when the server of this home answers /live within `timeoutMs`. */
    async answering(timeoutMs = 5000): Promise<boolean> {
        return answers(`${this.url}/live`, timeoutMs);
    }

    /** Stops the server (SIGTERM; SIGKILL after 20 s) and waits until the process is gone. */
    async stop(): Promise<boolean> {
        const child = this.child;
        const pid = child?.pid ?? this.running()?.pid;
        if (!pid) return false;
        // Our own child stays a zombie (kill(pid, 0) succeeds) until node reaps it: watch its exit event instead.
        let childGone = !child || child.exitCode !== null || child.signalCode !== null;
        child?.once("exit", () => {
            childGone = true;
        });
        const gone = () => (child ? childGone : !isAlive(pid));
        const waitGone = async (ms: number) => {
            const deadline = Date.now() + ms;
            while (!gone() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        };
        try {
            process.kill(pid, "SIGTERM");
        } catch {
            /* already gone */
        }
        await waitGone(20_000);
        if (!gone()) {
            try {
                process.kill(pid, "SIGKILL");
            } catch {
                /* gone meanwhile */
            }
            await waitGone(5_000);
        }
        fs.rmSync(this.pidFile, { force: true });
        this.child = undefined;
        logger.debug({ pid }, "corenlp stopped");
        return true;
    }

    status(): NlpRuntimeStatus {
        const running = this.running();
        if (running) this.port = running.port;
        return { running: running !== undefined, pid: running?.pid, url: this.url, home: this.home };
    }
}

async function answers(url: string, timeoutMs = 2000): Promise<boolean> {
    try {
        const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
        await res.arrayBuffer();
        return res.ok;
    } catch {
        return false;
    }
}

function hashOf(data: Buffer): string {
    return createHash("sha256").update(data).digest("hex");
}

/** Java 17+: JAVA_HOME if set, else `java` on PATH. */
function findJava(javaHome?: string): string {
    const { java, major } = javaAt(javaHome);
    if (major === undefined) {
        throw new NlpRuntimeError(`Java was not found (${java}): install Java 17 (apt-get install openjdk-17-jdk-headless) or set JAVA_HOME, or set NLP_URL to use a running CoreNLP server`);
    }
    if (major < 17) throw new NlpRuntimeError(`The CoreNLP runtime needs Java 17 or later, but ${java} is Java ${major}: set JAVA_HOME to a Java 17 installation`);
    return java;
}



