import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { memoryForMachine } from "./memory.ts";

const GIB = 2 ** 30;

describe("local runtime memory from the machine", () => {
    it("gives Neo4j an eighth of the RAM as heap and as page cache", () => {
        assert.deepEqual(memoryForMachine(24 * GIB), { heap: "3072m", pagecache: "3072m" });
    });
    it("never goes below 1 GiB of heap and 512 MiB of page cache on a small machine", () => {
        assert.deepEqual(memoryForMachine(2 * GIB), { heap: "1024m", pagecache: "512m" });
    });
    it("caps the heap at 8 GiB and the page cache at 16 GiB on a large one", () => {
        assert.deepEqual(memoryForMachine(512 * GIB), { heap: "8192m", pagecache: "16384m" });
    });
});
