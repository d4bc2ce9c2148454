/**
 * Writes facts.schema.json (the published JSON Schema of the facts document) from the zod schema.
 * `npm run schema:json`; a unit test fails when the committed file is out of date.
 */
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../src/config.ts";
import { factsJsonSchema } from "../src/model/json-schema.ts";

const file = path.join(REPO_ROOT, "facts.schema.json");
fs.writeFileSync(file, JSON.stringify(factsJsonSchema(), null, 2) + "\n");
process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
