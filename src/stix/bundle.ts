/**
 * Reading STIX bundles: a file must hold JSON whose top level is a bundle (`"type": "bundle"` and an
 * `objects` array). Objects without `spec_version` are STIX 2.0 (the bundle's own `spec_version`, which only
 * 2.0 bundles carry, applies first). Objects without a usable `type`/`id` are skipped and counted.
 */
import fs from "node:fs";
import path from "node:path";
import { CyberkgError, ErrorCode } from "../errors.ts";
import { decodeUtf8 } from "../loader/read-documents.ts";

/** A STIX file could not be read as a bundle. The message names the file. */
export class StixError extends CyberkgError {
    constructor(
        readonly file: string,
        message: string,
        options?: { cause?: unknown },
    ) {
        super(ErrorCode.STIX, `${file}: ${message}`, options);
    }
}

/** A STIX object as read: the common properties typed, everything else kept. */
export interface StixObject {
    type: string;
    id: string;
    spec_version: string;
    created?: string;
    modified?: string;
    name?: string;
    aliases?: string[];
    description?: string;
    revoked?: boolean;
    x_mitre_deprecated?: boolean;
    external_references?: { source_name?: string; external_id?: string; url?: string; description?: string }[];
    [key: string]: unknown;
}

export interface StixBundle {
    file: string;
    /** `bundle--<uuid>` */
    id: string;
    objects: StixObject[];
    /** Objects dropped because they had no string `type` and `<type>--<uuid>` `id`. */
    invalidObjects: number;
}

const STIX_ID = /^([a-z0-9][a-z0-9-]*[a-z0-9])--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isStixId(value: unknown): value is string {
    return typeof value === "string" && STIX_ID.test(value);
}

/** The object type a STIX id names: `intrusion-set--…` → `intrusion-set`. */
export function typeOfId(id: string): string {
    return id.slice(0, id.indexOf("--"));
}

export function readBundle(file: string): StixBundle {
    let bytes: Buffer;
    try {
        bytes = fs.readFileSync(file);
    } catch (error) {
        throw new StixError(file, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
    }
    // Strict UTF-8: invalid bytes are refused with their offset, never turned into U+FFFD in stored names.
    const text = decodeUtf8(bytes);
    if (typeof text !== "string") throw new StixError(file, `not a STIX bundle: the file ${text.error}`);
    let data: unknown;
    try {
        data = JSON.parse(text.replace(/^\uFEFF/, ""));
    } catch (error) {
        throw new StixError(file, `not a STIX bundle: the file is not JSON (${(error as Error).message})`, { cause: error });
    }
    return parseBundle(data, file);
}

export function parseBundle(data: unknown, file: string): StixBundle {
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
        throw new StixError(file, `not a STIX bundle: expected a JSON object with "type": "bundle", found ${Array.isArray(data) ? "an array" : data === null ? "null" : typeof data}`);
    }
    const bundle = data as Record<string, unknown>;
    if (bundle.type !== "bundle") {
        throw new StixError(file, `not a STIX bundle: "type" is ${JSON.stringify(bundle.type) ?? "missing"}, expected "bundle"`);
    }
    if (!isStixId(bundle.id) || typeOfId(bundle.id) !== "bundle") {
        throw new StixError(file, `not a STIX bundle: "id" must look like "bundle--<uuid>", found ${JSON.stringify(bundle.id) ?? "nothing"}`);
    }
    if (bundle.objects !== undefined && !Array.isArray(bundle.objects)) {
        throw new StixError(file, `not a STIX bundle: "objects" must be an array`);
    }
    const bundleVersion = typeof bundle.spec_version === "string" ? bundle.spec_version : undefined;
    const objects: StixObject[] = [];
    let invalidObjects = 0;
    for (const raw of (bundle.objects as unknown[] | undefined) ?? []) {
        if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
            invalidObjects++;
            continue;
        }
        const o = raw as Record<string, unknown>;
        if (typeof o.type !== "string" || !isStixId(o.id) || typeOfId(o.id) !== o.type) {
            invalidObjects++;
            continue;
        }
        const spec = typeof o.spec_version === "string" ? o.spec_version : (bundleVersion ?? "2.0");
        objects.push({ ...o, spec_version: spec } as StixObject);
    }
    return { file, id: bundle.id, objects, invalidObjects };
}

/** A display title for a bundle file: its base name. */
export function bundleTitle(file: string): string {
    return path.basename(file);
}

/** Strings of a property that should be a list of strings (anything else is ignored). */
export function stringList(value: unknown): string[] {
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string" && v.trim().length > 0).map((v) => v.trim()) : [];
}

/** The ATT&CK id (G0128, C0024…) of an object, from its `mitre-attack` external reference. */
export function attackIdOf(o: StixObject): string | undefined {
    const ref = o.external_references?.find((r) => r && (r.source_name === "mitre-attack" || r.source_name === "mitre-ics-attack") && typeof r.external_id === "string");
    return ref?.external_id;
}
