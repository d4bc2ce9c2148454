/** The extractor's public API: article → facts document over the NLP annotation (see pipeline.ts). */
export { extractDocument, extractFromAnnotation, forParsing, EXTRACTOR_NAME, EXTRACTOR_VERSION, type ExtractDocumentOptions } from "./pipeline.ts";
export { readArticleFile, parseArticle, htmlToArticle, splitSentences, tokenize, type ArticleInput } from "./text.ts";
export { lexiconFor, Lexicon, type RegistryLike } from "./lexicon.ts";
