/**
 * The CoreNLP a test run hands its files: the run's server (`provideCoreNlp`) behind the run's parse cache
 * (`startNlpCache`). When NLP_URL already names a cache of an enclosing run (`npm test` runs the unit and the
 * integration runner under one cache, CYBERKG_TEST_NLP_CACHED=1), it is used as is.
 */
import { startNlpCache } from "./nlp-cache.ts";
import { provideCoreNlp } from "./nlp-server.ts";

export interface RunNlp {
    /** What the test files get as NLP_URL. */
    url: string;
    /** For the log line: where CoreNLP runs and whether this run caches its answers. */
    describe(): string;
    stop(): Promise<void>;
}

export async function provideRunNlp(): Promise<RunNlp> {
    const nlp = await provideCoreNlp();
    if (process.env.CYBERKG_TEST_NLP_CACHED === "1") {
        return { url: nlp.url, describe: () => `CoreNLP (the enclosing run's cache) at ${nlp.url}`, stop: () => nlp.stop() };
    }
    const cache = await startNlpCache(nlp.url);
    return {
        url: cache.url,
        describe: () => `CoreNLP (${nlp.kind}) at ${nlp.url}, parses cached for this run at ${cache.url}`,
        stop: async () => {
            const { hits, misses } = cache.stats();
            process.stderr.write(`[test] CoreNLP parses: ${misses} by CoreNLP, ${hits} from this run's cache\n`);
            await cache.stop();
            await nlp.stop();
        },
    };
}
