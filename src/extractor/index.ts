/** The extractor's public API. */
export { extractArticle, resolvePredicate, explainSentence, EXTRACTOR_NAME, EXTRACTOR_VERSION, type ExtractOptions } from "./extract.ts";
export { readArticleFile, parseArticle, htmlToArticle, splitSentences, tokenize, type ArticleInput } from "./text.ts";
export { lexiconFor, Lexicon, type RegistryLike } from "./lexicon.ts";
export { extractDocument, type ExtractDocumentOptions } from "./pipeline.ts";
