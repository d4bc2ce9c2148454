/**
 * The CoreNLP pipeline cyberkg asks for. The same properties go into the local server's -serverProperties file
 * (so its preloaded annotators are the ones requests use) and into every request (so a server at NLP_URL with
 * other defaults annotates the same way). CoreNLP keys its cached pipeline on the merged properties: one set,
 * one pipeline.
 */
export const ANNOTATORS = "tokenize,ssplit,pos,lemma,ner,depparse";

export const PIPELINE_PROPERTIES: Readonly<Record<string, string>> = {
    annotators: ANNOTATORS,
    outputFormat: "json",
    // A blank line ends a sentence (the title line, paragraphs); a single line break inside a paragraph does not.
    "ssplit.newlineIsSentenceBreak": "two",
    // NER: CRF labels (PERSON, ORGANIZATION, LOCATION, MISC) plus the fine-grained gazetteer, which is what gives
    // COUNTRY, CITY, NATIONALITY and STATE_OR_PROVINCE. SUTime (DATE normalisation: the extractor dates with
    // chrono) and entity mentions (the extractor builds its own) are off. Fine-grained NER costs ~3× (its caseless
    // city gazetteer): measured in DEVELOPING.md ("The NLP runtime").
    "ner.applyFineGrained": "true",
    "ner.useSUTime": "false",
    "ner.buildEntityMentions": "false",
};

/** `key = value` lines for CoreNLP's -serverProperties file. */
export function propertiesFile(props: Readonly<Record<string, string>> = PIPELINE_PROPERTIES): string {
    return Object.entries(props)
        .map(([k, v]) => `${k} = ${v}`)
        .join("\n") + "\n";
}
