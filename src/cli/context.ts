/**
 * What most commands need: validated config, a connected driver (the local runtime or NEO4J_URI),
 * the schema applied, the registry loaded. One place, so every command resolves Neo4j the same way.
 */
import type { Driver } from "neo4j-driver";
import { loadConfig, type Config, type ConfigOverrides } from "../config.ts";
import type { Neo4jConnection } from "../neo4j/connection.ts";
import type { FactLoader } from "../loader/FactLoader.ts";
import type { Registry } from "../registry/Registry.ts";

export interface GraphContext {
    config: Config;
    conn: Neo4jConnection;
    driver: Driver;
    registry: Registry;
    loader: FactLoader;
    close(): Promise<void>;
}

export async function openGraph(
    overrides: ConfigOverrides = {},
    { onProgress = (msg: string) => process.stderr.write(msg + "\n") }: { onProgress?: (msg: string) => void } = {},
): Promise<GraphContext> {
    const config = loadConfig(overrides);
    // Imported when a command opens the graph, so that `cyberkg --help` starts without the driver and the loader.
    const [{ applySchema }, { connect, resolveConnection }, { FactLoader }, { unitFromRegistry }, { Registry }] = await Promise.all([
        import("../neo4j/cypher-files.ts"),
        import("../neo4j/connection.ts"),
        import("../loader/FactLoader.ts"),
        import("../loader/registry-unit.ts"),
        import("../registry/Registry.ts"),
    ]);
    const conn = await resolveConnection(config, { onProgress });
    const driver = await connect(conn);
    try {
        await applySchema(driver, conn.database);
        const registry = Registry.load();
        const loader = new FactLoader(driver, conn.database, registry);
        await loader.load(unitFromRegistry(registry));
        // close() also stops a Neo4j this command started, so every command exits when done (issue 12).
        const close = async () => {
            await driver.close();
            if (conn.local?.ownsProcess) await conn.local.stop();
        };
        return { config, conn, driver, registry, loader, close };
    } catch (error) {
        await driver.close();
        if (conn.local?.ownsProcess) await conn.local.stop();
        throw error;
    }
}
