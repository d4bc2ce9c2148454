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
    // NER: the CRF labels (PERSON, ORGANIZATION, LOCATION, MISC) and the numeric ones (DATE, NUMBER, …). The
    // fine-grained gazetteer (COUNTRY, CITY, NATIONALITY, STATE_OR_PROVINCE) costs ~3x and adds nothing the
    // extractor needs: states and demonyms come from our registry, cities from the GeoNames gazetteer
    // (src/extractor/gazetteer.ts). Dev F1 0.67 with it, 0.66 without, at a third of the time (DEVELOPING.md,
    // "The NLP runtime"). SUTime and entity mentions are off too: the extractor builds its own.
    "ner.applyFineGrained": "false",
    "ner.useSUTime": "false",
    "ner.buildEntityMentions": "false",
};

/** `key = value` lines for CoreNLP's -serverProperties file. */
export function propertiesFile(props: Readonly<Record<string, string>> = PIPELINE_PROPERTIES): string {
    return Object.entries(props)
        .map(([k, v]) => `${k} = ${v}`)
        .join("\n") + "\n";
}
