/**
 * One root pino logger; modules take a child (`log.child({ module: "loader" })`).
 * Logs go to stderr so that commands which print data (extract, export) keep stdout clean.
 */
import { pino } from "pino";
import { envLogLevel } from "./config.ts";

export const log = pino(
    {
        level: envLogLevel(),
        redact: { paths: ["password", "*.password", "req.headers.authorization", "auth.credentials"], censor: "[redacted]" },
        base: { service: "cyberkg" },
    },
    pino.destination({ dest: 2, sync: true }),
);

export type Logger = typeof log;
