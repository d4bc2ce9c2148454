/**
 * Writes graphql/api.snapshot.graphql (the public GraphQL API as generated, src/api/schema-snapshot.ts).
 * `npm run schema:snapshot`; a unit test fails when the committed file is out of date.
 */
import fs from "node:fs";
import path from "node:path";
import { SNAPSHOT_FILE, apiSnapshot } from "../src/api/schema-snapshot.ts";

fs.writeFileSync(SNAPSHOT_FILE, await apiSnapshot());
process.stdout.write(`wrote ${path.relative(process.cwd(), SNAPSHOT_FILE)}\n`);
