/** Validation of a raw value as a facts document, with errors that name the source and the JSON path. */
import type { ZodError } from "zod";
import { ValidationError, type ValidationIssue } from "../errors.ts";
import { DOCUMENT_LIMITS, FactsDocumentSchema, type FactsDocument } from "../model/facts-document.ts";

/** "facts[3].predicate" from ["facts", 3, "predicate"]. */
export function jsonPath(path: ReadonlyArray<string | number>): string {
    return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

export function zodIssues(error: ZodError): ValidationIssue[] {
    return error.issues.map((issue) => {
        let message = issue.message;
        if (issue.code === "invalid_type") message = `expected ${issue.expected}, got ${issue.received}`;
        if (issue.code === "invalid_enum_value") message = `'${String(issue.received)}' is not one of ${issue.options.join(", ")}`;
        if (issue.code === "unrecognized_keys") message = `unknown field(s) ${issue.keys.join(", ")}`;
        if (issue.code === "invalid_union_discriminator") message = `type must be one of ${issue.options.map(String).join(", ")}`;
        return { path: jsonPath(issue.path), message };
    });
}

const describe = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "an array" : typeof value);

/**
 * The limits of DOCUMENT_LIMITS that must be checked before zod walks the document (a 100k-fact document is
 * refused here at once, not after zod has produced 100k issues or Neo4j has run out of transaction memory).
 */
export function checkDocumentLimits(value: unknown, source: string): void {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new ValidationError(source, [{ path: "", message: `a facts document must be a JSON object, got ${describe(value)}` }]);
    }
    const doc = value as { facts?: unknown; entities?: unknown };
    const issues: ValidationIssue[] = [];
    if (Array.isArray(doc.facts) && doc.facts.length > DOCUMENT_LIMITS.maxFacts) {
        issues.push({ path: "facts", message: `${doc.facts.length} facts is more than the limit of ${DOCUMENT_LIMITS.maxFacts}; split the document` });
    }
    if (Array.isArray(doc.entities) && doc.entities.length > DOCUMENT_LIMITS.maxEntities) {
        issues.push({ path: "entities", message: `${doc.entities.length} entities is more than the limit of ${DOCUMENT_LIMITS.maxEntities}; split the document` });
    }
    if (issues.length) throw new ValidationError(source, issues);
    let bytes: number;
    try {
        bytes = Buffer.byteLength(JSON.stringify(value));
    } catch (error) {
        throw new ValidationError(source, [{ path: "", message: `cannot be serialized as JSON (${(error as Error).message})` }]);
    }
    if (bytes > DOCUMENT_LIMITS.maxDocumentBytes) {
        throw new ValidationError(source, [{ path: "", message: `${bytes} bytes is more than the limit of ${DOCUMENT_LIMITS.maxDocumentBytes} bytes for one document` }]);
    }
}

/** Parses a facts document or throws a ValidationError listing every problem (limits first). */
export function validateDocument(value: unknown, source: string): FactsDocument {
    checkDocumentLimits(value, source);
    const result = FactsDocumentSchema.safeParse(value);
    if (!result.success) throw new ValidationError(source, zodIssues(result.error));
    return result.data;
}
