/** Word lists for the extractor's patterns (lower-case tokens). */
import type { Predicate } from "../model/vocabulary.ts";

export const set = (s: string): Set<string> => new Set(s.split(/\s+/).filter(Boolean));

/** Relation classes: the predicate follows from the class and the types of subject and object. */
export type RelClass = Predicate | "BEHIND" | "LINK" | "WORK" | "MEMBER" | "PARTOF" | "FRONT" | "BASED";

export interface TriggerSpec {
    /** Lower-case tokens of the trigger ("linked", "to"). */
    words: string[];
    rel: RelClass;
    /** verb: active/passive voice; noun: "sanctions against Y"; rel: "S linked to O". */
    kind: "verb" | "noun" | "rel";
    /** noun: prepositions introducing the object. */
    preps?: string[];
    /** verb: the object follows this preposition ("stole data from Y", "spied on Y"). */
    objPrep?: string[];
}

const T = (phrase: string, rel: RelClass, kind: TriggerSpec["kind"], preps?: string, objPrep?: string): TriggerSpec => ({
    words: phrase.split(" "),
    rel,
    kind,
    ...(preps ? { preps: preps.split(" ") } : {}),
    ...(objPrep ? { objPrep: objPrep.split(" ") } : {}),
});

export const TRIGGERS: TriggerSpec[] = [
    // SANCTIONED
    ...["sanctioned", "sanctioning", "sanction", "designated", "designating", "designates", "designate", "blacklisted", "blacklisting"].map((w) => T(w, "SANCTIONED", "verb")),
    T("sanctions", "SANCTIONED", "noun", "against on targeting over for"),
    T("sanction", "SANCTIONED", "noun", "against on"),
    T("designation", "SANCTIONED", "noun", "of"),
    T("designations", "SANCTIONED", "noun", "of against"),
    // CHARGED
    ...["charged", "charging", "indicted", "indicting", "indicts", "indict"].map((w) => T(w, "CHARGED", "verb")),
    T("charges", "CHARGED", "noun", "against"),
    T("indictment", "CHARGED", "noun", "against of charging naming"),
    T("indictments", "CHARGED", "noun", "against of charging naming"),
    T("complaint", "CHARGED", "noun", "against charging"),
    // COMPROMISED
    ...["compromised", "compromising", "breached", "breaching", "hacked", "infiltrated", "infiltrating", "penetrated", "penetrating", "infected", "infecting"].map((w) => T(w, "COMPROMISED", "verb")),
    T("compromise", "COMPROMISED", "verb"),
    T("breach", "COMPROMISED", "verb"),
    T("breaches", "COMPROMISED", "verb"),
    T("hacking", "COMPROMISED", "verb"),
    T("hacked into", "COMPROMISED", "verb"),
    T("hacking into", "COMPROMISED", "verb"),
    T("broke into", "COMPROMISED", "verb"),
    T("breaking into", "COMPROMISED", "verb"),
    T("break into", "COMPROMISED", "verb"),
    T("burrowed into", "COMPROMISED", "verb"),
    T("crippled", "COMPROMISED", "verb"),
    T("stole", "COMPROMISED", "verb", undefined, "from"),
    T("stolen", "COMPROMISED", "verb", undefined, "from"),
    T("stealing", "COMPROMISED", "verb", undefined, "from"),
    T("exfiltrated", "COMPROMISED", "verb", undefined, "from"),
    T("gained access to", "COMPROMISED", "verb"),
    T("gain access to", "COMPROMISED", "verb"),
    T("gaining access to", "COMPROMISED", "verb"),
    T("accessed", "COMPROMISED", "verb"),
    T("breach", "COMPROMISED", "noun", "of at"),
    T("compromise", "COMPROMISED", "noun", "of"),
    T("hack", "COMPROMISED", "noun", "of on"),
    T("intrusion", "COMPROMISED", "noun", "into at"),
    T("intrusions", "COMPROMISED", "noun", "into at"),
    // TARGETED
    ...["targeted", "targeting", "targetted", "targets", "attacked", "attacking"].map((w) => T(w, "TARGETED", "verb")),
    T("target", "TARGETED", "verb"),
    T("spied on", "TARGETED", "verb"),
    T("spying on", "TARGETED", "verb"),
    T("went after", "TARGETED", "verb"),
    T("focused on", "TARGETED", "verb"),
    T("focusing on", "TARGETED", "verb"),
    T("focuses on", "TARGETED", "verb"),
    T("phished", "TARGETED", "verb"),
    T("attack", "TARGETED", "noun", "on against"),
    T("attacks", "TARGETED", "noun", "on against"),
    T("cyberattack", "TARGETED", "noun", "on against"),
    T("cyberattacks", "TARGETED", "noun", "on against"),
    T("reconnaissance", "TARGETED", "noun", "against on of"),
    T("campaign", "TARGETED", "noun", "against"),
    T("campaigns", "TARGETED", "noun", "against"),
    T("operations", "TARGETED", "noun", "against"),
    T("operation", "TARGETED", "noun", "against"),
    T("espionage", "TARGETED", "noun", "against"),
    T("spying", "TARGETED", "noun", "against"),
    // relations
    T("linked to", "LINK", "rel"),
    T("links to", "LINK", "rel"),
    T("tied to", "LINK", "rel"),
    T("ties to", "LINK", "rel"),
    T("connected to", "LINK", "rel"),
    T("relationship with", "LINK", "rel"),
    T("working relationship with", "LINK", "rel"),
    T("ties with", "LINK", "rel"),
    T("connections to", "LINK", "rel"),
    T("affiliated with", "LINK", "rel"),
    T("associated with", "LINK", "rel"),
    T("attributed to", "LINK", "rel"),
    // "Microsoft attributed the intrusion to APT40": the thing attributed sits between verb and "to"
    T("attributed", "LINK", "verb", undefined, "to"),
    T("attributes", "LINK", "verb", undefined, "to"),
    T("attributing", "LINK", "verb", undefined, "to"),
    T("blamed", "LINK", "verb", undefined, "on"),
    T("blames", "LINK", "verb", undefined, "on"),
    T("working for", "WORK", "rel"),
    T("works for", "WORK", "rel"),
    T("worked for", "WORK", "rel"),
    T("work for", "WORK", "rel"),
    T("employed by", "WORK", "rel"),
    T("employee of", "WORK", "rel"),
    T("employees of", "WORK", "rel"),
    T("on behalf of", "LINK", "rel"),
    T("at the behest of", "LINK", "rel"),
    T("backed by", "LINK", "rel"),
    T("sponsored by", "LINK", "rel"),
    T("directed by", "LINK", "rel"),
    T("controlled by", "LINK", "rel"),
    T("tasked by", "LINK", "rel"),
    T("run by", "LINK", "rel"),
    T("operated by", "LINK", "rel"),
    T("acting for", "LINK", "rel"),
    T("part of", "PARTOF", "rel"),
    T("office of", "PARTOF", "rel"),
    T("department of", "PARTOF", "rel"),
    T("directorate of", "PARTOF", "rel"),
    T("agency of", "PARTOF", "rel"),
    T("in support of", "LINK", "rel"),
    T("supported", "LINK", "rel"),
    T("supports", "LINK", "rel"),
    T("linked", "LINK", "verb", undefined, "to"),
    T("links", "LINK", "verb", undefined, "to"),
    T("tied", "LINK", "verb", undefined, "to"),
    T("connected", "LINK", "verb", undefined, "to"),
    T("is behind", "BEHIND", "rel"),
    T("was behind", "BEHIND", "rel"),
    T("are behind", "BEHIND", "rel"),
    T("were behind", "BEHIND", "rel"),
    T("unit of", "PARTOF", "rel"),
    T("unit within", "PARTOF", "rel"),
    T("division of", "PARTOF", "rel"),
    T("arm of", "PARTOF", "rel"),
    T("branch of", "PARTOF", "rel"),
    T("bureau of", "PARTOF", "rel"),
    T("subsidiary of", "PARTOF", "rel"),
    T("component of", "PARTOF", "rel"),
    T("member of", "MEMBER", "rel"),
    T("members of", "MEMBER", "rel"),
    T("officer of", "MEMBER", "rel"),
    T("officers of", "MEMBER", "rel"),
    T("officer in", "MEMBER", "rel"),
    T("officers in", "MEMBER", "rel"),
    T("officers with", "MEMBER", "rel"),
    T("belonging to", "MEMBER", "rel"),
    T("head of", "MEMBER", "rel"),
    ...["figure in", "figure at", "figure within", "figure of", "player in", "leader in", "leader at", "member in", "developer for", "administrator for", "administrator of", "manager at", "manager of", "operator of", "operators of", "affiliate of", "affiliates of"].map((w) => T(w, "MEMBER", "rel")),
    T("chief of", "MEMBER", "rel"),
    T("director of", "MEMBER", "rel"),
    T("leader of", "MEMBER", "rel"),
    T("founder of", "MEMBER", "rel"),
    T("co-founder of", "MEMBER", "rel"),
    T("commander of", "MEMBER", "rel"),
    T("deputy head of", "MEMBER", "rel"),
    T("operative of", "MEMBER", "rel"),
    T("agent of", "MEMBER", "rel"),
    T("officer with", "MEMBER", "rel"),
    T("officer at", "MEMBER", "rel"),
    T("employee at", "WORK", "rel"),
    T("worked at", "WORK", "rel"),
    T("works at", "WORK", "rel"),
    T("working at", "WORK", "rel"),
    T("work at", "WORK", "rel"),
    T("commander in", "MEMBER", "rel"),
    T("employees at", "WORK", "rel"),
    T("belongs to", "MEMBER", "rel"),
    T("belong to", "MEMBER", "rel"),
    T("front for", "FRONT", "rel"),
    T("front company for", "FRONT", "rel"),
    T("front companies for", "FRONT", "rel"),
    T("front company of", "FRONT", "rel"),
    T("front companies of", "FRONT", "rel"),
    T("cover for", "FRONT", "rel"),
    T("shell company for", "FRONT", "rel"),
    T("based in", "BASED", "rel"),
    T("headquartered in", "BASED", "rel"),
    T("located in", "BASED", "rel"),
    T("operating from", "BASED", "rel"),
    T("operating out of", "BASED", "rel"),
    T("operates from", "BASED", "rel"),
    T("operates out of", "BASED", "rel"),
    ...["live in", "lives in", "living in", "lived in", "remain in", "remains in", "reside in", "resides in", "residing in", "operating in"].map((w) => T(w, "BASED", "rel")),
];

export const BE = set("is are was were be been being has have had 's");
/** Adverbs and auxiliaries skipped between a subject and its verb. */
export const SKIP_ADV = set(
    "primarily mainly largely chiefly mostly predominantly particularly especially jointly also allegedly reportedly previously later then repeatedly actively successfully directly closely further subsequently separately jointly likely highly probably possibly almost certainly suspected believed purportedly apparently originally formally publicly officially reportedly already recently had has have is are was were be been being to not never still now once",
);
export const HEDGE_ALLEGED = set("alleged allegedly accused accuses accusing purported purportedly reportedly");
export const HEDGE_LIKELY = set("likely suspected believed probably possibly presumably suspect suspects believe believes assessed assesses");
export const HEDGE_DENIED = set("denied denies deny denying rejected rejects");

/** Reporting verbs: "X said", "said X", "X claimed". */
export const CLAIM_VERBS = set(
    "said says say claimed claims claim stated states announced announces alleged alleges accused accuses assessed assesses assess believes believe reported reports warned warns added adds confirmed confirms concluded concludes told wrote writes determined found finds noted notes explained revealed reveals disclosed argued argues asserted asserts attributed attributes blamed blames suggested",
);

/** Tokens that end the object span of a trigger. */
export const OBJ_STOP = set("; : that which who whom whose while but because after before when where said says according although though since until if whereas unless despite ( )");
/** Tokens that stop the search for a subject to the left. */

/** Event and abstract nouns: when one stands right before a verb, it (not an earlier entity) is the subject. */
export const EVENT_NOUNS = set(
    "campaign campaigns operation operations attack attacks cyberattack cyberattacks activity activities intrusion intrusions malware ransomware hacking espionage breach breaches hack hacks report reports advisory statement emails incident incidents efforts effort tools infrastructure spying phishing scheme schemes plot plots wave waves accusations accusation announcement findings indictment sanctions charges action actions move measures campaign's operation's attempt attempts threat threats data information software vulnerability vulnerabilities exploit exploits backdoor spyware tool access networks network systems system accounts account",
);

export const DETERMINERS = set("the a an this that these those its their his her our such said both all two three four five six seven eight nine ten several multiple various one some another other each");
export const NUMBER_WORDS = set("one two three four five six seven eight nine ten eleven twelve both several");

/** Heads of anaphoric noun phrases, by the kind of entity they refer to. */
export const HEAD_ACTOR = set("group groups actor actors gang gangs hackers hacker apt apts crew outfit collective unit operators operator adversary");
export const HEAD_COMPANY = set("company companies firm firms business businesses contractor contractors entity entities front");
export const HEAD_PERSON = set("individual individuals men man woman women persons person defendants defendant nationals national officers officer suspects suspect citizens");
export const HEAD_AGENCY = set("agency agencies department ministry office bureau service centre center command");
export const HEAD_STATE = set("country countries nation nations government governments state states kingdom");

/** Modifiers allowed between a state and a threat actor in "a Chinese state-sponsored group called APT31". */
export const ACTOR_NP_WORDS = set(
    "state sponsored affiliated backed linked aligned nexus government military intelligence hacking hacker hackers cyber espionage cyberespionage threat group groups actor actor's apt advanced persistent ransomware gang unit called known as named dubbed tracked so - \" , ' the a an notorious prolific sophisticated another elite",
);

export const AFF_MODIFIERS = set("sponsored affiliated backed linked aligned nexus supported directed controlled");

export const PERSON_CUES_BEFORE = set(
    "executive manager engineer developer administrator leader commander deputy individuals individual nationals national named mr mrs ms dr officers officer hackers hacker defendants defendant men man citizens citizen suspects suspect secretary minister director spokesperson spokesman spokeswoman vp ceo president analyst researcher chief head founder employee employees officials official agent agents operative operatives chairman commissioner attorney prosecutor judge senator ambassador",
);
export const PERSON_CUES_AFTER = set("national nationals officer officers hacker member members employee employees citizen resident director spokesperson spokesman spokeswoman analyst researcher aged who vp ceo head chief founder");

export const ORG_SUFFIXES = set("co ltd inc llc corp corporation company limited gmbh plc sa ag lp llp pte pvt srl bv");
export const ORG_HEADS = set(
    "ministry department agency bureau office centre center commission council institute university company corporation technology technologies science network networks systems security labs laboratory laboratories intelligence service services committee parliament police court bank group holdings trading solutions consulting software electronics industries industry academy authority command directorate administration foundation association alliance coalition forum party union federation organisation organization partnership initiative force corps guard service base",
);
export const ACTOR_SUFFIXES = set("typhoon panda bear kitten chollima spider blizzard sleet sandstorm tempest hail dust rain team group apt");

/** Capitalised words that do not start a name. */
export const NOT_NAME = set(
    "the a an in on at of for and or but this that these those it its it's he she they we i you his her their our my your there here when while after before since during as if last earlier later next according however meanwhile also although though both each every some many most all no not one two three four five six seven eight nine ten yesterday today tomorrow monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december mr mrs ms dr said says with by from to into among between against under over what which who whom whose why how where find listen read click subscribe share follow related",
);
