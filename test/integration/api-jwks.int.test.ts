/**
 * Writes verified against a JWKS endpoint (JWKS_URL) instead of a shared secret: an RS256 key pair whose public
 * half is served on loopback, as an identity provider would.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { loadConfig } from "../../src/config.ts";
import { startServer, type RunningServer } from "../../src/api/server.ts";
import { DATABASE, closeTestDriver, freshGraph } from "../helpers/graph.ts";
import { graphql } from "./api-client.ts";

const INGEST = `mutation Ingest($document: JSON!) { ingestFacts(document: $document) { sourceId status claims } }`;
const DOCUMENT = {
    article: { id: "article:jwks-test", title: "JWKS test article", publishedAt: "2024-06-01" },
    entities: [
        { id: "a", type: "ThreatActor", name: "Volt Typhoon", aliases: [] },
        { id: "s", type: "Sector", name: "Water", aliases: [] },
    ],
    facts: [{ subject: "a", predicate: "TARGETED", object: "s" }],
};

describe("writes with tokens from a JWKS endpoint", () => {
    let jwks: http.Server;
    let server: RunningServer;
    let sign: (roles: string[], kid?: string) => Promise<string>;
    let foreign: (roles: string[]) => Promise<string>;

    before(async () => {
        const { publicKey, privateKey } = await generateKeyPair("RS256");
        const other = await generateKeyPair("RS256");
        const jwk = { ...(await exportJWK(publicKey)), kid: "cyberkg-test", alg: "RS256", use: "sig" };
        jwks = http.createServer((_req, res) => {
            res.setHeader("content-type", "application/json");
            res.end(JSON.stringify({ keys: [jwk] }));
        });
        await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
        const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
        sign = (roles, kid = "cyberkg-test") =>
            new SignJWT({ roles }).setProtectedHeader({ alg: "RS256", kid }).setSubject("analyst").setIssuedAt().setExpirationTime("10m").sign(privateKey);
        foreign = (roles) => new SignJWT({ roles }).setProtectedHeader({ alg: "RS256", kid: "cyberkg-test" }).setIssuedAt().setExpirationTime("10m").sign(other.privateKey);
        const graph = await freshGraph();
        server = await startServer(loadConfig({ PORT: 0, NODE_ENV: "test", JWKS_URL: url }), graph.driver, DATABASE);
    });
    after(async () => {
        await server?.close();
        await new Promise((resolve) => jwks?.close(resolve));
        await closeTestDriver();
    });

    it("accepts an editor token signed by the identity provider's key", async () => {
        const result = await graphql(server.url, INGEST, { document: DOCUMENT }, { authorization: `Bearer ${await sign(["editor"])}` });
        assert.equal(result.errors, undefined, JSON.stringify(result.errors));
        assert.equal(result.data!.ingestFacts.status, "loaded");
    });

    it("rejects a token signed by another key, and one without the editor role", async () => {
        for (const token of [await foreign(["editor"]), await sign(["reader"])]) {
            const result = await graphql(server.url, INGEST, { document: { ...DOCUMENT, article: { ...DOCUMENT.article, id: "article:jwks-denied" } } }, { authorization: `Bearer ${token}` });
            assert.equal(result.errors?.[0]?.extensions?.code, "UNAUTHENTICATED", JSON.stringify(result.errors));
        }
        const check = await graphql(server.url, `{ articles(where: { id: { eq: "article:jwks-denied" } }) { id } }`);
        assert.deepEqual(check.data!.articles, []);
    });
});
