/** `cyberkg nlp start|stop|status|fetch`: manage the local Stanford CoreNLP server (.corenlp/). */
import type { Command } from "commander";
import { loadConfig, type ConfigOverrides } from "../config.ts";
import { localNlp } from "../nlp/index.ts";

function runtimeFrom(options: { port?: string; home?: string }) {
    const overrides: ConfigOverrides = { NLP_PORT: options.port, NLP_HOME: options.home };
    return localNlp(loadConfig(overrides));
}

export function registerNlp(program: Command): void {
    const nlp = program.command("nlp").description("Manage the local Stanford CoreNLP 4.5.10 server (from Maven Central, run with Java 17) used by extract/ingest");
    const withOptions = (cmd: Command) =>
        cmd
            .option("--port <port>", "HTTP port on 127.0.0.1 (env NLP_PORT, default 9090)")
            .option("--home <dir>", "runtime dir with lib/, conf/, logs/ (env NLP_HOME, default .corenlp)");

    withOptions(nlp.command("start").description("Start CoreNLP in the background and wait until its models are loaded")).action(async (options) => {
        const runtime = runtimeFrom(options);
        const started = await runtime.start({ detached: true, onProgress: (m) => process.stderr.write(m + "\n") });
        const status = runtime.status();
        process.stdout.write(`CoreNLP ${started ? "is running" : "was already running"} (pid ${status.pid}) at ${status.url}; stop it with \`npx cyberkg nlp stop\`\n`);
    });
    withOptions(nlp.command("fetch").description("Fetch CoreNLP and its English models from Maven Central (done on first start anyway)")).action((options) => {
        const runtime = runtimeFrom(options);
        runtime.ensureFetched((m) => process.stderr.write(m + "\n"));
        runtime.ensureLauncher();
        process.stdout.write(`CoreNLP jars are in ${runtime.home}/lib\n`);
    });
    withOptions(nlp.command("stop").description("Stop the local CoreNLP server")).action(async (options) => {
        const stopped = await runtimeFrom(options).stop();
        process.stdout.write(stopped ? "CoreNLP stopped\n" : "CoreNLP was not running\n");
    });
    withOptions(nlp.command("status").description("Show whether the local CoreNLP server runs, and where")).action(async (options) => {
        const runtime = runtimeFrom(options);
        const status = runtime.status();
        if (!status.running) {
            process.stdout.write(`CoreNLP is not running (home ${status.home}); start it with \`npx cyberkg nlp start\`\n`);
            process.exitCode = 3;
            return;
        }
        const answering = await runtime.answering(5_000);
        process.stdout.write(`CoreNLP is running (pid ${status.pid}, ${answering ? "answering" : "NOT answering"} on ${status.url})\n  Home: ${status.home}\n  Log:  ${runtime.logFile}\n`);
    });
}
