/**
 * The HTTP client of a Stanford CoreNLP server: POSTs the article text with cyberkg's pipeline properties and maps
 * CoreNLP's JSON to `NlpDocument`. CoreNLP's character offsets count UTF-16 code units, like JS strings, so they
 * index the article text directly (tested with accents and emoji).
 * @see https://stanfordnlp.github.io/CoreNLP/corenlp-server.html
 */
import { z } from "zod";
import { NlpRequestError, NlpUnavailableError } from "./errors.ts";
import { PIPELINE_PROPERTIES } from "./properties.ts";
import type { NlpAnnotator, NlpDependency, NlpDocument } from "./types.ts";

const Token = z.object({
    index: z.number().int(),
    word: z.string(),
    originalText: z.string(),
    lemma: z.string(),
    pos: z.string(),
    ner: z.string(),
    characterOffsetBegin: z.number().int(),
    characterOffsetEnd: z.number().int(),
});
const Dependency = z.object({ dep: z.string(), governor: z.number().int(), dependent: z.number().int() });
const Sentence = z.object({
    index: z.number().int(),
    tokens: z.array(Token),
    basicDependencies: z.array(Dependency),
    enhancedPlusPlusDependencies: z.array(Dependency),
});
const Answer = z.object({ sentences: z.array(Sentence) });

export interface CoreNlpClientOptions {
    /** Per-request timeout (NLP_TIMEOUT_MS). */
    timeoutMs: number;
}

export class CoreNlpClient implements NlpAnnotator {
    readonly url: string;
    private readonly endpoint: string;

    constructor(
        url: string,
        private readonly options: CoreNlpClientOptions,
    ) {
        this.url = url.replace(/\/+$/, "");
        // The properties travel URL-encoded in the query string: a malformed one makes CoreNLP silently run its
        // default pipeline (the answer's shape check below would catch that).
        this.endpoint = `${this.url}/?properties=${encodeURIComponent(JSON.stringify(PIPELINE_PROPERTIES))}`;
    }

    async annotate(text: string, { signal }: { signal?: AbortSignal } = {}): Promise<NlpDocument> {
        signal?.throwIfAborted();
        const timeout = AbortSignal.timeout(this.options.timeoutMs);
        const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
        let body: string;
        let status: number;
        try {
            const res = await fetch(this.endpoint, {
                method: "POST",
                body: text,
                headers: { "content-type": "text/plain; charset=utf-8", accept: "application/json" },
                signal: combined,
            });
            status = res.status;
            body = await res.text();
        } catch (error) {
            if (signal?.aborted) throw new NlpRequestError(`CoreNLP request to ${this.url} aborted${reasonOf(signal)}`, "aborted", { cause: error });
            if (timeout.aborted) throw new NlpRequestError(`CoreNLP at ${this.url} did not answer within ${this.options.timeoutMs} ms (NLP_TIMEOUT_MS)`, "timeout", { cause: error });
            throw new NlpUnavailableError(
                `CoreNLP at ${this.url} did not answer: ${causeOf(error)}; start it with \`npx cyberkg nlp start\` or fix NLP_URL`,
                this.url,
                { cause: error },
            );
        }
        if (status !== 200) {
            const reason = body.trim().split("\n")[0]?.slice(0, 300) || `HTTP ${status}`;
            throw new NlpRequestError(`CoreNLP at ${this.url} rejected the text (HTTP ${status}): ${reason}`, "server");
        }
        return toDocument(parseAnswer(body, this.url));
    }
}

function parseAnswer(body: string, url: string): z.infer<typeof Answer> {
    let json: unknown;
    try {
        json = JSON.parse(body);
    } catch {
        throw new NlpRequestError(`CoreNLP at ${url} answered something that is not JSON (${body.slice(0, 80)}…): is NLP_URL a CoreNLP server?`, "shape");
    }
    const parsed = Answer.safeParse(json);
    if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new NlpRequestError(
            `CoreNLP at ${url} answered without ${issue.path.join(".")} (${issue.message}): the server must run the annotators ${PIPELINE_PROPERTIES.annotators}`,
            "shape",
        );
    }
    return parsed.data;
}

/** CoreNLP JSON → NlpDocument (sentence offsets from their first and last tokens). */
export function toDocument(answer: z.infer<typeof Answer>): NlpDocument {
    const deps = (list: z.infer<typeof Dependency>[]): NlpDependency[] => list.map((d) => ({ dep: d.dep, gov: d.governor, dept: d.dependent }));
    return {
        sentences: answer.sentences
            .filter((s) => s.tokens.length > 0)
            .map((s) => ({
                index: s.index,
                tokens: s.tokens.map((t) => ({
                    i: t.index,
                    word: t.word,
                    text: t.originalText,
                    lemma: t.lemma,
                    pos: t.pos,
                    ner: t.ner,
                    begin: t.characterOffsetBegin,
                    end: t.characterOffsetEnd,
                })),
                deps: deps(s.enhancedPlusPlusDependencies),
                basic: deps(s.basicDependencies),
                begin: s.tokens[0]!.characterOffsetBegin,
                end: s.tokens[s.tokens.length - 1]!.characterOffsetEnd,
            })),
    };
}

function reasonOf(signal: AbortSignal): string {
    const reason: unknown = signal.reason;
    if (reason instanceof Error && reason.name !== "AbortError") return `: ${reason.message}`;
    return "";
}

function causeOf(error: unknown): string {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
