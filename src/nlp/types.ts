/**
 * What the NLP backbone gives the extractor: sentences, tokens with character offsets, lemmas, Penn
 * part-of-speech tags, named-entity labels and a Universal Dependencies parse (CoreNLP's enhanced++
 * graph, where conjuncts share their governor's relations and relative pronouns point at their antecedent).
 * One shape, whatever server produced it (the local Stanford CoreNLP runtime or one at NLP_URL).
 */

export interface NlpToken {
    /** 1-based index in its sentence (CoreNLP's `index`; 0 is the dependency root). */
    i: number;
    word: string;
    /** The text as written (before PTB normalisation such as -LRB-). */
    text: string;
    lemma: string;
    /** Penn Treebank tag: NNP, VBD, … */
    pos: string;
    /** CoreNLP NER label: PERSON, ORGANIZATION, LOCATION, COUNTRY, CITY, NATIONALITY, DATE, NUMBER, … or O. */
    ner: string;
    /** Character offsets in the article text (end exclusive). */
    begin: number;
    end: number;
}

export interface NlpDependency {
    /** UD relation: nsubj, obj, nsubj:pass, obl:agent, obl:against, conj:and, appos, acl:relcl, … */
    dep: string;
    /** Governor token index (0 = ROOT). */
    gov: number;
    /** Dependent token index. */
    dept: number;
}

export interface NlpSentence {
    /** 0-based sentence index in the article. */
    index: number;
    tokens: NlpToken[];
    /** Enhanced++ dependencies. */
    deps: NlpDependency[];
    /** Basic (tree) dependencies: one governor per token. */
    basic: NlpDependency[];
    begin: number;
    end: number;
}

export interface NlpDocument {
    sentences: NlpSentence[];
}

/**
 * Anything that annotates text (the HTTP client of a CoreNLP server). Contract: a blank line (two newlines)
 * always ends a sentence (CoreNLP `ssplit.newlineIsSentenceBreak=two`), so headlines and paragraphs never merge;
 * offsets index the string given.
 */
export interface NlpAnnotator {
    annotate(text: string, options?: { signal?: AbortSignal }): Promise<NlpDocument>;
}
