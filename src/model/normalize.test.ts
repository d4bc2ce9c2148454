/** Name keys (normalize.ts): ordinary names keep their keys; look-alikes of ASCII names fold onto them. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { foldConfusables, normalizeName, slugify } from "./normalize.ts";

describe("normalizeName", () => {
    it("keeps the keys of ordinary names", () => {
        const cases: [string, string][] = [
            ["APT31", "apt31"],
            ["APT-31", "apt31"],
            ["apt 31", "apt31"],
            ["Zirçonium", "zirconium"],
            ["ZIRCONIUM", "zirconium"],
            ["Wuhan Xiaoruizhi Science & Technology", "wuhanxiaoruizhiscienceandtechnology"],
            ["Park Jin Hyok", "parkjinhyok"],
            ["Straße", "straße"],
        ];
        for (const [name, key] of cases) assert.equal(normalizeName(name), key, name);
        assert.notEqual(normalizeName("APT1"), normalizeName("APTl")); // ASCII is never folded
        assert.notEqual(normalizeName("APT10"), normalizeName("APT1O"));
    });
    it("folds Cyrillic and Greek look-alikes onto the ASCII name they imitate", () => {
        assert.equal(normalizeName("АРТ31"), normalizeName("APT31")); // Cyrillic А, Р, Т
        assert.equal(normalizeName("ΑΡΤ31"), "apt31"); // Greek Alpha, Rho, Tau
        assert.equal(normalizeName("Lаzаrus Grоup"), normalizeName("Lazarus Group")); // Cyrillic а, о
        assert.equal(foldConfusables("APT31"), "APT31");
        assert.equal(slugify("АРТ31"), "арт31"); // ids are not folded: only the matching key is
    });
});
