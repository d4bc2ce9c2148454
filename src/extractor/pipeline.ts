/**
 * The extraction pipeline: article → NLP annotation → mentions → entity linking → coreference → relations →
 * certainty, claimant and dates → type rules → facts document. (Being rebuilt on the dependency parse;
 * until then it delegates to the token-pattern extractor.)
 */
import type { FactsDocument } from "../model/facts-document.ts";
import type { NlpAnnotator } from "../nlp/types.ts";
import { extractArticle } from "./extract.ts";
import type { RegistryLike } from "./lexicon.ts";
import type { ArticleInput } from "./text.ts";

export interface ExtractDocumentOptions {
    /** Aborts the article's NLP request (the per-article time box). */
    signal?: AbortSignal;
}

/** One article → one facts document. */
export async function extractDocument(input: ArticleInput, registry: RegistryLike, nlp: NlpAnnotator, options: ExtractDocumentOptions = {}): Promise<FactsDocument> {
    void nlp;
    void options;
    return extractArticle(input, registry);
}
