/**
 * Prints an HS256 bearer token for the write mutations, signed with JWT_SECRET:
 *   JWT_SECRET=… npm run api:token -- editor [--expires 8h]
 * With JWKS_URL the tokens come from your identity provider instead; they need `roles: ["editor"]`.
 */
import { SignJWT } from "jose";
import { loadConfig } from "../config.ts";

export async function issueToken(secret: string, roles: string[], expires = "8h", subject = "cyberkg-cli"): Promise<string> {
    return new SignJWT({ roles })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(subject)
        .setIssuedAt()
        .setExpirationTime(expires)
        .sign(new TextEncoder().encode(secret));
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const args = process.argv.slice(2);
    const expiresAt = args.indexOf("--expires");
    const expires = expiresAt >= 0 ? args[expiresAt + 1] : undefined;
    const roles = args.filter((a, i) => !a.startsWith("--") && i !== expiresAt + 1);
    const { server } = loadConfig();
    if (!server.jwtSecret) {
        process.stderr.write("JWT_SECRET is not set: set it (32+ characters) for the API and for this command, e.g. JWT_SECRET=$(openssl rand -hex 32)\n");
        process.exit(1);
    }
    process.stdout.write((await issueToken(server.jwtSecret, roles.length ? roles : ["editor"], expires ?? "8h")) + "\n");
}
