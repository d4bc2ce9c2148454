#!/usr/bin/env node
// Entry point for `npx cyberkg` and `npm start`: runs the CLI compiled to dist/ (bin/build.js compiles src/ first
// when dist/ is missing or older than a source file), so no TypeScript is compiled at each start.
import { ensureBuilt } from "./build.js";

await import(await ensureBuilt());
