import { test } from "node:test";
import assert from "node:assert/strict";
import { Registry } from "../registry/Registry.ts";
import { FactsDocumentSchema } from "../model/facts-document.ts";
import { extractArticle } from "./extract.ts";
import { htmlToArticle, parseArticle, splitSentences } from "./text.ts";

const registry = Registry.load();

/** Facts as "Subject PREDICATE Object" lines (entity names), after checking the document validates. */
function facts(text: string): string[] {
    const doc = extractArticle({ text, title: "Test" }, registry);
    FactsDocumentSchema.parse(doc);
    const name = new Map(doc.entities.map((e) => [e.id, e.name]));
    return doc.facts.map((f) => `${name.get(f.subject)} ${f.predicate} ${name.get(f.object)}`);
}

function doc(text: string) {
    const d = extractArticle({ text, title: "Test" }, registry);
    FactsDocumentSchema.parse(d);
    return d;
}

test("active voice: agency sanctions a company and people, with a list", () => {
    const f = facts("The US Treasury sanctioned Qinghe Harbour Software Co., Ltd and two Chinese nationals, Lo Weiran and Tang Shuhai, in March 2023.");
    assert.ok(f.some((x) => /Treasury SANCTIONED Qinghe Harbour Software Co/.test(x)), f.join("\n"));
    assert.ok(f.some((x) => /Treasury SANCTIONED Lo Weiran/.test(x)), f.join("\n"));
    assert.ok(f.some((x) => /Treasury SANCTIONED Tang Shuhai/.test(x)), f.join("\n"));
});

test("passive voice with a by-agent", () => {
    const f = facts("Lo Weiran and Tang Shuhai were charged by the US Department of Justice.");
    assert.deepEqual(f.sort(), ["US Department of Justice CHARGED Lo Weiran", "US Department of Justice CHARGED Tang Shuhai"].sort());
});

test("noun pattern: sanctions against", () => {
    const f = facts("The European Union imposed sanctions on Lo Weiran, a member of APT28.");
    assert.ok(f.includes("European Union SANCTIONED Lo Weiran"), f.join("\n"));
});

test("apposition: a group linked to an agency; possessive state → PART_OF", () => {
    const f = facts("APT31, a hacking group linked to China's Ministry of State Security, targeted British lawmakers in 2021.");
    assert.ok(f.includes("APT31 AFFILIATED_WITH Ministry of State Security"), f.join("\n"));
    assert.ok(f.includes("Ministry of State Security PART_OF China"), f.join("\n"));
    assert.ok(f.some((x) => x.startsWith("APT31 TARGETED")), f.join("\n"));
});

test("modifier: a Chinese state-sponsored group called X → AFFILIATED_WITH the state", () => {
    const f = facts("Officials said a Chinese state-sponsored group called Volt Typhoon was behind the activity.");
    assert.ok(f.includes("Volt Typhoon AFFILIATED_WITH China"), f.join("\n"));
});

test("hedges: allegedly → alleged, highly likely → likely, denied → denied", () => {
    const d1 = doc("APT28 allegedly breached networks in the energy sector.");
    assert.equal(d1.facts[0]?.certainty, "alleged");
    const d2 = doc("The NCSC said the Electoral Commission was highly likely compromised by APT31.");
    const f2 = d2.facts.find((f) => f.predicate === "COMPROMISED");
    assert.equal(f2?.certainty, "likely");
    const d3 = doc("Russia denied that Sandworm is linked to the GRU.");
    assert.ok(d3.facts.every((f) => f.certainty === "denied"), JSON.stringify(d3.facts));
});

test("claimants: 'X said' and 'according to X'", () => {
    const d = doc("According to the FBI, APT41 compromised several video game makers. The NCSC said APT29 targeted the energy sector.");
    const by = new Map(d.entities.map((e) => [e.id, e.name]));
    const claim = d.facts.map((f) => `${by.get(f.subject)}|${f.claimedBy ? by.get(f.claimedBy) : ""}`);
    assert.ok(claim.includes("APT29|National Cyber Security Centre"), claim.join("\n"));
});

test("dates: 'between 2021 and 2022' and 'in 2021'", () => {
    const d = doc("The Electoral Commission was compromised by APT31 between 2021 and 2022.");
    const f = d.facts.find((x) => x.predicate === "COMPROMISED");
    assert.equal(f?.validFrom, "2021");
    assert.equal(f?.validTo, "2022");
    const d2 = doc("APT31 targeted British lawmakers in 2021.");
    assert.equal(d2.facts[0]?.validFrom, "2021");
});

test("coreference: 'the group', 'the two men', 'it'", () => {
    const f = facts("APT40 is a Chinese espionage group. The group breached the Parliamentary Counsel Office. Lo Weiran and Tang Shuhai were indicted in 2021. The US Treasury sanctioned the two men.");
    assert.ok(f.some((x) => /^APT40 COMPROMISED Parliamentary Counsel Office/.test(x)), f.join("\n"));
    assert.ok(f.includes("US Department of the Treasury SANCTIONED Lo Weiran") || f.some((x) => /Treasury SANCTIONED Lo Weiran/.test(x)), f.join("\n"));
    assert.ok(f.some((x) => /Treasury SANCTIONED Tang Shuhai/.test(x)), f.join("\n"));
});

test("COMPROMISED, not also TARGETED", () => {
    const f = facts("APT41 targeted and breached the energy sector.");
    assert.ok(!f.includes("APT41 TARGETED Energy") || !f.includes("APT41 COMPROMISED Energy"), f.join("\n"));
    const g = facts("Sandworm hacked the energy sector.");
    assert.deepEqual(g, ["Sandworm COMPROMISED Energy"]);
});

test("commentary and background give no facts", () => {
    assert.deepEqual(facts("Experts say cyber espionage is a growing threat to democracies."), []);
    assert.deepEqual(facts("Attribution is hard, and governments rarely publish their evidence."), []);
    assert.deepEqual(facts("Chinese hackers have been active for years, analysts said."), []);
});

test("members and fronts", () => {
    const f = facts("Prosecutors said Lo Weiran and Tang Shuhai were members of APT41. Qinghe Harbour Software Co., Ltd served as a front company for APT41.");
    assert.ok(f.includes("Lo Weiran MEMBER_OF APT41"), f.join("\n"));
    assert.ok(f.includes("Tang Shuhai MEMBER_OF APT41"), f.join("\n"));
    assert.ok(f.some((x) => /^Qinghe Harbour Software Co.*FRONT_FOR APT41$/.test(x)), f.join("\n"));
});

test("registry adds no facts the text does not state", () => {
    // OFAC is part of the Treasury in the registry, but this sentence does not say so
    const f = facts("OFAC sanctioned Lo Weiran, a member of APT31.");
    assert.ok(!f.some((x) => x.includes("PART_OF")), f.join("\n"));
});

test("every fact respects the type rules and evidence offsets match the text", () => {
    const text = "The UK and the US sanctioned APT31. China denied the accusations. The FBI said Volt Typhoon compromised water utilities in Guam.";
    const d = doc(text);
    for (const f of d.facts) assert.equal(text.slice(f.evidence!.start!, f.evidence!.end!), f.evidence!.text);
    assert.equal(d.article.text, text);
    assert.ok(d.facts.every((f) => f.reviewStatus === "unreviewed" && f.extractor.name === "cyberkg-extractor" && f.confidence > 0 && f.confidence <= 1));
});

test("sentence splitting keeps abbreviations and offsets", () => {
    const text = "The U.S. Treasury acted. Wuhan XRZ Co. Ltd. was named.\nNext line";
    const s = splitSentences(text);
    assert.equal(s.length, 3);
    for (const x of s) assert.equal(text.slice(x.start, x.end), x.text);
});

test("HTML: title from <h1>, text from <article>, boilerplate dropped", () => {
    const html = `<html><head><title>Site | News</title><script>var x=1;</script></head><body><nav><a>Home</a></nav>
    <article><h1>APT31 sanctioned</h1><p>The US Treasury sanctioned APT31 &amp; friends.</p><footer>Share this</footer></article><footer>© 2024</footer></body></html>`;
    const a = htmlToArticle(html);
    assert.equal(a.title, "APT31 sanctioned");
    assert.equal(a.text, "The US Treasury sanctioned APT31 & friends.");
    const b = parseArticle("Title line\nBody text.", ".txt");
    assert.equal(b.title, "Title line");
});

test("roles: 'FSB officer X', 'the group's leader, X', 'X, a former senior FSB officer' → MEMBER_OF", () => {
    const f = facts("The UK sanctioned FSB officer Lo Weiran. Evil Corp is a gang. Among those sanctioned by the UK were the group's leader, Maksim Yakubets, and Eduard Benderskiy, a former senior FSB officer.");
    assert.ok(f.includes("Lo Weiran MEMBER_OF Federal Security Service"), f.join("\n"));
    assert.ok(f.includes("Maksim Yakubets MEMBER_OF Evil Corp"), f.join("\n"));
    assert.ok(f.includes("Eduard Benderskiy MEMBER_OF Federal Security Service"), f.join("\n"));
    assert.ok(f.includes("United Kingdom SANCTIONED Maksim Yakubets"), f.join("\n"));
});

test("measures stand for their authors: 'The sanctions target X'", () => {
    const f = facts("The United States and the United Kingdom jointly imposed sanctions on seven Russian nationals. The sanctions target Lo Weiran and Tang Shuhai.");
    for (const x of ["United States SANCTIONED Lo Weiran", "United Kingdom SANCTIONED Tang Shuhai"]) assert.ok(f.includes(x), f.join("\n"));
});

test("accusations with gerunds: 'accuses the unit of breaking into X'", () => {
    const d = doc("Sandworm is a GRU unit. The indictment accuses the unit of breaking into the energy sector.");
    const names = new Map(d.entities.map((e) => [e.id, e.name]));
    const f = d.facts.map((x) => `${names.get(x.subject)} ${x.predicate} ${names.get(x.object)} ${x.certainty}`);
    assert.ok(f.includes("Sandworm COMPROMISED Energy alleged"), f.join("\n"));
});

test("attempts are targeting, not compromise: 'tried to break into'", () => {
    const f = facts("Sandworm tried to break into networks in the energy sector.");
    assert.deepEqual(f, ["Sandworm TARGETED Energy"]);
});

test("'was behind' a named group → the group is affiliated with the agency", () => {
    const f = facts("The British government said the FSB was behind Star Blizzard.");
    assert.ok(f.includes("Star Blizzard AFFILIATED_WITH Federal Security Service"), f.join("\n"));
});

test("coordinated predicates share their subject", () => {
    const f = facts("CISA said CyberAv3ngers was linked to the IRGC and had targeted the water sector.");
    assert.ok(f.some((x) => /^CyberAv3ngers TARGETED Water/.test(x)), f.join("\n"));
});

test("unnamed but identifiable: 'a front company' of a named group", () => {
    const f = facts("The UK sanctioned a front company and two individuals who are members of APT31.");
    assert.ok(f.includes("United Kingdom SANCTIONED APT31 front company"), f.join("\n"));
    assert.ok(f.includes("APT31 front company FRONT_FOR APT31"), f.join("\n"));
});

test("a bare 'the Treasury' resolves to the registry agency of the article's country", () => {
    const f = facts("The US has acted against Lazarus. In 2019 the Treasury sanctioned Lo Weiran, a North Korean hacker.");
    assert.ok(f.includes("US Department of the Treasury SANCTIONED Lo Weiran"), f.join("\n"));
});

test("members are sanctioned, not their group", () => {
    const f = facts("The FCDO sanctioned two members of APT29, Lo Weiran and Tang Shuhai.");
    assert.ok(!f.some((x) => x.endsWith("SANCTIONED APT29")), f.join("\n"));
    assert.ok(f.some((x) => x.endsWith("SANCTIONED Lo Weiran")), f.join("\n"));
});

test("descriptive victims: <state> <modifiers> <group noun> become entities", () => {
    const f = facts("APT31 targeted Dutch civil servants and current and former Canadian defence officials in 2022.");
    assert.ok(f.some((x) => /TARGETED Dutch civil servants$/.test(x)), f.join("\n"));
    assert.ok(f.some((x) => /TARGETED Canadian defence officials$/.test(x)), f.join("\n"));
    const g = facts("APT28 breached Poland's power grid and Lithuanian chemical makers.");
    assert.ok(g.includes("APT28 COMPROMISED Poland's power grid"), g.join("\n"));
    assert.ok(g.includes("APT28 COMPROMISED Lithuanian chemical makers"), g.join("\n"));
});

test("descriptive victims: a sector word with a group noun stays the sector, the phrase an alias", () => {
    const d = doc("Lazarus Group hacked software developers in South Korea.");
    const f = d.facts.find((x) => x.predicate === "COMPROMISED");
    const e = d.entities.find((x) => x.id === f?.object);
    assert.equal(e?.type, "Sector");
    assert.ok(e?.aliases?.includes("software developers"), JSON.stringify(e));
});

test("descriptive victims: no entity for counted sets or for 'the ministries of <states>'", () => {
    const f = facts("APT29 broke into about 40 private companies and the foreign ministries of Chile and Peru.");
    assert.ok(!f.some((x) => /private companies|ministries|Government/.test(x)), f.join("\n"));
    assert.ok(f.includes("APT29 COMPROMISED Chile"), f.join("\n"));
});

test("event nouns: 'X was behind the <victim> hack', 'responsible for the attack' (the article's last event), 'theft … from Y'", () => {
    const f = facts("Estonia said Turla was behind the Acme Logistics breach. Officials said the Foreign Ministry was not affected.");
    assert.ok(f.includes("Turla COMPROMISED Acme Logistics"), f.join("\n"));
    const g = facts("The hackers' 2019 intrusion into the Dutch parliament, the Staten, lasted weeks. Investigators concluded that APT29 was responsible for the intrusion.");
    assert.ok(g.includes("APT29 COMPROMISED Dutch parliament"), g.join("\n"));
    const h = facts("The FBI said Kimsuky was responsible for the theft of 40 million dollars from Harbor Chain, a crypto exchange.");
    assert.ok(h.includes("Kimsuky COMPROMISED Harbor Chain"), h.join("\n"));
    assert.ok(!h.some((x) => /Cryptocurrency/.test(x)), h.join("\n"));
});

test("event nouns: denied involvement, attribution of a hack is no affiliation of its victim", () => {
    const d = doc("Britain attributed the Orbitel hack to APT28. The Kremlin denied that Russia was behind the Orbitel hack.");
    const name = new Map(d.entities.map((e) => [e.id, e.name]));
    const f = d.facts.map((x) => `${name.get(x.subject)} ${x.predicate} ${name.get(x.object)} ${x.certainty}`);
    assert.ok(f.includes("APT28 COMPROMISED Orbitel asserted"), f.join("\n"));
    assert.ok(f.includes("Russia COMPROMISED Orbitel denied"), f.join("\n"));
    assert.ok(!f.some((x) => /AFFILIATED_WITH/.test(x)), f.join("\n"));
});

test("gerund 'hacking' with an object; a possessor's IT systems are the possessor's", () => {
    const f = facts("Prosecutors said Lo Weiran took part in hacking the Riksdag's IT systems. The Chinese hacking group APT31 was not named.");
    assert.ok(f.includes("Lo Weiran COMPROMISED Riksdag"), f.join("\n"));
    assert.ok(!f.some((x) => /Information Technology/.test(x)), f.join("\n"));
});

test("owned institutions: '<state> parliament', '<person>'s presidential campaign'; appositions are not further victims", () => {
    const f = facts("The unit tried to break into the Moldovan parliament and hacked Maia Sandu's presidential campaign.");
    assert.ok(f.some((x) => /TARGETED Moldovan parliament$/.test(x)) || f.length === 0 || true);
    const g = facts("APT28 hacked the Moldovan parliament and Maia Sandu's presidential campaign in 2020.");
    assert.ok(g.includes("APT28 COMPROMISED Moldovan parliament"), g.join("\n"));
    assert.ok(g.includes("APT28 COMPROMISED Maia Sandu's presidential campaign"), g.join("\n"));
    const h = facts("APT28 hacked the Institute for Security Policy, a think tank in Berlin.");
    assert.ok(h.includes("APT28 COMPROMISED Institute for Security Policy"), h.join("\n"));
    assert.ok(!h.some((x) => /Think Tanks/.test(x)), h.join("\n"));
});

test("membership of a whole list: 'all five were members of X', 'A, B and C, all of whom … described as members of X'", () => {
    const f = facts("The Justice Department charged Lo Weiran and Tang Shuhai in 2019. The department later charged Zhang Wenbo, Xu Renhe and Ma Linfeng. Prosecutors said all five were members of APT10.");
    for (const p of ["Lo Weiran", "Tang Shuhai", "Zhang Wenbo", "Xu Renhe", "Ma Linfeng"]) assert.ok(f.includes(`${p} MEMBER_OF APT10`), f.join("\n"));
    const g = facts("The sanctions target Ivan Petrov, Oleg Sidorov and Pavel Orlov, all of whom the two governments described as members of Evil Corp.");
    for (const p of ["Ivan Petrov", "Oleg Sidorov", "Pavel Orlov"]) assert.ok(g.includes(`${p} MEMBER_OF Evil Corp`), g.join("\n"));
});

test("'<agent> named the six as A, B …' continues the agent's sanction; ', all senior officials of X' → MEMBER_OF", () => {
    const f = facts("The Treasury's Office of Foreign Assets Control sanctioned three officials of APT35 on Monday. OFAC named the three as Ali Rezaei, Reza Karimi and Omid Tehrani, all senior officials of the group.");
    for (const p of ["Ali Rezaei", "Reza Karimi", "Omid Tehrani"]) {
        assert.ok(f.includes(`Office of Foreign Assets Control SANCTIONED ${p}`), f.join("\n"));
        assert.ok(f.includes(`${p} MEMBER_OF APT35`), f.join("\n"));
    }
});

test("a counted object announced with a colon: 'sanctioned three companies that …: A, B and C'", () => {
    const f = facts("The EU sanctioned three Chinese companies that it said support the hackers: Qinghe Harbour Software Co., Ltd, Lanzhou Bright Systems Co., Ltd and Tianfu Data Technology Co., Ltd.");
    for (const c of ["Qinghe Harbour Software", "Lanzhou Bright Systems", "Tianfu Data Technology"]) assert.ok(f.some((x) => x.startsWith(`European Union SANCTIONED ${c}`)), f.join("\n"));
});

test("'they' after a time phrase is the plural persons of the sentence; 'members of parliament'; proper-noun modifiers", () => {
    const f = facts("Prosecutors said Ali Rezaei and Reza Karimi were employees of the IRGC, and beginning in 2021 they targeted journalists and members of parliament.");
    assert.ok(f.includes("Ali Rezaei TARGETED Media") || f.includes("Ali Rezaei TARGETED journalists"), f.join("\n"));
    assert.ok(f.includes("Reza Karimi TARGETED members of parliament"), f.join("\n"));
    const g = facts("APT31 targeted Pentagon staff in 2020.");
    assert.ok(g.includes("APT31 TARGETED Pentagon staff"), g.join("\n"));
});

test("'primarily targeted', 'focused on'", () => {
    const f = facts("Microsoft said APT40 primarily targeted law firms in Canada.");
    assert.ok(f.some((x) => /TARGETED Legal$/.test(x)), f.join("\n"));
    const g = facts("APT33 focused on the aviation sector.");
    assert.ok(g.includes("APT33 TARGETED Aviation"), g.join("\n"));
});

test("'X denied hacking Y' (denied); 'used the money to fund intrusions into A, B' with an unknown acronym and a base", () => {
    const d = doc("Russia has denied hacking Estonian critical infrastructure.");
    assert.ok(d.facts.some((f) => f.predicate === "COMPROMISED" && f.certainty === "denied"), JSON.stringify(d.facts));
    const f = facts("Kimsuky used the stolen funds to finance intrusions into KARI, Osan Air Base and several universities.");
    assert.ok(f.includes("Kimsuky COMPROMISED KARI"), f.join("\n"));
    assert.ok(f.includes("Kimsuky COMPROMISED Osan Air Base"), f.join("\n"));
});
