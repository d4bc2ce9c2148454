/**
 * Polite, safe HTTP fetching for articles and feeds: our User-Agent, one time limit per request (connect,
 * headers and body), a size limit, redirects followed by hand (bounded, loops named, every hop checked again),
 * conditional GET (ETag / Last-Modified), a least interval between two requests to one host, http/https only,
 * and no private, loopback or link-local address unless INGEST_ALLOW_PRIVATE=true. The address check runs on
 * the address the connection actually uses (undici's `connect.lookup`), so a name that resolves to 127.0.0.1
 * (or is rebound to it between two lookups) is refused as well as a literal one.
 */
import dns from "node:dns";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { Agent, request, type Dispatcher } from "undici";
import type { Config } from "../config.ts";
import { FetchError } from "../errors.ts";
import { decodeBody, mediaType } from "./charset.ts";

export type FetchSettings = Config["fetch"];

/** What a page or feed URL may answer with. */
export const ACCEPTED_TYPES = [
    "text/html",
    "application/xhtml+xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/xml",
    "text/xml",
    "application/json",
    "application/rdf+xml",
] as const;

const ACCEPT_HEADER = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/feed+json;q=0.9,application/xml;q=0.8,application/json;q=0.7";

export interface Fetched {
    notModified: false;
    /** The URL asked for. */
    url: string;
    /** Where the content came from after redirects. */
    finalUrl: string;
    /** The media type without parameters ("text/html"). */
    mediaType: string;
    /** The body decoded with the charset of the headers, the BOM or the page's own declaration. */
    text: string;
    /** The encoding used to decode it (WHATWG name, e.g. "windows-1252"). */
    encoding: string;
    etag?: string;
    lastModified?: string;
    fetchedAt: string;
}

export interface NotModified {
    notModified: true;
    url: string;
    finalUrl: string;
    etag?: string;
    lastModified?: string;
    fetchedAt: string;
}

export interface FetchOptions {
    /** Conditional GET: the validators of the last fetch. */
    etag?: string;
    lastModified?: string;
}

/** A failure worth trying again later (5xx, 429, time-outs, network errors), as opposed to a 404 or a PDF. */
export class TransientFetchError extends FetchError {}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The address is one we may connect to: a public unicast address, or anything when private addresses are allowed. */
export function addressProblem(address: string): string | undefined {
    if (!ipaddr.isValid(address)) return `'${address}' is not an IP address`;
    let parsed = ipaddr.parse(address);
    if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
    const range = parsed.range();
    return range === "unicast" ? undefined : `${parsed.toString()} is a ${range} address`;
}

export class Fetcher {
    private readonly agent: Agent;
    /** Per host: when the next request may start (requests to one host are spaced by hostIntervalMs). */
    private readonly nextSlot = new Map<string, number>();

    constructor(readonly settings: FetchSettings) {
        const lookup: LookupFunction = (hostname, options, callback) => {
            dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
                if (error) return callback(error, "", 0);
                const list = addresses as dns.LookupAddress[];
                if (!settings.allowPrivate) {
                    for (const a of list) {
                        const problem = addressProblem(a.address);
                        if (problem) return callback(Object.assign(new Error(`${hostname} resolves to ${problem}`), { code: "CYBERKG_PRIVATE_ADDRESS" }), "", 0);
                    }
                }
                if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
                callback(null, list[0]!.address, list[0]!.family);
            });
        };
        this.agent = new Agent({ connect: { lookup, timeout: settings.timeoutMs }, headersTimeout: settings.timeoutMs, bodyTimeout: settings.timeoutMs });
    }

    async close(): Promise<void> {
        await this.agent.close();
    }

    /** GET a page or feed; 304 (with validators given) → NotModified. Throws FetchError naming the URL and the reason. */
    async get(url: string, options: FetchOptions = {}): Promise<Fetched | NotModified> {
        const seen = new Set<string>();
        let current = checkUrl(url, url, this.settings.allowPrivate);
        for (let hop = 0; ; hop++) {
            if (seen.has(current.href)) throw new FetchError(url, `redirect loop (${current.href} again after ${hop} redirect(s))`);
            seen.add(current.href);
            const response = await this.once(url, current, options);
            if (REDIRECTS.has(response.statusCode)) {
                response.body.resume();
                const location = header(response.headers, "location");
                if (!location) throw new FetchError(url, `HTTP ${response.statusCode} redirect without a Location header`);
                if (hop + 1 > this.settings.maxRedirects) throw new FetchError(url, `more than ${this.settings.maxRedirects} redirects (FETCH_MAX_REDIRECTS)`);
                current = checkUrl(url, new URL(location, current).href, this.settings.allowPrivate);
                continue;
            }
            return this.read(url, current.href, response);
        }
    }

    private async once(url: string, target: URL, options: FetchOptions): Promise<Dispatcher.ResponseData> {
        await this.waitForHost(target.host);
        const headers: Record<string, string> = { "user-agent": this.settings.userAgent, accept: ACCEPT_HEADER, "accept-encoding": "identity" };
        if (options.etag) headers["if-none-match"] = options.etag;
        if (options.lastModified) headers["if-modified-since"] = options.lastModified;
        try {
            return await request(target, { method: "GET", headers, dispatcher: this.agent, signal: AbortSignal.timeout(this.settings.timeoutMs) });
        } catch (error) {
            throw networkError(url, error, this.settings.timeoutMs);
        }
    }

    private async read(url: string, finalUrl: string, response: Dispatcher.ResponseData): Promise<Fetched | NotModified> {
        const fetchedAt = new Date().toISOString();
        const etag = header(response.headers, "etag");
        const lastModified = header(response.headers, "last-modified");
        const validators = { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
        const status = response.statusCode;
        if (status === 304) {
            response.body.resume();
            return { notModified: true, url, finalUrl, fetchedAt, ...validators };
        }
        if (status < 200 || status >= 300) {
            response.body.resume();
            const reason = `HTTP ${status}${status === 404 ? " Not Found" : status === 410 ? " Gone" : status >= 500 ? ": the server failed; try again later" : ""}`;
            throw status >= 500 || status === 429 ? new TransientFetchError(url, reason) : new FetchError(url, reason);
        }
        const contentType = header(response.headers, "content-type") ?? "";
        const type = mediaType(contentType);
        if (!(ACCEPTED_TYPES as readonly string[]).includes(type)) {
            response.body.resume();
            throw new FetchError(url, `content type '${type || "(none)"}' is not an HTML page or a feed (RSS, Atom, JSON Feed); save its text as a .txt file and ingest that`);
        }
        const declared = Number(header(response.headers, "content-length"));
        if (Number.isFinite(declared) && declared > this.settings.maxBytes) {
            response.body.destroy();
            throw new FetchError(url, `the body is ${declared} bytes, more than the limit of ${this.settings.maxBytes} (FETCH_MAX_BYTES)`);
        }
        const chunks: Buffer[] = [];
        let size = 0;
        try {
            for await (const chunk of response.body) {
                size += (chunk as Buffer).length;
                if (size > this.settings.maxBytes) {
                    response.body.destroy();
                    throw new FetchError(url, `the body is more than the limit of ${this.settings.maxBytes} bytes (FETCH_MAX_BYTES)`);
                }
                chunks.push(chunk as Buffer);
            }
        } catch (error) {
            if (error instanceof FetchError) throw error;
            throw networkError(url, error, this.settings.timeoutMs);
        }
        const { text, encoding } = decodeBody(Buffer.concat(chunks), contentType);
        return { notModified: false, url, finalUrl, mediaType: type, text, encoding, fetchedAt, ...validators };
    }

    /** Spaces requests to one host by hostIntervalMs (the slot is taken before waiting, so concurrent callers queue). */
    private async waitForHost(host: string): Promise<void> {
        const interval = this.settings.hostIntervalMs;
        if (interval <= 0) return;
        const now = Date.now();
        const slot = Math.max(now, this.nextSlot.get(host) ?? 0);
        this.nextSlot.set(host, slot + interval);
        if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
    }
}

/** An http(s) URL with a host we may reach (literal addresses are checked here; names at connect time). */
function checkUrl(original: string, value: string, allowPrivate: boolean): URL {
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        throw new FetchError(original, `'${value}' is not a valid URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new FetchError(original, `only http and https URLs are fetched, not ${url.protocol.replace(/:$/, "")}:`);
    if (url.username || url.password) throw new FetchError(original, "URLs with a user name or password are not fetched");
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (!allowPrivate && ipaddr.isValid(host)) {
        const problem = addressProblem(host);
        if (problem) throw new FetchError(original, `refused: ${problem} (set INGEST_ALLOW_PRIVATE=true to fetch private and loopback addresses)`);
    }
    return url;
}

function header(headers: Dispatcher.ResponseData["headers"], name: string): string | undefined {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
}

function networkError(url: string, error: unknown, timeoutMs: number): FetchError {
    const e = error as { code?: string; name?: string; message?: string; cause?: { code?: string; message?: string } };
    const code = e.code ?? e.cause?.code;
    if (code === "CYBERKG_PRIVATE_ADDRESS" || e.cause?.code === "CYBERKG_PRIVATE_ADDRESS") {
        return new FetchError(url, `refused: ${e.message ?? e.cause?.message} (set INGEST_ALLOW_PRIVATE=true to fetch private and loopback addresses)`);
    }
    if (e.name === "TimeoutError" || e.name === "AbortError" || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT" || code === "UND_ERR_CONNECT_TIMEOUT") {
        return new TransientFetchError(url, `no complete answer within ${timeoutMs} ms (FETCH_TIMEOUT_MS)`, { cause: error });
    }
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return new TransientFetchError(url, `the host name does not resolve (${code})`, { cause: error });
    return new TransientFetchError(url, `could not be fetched (${code ?? e.message ?? String(error)})`, { cause: error });
}
