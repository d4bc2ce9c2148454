/**
 * The pipeline's stages, each through made-up sentences on the real parser: mentions, linking, coreference,
 * discourse, certainty and claimant, and the document's rules. (Pattern examples are in patterns.test.ts.)
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FactsDocumentSchema } from "../model/facts-document.ts";
import { normalizeName } from "../model/normalize.ts";
import { forParsing } from "./pipeline.ts";
import { extractText, factsOf, find, type FactLine } from "./testing.ts";

const show = (ls: FactLine[]) => ls.map((l) => l.line).join("\n  ") || "(nothing)";
async function has(text: string, s: string, p: string, o: string, extra?: (l: FactLine) => void): Promise<void> {
    const lines = await factsOf(text);
    const l = find(lines, s, p, o);
    assert.ok(l, `"${text}" should give ${s} ${p} ${o}; gave:\n  ${show(lines)}`);
    extra?.(l);
}
async function hasNot(text: string, s: string, p: string, o: string): Promise<void> {
    const lines = await factsOf(text);
    assert.equal(find(lines, s, p, o), undefined, `"${text}" must not give ${s} ${p} ${o}; gave:\n  ${show(lines)}`);
}

describe("mentions", () => {
    test("victim descriptions become the guide's sectors", async () => {
        await has("Sandworm attacked a regional power utility.", "Sandworm", "TARGETED", "energy");
        await has("APT41 breached hospitals and universities.", "APT41", "COMPROMISED", "healthcare");
        await has("APT41 breached hospitals and universities.", "APT41", "COMPROMISED", "education");
        // pharmaceutical companies and vaccine makers are healthcare (corpus house rule 5)
        await has("Microsoft said APT99 had attempted to breach the networks of several vaccine makers.", "APT99", "TARGETED", "healthcare");
        await has("Volt Typhoon compromised organisations in the water and transportation sectors.", "Volt Typhoon", "COMPROMISED", "transportation");
    });
    test("a group of people named with a modifier is an organisation", async () => {
        const doc = await extractText("APT31 targeted British MPs.");
        const mps = doc.entities.find((e) => e.name === "British MPs");
        assert.equal(mps?.type, "Organization");
    });
    test("a state's mission abroad is an organisation named with its city, part of the state; embassies without a state are the government sector", async () => {
        await has("The Chinese embassy in Prague rejected the accusations.", "Chinese embassy in Prague", "PART_OF", "China");
        await has("Russia's embassy in Paris did not respond to a request for comment.", "Russia's embassy in Paris", "PART_OF", "Russia");
        await has("The Russian embassy did not respond.", "Russian embassy", "PART_OF", "Russia");
        await has("Iran's mission to the United Nations denied the accusation.", "Iran's mission to the United Nations", "PART_OF", "Iran");
        await has("APT99 targeted embassies in Europe.", "APT99", "TARGETED", "government");
    });
    test("a state's body named with its possessive also goes by the name without the state", async () => {
        await has("Iran's foreign ministry rejected the accusations as baseless.", "foreign ministry", "PART_OF", "Iran");
    });
    test("a state possessor is the state of every body it is written in front of, however the parser hung it", async () => {
        await has("MirrorFace sent emails to Japan's Foreign Ministry and Defense Ministry.", "Foreign Ministry", "PART_OF", "Japan");
        await has("MirrorFace sent emails to Japan's Foreign Ministry and Defense Ministry.", "Defense Ministry", "PART_OF", "Japan");
        await has("In May 2020, Germany's Federal Prosecutor's Office obtained an arrest warrant.", "Federal Prosecutor's Office", "PART_OF", "Germany");
    });
    test("a body's possessor is its parent however the parser hung it, and a possessor is never typed by what it owns", async () => {
        // (parsed with the possessor on "Office" and "Control" the head)
        await has("Later, the Treasury Department's Office of Foreign Assets Control added Ivan Petrov to its list.", "Office of Foreign Assets Control", "PART_OF", "US Department of the Treasury");
        await has("Fabrikam's Threat Research Group has tracked it as Grey Heron.", "Threat Research Group", "PART_OF", "Fabrikam");
    });
    test("names with a hyphen or a lower-case start stay one name", async () => {
        assert.equal(forParsing("i-Soon and IRGC-CEC, Moscow-based, APT29"), "I_Soon and IRGC_CEC, Moscow-based, Axxxx");
        await has("The Treasury sanctioned i-Soon on Tuesday.", "Treasury", "SANCTIONED", "i-Soon");
    });
    test("a city gives its country for BASED_IN; a nationality gives nothing", async () => {
        await has("Contoso Labs, a firm based in Haikou, sold exploits.", "Contoso Labs", "BASED_IN", "China");
        await hasNot("Ivan Petrov, a Russian national, was charged by the Justice Department.", "Ivan Petrov", "BASED_IN", "Russia");
        // a region (data/gazetteer/regions.json) gives its country too; it wins over a small town of its name
        await has("Contoso Labs, a Texas-based software company, sold the tools.", "Contoso Labs", "BASED_IN", "United States");
        await has("The Virginia-based contractor Contoso Labs was hacked by APT99.", "Contoso Labs", "BASED_IN", "United States");
        await hasNot("The Virginia-based contractor Contoso Labs was hacked by APT99.", "Contoso Labs", "BASED_IN", "South Africa");
        await has("Contoso Labs, a company based in Sichuan province, sold the tools.", "Contoso Labs", "BASED_IN", "China");
        await has("APT99 operates out of Sichuan province.", "APT99", "BASED_IN", "China");
        // a company "of" a place is based there
        await has("The Treasury sanctioned Contoso Labs, of Tehran, and Fabrikam Trading, of Dubai.", "Fabrikam Trading", "BASED_IN", "United Arab Emirates");
        await has("The Treasury sanctioned Contoso Labs of Tehran.", "Contoso Labs", "BASED_IN", "Iran");
        // GeoNames calls it "New York City"
        await has("Contoso Labs, a New York-based firm, was hacked by APT99.", "Contoso Labs", "BASED_IN", "United States");
    });
    test("a nationality on a company or a criminal group says where it is based; on another group, whose it is", async () => {
        await has("Researchers at the American security firm Contoso Labs later found a wiper.", "Contoso Labs", "BASED_IN", "United States");
        await has("Britain sanctioned members of the Russian cybercrime group Evil Corp.", "Evil Corp", "BASED_IN", "Russia");
        await has("Microsoft tracks a separate Iranian group, Mint Sandstorm.", "Mint Sandstorm", "AFFILIATED_WITH", "Iran");
        await has("Iranian hackers known as APT99 targeted Contoso Bank.", "APT99", "AFFILIATED_WITH", "Iran");
        await has("APT99 is widely believed to be a North Korean state-backed group.", "APT99", "AFFILIATED_WITH", "North Korea", (l) => assert.equal(l.certainty, "alleged"));
        await hasNot("The messages denounced the Mujahedin-e Khalq, an Iranian opposition group.", "Mujahedin-e Khalq", "AFFILIATED_WITH", "Iran");
        // a team is a group when it hacks; a research team is not one
        await has("APT99, a Russian hacking team, hacked Contoso Bank.", "APT99", "AFFILIATED_WITH", "Russia");
        await hasNot("Contoso Labs said its British research team found the flaw.", "Contoso Labs", "AFFILIATED_WITH", "United Kingdom");
        // a demonym only the world-countries package knows (country-aliases.json has none for Slovakia or Estonia)
        await has("Researchers at the Slovak security company Contoso Labs later found a wiper.", "Contoso Labs", "BASED_IN", "Slovakia");
        await has("Researchers at the Estonian security firm Contoso Labs later found a wiper.", "Contoso Labs", "BASED_IN", "Estonia");
    });
    test("the body behind a group is the group's", async () => {
        await has("The government said that Centre 18 of the FSB was behind Grey Heron, a hacking group.", "Grey Heron", "AFFILIATED_WITH", "Centre 18", (l) => assert.equal(l.certainty, "alleged"));
    });
    test("a politician's campaign is an organisation named as written, not the politician", async () => {
        await has("Prosecutors said APT42 hacked Donald Trump's presidential campaign.", "APT42", "COMPROMISED", "Donald Trump's presidential campaign");
        await hasNot("Prosecutors said APT42 hacked Donald Trump's presidential campaign.", "APT42", "COMPROMISED", "Donald Trump");
    });
    test("an organisation's name keeps the place written in front of it", async () => {
        await has("Sandworm disrupted the Kyiv Metro in 2017.", "Sandworm", "COMPROMISED", "Kyiv Metro");
        await has("The GRU broke into the US Anti-Doping Agency.", "GRU", "COMPROMISED", "US Anti-Doping Agency");
    });
});

describe("linking and coreference", () => {
    test("a surname alone is the person named before", async () => {
        await has("The Justice Department charged Ivan Petrov. Prosecutors said Petrov was a member of Sandworm.", "Ivan Petrov", "MEMBER_OF", "Sandworm");
    });
    test("an alias in parentheses names the same entity", async () => {
        const doc = await extractText("Grey Heron (also tracked as Contoso Storm) breached the Bundestag.");
        const actor = doc.entities.find((e) => e.name === "Grey Heron");
        assert.ok(actor?.aliases.includes("Contoso Storm"), JSON.stringify(doc.entities));
    });
    test("an alias set off by commas names the same entity, a group even where the NER saw a person; a naming verb's past tense names none", async () => {
        for (const text of ["Grey Heron, also tracked as APT99, hacked Contoso Bank.", "Grey Heron, a group tracked as APT99, hacked Contoso Bank."]) {
            const doc = await extractText(text);
            const actor = doc.entities.find((e) => e.name === "Grey Heron");
            assert.ok(actor?.aliases.includes("APT99") && actor.type === "ThreatActor", `${text}: ${JSON.stringify(doc.entities)}`);
        }
        // ("Contoso Security tracked APT99 attacking banks": the vendor is not the group)
        const doc = await extractText("Contoso Security tracked APT99 attacking Ukrainian banks.");
        assert.ok(!doc.entities.some((e) => e.name === "Contoso Security" && e.aliases.includes("APT99")), JSON.stringify(doc.entities));
        await has("Contoso Security tracked APT99 attacking Ukrainian banks.", "APT99", "TARGETED", "finance", (l) => assert.ok(!l.s.has(normalizeName("Contoso Security")), l.line));
    });
    test("'the group' and 'it' refer back", async () => {
        await has("Sandworm is a hacking group. Last year the group breached Contoso Energy.", "Sandworm", "COMPROMISED", "Contoso Energy");
    });
    test("'the Russian national' is the person named before, however the tagger read 'national'", async () => {
        await has("The FBI charged Ivan Petrov. The Russian national is accused of hacking Contoso Bank.", "Ivan Petrov", "COMPROMISED", "Contoso Bank");
    });
    test("'the two men' are the two people named before", async () => {
        await has("The Justice Department charged Ivan Petrov and Oleg Sidorov. The two men were members of APT28.", "Oleg Sidorov", "MEMBER_OF", "APT28");
    });
});

describe("names in a clause", () => {
    test("a registry body's name after another state's name is that state's body, named in full", async () => {
        await has("The campaign, attributed to APT99, targeted the German Foreign Office.", "APT99", "TARGETED", "German Foreign Office");
        // (its name, not only an alias: the loader would resolve a bare "Foreign Office" to the British one)
        const doc = await extractText("The campaign, attributed to APT99, targeted the German Foreign Office.");
        assert.ok(doc.entities.some((e) => e.name === "German Foreign Office"), doc.entities.map((e) => e.name).join(", "));
        await hasNot("The campaign, attributed to APT99, targeted the German Foreign Office.", "Foreign, Commonwealth and Development Office", "PART_OF", "Germany");
        await has("APT99 targeted Germany's Foreign Office.", "Germany's Foreign Office", "PART_OF", "Germany");
        await has("APT99 targeted the British Foreign Office.", "APT99", "TARGETED", "Foreign, Commonwealth and Development Office");
    });
    test("a state at the end of a body's name, after 'of', is the state it is part of", async () => {
        await has("The Cyber Security Agency of Singapore said APT99 was responsible.", "Cyber Security Agency of Singapore", "PART_OF", "Singapore");
        await hasNot("APT99 hacked the Bank of England.", "Bank of England", "PART_OF", "United Kingdom");
    });
    test("a dateline is no actor; a body named after a possessive is the one the phrase names", async () => {
        await has("WASHINGTON — The US Department of the Treasury's Office of Foreign Assets Control (OFAC) today designated Contoso Labs.", "Office of Foreign Assets Control", "SANCTIONED", "Contoso Labs");
        await hasNot("WASHINGTON — The US Department of the Treasury's Office of Foreign Assets Control (OFAC) today designated Contoso Labs.", "United States", "SANCTIONED", "Contoso Labs");
        await hasNot("WASHINGTON — The US Department of the Treasury's Office of Foreign Assets Control (OFAC) today designated Contoso Labs.", "US Department of the Treasury", "PART_OF", "Office of Foreign Assets Control");
        await has("The US Department of the Treasury's Office of Foreign Assets Control today designated Contoso Labs.", "Office of Foreign Assets Control", "PART_OF", "US Department of the Treasury");
    });
    test("a state in front of a name does not reach across a possessive", async () => {
        await hasNot("France names Russia's GRU as the hand behind APT28 attacks on a dozen French entities", "GRU", "PART_OF", "France");
        await has("France names Russia's GRU as the hand behind APT28 attacks on a dozen French entities", "GRU", "PART_OF", "Russia");
    });
});

describe("discourse", () => {
    test("an agentless passive takes the acting body named before", async () => {
        await has("The Treasury sanctioned Contoso Trading on Tuesday. Ivan Petrov was also designated.", "Treasury", "SANCTIONED", "Ivan Petrov");
    });
    test("a charge left unsaid is a prosecutor's: the place it is in or a prosecuting body, never the body that sanctioned", async () => {
        await hasNot("The Treasury sanctioned Ivan Petrov on Tuesday. Petrov was charged in 2020 with fraud.", "Treasury", "CHARGED", "Ivan Petrov");
        await hasNot("The FBI said Ivan Petrov hacked Contoso. He was indicted last year.", "Federal Bureau of Investigation", "CHARGED", "Ivan Petrov");
        await hasNot("Britain sanctioned Ivan Petrov. He was also charged in the United States.", "United Kingdom", "CHARGED", "Ivan Petrov");
        await has("Britain sanctioned Ivan Petrov. He was also charged in the United States.", "Justice Department", "CHARGED", "Ivan Petrov");
        await has("The Justice Department charged Ivan Petrov. The Treasury also sanctioned Oleg Smirnov, who was indicted separately.", "Justice Department", "CHARGED", "Oleg Smirnov");
        await has("The Justice Department unsealed court documents on Tuesday. The Treasury sanctioned Ivan Petrov. Petrov was indicted in 2023.", "Justice Department", "CHARGED", "Ivan Petrov");
    });
    test("a sanction left unsaid is a sanctioning body's or the state it is imposed in, never a police or cyber agency's", async () => {
        await hasNot("The FBI said Ivan Petrov ran the LockBit operation. Petrov was also sanctioned.", "Federal Bureau of Investigation", "SANCTIONED", "Ivan Petrov");
        await hasNot("CISA warned about APT99 in May. Ivan Petrov, its leader, was sanctioned in June.", "Cybersecurity and Infrastructure Security Agency", "SANCTIONED", "Ivan Petrov");
        await has("Ivan Petrov was sanctioned in the United States in 2022.", "United States", "SANCTIONED", "Ivan Petrov");
        await has("The Foreign Office said Ivan Petrov led APT99. He was sanctioned on Tuesday.", "Foreign Office", "SANCTIONED", "Ivan Petrov");
        await hasNot("Ivan Petrov was sanctioned on Tuesday, the NCSC said.", "National Cyber Security Centre", "SANCTIONED", "Ivan Petrov");
        await hasNot("Ivan Petrov was charged with fraud, the FBI said.", "Federal Bureau of Investigation", "CHARGED", "Ivan Petrov");
        await has("Ivan Petrov was charged with fraud, the Justice Department said.", "Justice Department", "CHARGED", "Ivan Petrov");
    });
    test("a counted set named in the next sentence gets the measure", async () => {
        await has("Australia sanctioned three men on Monday. They are Ivan Petrov, Oleg Sidorov and Pavel Orlov.", "Australia", "SANCTIONED", "Pavel Orlov");
    });
    test("a count refers back to the sets of earlier sentences together, never to names after it in its own", async () => {
        const text = "Two of the men, Ivan Petrov and Oleg Sidorov, were charged in 2019. The Justice Department charged the other three, Pavel Orlov, Igor Popov and Yuri Sokolov, in 2020. Investigators say all five were members of APT41, a group that also goes by names such as Barium, Winnti and Wicked Panda.";
        await has(text, "Ivan Petrov", "MEMBER_OF", "APT41");
        await has(text, "Yuri Sokolov", "MEMBER_OF", "APT41");
    });
    test("a capital that acts is its state, and the capital wins over towns of its name", async () => {
        await has("Washington on Tuesday sanctioned Contoso Trading.", "United States", "SANCTIONED", "Contoso Trading");
    });
    test("a counted noun's people are its members and the measure's targets", async () => {
        const text = "The Treasury sanctioned two members of Evil Corp, Ivan Petrov and Oleg Sidorov.";
        await has(text, "Treasury", "SANCTIONED", "Oleg Sidorov");
        await has(text, "Ivan Petrov", "MEMBER_OF", "Evil Corp");
    });
    test("'the intrusion' refers back to the attack told before, with its victim and its kind", async () => {
        const text = "Hackers broke into the Bundestag's network in 2015. German investigators concluded that the GRU was behind the intrusion.";
        await has(text, "GRU", "COMPROMISED", "Bundestag");
        await hasNot("Hackers broke into the Bundestag's network in 2015. The GRU was behind its activity.", "GRU", "COMPROMISED", "Bundestag");
    });
    test("a counted set from a headline yields to the sentence that names its own acting body", async () => {
        await hasNot("US charges two Russian hackers. The Justice Department charged Ivan Petrov and Oleg Sidorov on Monday.", "United States", "CHARGED", "Ivan Petrov");
        await has("US charges two Russian hackers. The Justice Department charged Ivan Petrov and Oleg Sidorov on Monday.", "Justice Department", "CHARGED", "Ivan Petrov");
    });
    test("a second state imposing matching sanctions extends the listing", async () => {
        await has("Britain sanctioned Ivan Petrov and Oleg Sidorov on Monday. Australia imposed matching sanctions.", "Australia", "SANCTIONED", "Oleg Sidorov");
    });
});

describe("certainty and claimant", () => {
    test("a speaking 'they' is never a state named before", async () => {
        await has("Researchers have tied APT99 to China. They said it had hacked Contoso Bank.", "APT99", "COMPROMISED", "Contoso Bank", (l) => assert.ok(!l.claimedBy?.has(normalizeName("China")), l.line));
    });
    test("a document speaks for its author; a judgement made with confidence is the judge's", async () => {
        for (const text of ["A Mandiant report said APT99 breached Contoso Bank.", "Microsoft's advisory said APT99 breached Contoso Bank."]) {
            const author = text.startsWith("A Mandiant") ? "Mandiant" : "Microsoft";
            await has(text, "APT99", "COMPROMISED", "Contoso Bank", (l) => assert.ok(l.certainty === "alleged" && l.claimedBy?.has(normalizeName(author)), l.line));
        }
        await has("Mandiant assessed with moderate confidence that APT99 breached Contoso Bank.", "APT99", "COMPROMISED", "Contoso Bank", (l) => assert.ok(l.certainty === "likely" && l.claimedBy?.has(normalizeName("Mandiant")), l.line));
    });
    test("a reported claim is alleged and claimed by the speaker", async () => {
        await has("The NCSC said APT31 targeted British MPs.", "APT31", "TARGETED", "British MPs", (l) => {
            assert.equal(l.certainty, "alleged");
            assert.ok(l.claimedBy?.has(normalizeName("National Cyber Security Centre")), l.line);
        });
        await has("According to Mandiant, APT41 breached Contoso Games.", "APT41", "COMPROMISED", "Contoso Games", (l) => assert.equal(l.certainty, "alleged"));
        // "according to the indictment": the body behind the document, not a name in the clause
        const indictment = "Microsoft said APT28 hacked the Bundestag. The Justice Department charged Ivan Petrov on Monday. According to the indictment, Petrov hacked the Bundestag too.";
        await has(indictment, "Ivan Petrov", "COMPROMISED", "Bundestag", (l) => assert.ok(l.claimedBy?.has(normalizeName("US Department of Justice")), l.line));
    });
    test("an actor's claim about itself keeps its claimant; 'it said' after an acting body is that body's", async () => {
        await has("Predatory Sparrow is a hacking group. It said it had hacked Contoso Bank.", "Predatory Sparrow", "COMPROMISED", "Contoso Bank", (l) => {
            assert.equal(l.certainty, "alleged");
            assert.ok(l.claimedBy?.has(normalizeName("Predatory Sparrow")), l.line);
        });
        await has("APT99 is a hacking group. The Justice Department charged Ivan Petrov, who it said worked for APT99.", "Ivan Petrov", "MEMBER_OF", "APT99", (l) =>
            assert.ok(l.claimedBy?.has(normalizeName("US Department of Justice")), l.line),
        );
        // "X, believed to be working for Y": what is believed, not who believes it
        await has("APT99, believed to be working for the Chinese government, breached Contoso Bank.", "APT99", "AFFILIATED_WITH", "China", (l) => {
            assert.equal(l.certainty, "alleged");
            assert.ok(!l.claimedBy?.has(normalizeName("APT99")), l.line);
        });
    });
    test("a speaking 'it' continues the last speaker, not the group the story is about", async () => {
        await has("The Justice Department unsealed an indictment against APT99 on Monday. It alleges that the group acted for the GRU.", "APT99", "AFFILIATED_WITH", "GRU", (l) => {
            assert.equal(l.certainty, "alleged");
            assert.ok(l.claimedBy?.has(normalizeName("US Department of Justice")), l.line);
        });
    });
    test("an official speaker named with a state is that state's; a state never claims its own attack", async () => {
        await has("A Dutch official said APT99 had hacked Contoso Bank.", "APT99", "COMPROMISED", "Contoso Bank", (l) => assert.ok(l.claimedBy?.has(normalizeName("Netherlands")), l.line));
        await has("China attacked Contoso Bank. In March, the deputy prime minister told parliament that China had been responsible for the compromise of the Electoral Commission.", "China", "COMPROMISED", "Electoral Commission", (l) => assert.ok(!l.claimedBy?.has(normalizeName("China")), l.line));
    });
    test("', according to the indictment.' at the end speaks for the whole sentence", async () => {
        await has("The Justice Department charged Wu Yingzhuo. Between 2015 and 2016, Wu Yingzhuo broke into Trimble, a maker of navigation products, and took files on technology the company was developing, according to the indictment.", "Wu Yingzhuo", "COMPROMISED", "Trimble", (l) => {
            assert.equal(l.certainty, "alleged");
            assert.ok(l.claimedBy?.has(normalizeName("US Department of Justice")), l.line);
        });
    });
    test("a joint advisory speaks for its first-named agency; New Jersey is no Jersey", async () => {
        await has("CISA, the NSA and the FBI published an advisory on Tuesday. The joint advisory said Volt Typhoon had compromised water utilities.", "Volt Typhoon", "COMPROMISED", "water", (l) =>
            assert.ok(l.claimedBy?.has(normalizeName("Cybersecurity and Infrastructure Security Agency")), l.line),
        );
        await has("Ivan Petrov and Oleg Smirnov were accused on Wednesday of hacking, in charges unsealed by the Justice Department in New Jersey. According to the indictment, the men infiltrated Contoso Energy.", "Ivan Petrov", "COMPROMISED", "Contoso Energy", (l) =>
            assert.ok(l.claimedBy?.has(normalizeName("US Department of Justice")), l.line),
        );
    });
    test("people named by their state speak for it; a state's institution speaks for itself", async () => {
        await has("US officials said APT99 had hacked Contoso Bank.", "APT99", "COMPROMISED", "Contoso Bank", (l) => assert.ok(l.claimedBy?.has(normalizeName("United States")), l.line));
        await has("Dutch intelligence officials said APT99 had hacked Contoso Bank.", "APT99", "COMPROMISED", "Contoso Bank", (l) => assert.ok(l.claimedBy?.has(normalizeName("Netherlands")), l.line));
        await has("Iran's foreign ministry said Israel had hacked Contoso Bank.", "Israel", "COMPROMISED", "Contoso Bank", (l) => assert.ok(l.claimedBy?.has(normalizeName("Iran's foreign ministry")), l.line));
    });
    test("'officials said' speaks for a body named before, not for a place inside its own claim", async () => {
        await has("Volt Typhoon has been targeting journalists in Guam, officials said.", "Volt Typhoon", "TARGETED", "journalists", (l) => {
            assert.equal(l.certainty, "alleged");
            assert.ok(!l.claimedBy?.has(normalizeName("Guam")), l.line);
        });
        await has("The FBI opened an inquiry. Volt Typhoon has been targeting journalists in Guam, officials said.", "Volt Typhoon", "TARGETED", "journalists", (l) => assert.ok(l.claimedBy?.has(normalizeName("Federal Bureau of Investigation")), l.line));
    });
    test("a hedged claim with no speaker is a voice's of the story, never a party's", async () => {
        // the body that charged is the voice; the unit the accused worked for, named in the same sentence, is a party
        await has("The Justice Department charged Ivan Petrov on Tuesday. He allegedly hacked Contoso Bank.", "Ivan Petrov", "COMPROMISED", "Contoso Bank", (l) => assert.ok(l.claimedBy?.has(normalizeName("US Department of Justice")), l.line));
        await has("Ivan Petrov, who worked for the FSB's Center 18, was charged with breaching Fabrikam Systems.", "Ivan Petrov", "COMPROMISED", "Fabrikam Systems", (l) => {
            assert.equal(l.certainty, "alleged");
            assert.equal(l.claimedBy, undefined, l.line);
        });
        // a government body the story only describes has said nothing
        await has("The GRU's Unit 26165 is also known as APT28. The group allegedly hacked the Bundestag.", "APT28", "COMPROMISED", "Bundestag", (l) => {
            assert.equal(l.certainty, "alleged");
            assert.equal(l.claimedBy, undefined, l.line);
        });
    });
    test("'highly likely' is likely", async () => {
        await has("The NCSC assessed it was highly likely that APT28 breached Contoso Energy.", "APT28", "COMPROMISED", "Contoso Energy", (l) => assert.equal(l.certainty, "likely"));
    });
    test("a denial is denied, claimed by the denier; a negation gives nothing", async () => {
        await has("Russia denied hacking the Bundestag.", "Russia", "COMPROMISED", "Bundestag", (l) => assert.equal(l.certainty, "denied"));
        await hasNot("APT28 did not breach Contoso Energy.", "APT28", "COMPROMISED", "Contoso Energy");
    });
    test("an attempt is TARGETED, not COMPROMISED", async () => {
        await has("APT28 tried to break into Contoso Energy.", "APT28", "TARGETED", "Contoso Energy");
        await hasNot("APT28 tried to break into Contoso Energy.", "APT28", "COMPROMISED", "Contoso Energy");
        await has("Microsoft said APT28 made several attempts to hack the Bundestag.", "APT28", "TARGETED", "Bundestag");
        await hasNot("Microsoft said APT28 made several attempts to hack the Bundestag.", "APT28", "COMPROMISED", "Bundestag");
    });
    test("whoever attributes an attack is not its actor", async () => {
        const text = "In August, the FBI and the NSA publicly attributed attempts to compromise the Bundestag to Iran.";
        await has(text, "Iran", "TARGETED", "Bundestag");
        await hasNot(text, "FBI", "COMPROMISED", "Bundestag");
        await hasNot(text, "FBI", "TARGETED", "Bundestag");
    });
    test("official actions stay asserted whoever reports them", async () => {
        await has("The Treasury said it had sanctioned Contoso Trading.", "Treasury", "SANCTIONED", "Contoso Trading", (l) => assert.equal(l.certainty, "asserted"));
    });
});

describe("dates", () => {
    /** The dates of the fact "S P O" extracted from `text` published on `publishedAt`. */
    async function datesOf(text: string, s: string, p: string, o: string, publishedAt?: string): Promise<string> {
        const doc = await extractText(text, publishedAt);
        const names = new Map(doc.entities.map((e) => [e.id, [e.name, ...e.aliases].map(normalizeName)]));
        const f = doc.facts.find((x) => x.predicate === p && names.get(x.subject)?.includes(normalizeName(s)) && names.get(x.object)?.includes(normalizeName(o)));
        assert.ok(f, `no ${s} ${p} ${o} in ${JSON.stringify(doc.facts.map((x) => x.predicate))}`);
        return `${f.validFrom ?? ""}..${f.validTo ?? ""}`;
    }
    test("a date in the fact's clause, at the text's precision: a point, since, between, from … to", async () => {
        assert.equal(await datesOf("In June 2020, APT99 hacked Contoso Bank.", "APT99", "COMPROMISED", "Contoso Bank"), "2020-06..");
        assert.equal(await datesOf("APT99 has targeted Contoso Bank since at least 2015.", "APT99", "TARGETED", "Contoso Bank"), "2015..");
        assert.equal(await datesOf("Between 2021 and 2022 APT99 hacked Contoso Bank.", "APT99", "COMPROMISED", "Contoso Bank"), "2021..2022");
        assert.equal(await datesOf("From December 2019 to July 2023, APT99 sent phishing emails to Contoso Bank.", "APT99", "TARGETED", "Contoso Bank"), "2019-12..2023-07");
        assert.equal(await datesOf("The Justice Department on 20 December 2018 unsealed an indictment charging Ivan Petrov with fraud.", "Justice Department", "CHARGED", "Ivan Petrov"), "2018-12-20..");
    });
    test("a date that leans on the publication date needs one; vague ones give none", async () => {
        assert.equal(await datesOf("On Tuesday, the Justice Department charged Ivan Petrov.", "Justice Department", "CHARGED", "Ivan Petrov", "2024-05-16"), "2024-05-14..");
        assert.equal(await datesOf("On 3 May APT99 attacked Contoso Bank.", "APT99", "TARGETED", "Contoso Bank", "2024-05-16"), "2024-05-03..");
        assert.equal(await datesOf("On 3 May APT99 attacked Contoso Bank.", "APT99", "TARGETED", "Contoso Bank"), "..");
        assert.equal(await datesOf("Last month APT99 attacked Contoso Bank.", "APT99", "TARGETED", "Contoso Bank", "2024-05-16"), "..");
    });
    test("a measure with no date of its own is the news of the day it is reported, unless told as earlier", async () => {
        assert.equal(await datesOf("Britain sanctioned Contoso Labs.", "United Kingdom", "SANCTIONED", "Contoso Labs", "2024-03-25"), "2024-03-25..");
        assert.equal(await datesOf("Contoso Labs had already been sanctioned by Britain.", "United Kingdom", "SANCTIONED", "Contoso Labs", "2024-03-25"), "..");
        assert.equal(await datesOf("APT99 hacked Contoso Bank.", "APT99", "COMPROMISED", "Contoso Bank", "2024-03-25"), "..");
        // an activity undated in its clause takes the date of the report that tells it
        assert.equal(await datesOf("APT99 is a hacking group. The group said on 18 June 2025 that it had hacked Contoso Bank.", "APT99", "COMPROMISED", "Contoso Bank"), "2025-06-18..");
    });
});

describe("the document", () => {
    test("a pair compromised anywhere in the article is not also TARGETED", async () => {
        const text = "APT28 targeted Contoso Energy in March. In May APT28 breached Contoso Energy.";
        await has(text, "APT28", "COMPROMISED", "Contoso Energy");
        await hasNot(text, "APT28", "TARGETED", "Contoso Energy");
    });
    test("no named actor, no fact; a vendor whose devices were hijacked is no victim", async () => {
        const lines = await factsOf("Hackers broke into the utility. Routers made by Contoso Networks were hijacked by APT28.");
        assert.equal(find(lines, "APT28", "COMPROMISED", "Contoso Networks"), undefined, show(lines));
        assert.equal(lines.filter((l) => l.p === "COMPROMISED").length, 0, show(lines));
    });
    test("an affiliation read from text has a state or an organisation as its object, never a person or a group (EXTRACTION_RULES)", async () => {
        // the graph allows Person and ThreatActor objects (OFAC's Linked To:); prose like this is no such tie
        await hasNot("NSO, which was founded in 2010 by Shalev Hulio and Omri Lavie, is best known for Pegasus.", "NSO", "AFFILIATED_WITH", "Shalev Hulio");
        await hasNot("Britain, the US and Australia sanctioned Evil Corp members and linked the gang to LockBit.", "Evil Corp", "AFFILIATED_WITH", "LockBit");
        await has("The government said that Centre 18 of the FSB was behind Grey Heron, a hacking group.", "Grey Heron", "AFFILIATED_WITH", "Centre 18");
    });
    test("the document is a valid facts document with evidence offsets into the text", async () => {
        const text = "Sandworm breached Contoso Energy.\n\nThe Treasury sanctioned Ivan Petrov.";
        const doc = FactsDocumentSchema.parse(await extractText(text));
        assert.ok(doc.facts.length >= 2);
        for (const f of doc.facts) assert.equal(text.slice(f.evidence!.start!, f.evidence!.end!), f.evidence!.text);
    });
});
