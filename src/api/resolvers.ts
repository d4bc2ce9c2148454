/**
 * Resolvers that are ours rather than generated: `search` (full-text, with the score the library's @fulltext
 * queries cannot give across several types) and the write mutations, which reuse the CLI's path exactly:
 * validateDocument → unitFromDocument → FactLoader (one transaction per document, all or nothing).
 */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from "graphql";
import type { Driver } from "neo4j-driver";
import { CyberkgError, NotFoundError, ValidationError } from "../errors.ts";
import { FactLoader } from "../loader/FactLoader.ts";
import { unitFromDocument } from "../loader/load-unit.ts";
import { validateDocument } from "../loader/validate.ts";
import { Registry } from "../registry/Registry.ts";
import { log } from "../log.ts";
import type { AuthResult } from "./auth.ts";
import { NO_RETRY } from "../loader/retry.ts";
import { nameWords } from "../model/normalize.ts";
import { LIMITS } from "./limits.ts";

const audit = log.child({ module: "api-writes" });
/** Who wrote: the verified token's subject (never the token itself). */
const writer = (context: { auth?: AuthResult } | undefined) => (context?.auth?.status === "verified" ? context.auth.subject : "(unverified)");

export interface ResolverDeps {
    driver: Driver;
    database: string;
    timeoutMs: number;
}

const SEARCH = `
CALL db.index.fulltext.queryNodes('entity_search', $lucene, {limit: $first})
YIELD node, score
WHERE node:Entity
RETURN score, node.id AS id, node.name AS name, node.type AS type, coalesce(node.aliases, []) AS aliases
ORDER BY score DESC, name`;

/**
 * A Lucene query from user text: every term matches exactly (boosted) or as a prefix; special characters are
 * escaped so "APT31 (Zirconium)" is not a syntax error. Terms are folded here too, because Lucene does not run
 * the analyzer (standard-folding) over prefix terms.
 */
export function luceneQuery(text: string): string {
    const terms = nameWords(text).slice(0, 10);
    return terms.map((t) => `(${t}^2 OR ${t}*)`).join(" AND ");
}

export function queryResolvers({ driver, database, timeoutMs }: ResolverDeps) {
    return {
        Query: {
            search: async (_root: unknown, args: { query: string; first?: number }) => {
                const lucene = luceneQuery(args.query);
                if (!lucene) return [];
                const first = Math.min(Math.max(args.first ?? 10, 0), LIMITS.maxPage);
                const { records } = await driver.executeQuery(SEARCH, { lucene, first }, { database, routing: "READ", transactionConfig: { timeout: timeoutMs } });
                return records.map((r) => r.toObject());
            },
        },
    };
}

function jsonLiteral(node: ValueNode): unknown {
    switch (node.kind) {
        case Kind.STRING:
        case Kind.BOOLEAN:
            return node.value;
        case Kind.INT:
        case Kind.FLOAT:
            return Number(node.value);
        case Kind.NULL:
            return null;
        case Kind.LIST:
            return node.values.map(jsonLiteral);
        case Kind.OBJECT:
            return Object.fromEntries(node.fields.map((f) => [f.name.value, jsonLiteral(f.value)]));
        default:
            throw new GraphQLError("JSON literals cannot contain variables; pass the whole document as a variable");
    }
}

export const JSONScalar = new GraphQLScalarType({
    name: "JSON",
    description: "Any JSON value (a facts document, as in data/articles/).",
    serialize: (value) => value,
    parseValue: (value) => value,
    parseLiteral: jsonLiteral,
});

/** Domain errors → GraphQL errors with the stable code of src/errors.ts and the validation issues. */
function toGraphQLError(error: unknown): unknown {
    if (error instanceof ValidationError) {
        return new GraphQLError(error.message, { extensions: { code: error.code, issues: error.issues } });
    }
    if (error instanceof CyberkgError) return new GraphQLError(error.message, { extensions: { code: error.code } });
    return error;
}

/**
 * The editor rule, checked again in every write resolver: @neo4j/graphql 7 checks `@authentication` on custom
 * mutations too, but was seen to leave one of three such fields unchecked (whichever came last in the SDL), so
 * the resolver does not rely on it alone.
 */
function requireEditor(context: { auth?: AuthResult } | undefined): void {
    const auth = context?.auth;
    if (auth?.status !== "verified" || !auth.roles.includes("editor")) throw new GraphQLError("Unauthenticated", { extensions: { code: "UNAUTHENTICATED" } });
}

export function writeResolvers({ driver, database }: ResolverDeps) {
    let loader: FactLoader | undefined;
    // No waiting in a request: an outage is answered at once with NEO4J_UNAVAILABLE (HTTP 503).
    let registry: Registry | undefined;
    const getRegistry = () => (registry ??= Registry.load());
    const getLoader = () => (loader ??= new FactLoader(driver, database, getRegistry(), NO_RETRY));
    return {
        JSON: JSONScalar,
        Mutation: {
            ingestFacts: async (_root: unknown, args: { document: unknown }, context?: { auth?: AuthResult }) => {
                try {
                    requireEditor(context);
                    const doc = validateDocument(args.document, "ingestFacts(document)");
                    const result = await getLoader().load(unitFromDocument(doc, "ingestFacts(document)"));
                    audit.info({ sub: writer(context), mutation: "ingestFacts", sourceId: result.sourceId, status: result.status, claims: result.claims }, "write");
                    return result;
                } catch (error) {
                    throw toGraphQLError(error);
                }
            },
            ingestArticle: async (_root: unknown, args: { url?: string | null; text?: string | null; title?: string | null; publishedAt?: string | null }, context?: { auth?: AuthResult }) => {
                try {
                    requireEditor(context);
                    const { ingestArticleRequest } = await import("../news/api.ts");
                    const result = await ingestArticleRequest(args, { driver, database, loader: getLoader(), registry: getRegistry() });
                    audit.info({ sub: writer(context), mutation: "ingestArticle", sourceId: result.sourceId, status: result.status, claims: result.claims }, "write");
                    return result;
                } catch (error) {
                    throw toGraphQLError(error);
                }
            },
            retractArticle: async (_root: unknown, args: { id: string; purge?: boolean; reason?: string }, context?: { auth?: AuthResult }) => {
                try {
                    requireEditor(context);
                    // Only articles: the registry and STIX bundles are sources too, but not retractable here.
                    const { records } = await driver.executeQuery("MATCH (a:Article {id: $id}) RETURN a.id AS id", { id: args.id }, { database });
                    if (records.length === 0) throw new NotFoundError(`No article with id '${args.id}' is loaded`);
                    const result = await getLoader().retract(args.id, { purge: args.purge ?? false, reason: args.reason ?? undefined, by: writer(context) });
                    audit.info({ sub: writer(context), mutation: "retractArticle", sourceId: args.id, purge: args.purge ?? false, claims: result.claims }, "write");
                    return { sourceId: args.id, ...result };
                } catch (error) {
                    throw toGraphQLError(error);
                }
            },
        },
    };
}
