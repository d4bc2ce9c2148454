/**
 * Bytes → text with the right character set: the BOM, then the Content-Type charset, then the document's own
 * declaration (HTML: `<meta charset>` / `http-equiv`, by the WHATWG sniffing algorithm of html-encoding-sniffer;
 * XML: `<?xml encoding?>`), then UTF-8 when the bytes are valid UTF-8, else windows-1252 (what browsers assume,
 * and what "ISO-8859-1" means on the web). Decoding is Node's WHATWG TextDecoder.
 */
import sniffHTMLEncoding from "html-encoding-sniffer";

/** "text/html; charset=ISO-8859-1" → "text/html". */
export function mediaType(contentType: string): string {
    return contentType.split(";")[0]!.trim().toLowerCase();
}

/** The charset parameter of a Content-Type, if any. */
export function charsetParameter(contentType: string): string | undefined {
    const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
    return m?.[1];
}

const NONE = "x-cyberkg-none";

function supported(label: string | undefined): string | undefined {
    if (!label) return undefined;
    try {
        return new TextDecoder(label.trim()).encoding;
    } catch {
        return undefined;
    }
}

function bomEncoding(bytes: Uint8Array): string | undefined {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
    return undefined;
}

function utf8OrWindows1252(bytes: Uint8Array): string {
    try {
        new TextDecoder("utf-8", { fatal: true }).decode(bytes);
        return "utf-8";
    } catch {
        return "windows-1252";
    }
}

export function detectEncoding(bytes: Uint8Array, contentType: string): string {
    const fromBom = bomEncoding(bytes);
    if (fromBom) return fromBom;
    const fromHeader = supported(charsetParameter(contentType));
    if (fromHeader) return fromHeader;
    const type = mediaType(contentType);
    if (type.includes("html")) {
        const sniffed = sniffHTMLEncoding(bytes, { defaultEncoding: NONE });
        if (sniffed !== NONE) return supported(sniffed) ?? utf8OrWindows1252(bytes);
    } else if (type.includes("xml")) {
        const head = Buffer.from(bytes.subarray(0, 200)).toString("latin1");
        const declared = supported(/^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1]);
        if (declared) return declared;
        return "utf-8";
    } else if (type.includes("json")) {
        return "utf-8";
    }
    return utf8OrWindows1252(bytes);
}

export function decodeBody(bytes: Uint8Array, contentType: string): { text: string; encoding: string } {
    const encoding = detectEncoding(bytes, contentType);
    // TextDecoder strips a BOM of its own encoding; U+FFFD stands for bytes the encoding cannot map.
    return { text: new TextDecoder(encoding).decode(bytes), encoding };
}
