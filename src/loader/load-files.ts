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
import { inputHashOf } from "./input-hash.ts";

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
    let pending: { source: string; value?: unknown; inputHash?: string; error?: CyberkgError }[] = [];
    let stop = false;

    const reject = (source: string, error: CyberkgError) => {
        summary.rejected++;
        summary.errors.push({ source, message: error.message });
        logger.warn({ source, err: error.message }, "document rejected");
        options.onDocument?.(source, error);
        if (options.strict) stop = true;
    };
    const report = (source: string, result: UnitResult) => {
        addResult(summary, result);
        options.onDocument?.(source, result);
    };
    const flush = async () => {
        const read = pending;
        pending = [];
        if (!loader) return;
        // An input equal to its source's current version is unchanged: not validated, no load unit built
        // (input-hash.ts). Unless the batch has named that source before it: then it is not the current version.
        const current = await loader.unchangedInputs(read.flatMap((p) => (p.inputHash ? [p.inputHash] : [])));
        const seen = new Set<string>();
        const batch: { source: string; unit?: LoadUnit; error?: CyberkgError; unchanged?: UnitResult }[] = [];
        for (const p of read) {
            const sourceId = p.inputHash === undefined ? undefined : current.get(p.inputHash);
            if (p.error) batch.push({ source: p.source, error: p.error });
            else if (sourceId !== undefined && !seen.has(sourceId)) {
                seen.add(sourceId);
                loader.stats.unchangedByInput++;
                const facts = (p.value as { facts?: unknown }).facts;
                batch.push({ source: p.source, unchanged: { origin: p.source, sourceId, status: "unchanged", entitiesNew: [], entitiesMatched: 0, facts: Array.isArray(facts) ? facts.length : 0, claims: 0 } });
            } else {
                try {
                    const unit = { ...unitFromDocument(validateDocument(p.value, p.source), p.source), inputHash: p.inputHash };
                    seen.add(unit.source.id);
                    batch.push({ source: p.source, unit });
                } catch (error) {
                    if (!(error instanceof CyberkgError) || error instanceof Neo4jUnavailableError) throw error;
                    batch.push({ source: p.source, error });
                }
            }
            // Strict: what came before the bad document is written, nothing after it.
            if (options.strict && batch.at(-1)!.error) break;
        }
        const units = batch.flatMap((p) => (p.unit ? [p.unit] : []));
        // A bug, or Neo4j still down after the loader's wait (Neo4jUnavailableError): thrown, not counted as a bad document.
        const outcomes = units.length > 0 ? await loader.loadBatch(units, { stopAtFirstError: options.strict }) : [];
        let k = 0;
        for (const p of batch) {
            if (stop) break;
            if (p.error) {
                reject(p.source, p.error);
                continue;
            }
            if (p.unchanged) {
                report(p.source, p.unchanged);
                continue;
            }
            const outcome = outcomes[k++];
            if (outcome === undefined) break; // not attempted: strict mode stopped before it
            if (outcome instanceof Error) {
                reject(p.source, outcome);
                continue;
            }
            report(p.source, outcome);
        }
    };

    for await (const raw of readDocuments(inputs)) {
        if (options.dryRun || !loader) {
            try {
                if (raw.error) throw new ValidationError(raw.source, [{ path: "", message: raw.error }]);
                const doc = validateDocument(raw.value, raw.source);
                summary.loaded++;
                summary.facts += doc.facts.length;
                options.onDocument?.(raw.source, { origin: raw.source, sourceId: "", status: "loaded", entitiesNew: [], entitiesMatched: 0, facts: doc.facts.length, claims: 0 });
            } catch (error) {
                if (!(error instanceof CyberkgError) || error instanceof Neo4jUnavailableError) throw error;
                reject(raw.source, error);
                if (stop) break;
            }
            continue;
        }
        if (raw.error) {
            pending.push({ source: raw.source, error: new ValidationError(raw.source, [{ path: "", message: raw.error }]) });
            // Strict: what came before the bad document is written, nothing after it.
            if (options.strict) break;
        } else {
            // Validated when the batch is written, unless it is unchanged (flush).
            pending.push({ source: raw.source, value: raw.value, inputHash: inputHashOrNone(raw.value) });
        }
        if (pending.length >= batchSize) await flush();
        if (stop) break;
    }
    if (!stop) await flush();
    return summary;
}

/** No input hash for a value JSON cannot hold (YAML can give one): the validator rejects it, by name. */
function inputHashOrNone(value: unknown): string | undefined {
    try {
        return inputHashOf(value);
    } catch {
        return undefined;
    }
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
