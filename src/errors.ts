/**
 * The error hierarchy. Each error names what failed and what to do next; the CLI prints `message`
 * on one line and exits non-zero, the API maps `code` to `extensions.code`.
 */
export const ErrorCode = {
    CONFIG: "CONFIG_INVALID",
    NEO4J_UNAVAILABLE: "NEO4J_UNAVAILABLE",
    NEO4J_RUNTIME: "NEO4J_RUNTIME",
    VALIDATION: "FACTS_INVALID",
    LOAD: "LOAD_FAILED",
    NOT_FOUND: "NOT_FOUND",
    STIX: "STIX_INVALID",
    EXTRACTION: "EXTRACTION_FAILED",
    FETCH: "FETCH_FAILED",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class CyberkgError extends Error {
    readonly code: ErrorCode;
    constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.name = this.constructor.name;
        this.code = code;
    }
}

export class ConfigError extends CyberkgError {
    constructor(message: string) {
        super(ErrorCode.CONFIG, message);
    }
}

/** Neo4j cannot be reached (or refused our credentials). */
export class Neo4jUnavailableError extends CyberkgError {
    constructor(
        message: string,
        readonly uri: string,
        options?: { cause?: unknown },
    ) {
        super(ErrorCode.NEO4J_UNAVAILABLE, message, options);
    }
}

/** The local Neo4j runtime could not be fetched, configured, started or stopped. */
export class Neo4jRuntimeError extends CyberkgError {
    constructor(message: string, options?: { cause?: unknown }) {
        super(ErrorCode.NEO4J_RUNTIME, message, options);
    }
}

export interface ValidationIssue {
    /** JSON path inside the document, e.g. "facts[3].predicate". */
    path: string;
    message: string;
}

/** A facts document (or STIX bundle) failed validation: names the source file and every issue's JSON path. */
export class ValidationError extends CyberkgError {
    constructor(
        readonly source: string,
        readonly issues: ValidationIssue[],
    ) {
        super(ErrorCode.VALIDATION, `${source}: ${issues.map((i) => `${i.path || "(document)"}: ${i.message}`).join("; ")}`);
    }
}

export class LoadError extends CyberkgError {
    constructor(
        readonly source: string,
        message: string,
        options?: { cause?: unknown },
    ) {
        super(ErrorCode.LOAD, `${source}: ${message}`, options);
    }
}

export class NotFoundError extends CyberkgError {
    constructor(message: string) {
        super(ErrorCode.NOT_FOUND, message);
    }
}

/** A URL could not be fetched or read as an article or feed (names the URL and the reason). */
export class FetchError extends CyberkgError {
    constructor(
        readonly url: string,
        reason: string,
        options?: { cause?: unknown },
    ) {
        super(ErrorCode.FETCH, `${url}: ${reason}`, options);
    }
}
