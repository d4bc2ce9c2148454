/** Shared by the api-*.int.test.ts files: a GraphQL client, the README's API examples, an editor token. */
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../../src/config.ts";
import { issueToken } from "../../src/api/issue-token.ts";

export const TEST_JWT_SECRET = "cyberkg-test-secret-0123456789-abcdefghij";

export interface GraphQLResponse {
    status: number;
    /** The Retry-After header (null when absent). */
    retryAfter: string | null;
    data?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export async function graphql(url: string, query: string, variables?: unknown, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as Omit<GraphQLResponse, "status" | "retryAfter">;
    return { status: response.status, retryAfter: response.headers.get("retry-after"), ...body };
}

export async function editorToken(roles = ["editor"]): Promise<string> {
    return issueToken(TEST_JWT_SECRET, roles, "10m", "test");
}

export interface ReadmeExample {
    title: string;
    query: string;
    variables?: unknown;
    /** The "→ …" answer written under the example. */
    answer: string;
    isMutation: boolean;
}

/** The examples of the README's "## GraphQL API" section, in order. */
export function readmeApiExamples(): ReadmeExample[] {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const start = readme.indexOf("## GraphQL API");
    const end = readme.indexOf("\n## ", start + 5);
    const section = readme.slice(start, end < 0 ? undefined : end);
    const examples: ReadmeExample[] = [];
    const pattern = /```graphql\n([\s\S]*?)```(?:\s*```json\n([\s\S]*?)```)?\s*\n→ ([\s\S]*?)(?:\n\n|$)/g;
    for (const match of section.matchAll(pattern)) {
        const query = match[1]!.trim();
        examples.push({
            title: /^#\s*(.+)$/m.exec(query)?.[1] ?? query.split("\n")[0]!,
            query,
            variables: match[2] ? JSON.parse(match[2]) : undefined,
            answer: match[3]!.replace(/\n/g, " "),
            isMutation: /^\s*mutation\b/.test(query),
        });
    }
    return examples;
}

/** Backticked values of an answer that must appear in the result ("`APT31`"), not field: value snippets. */
export function answerValues(answer: string): string[] {
    return [...answer.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).filter((v) => !/[:(]\s/.test(v) && !v.endsWith(":") && !v.includes("("));
}
