/**
 * `cyberkg load`: streams documents from files/dirs/stdin, validates each, loads each in its own
 * transaction, and reports a summary. A bad document is rejected whole (nothing of it is written) and the
 * rest load, unless `strict`, which stops at the first bad one.
 */
import { CyberkgError, Neo4jUnavailableError, ValidationError } from "../errors.ts";
import { log } from "../log.ts";
import type { FactLoader, UnitResult } from "./FactLoader.ts";
import { readDocuments } from "./read-documents.ts";
import { unitFromDocument } from "./load-unit.ts";
import { validateDocument } from "./validate.ts";

const logger = log.child({ module: "loader" });

export interface LoadSummary {
    loaded: number;
    replaced: number;
    unchanged: number;
    rejected: number;
    entitiesNew: number;
    entitiesMatched: number;
    facts: number;
    claims: number;
    /** Ids of entities the graph did not know before (reported as new). */
    newEntityIds: string[];
    errors: { source: string; message: string }[];
}

export interface LoadOptions {
    dryRun?: boolean;
    strict?: boolean;
    onDocument?: (source: string, outcome: UnitResult | Error) => void;
}

export function emptySummary(): LoadSummary {
    return { loaded: 0, replaced: 0, unchanged: 0, rejected: 0, entitiesNew: 0, entitiesMatched: 0, facts: 0, claims: 0, newEntityIds: [], errors: [] };
}

export async function loadFiles(inputs: string[], loader: FactLoader | undefined, options: LoadOptions = {}): Promise<LoadSummary> {
    const summary = emptySummary();
    for await (const raw of readDocuments(inputs)) {
        try {
            if (raw.error) throw new ValidationError(raw.source, [{ path: "", message: raw.error }]);
            const doc = validateDocument(raw.value, raw.source);
            if (options.dryRun || !loader) {
                summary.loaded++;
                summary.facts += doc.facts.length;
                options.onDocument?.(raw.source, { origin: raw.source, sourceId: "", status: "loaded", entitiesNew: [], entitiesMatched: 0, facts: doc.facts.length, claims: 0 });
                continue;
            }
            const result = await loader.load(unitFromDocument(doc, raw.source));
            addResult(summary, result);
            options.onDocument?.(raw.source, result);
        } catch (error) {
            // A bug, or Neo4j still down after the loader's wait (Neo4jUnavailableError): stop, do not count it as a bad document.
            if (!(error instanceof CyberkgError) || error instanceof Neo4jUnavailableError) throw error;
            summary.rejected++;
            summary.errors.push({ source: raw.source, message: error.message });
            logger.warn({ source: raw.source, err: error.message }, "document rejected");
            options.onDocument?.(raw.source, error);
            if (options.strict) break;
        }
    }
    return summary;
}

export function addResult(summary: LoadSummary, result: UnitResult): void {
    if (result.status === "unchanged") summary.unchanged++;
    else if (result.status === "replaced") summary.replaced++;
    else summary.loaded++;
    if (result.status === "unchanged") return;
    summary.entitiesNew += result.entitiesNew.length;
    summary.newEntityIds.push(...result.entitiesNew);
    summary.entitiesMatched += result.entitiesMatched;
    summary.facts += result.facts;
    summary.claims += result.claims;
}

export function formatSummary(s: LoadSummary, dryRun = false): string {
    if (dryRun) return `Validated: ${s.loaded} valid, ${s.rejected} rejected, ${s.facts} facts`;
    return [
        `Articles: ${s.loaded} loaded, ${s.replaced} replaced, ${s.unchanged} unchanged, ${s.rejected} rejected`,
        `Entities: ${s.entitiesNew} new, ${s.entitiesMatched} matched existing`,
        `Facts: ${s.facts}; claims written: ${s.claims}`,
    ].join("\n");
}
