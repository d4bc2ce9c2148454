/** Errors of the NLP backbone: each names the server (or home) and what to do next. */
import { CyberkgError, ErrorCode } from "../errors.ts";

/** The CoreNLP server cannot be reached at all (every article would fail: callers stop). */
export class NlpUnavailableError extends CyberkgError {
    constructor(
        message: string,
        readonly url: string,
        options?: { cause?: unknown },
    ) {
        super(ErrorCode.EXTRACTION, message, options);
    }
}

/** One annotation request failed (timed out, aborted, rejected by the server, or an unexpected answer). */
export class NlpRequestError extends CyberkgError {
    constructor(
        message: string,
        readonly reason: "timeout" | "aborted" | "server" | "shape",
        options?: { cause?: unknown },
    ) {
        super(ErrorCode.EXTRACTION, message, options);
    }
}

/** The local CoreNLP runtime could not be fetched, built, started or stopped. */
export class NlpRuntimeError extends CyberkgError {
    constructor(message: string, options?: { cause?: unknown }) {
        super(ErrorCode.EXTRACTION, message, options);
    }
}
