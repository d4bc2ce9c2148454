/**
 * Prints an HS256 bearer token for the write mutations, signed with JWT_SECRET, carrying exactly the roles given:
 *   JWT_SECRET=… npm run api:token -- editor [--expires 8h] [--subject alice]
 * The lifetime must not exceed JWT_MAX_LIFETIME_S (the API rejects longer-lived tokens).
 * With JWKS_URL the tokens come from your identity provider instead; they need `roles: ["editor"]`.
 */
import { parseArgs } from "node:util";
import { SignJWT } from "jose";
import { loadConfig } from "../config.ts";

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** "90s", "10m", "8h", "1d" (or a bare number of seconds; negative for tests of expiry) → seconds. */
export function parseLifetime(text: string): number {
    const match = /^(-?\d+)\s*([smhd]?)$/.exec(text.trim());
    if (!match) throw new Error(`--expires '${text}' is not a duration like 90s, 10m, 8h or 1d`);
    return Number(match[1]) * UNITS[match[2] || "s"]!;
}

export async function issueToken(secret: string, roles: string[], expires = "8h", subject = "cyberkg-cli"): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ roles: [...roles] })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(subject)
        .setIssuedAt(now)
        .setExpirationTime(now + parseLifetime(expires))
        .sign(new TextEncoder().encode(secret));
}

const USAGE = "usage: npm run api:token -- <role> [<role> …] [--expires 8h] [--subject name]   (e.g. npm run api:token -- editor)";

/** The command line: roles are the positionals, exactly as given. */
export function parseTokenArgs(argv: string[]): { roles: string[]; expires: string; subject: string } {
    const { values, positionals } = parseArgs({
        args: argv,
        options: { expires: { type: "string", default: "8h" }, subject: { type: "string", default: "cyberkg-cli" } },
        allowPositionals: true,
        strict: true,
    });
    const roles = positionals.map((r) => r.trim());
    if (roles.length === 0) throw new Error(`no role given\n${USAGE}`);
    for (const role of roles) if (!/^[A-Za-z][\w.-]{0,63}$/.test(role)) throw new Error(`'${role}' is not a role name\n${USAGE}`);
    return { roles, expires: values.expires!, subject: values.subject! };
}

if (import.meta.url === `file://${process.argv[1]}`) {
    try {
        const { roles, expires, subject } = parseTokenArgs(process.argv.slice(2));
        const { server } = loadConfig();
        if (!server.jwtSecret) throw new Error("JWT_SECRET is not set: set it (32+ characters) for the API and for this command, e.g. JWT_SECRET=$(openssl rand -hex 32)");
        const seconds = parseLifetime(expires);
        if (seconds <= 0 || seconds > server.jwtMaxLifetimeS) throw new Error(`--expires ${expires} must be positive and at most JWT_MAX_LIFETIME_S (${server.jwtMaxLifetimeS} s)`);
        process.stdout.write((await issueToken(server.jwtSecret, roles, expires, subject)) + "\n");
    } catch (error) {
        process.stderr.write(`api:token: ${(error as Error).message}\n`);
        process.exit(1);
    }
}
