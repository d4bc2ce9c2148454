/**
 * Article fingerprints for near-duplicate detection (a wire story reprinted under another headline is a copy,
 * not a second source). The one definition of "the same article":
 *
 * - **Normalised body**: Unicode NFKC, lower case, words only (letters and digits), single spaces. Its SHA-256
 *   (`textHash`) finds identical bodies through a plain index.
 * - **Near-duplicate**: the Jaccard similarity of the two bodies' sets of 5-word shingles is at least
 *   `NEAR_DUPLICATE_THRESHOLD` (0.8), estimated by MinHash over `MINHASH_SIZE` (128) hash functions.
 * - **Lookup without a scan**: locality-sensitive hashing, `BANDS` (32) bands of `ROWS` (4) signature values;
 *   each band's hash is a token of `bandText`, kept in a whitespace full-text index (`article_bands`). Two
 *   articles become candidates when they share a band: probability 1 − (1 − J⁴)³² — above 0.9999 at J = 0.8,
 *   0.87 at J = 0.5, 0.003 at J = 0.1 — and a candidate counts only when its stored signature agrees at ≥ 0.8.
 *   Bodies of fewer than `MIN_SHINGLES` shingles get no bands (too short to call near): only identical ones match.
 *
 * Written here rather than taken from a package: the MinHash packages on npm are unmaintained (`minhash`
 * 0.0.9) or a Bloom-filter suite whose MinHash exposes no signature to band (`bloom-filters`); the hashing is
 * Node's MD5 of each shingle, mixed per function with MurmurHash3's 32-bit finaliser.
 */
import { createHash } from "node:crypto";

export const SHINGLE_WORDS = 5;
export const MINHASH_SIZE = 128;
export const BANDS = 32;
export const ROWS = MINHASH_SIZE / BANDS;
export const NEAR_DUPLICATE_THRESHOLD = 0.8;
export const MIN_SHINGLES = 10;

export interface Fingerprint {
    /** SHA-256 (hex, 32 characters) of the normalised body. */
    textHash: string;
    /** MinHash signature (MINHASH_SIZE unsigned 32-bit values); empty for a body too short to compare. */
    minhash: number[];
    /** The band tokens, space-separated ("b0k1f3a9c2 b1k…"); empty when `minhash` is. */
    bandText: string;
}

export function normalizeBody(text: string): string {
    return (text.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(" ");
}

/** MurmurHash3's fmix32: a bijection on 32-bit values with full avalanche. */
function fmix32(h: number): number {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
}

/** Fixed per-function seeds (a fingerprint must mean the same in every process and every version). */
const SEEDS = Array.from({ length: MINHASH_SIZE }, (_, i) => fmix32(0x9e3779b9 + Math.imul(i + 1, 0x7f4a7c15)));

function shingleHashes(words: string[]): Uint32Array {
    const count = words.length <= SHINGLE_WORDS ? (words.length > 0 ? 1 : 0) : words.length - SHINGLE_WORDS + 1;
    const unique = new Set<number>();
    for (let i = 0; i < count; i++) {
        const digest = createHash("md5").update(words.slice(i, i + SHINGLE_WORDS).join(" ")).digest();
        unique.add(digest.readUInt32LE(0));
    }
    return Uint32Array.from(unique);
}

export function fingerprint(text: string): Fingerprint {
    const normalized = normalizeBody(text);
    const textHash = createHash("sha256").update(normalized).digest("hex").slice(0, 32);
    const shingles = shingleHashes(normalized.length > 0 ? normalized.split(" ") : []);
    if (shingles.length < MIN_SHINGLES) return { textHash, minhash: [], bandText: "" };
    const minhash = SEEDS.map((seed) => {
        let min = 0xffffffff;
        for (const x of shingles) {
            const h = fmix32(x ^ seed);
            if (h < min) min = h;
        }
        return min;
    });
    return { textHash, minhash, bandText: bandTokens(minhash).join(" ") };
}

/** One token per band: "b<band>k<hash of its ROWS values>" (letters and digits only, for the whitespace analyzer). */
export function bandTokens(minhash: readonly number[]): string[] {
    const tokens: string[] = [];
    for (let b = 0; b < BANDS; b++) {
        let h = b;
        for (let r = 0; r < ROWS; r++) h = fmix32((h ^ minhash[b * ROWS + r]!) >>> 0);
        tokens.push(`b${b}k${h.toString(36)}`);
    }
    return tokens;
}

/** The estimated Jaccard similarity of two signatures (the share of positions that agree). */
export function similarity(a: readonly number[], b: readonly number[]): number {
    if (a.length !== MINHASH_SIZE || b.length !== MINHASH_SIZE) return 0;
    let same = 0;
    for (let i = 0; i < MINHASH_SIZE; i++) if (a[i] === b[i]) same++;
    return same / MINHASH_SIZE;
}
