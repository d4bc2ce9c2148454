/**
 * The strict Authorization check (auth.ts) and the token command (issue-token.ts): each forged, stale or
 * malformed token is rejected with a reason; a good one yields its subject and exactly its roles.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import { SignJWT, decodeJwt, type JWTPayload } from "jose";
import { REPO_ROOT, loadConfig } from "../config.ts";
import { authorizationVerifier } from "./auth.ts";
import { issueToken, parseTokenArgs } from "./issue-token.ts";

const SECRET = "unit-test-secret-0123456789-abcdefghijklmnop";
const config = loadConfig({ JWT_SECRET: SECRET, NODE_ENV: "test" }, {});
const verify = authorizationVerifier(config)!;
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A token with exactly these claims (nothing added), signed HS256 with `secret`. */
const signed = (claims: JWTPayload, secret = SECRET) => new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(secret));
const good = () => ({ sub: "alice", roles: ["editor"], iat: now(), exp: now() + 600 });

async function rejected(header: string, reason: RegExp) {
    const result = await verify(header);
    assert.equal(result.status, "rejected", `${header} → ${JSON.stringify(result)}`);
    assert.match((result as { reason: string }).reason, reason);
}

describe("authorization header checks", () => {
    it("accepts a good bearer token with its subject and roles", async () => {
        assert.deepEqual(await verify(`Bearer ${await signed(good())}`), { status: "verified", subject: "alice", roles: ["editor"] });
        assert.deepEqual(await verify(undefined), { status: "anonymous" });
    });
    it("rejects alg none", async () => {
        const { alg: _alg, ...claims } = { alg: 1, ...good() };
        await rejected(`Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`, /alg|JWS|signature|Unsupported/i);
    });
    it("rejects a token signed with another key", async () => {
        await rejected(`Bearer ${await signed(good(), "another-secret-0123456789-0123456789-xyz")}`, /signature/i);
    });
    it("rejects an expired token (beyond the clock skew)", async () => {
        await rejected(`Bearer ${await signed({ ...good(), iat: now() - 600, exp: now() - 60 })}`, /exp/);
    });
    it("accepts an exp within the clock skew", async () => {
        assert.equal((await verify(`Bearer ${await signed({ ...good(), iat: now() - 600, exp: now() - 5 })}`)).status, "verified");
    });
    it("rejects a token without exp, and one without iat", async () => {
        const { exp: _exp, ...noExp } = good();
        await rejected(`Bearer ${await signed(noExp)}`, /exp/);
        const { iat: _iat, ...noIat } = good();
        await rejected(`Bearer ${await signed(noIat)}`, /iat/);
    });
    it("rejects a future iat and a future nbf", async () => {
        await rejected(`Bearer ${await signed({ ...good(), iat: now() + 3600, exp: now() + 4000 })}`, /iat/);
        await rejected(`Bearer ${await signed({ ...good(), nbf: now() + 3600 })}`, /nbf/);
    });
    it("rejects a lifetime above JWT_MAX_LIFETIME_S", async () => {
        await rejected(`Bearer ${await signed({ ...good(), exp: now() + config.server.jwtMaxLifetimeS + 3600 })}`, /lifetime|JWT_MAX_LIFETIME_S/);
        const short = authorizationVerifier(loadConfig({ JWT_SECRET: SECRET, JWT_MAX_LIFETIME_S: 300 }, {}))!;
        assert.equal((await short(`Bearer ${await signed(good())}`)).status, "rejected");
    });
    it("requires the Bearer scheme", async () => {
        const token = await signed(good());
        for (const header of [token, `bearer ${token}`, `Basic ${token}`, `Bearer  ${token}`, `Bearer ${token} x`]) await rejected(header, /Bearer/);
    });
    it("rejects roles given as a string, an object or a list of non-strings", async () => {
        for (const roles of ["editor", { editor: true }, [1], ["editor", null]]) {
            await rejected(`Bearer ${await signed({ ...good(), roles } as JWTPayload)}`, /roles/);
        }
    });
});

describe("api:token", () => {
    it("takes the roles exactly as given, with or without --expires", () => {
        assert.deepEqual(parseTokenArgs(["reader"]).roles, ["reader"]);
        assert.deepEqual(parseTokenArgs(["reader", "--expires", "1h"]), { roles: ["reader"], expires: "1h", subject: "cyberkg-cli" });
        assert.deepEqual(parseTokenArgs(["--expires", "1h", "reader", "editor"]).roles, ["reader", "editor"]);
        assert.throws(() => parseTokenArgs([]), /no role/);
        assert.throws(() => parseTokenArgs(["--expire", "1h", "editor"]), /Unknown option/);
    });
    it("npm run api:token -- reader prints a reader token, bounded in time", () => {
        const run = (args: string[]) =>
            execFileSync(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "src/api/issue-token.ts"), ...args], {
                env: { ...process.env, JWT_SECRET: SECRET },
                encoding: "utf8",
            }).trim();
        const reader = decodeJwt(run(["reader"]));
        assert.deepEqual(reader.roles, ["reader"]);
        assert.equal(reader.exp! - reader.iat!, 8 * 3600);
        assert.deepEqual(decodeJwt(run(["reader", "--expires", "10m"])).roles, ["reader"]);
        assert.throws(() => run(["editor", "--expires", "400d"]), /JWT_MAX_LIFETIME_S/);
    });
    it("issueToken's tokens pass the strict check", async () => {
        assert.deepEqual(await verify(`Bearer ${await issueToken(SECRET, ["reader"], "10m", "bob")}`), { status: "verified", subject: "bob", roles: ["reader"] });
    });
});
