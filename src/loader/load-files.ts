/**
 * `cyberkg load`: streams documents from files/dirs/stdin, validates each, loads them in batches of `batchSize`
 * (FactLoader.loadBatch: one write transaction per batch of new documents, one by one if the batch fails), and
 * reports a summary. A bad document is rejected whole (nothing of it is written) and the rest load, unless
 * `strict`, which stops at the first bad one (the documents before it are loaded, none after it).
 */
import { CyberkgError, Neo4jUnavailableError, ValidationError } from "../errors.ts";
import { log } from "../log.ts";
import type { FactLoader, UnitResult } from "./FactLoader.ts";
import { DEFAULT_BATCH_SIZE } from "./batch-size.ts";
import { readDocuments } from "./read-documents.ts";
import { unitFromDocument, type LoadUnit } from "./load-unit.ts";
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
    /** documents per write transaction (default DEFAULT_BATCH_SIZE; 1 = one transaction per document) */
    batchSize?: number;
    onDocument?: (source: string, outcome: UnitResult | Error) => void;
}

export function emptySummary(): LoadSummary {
    return { loaded: 0, replaced: 0, unchanged: 0, rejected: 0, entitiesNew: 0, entitiesMatched: 0, facts: 0, claims: 0, newEntityIds: [], errors: [] };
}

export async function loadFiles(inputs: string[], loader: FactLoader | undefined, options: LoadOptions = {}): Promise<LoadSummary> {
    const summary = emptySummary();
    const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
    // Documents read but not yet written, in input order; a rejected one keeps its place (its error is reported in order).
    let pending: { source: string; unit?: LoadUnit; error?: CyberkgError }[] = [];
    let stop = false;

    const reject = (source: string, error: CyberkgError) => {
        summary.rejected++;
        summary.errors.push({ source, message: error.message });
        logger.warn({ source, err: error.message }, "document rejected");
        options.onDocument?.(source, error);
        if (options.strict) stop = true;
    };
    const flush = async () => {
        const batch = pending;
        pending = [];
        const units = batch.flatMap((p) => (p.unit ? [p.unit] : []));
        // A bug, or Neo4j still down after the loader's wait (Neo4jUnavailableError): thrown, not counted as a bad document.
        const outcomes = units.length > 0 && loader ? await loader.loadBatch(units, { stopAtFirstError: options.strict }) : [];
        let k = 0;
        for (const p of batch) {
            if (stop) break;
            if (p.error) {
                reject(p.source, p.error);
                continue;
            }
            const outcome = outcomes[k++];
            if (outcome === undefined) break; // not attempted: strict mode stopped before it
            if (outcome instanceof Error) {
                reject(p.source, outcome);
                continue;
            }
            addResult(summary, outcome);
            options.onDocument?.(p.source, outcome);
        }
    };

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
            pending.push({ source: raw.source, unit: unitFromDocument(doc, raw.source) });
        } catch (error) {
            if (!(error instanceof CyberkgError) || error instanceof Neo4jUnavailableError) throw error;
            if (options.dryRun || !loader) {
                reject(raw.source, error);
                if (stop) break;
                continue;
            }
            pending.push({ source: raw.source, error });
            // Strict: what came before the bad document is written, nothing after it.
            if (options.strict) break;
        }
        if (pending.length >= batchSize) await flush();
        if (stop) break;
    }
    if (!stop) await flush();
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
