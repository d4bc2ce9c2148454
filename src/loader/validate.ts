/** Validation of a raw value as a facts document, with errors that name the source and the JSON path. */
import type { ZodError } from "zod";
import { ValidationError, type ValidationIssue } from "../errors.ts";
import { FactsDocumentSchema, type FactsDocument } from "../model/facts-document.ts";

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

/** Parses a facts document or throws a ValidationError listing every problem. */
export function validateDocument(value: unknown, source: string): FactsDocument {
    const result = FactsDocumentSchema.safeParse(value);
    if (!result.success) throw new ValidationError(source, zodIssues(result.error));
    return result.data;
}
