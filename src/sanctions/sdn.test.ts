/** OFAC SDN rows, names and remarks, on rows of the real list (../shared/data/ofac) and made-up bad ones. */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { linkDirection } from "./import-ofac.ts";
import { entityNames, personNames, withoutLegalForm } from "./names.ts";
import { entryFromFields, readSdnRows, sdnPrograms, type SdnRow } from "./ofac-sdn.ts";
import { parseRemarks } from "./remarks.ts";

async function rows(text: string | Buffer, encoding?: "utf-8" | "latin1"): Promise<SdnRow[]> {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sdn-")), "sdn.csv");
    fs.writeFileSync(file, text);
    const out: SdnRow[] = [];
    for await (const r of readSdnRows(file, { encoding })) out.push(r);
    return out;
}

describe("OFAC SDN CSV", () => {
    it("reads `-0- ` as empty, an empty type as an entity, programs without their outer brackets", async () => {
        const [row] = await rows(`21328,"KOROBOV, Igor Valentinovich","individual","CYBER2] [CAATSA - RUSSIA","Chief of GRU",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 03 Aug 1956."\r\n26664,"EVIL CORP",-0- ,"CYBER2",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n`);
        assert.ok(row && "entry" in row);
        assert.deepEqual(row.entry.programs, ["CYBER2", "CAATSA - RUSSIA"]);
        assert.equal(row.entry.title, "Chief of GRU");
        assert.equal(row.entry.type, "individual");
        const all = await rows(`26664,"EVIL CORP",-0- ,"CYBER2",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n`);
        assert.ok("entry" in all[0]!);
        assert.equal(all[0].entry.type, "entity");
        assert.equal(all[0].entry.remarks, undefined);
        assert.deepEqual(sdnPrograms("SDGT] [SYRIA] [CYBER2"), ["SDGT", "SYRIA", "CYBER2"]);
    });

    it("reports a bad row with its line and reason, and goes on", async () => {
        const out = await rows(`1,"A",-0- ,"CYBER2",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n2,"B",-0- ,"CYBER2"\r\n1,"C",-0- ,"CYBER2",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n3,"D","ship","CYBER2",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n4,"E",-0- ,"CYBER2",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n`);
        assert.deepEqual(out.map((r) => ("entry" in r ? `ok ${r.entry.line}` : `bad ${r.bad.line}: ${r.bad.reason}`)), [
            "ok 1",
            "bad 2: expected 12 columns (ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks), got 4",
            "bad 3: ent_num 1 repeats line 1",
            "bad 4: SDN_Type 'ship' is not individual, vessel, aircraft or -0- (an entity)",
            "ok 5",
        ]);
        assert.match(JSON.stringify(entryFromFields(["x", "A", "", "CYBER2", "", "", "", "", "", "", "", ""], 9)), /ent_num 'x'/);
    });

    it("refuses bytes that are not UTF-8 with the offset, and reads them as Latin-1 when told", async () => {
        const latin1 = Buffer.from(`5,"M\xdcLLER, J\xf6rg","individual","CYBER2",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n`, "latin1");
        await assert.rejects(rows(latin1), /not valid utf-8 near byte 0: give --encoding latin1/);
        const [row] = await rows(latin1, "latin1");
        assert.ok(row && "entry" in row);
        assert.equal(row.entry.name, "MÜLLER, Jörg");
        assert.equal(personNames(row.entry.name).display, "Jörg Müller");
    });

    it("reads the real 244-row list without a bad row", async () => {
        const out: SdnRow[] = [];
        const file = [process.env.CYBERKG_SHARED_DIR, "../shared", "/work/shared"].filter(Boolean).map((d) => path.join(d!, "data/ofac/sdn-cyber-2024-05-03.csv")).find((f) => fs.existsSync(f));
        assert.ok(file, "the shared OFAC file");
        for await (const r of readSdnRows(file)) out.push(r);
        assert.equal(out.length, 244);
        assert.deepEqual(out.filter((r) => "bad" in r), []);
    });
});

describe("SDN names", () => {
    it("turns SURNAME, Given into Given Surname, with the surname-first form as an alias", () => {
        assert.deepEqual(personNames("ZHAO, Guangzong"), { display: "Guangzong Zhao", aliases: ["Zhao Guangzong"] });
        assert.deepEqual(personNames("KHATIBI AGHADA, Ahmad"), { display: "Ahmad Khatibi Aghada", aliases: ["Khatibi Aghada Ahmad"] });
    });

    it("strips legal forms at either end for an alias", () => {
        assert.equal(withoutLegalForm("WUHAN XIAORUIZHI SCIENCE AND TECHNOLOGY COMPANY, LIMITED"), "WUHAN XIAORUIZHI SCIENCE AND TECHNOLOGY COMPANY");
        assert.equal(withoutLegalForm("LIMITED LIABILITY COMPANY CONCORD MANAGEMENT AND CONSULTING"), "CONCORD MANAGEMENT AND CONSULTING");
        assert.equal(withoutLegalForm("INFOROS, OOO"), "INFOROS");
        assert.equal(withoutLegalForm("OOO YUNIDZHET"), "YUNIDZHET");
        assert.equal(withoutLegalForm("MEROE GOLD CO. LTD."), "MEROE GOLD");
        assert.equal(withoutLegalForm("EVIL CORP"), undefined);
        assert.deepEqual(entityNames("NPP PT OKEANOS, AO"), { display: "NPP PT OKEANOS, AO", aliases: ["NPP PT OKEANOS"] });
    });
});

describe("SDN remarks", () => {
    it("splits names, links, birth, nationality, identifiers, addresses and websites", () => {
        const r = parseRemarks(
            "DOB 27 Jun 1987; alt. DOB 1986; POB Riga, Latvia; nationality Latvia; citizen Russia; Gender Male; Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201; Passport RU0313455106 (Russia); alt. Passport 0307609477 (Russia); National ID No. 4508818947 (Russia); Email Address a@b.c; Website tornado.cash; Digital Currency Address - XBT 1Abc9; alt. Digital Currency Address - ETH 0x12D6; a.k.a. 'Mag'; f.k.a. 'OLD NAME, LLC'; Linked To: MEROE GOLD CO. LTD.; Linked To: EVIL CORP.",
        );
        assert.deepEqual(r.birthDates, ["27 Jun 1987", "1986"]);
        assert.deepEqual(r.birthPlaces, ["Riga, Latvia"]);
        assert.deepEqual(r.nationalities, ["Latvia"]);
        assert.deepEqual(r.citizenships, ["Russia"]);
        assert.equal(r.gender, "Male");
        assert.deepEqual(r.identifiers, ["Passport RU0313455106 (Russia)", "Passport 0307609477 (Russia)", "National ID No. 4508818947 (Russia)"]);
        assert.deepEqual(r.cryptoAddresses, ["XBT 1Abc9", "ETH 0x12D6"]);
        assert.deepEqual(r.emails, ["a@b.c"]);
        assert.deepEqual(r.websites, ["tornado.cash"]);
        assert.deepEqual(r.aliases, [{ kind: "a.k.a.", name: "Mag" }, { kind: "f.k.a.", name: "OLD NAME, LLC" }]);
        assert.deepEqual(r.linkedTo, ["MEROE GOLD CO. LTD", "EVIL CORP"]);
        assert.deepEqual(r.other, ["Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201"]);
    });
});

describe("Linked To: → AFFILIATED_WITH", () => {
    it("the entry is affiliated with what it names; a person is the subject against a company or group", () => {
        assert.equal(linkDirection("Person", "Person"), "forward"); // MALKEVICH → PRIGOZHIN
        assert.equal(linkDirection("Person", "ThreatActor"), "forward"); // SMIRNOV → EVIL CORP
        assert.equal(linkDirection("Organization", "Organization"), "forward"); // CONCORD CATERING → INTERNET RESEARCH AGENCY
        assert.equal(linkDirection("Organization", "Person"), "backward"); // BERATEX GROUP → PRIGOZHIN: Prigozhin AFFILIATED_WITH Beratex
        assert.equal(linkDirection("ThreatActor", "Person"), "backward");
        assert.equal(linkDirection("Organization", "State"), "forward");
        assert.equal(linkDirection("State", "Organization"), "backward"); // a state is never the subject
        assert.equal(linkDirection("Sector", "State"), undefined);
    });
});
