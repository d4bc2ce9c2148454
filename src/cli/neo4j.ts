/** `cyberkg neo4j start|stop|status`: manage the local Neo4j runtime (.neo4j/). */
import type { Command } from "commander";
import { loadConfig, type ConfigOverrides } from "../config.ts";

async function runtimeFrom(options: { boltPort?: string; httpPort?: string; home?: string }) {
    const overrides: ConfigOverrides = { NEO4J_BOLT_PORT: options.boltPort, NEO4J_HTTP_PORT: options.httpPort, NEO4J_HOME: options.home };
    const { localRuntime } = await import("../neo4j/connection.ts"); // the driver loads only when a command runs
    return localRuntime(loadConfig(overrides));
}

export function registerNeo4j(program: Command): void {
    const neo4j = program.command("neo4j").description("Manage the local Neo4j (Community 5.26 from Maven Central, run with Java 17)");
    const withOptions = (cmd: Command) =>
        cmd
            .option("--bolt-port <port>", "Bolt port (env NEO4J_BOLT_PORT, default 7687)")
            .option("--http-port <port>", "HTTP/Browser port (env NEO4J_HTTP_PORT, default 7474)")
            .option("--home <dir>", "runtime dir with data/, logs/, conf/ (env NEO4J_HOME, default .neo4j)");

    withOptions(neo4j.command("start").description("Start Neo4j in the background and wait until Bolt answers")).action(async (options) => {
        const runtime = await runtimeFrom(options);
        await runtime.start({ detached: true, onProgress: (m) => process.stderr.write(m + "\n") });
        const status = runtime.status();
        process.stdout.write(
            `Neo4j is running (pid ${status.pid})\n  Bolt:    ${status.boltUri}\n  Browser: ${status.browserUrl}\n  User:    neo4j\n  Password: ${runtime.password()}  (kept in ${runtime.passwordFile})\n`,
        );
    });
    withOptions(neo4j.command("fetch").description("Fetch Neo4j, Neo4j Browser and APOC from Maven Central (done on first start anyway)")).action(async (options) => {
        const runtime = await runtimeFrom(options);
        runtime.ensureFetched((m) => process.stderr.write(m + "\n"));
        process.stdout.write(`Neo4j jars are in ${runtime.home}/lib and ${runtime.home}/plugins\n`);
    });
    withOptions(neo4j.command("stop").description("Stop the local Neo4j")).action(async (options) => {
        const stopped = await (await runtimeFrom(options)).stop();
        process.stdout.write(stopped ? "Neo4j stopped\n" : "Neo4j was not running\n");
    });
    withOptions(neo4j.command("status").description("Show whether the local Neo4j runs, and where")).action(async (options) => {
        const runtime = await runtimeFrom(options);
        const status = runtime.status();
        if (!status.running) {
            process.stdout.write(`Neo4j is not running (home ${status.home}); start it with \`npx cyberkg neo4j start\`\n`);
            process.exitCode = 3;
            return;
        }
        let answering = true;
        try {
            await runtime.waitReady(undefined, 5_000);
        } catch {
            answering = false;
        }
        process.stdout.write(`Neo4j is running (pid ${status.pid}, ${answering ? "answering" : "NOT answering"} on ${status.boltUri})\n  Browser: ${status.browserUrl}\n  Home: ${status.home}\n`);
    });
}
