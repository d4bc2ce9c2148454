/**
 * The facts document as JSON Schema (draft-07), generated from the zod schema so the two cannot drift.
 * Cross-field rules (entity references, type rules, evidence offsets) are beyond JSON Schema; they are
 * checked by the zod validator only, and the schema's description says so.
 */
import { zodToJsonSchema } from "zod-to-json-schema";
import { FactsDocumentSchema } from "./facts-document.ts";

export const FACTS_SCHEMA_ID = "https://cyberkg.dev/schemas/facts-document/v1.json";

export function factsJsonSchema(): Record<string, unknown> {
    const schema = zodToJsonSchema(FactsDocumentSchema, { name: "FactsDocument", target: "jsonSchema7", $refStrategy: "root" }) as Record<string, unknown>;
    return {
        $id: FACTS_SCHEMA_ID,
        title: "cyberkg facts document",
        description:
            "One article's entities and facts (subject–predicate–object with certainty, claimant, dates, evidence and provenance). " +
            "Also checked by `cyberkg load --dry-run`: fact subjects/objects/claimedBy must name entities of the document, " +
            "predicates must respect the vocabulary's type rules, and evidence offsets must match article.text.",
        ...schema,
    };
}
