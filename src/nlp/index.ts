/**
 * Which CoreNLP to use, in this order: NLP_URL (a server someone runs; nothing is started) → the local runtime
 * (`.corenlp/`), started detached on first use so the next command reuses it.
 */
import type { Config } from "../config.ts";
import { CoreNlpClient } from "./client.ts";
import { LocalCoreNLP } from "./runtime/LocalCoreNLP.ts";

export { CoreNlpClient } from "./client.ts";
export { NlpRequestError, NlpRuntimeError, NlpUnavailableError } from "./errors.ts";
export { LocalCoreNLP } from "./runtime/LocalCoreNLP.ts";
export type { NlpAnnotator, NlpDocument, NlpSentence, NlpToken, NlpDependency } from "./types.ts";

export function localNlp(config: Config): LocalCoreNLP {
    return new LocalCoreNLP({ ...config.nlp, maxCharLength: config.extract.maxArticleChars });
}

/**
 * The annotator the config asks for. With no NLP_URL, the local server is started (detached) unless this home
 * already runs one; starting it reports progress and then one line saying where it runs and how to stop it.
 */
export async function openNlp(config: Config, { onProgress = () => {} }: { onProgress?: (msg: string) => void } = {}): Promise<CoreNlpClient> {
    if (config.nlp.url) return new CoreNlpClient(config.nlp.url, { timeoutMs: config.nlp.timeoutMs });
    const local = localNlp(config);
    const started = await local.start({ detached: true, onProgress });
    if (started) onProgress(`CoreNLP runs at ${local.url} (pid ${local.runningPid()}) for the next commands too; stop it with \`npx cyberkg nlp stop\``);
    return new CoreNlpClient(local.url, { timeoutMs: config.nlp.timeoutMs });
}
