/**
 * GET /graphql for browsers: an HTML page that loads the bundled GraphiQL from /graphql/ide.js and ide.css,
 * with the README's GraphQL examples preloaded as tabs. Everything is same-origin; the page sets a CSP that
 * forbids any other origin, so an IDE on an air-gapped machine never reaches out.
 */
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../../config.ts";

export interface IdeExample {
    title: string;
    query: string;
    variables?: string;
    headers?: string;
}

/**
 * The README's titled GraphQL examples (a `# …` first line; the mutations are left out: they need a token).
 * A block followed by a ```json block uses it as its variables.
 * GraphiQL titles a tab only by its operation name, so an anonymous example (`{ … }`) gets one made from its
 * title (`# Path: Zhao Guangzong to China` → `query PathZhaoGuangzongToChina { … }`) in the IDE; the title line stays.
 */
export function readmeExamples(file = path.join(REPO_ROOT, "README.md")): IdeExample[] {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        return [];
    }
    const examples: IdeExample[] = [];
    const first = /```graphql\n([\s\S]*?)```(?:\s*(?:Variables:)?\s*```json\n([\s\S]*?)```)?/g;
    for (const match of text.matchAll(first)) {
        const query = match[1]!.trim();
        if (/^\s*mutation\b/m.test(query)) continue;
        const title = /^#\s*(.+)/.exec(query)?.[1]?.trim();
        if (!title) continue;
        examples.push({ title, query: named(query, operationName(title)), variables: match[2]?.trim() });
    }
    return examples;
}

/** A GraphQL name from a title: its words, capitalised and joined ("Search: an alias" → "SearchAnAlias"). */
export function operationName(title: string): string {
    const name = title
        .normalize("NFD")
        .replace(/\p{M}/gu, "")
        .replace(/['’]/g, "")
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join("");
    return /^[A-Za-z_]/.test(name) ? name : `Example${name}`;
}

/** Names the first anonymous operation (`{` at the start of a line) of a query; named operations stay as they are. */
function named(query: string, name: string): string {
    if (/^\s*(query|mutation|subscription)\b/m.test(query)) return query;
    return query.replace(/^\{/m, `query ${name} {`);
}

export function idePage(options: { endpoint: string; examples: IdeExample[] }): string {
    // </script> cannot appear inside the JSON: escape "<".
    const settings = JSON.stringify(options).replace(/</g, "\\u003c");
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cyberkg GraphQL IDE</title>
<link rel="stylesheet" href="${options.endpoint}/ide.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading the GraphQL IDE…</div>
<script>window.CYBERKG_IDE = ${settings};</script>
<script src="${options.endpoint}/ide.js"></script>
</body>
</html>`;
}

/** Same-origin only: scripts, styles, fetches; data: for the inlined fonts and icons. */
export const IDE_CSP = [
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
].join("; ");
