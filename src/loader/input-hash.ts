/**
 * The input hash of a raw facts document: what `cyberkg load` read, before validation, keyed by the validated form's
 * rules (the facts JSON Schema: fields, enums, defaults). Stored on the source (`src.inputHash`) with its content
 * hash, it finds an unchanged document of a reload in one index seek, without validating it or building its load
 * unit again: an input equal to its source's current version validates to the same document, so to the same
 * content hash. A change of the schema changes every input hash, and the next reload takes the full path once.
 */
import { hashOf } from "./load-unit.ts";
import { factsJsonSchema } from "../model/json-schema.ts";

let rules: string | undefined;

export function inputHashOf(value: unknown): string {
    rules ??= hashOf(factsJsonSchema());
    return hashOf([rules, value]);
}
