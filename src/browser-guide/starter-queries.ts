/**
 * The named starter queries in cypher/queries/*.cypher, one per file. Each file opens with a header comment:
 *
 *   // Title: Who targeted X?
 *   // Description: … (may continue on lines indented under it)
 *   // :param target => 'Defence'
 *
 * `:param` lines give each `$parameter` a default as a Cypher literal, in Neo4j Browser's own syntax, so the
 * guide can offer them as a runnable `:params {…}` block and tests can run every query as shipped.
 */
import fs from "node:fs";
import path from "node:path";
import { CYPHER_DIR } from "../neo4j/cypher-files.ts";

export const QUERIES_DIR = path.join(CYPHER_DIR, "queries");

export interface StarterQuery {
    /** File name without `.cypher`, e.g. `who-targeted`. */
    slug: string;
    title: string;
    description: string;
    /** Parameter name → default value as a Cypher literal (e.g. `'APT31'`), in file order. */
    params: { name: string; literal: string }[];
    /** The query without its header comment and trailing semicolon. */
    cypher: string;
}

const PARAM_LINE = /^\/\/\s*:param\s+([A-Za-z_][A-Za-z0-9_]*)\s*=>\s*(.+?)\s*$/;
const FIELD_LINE = /^\/\/\s*(Title|Description):\s*(.*)$/i;

export function parseStarterQuery(slug: string, text: string): StarterQuery {
    const header: string[] = [];
    const body: string[] = [];
    for (const line of text.split(/\r?\n/)) {
        if (body.length === 0 && (line.trim().startsWith("//") || line.trim() === "")) header.push(line.trim());
        else body.push(line);
    }
    let title = "";
    let description = "";
    let current: "title" | "description" | undefined;
    const params: StarterQuery["params"] = [];
    for (const line of header) {
        const param = PARAM_LINE.exec(line);
        const field = FIELD_LINE.exec(line);
        if (param) {
            params.push({ name: param[1]!, literal: param[2]! });
            current = undefined;
        } else if (field) {
            current = field[1]!.toLowerCase() as "title" | "description";
            if (current === "title") title = field[2]!.trim();
            else description = field[2]!.trim();
        } else if (current && line.startsWith("//")) {
            const more = line.replace(/^\/\/\s*/, "");
            if (more) {
                if (current === "title") title += ` ${more}`;
                else description += ` ${more}`;
            }
        }
    }
    const cypher = body.join("\n").trim().replace(/;\s*$/, "");
    if (!title) throw new Error(`cypher/queries/${slug}.cypher: the header needs a '// Title: …' line`);
    if (!cypher) throw new Error(`cypher/queries/${slug}.cypher: no query after the header`);
    const used = new Set([...cypher.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!));
    const missing = [...used].filter((name) => !params.some((p) => p.name === name));
    if (missing.length > 0) {
        throw new Error(`cypher/queries/${slug}.cypher: $${missing.join(", $")} has no default: add '// :param ${missing[0]} => <value>' to the header`);
    }
    return { slug, title, description, params, cypher };
}

/** All starter queries, in file-name order. */
export function readStarterQueries(dir = QUERIES_DIR): StarterQuery[] {
    return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".cypher"))
        .sort()
        .map((f) => parseStarterQuery(f.replace(/\.cypher$/, ""), fs.readFileSync(path.join(dir, f), "utf8")));
}

/** The Browser command that sets a query's defaults, e.g. `:params {actor: 'APT31'}`. */
export function paramsCommand(query: StarterQuery): string | undefined {
    if (query.params.length === 0) return undefined;
    return `:params {${query.params.map((p) => `${p.name}: ${p.literal}`).join(", ")}}`;
}
