/**
 * One sentence of the NLP annotation as a graph: tokens by index, enhanced++ dependency edges in both
 * directions, and the basic tree for spans. Every later stage reads sentences through this.
 */
import type { NlpDependency, NlpSentence, NlpToken } from "../nlp/types.ts";

/** Verbs that report what someone says inside a relative clause ("a group that Microsoft says …", "who prosecutors say …"). */
const SAYING = /^(say|claim|allege|believe|think|report|suspect|assess|contend|maintain)$/;
/** Verbs that report a clause ("said that …", "confirmed that …"). */
const SAYING_OR_REPORT = /^(say|claim|allege|believe|think|report|suspect|assess|contend|maintain|state|confirm|announce|disclose|reveal|warn|add|note|find|conclude)$/;

export interface Edge {
    rel: string;
    gov: number;
    dep: number;
}

/** "obl:against" → base "obl", marker "against"; "nmod:according_to" → "according_to". */
export function relBase(rel: string): string {
    const i = rel.indexOf(":");
    return i < 0 ? rel : rel.slice(0, i);
}
export function relMarker(rel: string): string | undefined {
    const i = rel.indexOf(":");
    return i < 0 ? undefined : rel.slice(i + 1);
}

export class SentenceGraph {
    readonly index: number;
    readonly tokens: NlpToken[];
    readonly begin: number;
    readonly end: number;
    private readonly outEdges = new Map<number, Edge[]>();
    private readonly inEdges = new Map<number, Edge[]>();
    /** Basic-tree governor per token (0 = root). */
    private readonly basicGov = new Map<number, { gov: number; rel: string }>();
    private readonly basicKids = new Map<number, number[]>();
    /** Governors a repair below gives tokens in the basic tree too. */
    private readonly basicRepairs = new Map<number, { gov: number; rel: string }>();

    constructor(s: NlpSentence) {
        this.index = s.index;
        // (copied: a repair below may correct a tag, and the parse is shared through the cache)
        this.tokens = s.tokens.map((t) => ({ ...t }));
        this.begin = s.begin;
        this.end = s.end;
        for (const d of s.deps) this.add(d);
        this.verbsTaggedAsNouns();
        this.verblessSentences();
        this.relativeClausesOnOneConjunct();
        this.dropDoubledObjects();
        this.reportedClauseSubjects();
        this.raisedReportSubjects();
        this.verbsReadAsModifiers();
        this.participlesAfterHave();
        this.conjoinedParticiplesReadAsModifiers();
        this.phrasesOfSecondVerbs();
        this.describedSubjectsOfReports();
        this.appositionsOfDescribedSubjects();
        this.verbsAfterParentheticals();
        this.namesAfterFrontedDescriptions();
        this.selfNamed();
        this.namingParticiplesReadAsVerbs();
        this.hedgesReadAsVerbs();
        this.relativeClausesReadAsLoose();
        this.namesReadAsClauseSubjects();
        this.confidentClausesReadAsRelatives();
        this.comparedNamesReadAsSubjects();
        this.reportingVerbsReadAsAuxiliaries();
        this.reportedRelatives();
        this.reportedCopulaRelatives();
        this.blamedEventsWithVictims();
        this.objectRelativesReadAsComplements();
        this.reducedRelativesReadAsClauses(s.basic);
        for (const d of s.basic) {
            const { gov, rel } = this.basicRepairs.get(d.dept) ?? { gov: d.gov, rel: d.dep };
            this.basicGov.set(d.dept, { gov, rel });
            const k = this.basicKids.get(gov) ?? [];
            k.push(d.dept);
            this.basicKids.set(gov, k);
        }
    }

    /**
     * "the Justice Department, which said they directed the intrusions" misparsed with "said" an auxiliary: enhanced++
     * gives "directed" the antecedent as an object through "which" and "the intrusions" as its own. A verb with an
     * object of its own after it keeps that one only; with no subject of its own, the antecedent is its subject ("the
     * Commerce Department, which in July added A to its list", "which" taken for an object).
     */
    private dropDoubledObjects(): void {
        for (const [gov, edges] of this.outEdges) {
            if (!edges.some((e) => e.rel === "obj" && e.dep > gov)) continue;
            for (const e of edges.filter((x) => x.rel === "obj" && x.dep < gov)) {
                const viaRelative = (this.inEdges.get(gov) ?? []).some((r) => r.rel === "acl:relcl" && r.gov === e.dep);
                if (!viaRelative) continue;
                if (!edges.some((x) => x.rel.startsWith("nsubj"))) {
                    e.rel = "nsubj";
                    continue;
                }
                edges.splice(edges.indexOf(e), 1);
                const back = this.inEdges.get(e.dep)!;
                back.splice(back.indexOf(e), 1);
            }
        }
    }

    /**
     * "B, which is based in Ireland; C, a Macedonian company; and D" — enhanced++ gives the relative clause the later
     * conjuncts as subjects too; a relative clause that closes before a conjunct starts says nothing about it.
     */
    private relativeClausesOnOneConjunct(): void {
        for (const [antecedent, edges] of this.outEdges) {
            for (const rel of edges.filter((e) => e.rel === "acl:relcl" && e.dep > antecedent)) {
                const later = new Set(edges.filter((e) => e.rel.startsWith("conj") && e.dep > rel.dep).map((e) => e.dep));
                for (const e of [...(this.outEdges.get(rel.dep) ?? [])]) if (/^(nsubj|nsubj:pass|obj)$/.test(e.rel) && later.has(e.dep)) this.remove(e);
            }
        }
    }

    /**
     * "six companies that it said support the intelligence services" parsed with "support" an xcomp of "said": a
     * finite clause after a verb of saying is no control construction, so its subject is not the speaker
     * (enhanced++'s nsubj:xsubj) but the noun the reported clause modifies, when there is one.
     */
    private reportedClauseSubjects(): void {
        for (const [gov, edges] of this.outEdges) {
            if (!/^(say|allege|claim|state|believe|assert|report)$/.test(this.lemma(gov))) continue;
            for (const x of edges.filter((e) => e.rel === "xcomp" && /^VB[PZD]?$/.test(this.pos(e.dep)))) {
                const own = this.outEdges.get(x.dep) ?? [];
                if (own.some((e) => e.rel === "mark" || e.rel === "aux" || e.rel === "aux:pass")) continue;
                x.rel = "ccomp";
                for (const e of own.filter((e) => e.rel === "nsubj:xsubj")) {
                    own.splice(own.indexOf(e), 1);
                    const back = this.inEdges.get(e.dep)!;
                    back.splice(back.indexOf(e), 1);
                }
                // (or follows with no relative word, however the parser attached it: "a hacking group it said worked for X")
                const speaker = edges.find((e) => e.rel === "nsubj" && e.dep < gov)?.dep;
                const before = speaker === undefined ? 0 : /^(that|who|which|whom)$/.test(this.lower(speaker - 1)) ? speaker - 2 : speaker - 1;
                const modified = (this.inEdges.get(gov) ?? []).find((e) => /^(ccomp|acl|acl:relcl)$/.test(e.rel) && e.gov < gov && this.pos(e.gov).startsWith("NN"))?.gov ?? (speaker !== undefined && /^NNS?$/.test(this.pos(before)) && /^PRP$/.test(this.pos(speaker)) ? before : undefined);
                if (modified !== undefined && !own.some((e) => e.rel.startsWith("nsubj"))) this.add({ dep: "nsubj", gov: x.dep, dept: modified } as NlpDependency);
            }
        }
    }

    /**
     * "the agency said it believed APT99 was behind the attack", "Ivan Petrov, who it said led APT99" misparsed with
     * the name an object of the verb of saying and the rest of the clause a loose dep: the name is the subject of
     * that clause, and the clause is what was said.
     */
    private raisedReportSubjects(): void {
        for (const [gov, edges] of this.outEdges) {
            if (!/^(say|believe|think|suspect|allege|claim|know|assess|conclude|report|state|consider|find)$/.test(this.lemma(gov)) || !this.isVerb(gov)) continue;
            const objs = edges.filter((e) => e.rel === "obj");
            if (objs.length !== 1) continue;
            const obj = objs[0]!;
            const clauses = edges.filter((e) => e.rel === "dep" && e.dep > obj.dep && e.dep > gov && (this.isVerb(e.dep) || (this.outEdges.get(e.dep) ?? []).some((x) => x.rel === "cop")) && !(this.outEdges.get(e.dep) ?? []).some((x) => x.rel.startsWith("nsubj")));
            if (clauses.length === 0) continue;
            edges.splice(edges.indexOf(obj), 1);
            const back = this.inEdges.get(obj.dep)!;
            back.splice(back.indexOf(obj), 1);
            for (const c of clauses) {
                c.rel = "ccomp";
                this.add({ dep: "nsubj", gov: c.dep, dept: obj.dep } as NlpDependency);
            }
        }
    }

    /**
     * "The indictment names Ivan Petrov and Oleg Smirnov" tagged with "names" a plural noun: a plural noun with a
     * subject of its own in front and no copula, article or modifier is a verb in the present tense, and what the
     * parser hung on it loosely after it is its object.
     */
    private verbsTaggedAsNouns(): void {
        for (const [i, edges] of this.outEdges) {
            if (this.pos(i) !== "NNS" || !/s$/.test(this.lower(i))) continue;
            if (!edges.some((e) => e.rel === "nsubj" && e.dep < i && /^(NN|NNS|NNP|NNPS|PRP)$/.test(this.pos(e.dep)))) continue;
            if (edges.some((e) => /^(cop|det|amod|nummod|compound|nmod:poss|case)$/.test(e.rel))) continue;
            this.tokens[i - 1]!.pos = "VBZ";
            for (const e of edges) if (e.rel === "dep" && e.dep > i) {
                e.rel = "obj";
                this.basicRepairs.set(e.dep, { gov: i, rel: "obj" });
            }
        }
    }

    /**
     * "The Treasury sanctioned Evil Corp members Ivan Petrov and Oleg Smirnov" parsed as one noun phrase (the past tense
     * taken for a modifier): in a sentence with no verb, a participle right after a noun is the verb, what comes before
     * it its subject, the noun it modified its object, and names the parser left loose on that noun its appositions.
     */
    private verblessSentences(): void {
        if (this.tokens.some((t, k) => /^(VB[DZP]|MD)$/.test(t.pos) || (/^VB[G]?$/.test(t.pos) && this.out(k + 1).some((e) => e.rel.startsWith("nsubj"))))) return;
        for (let v = 2; v < this.size; v++) {
            if (this.pos(v) !== "VBN" || !/^(NN|NNS|NNP|NNPS)$/.test(this.pos(v - 1))) continue;
            const mod = this.in(v, "amod").find((e) => e.gov > v);
            if (!mod) continue;
            const h = mod.gov;
            const rootEdge = this.out(0).find((e) => e.dep === h);
            if (!rootEdge) continue;
            const subj = v - 1;
            this.remove(mod);
            this.remove(rootEdge);
            for (const e of this.in(subj).filter((e) => e.gov === h)) this.remove(e);
            // (what stood before the subject belongs to it: "The")
            for (const e of this.out(h).filter((e) => e.dep < subj && e.dep !== subj)) {
                this.remove(e);
                this.add({ dep: e.rel, gov: subj, dept: e.dep } as NlpDependency);
                this.basicRepairs.set(e.dep, { gov: subj, rel: e.rel.replace(/:.*$/, "") });
            }
            for (const e of this.out(h, "dep").filter((e) => e.dep > h && /^NNPS?$/.test(this.pos(e.dep)))) {
                this.remove(e);
                this.add({ dep: "appos", gov: h, dept: e.dep } as NlpDependency);
                this.basicRepairs.set(e.dep, { gov: h, rel: "appos" });
            }
            this.tokens[v - 1]!.pos = "VBD";
            this.add({ dep: "ROOT", gov: 0, dept: v } as NlpDependency);
            this.add({ dep: "nsubj", gov: v, dept: subj } as NlpDependency);
            this.add({ dep: "obj", gov: v, dept: h } as NlpDependency);
            this.basicRepairs.set(v, { gov: 0, rel: "ROOT" }).set(subj, { gov: v, rel: "nsubj" }).set(h, { gov: v, rel: "obj" });
            return;
        }
    }

    /**
     * "The group behind the attack, APT99, hacked X" parsed with the name an apposition of "attack": a name set off by
     * commas after a phrase that modifies a subject noun is that noun's apposition (the phrase's own noun is common).
     */
    private appositionsOfDescribedSubjects(): void {
        for (let name = 4; name < this.size; name++) {
            if (!/^NNPS?$/.test(this.pos(name)) || this.word(name - 1) !== ",") continue;
            const ap = this.in(name, "appos").find((e) => e.gov < name && /^NNS?$/.test(this.pos(e.gov)));
            const up = ap && this.in(ap.gov, (r) => r.startsWith("nmod:")).find((e) => e.gov < ap.gov && /^NNS?$/.test(this.pos(e.gov)));
            if (!ap || !up || !this.in(up.gov, (r) => r.startsWith("nsubj")).some((e) => e.gov > name)) continue;
            this.remove(ap);
            this.add({ dep: "appos", gov: up.gov, dept: name } as NlpDependency);
            this.basicRepairs.set(name, { gov: up.gov, rel: "appos" });
        }
    }

    /**
     * "Contoso Bank said that hackers linked to APT99 had accessed its systems" parsed with "linked" the reported verb
     * and "accessed" a loose dependent of "said": a participle of a tie right after a plural noun is that noun's
     * modifier, and the verb after it, which has no subject, the reported clause with the noun as its subject.
     */
    private describedSubjectsOfReports(): void {
        for (let p = 3; p < this.size; p++) {
            if (this.pos(p) !== "VBN" || !/^(link|tie|connect|associate|affiliate|back|sponsor|align|attach)$/.test(this.lemma(p))) continue;
            const up = this.in(p, "ccomp").find((e) => e.gov < p && SAYING_OR_REPORT.test(this.lemma(e.gov)));
            const subj = this.out(p, "nsubj").find((e) => e.dep === p - 1 && /^NNS$/.test(this.pos(e.dep)));
            if (!up || !subj) continue;
            const w = this.out(up.gov, "dep").find((e) => e.dep > p && this.isVerb(e.dep) && !this.out(e.dep).some((x) => x.rel.startsWith("nsubj")))?.dep;
            if (w === undefined) continue;
            this.remove(up);
            this.remove(subj);
            this.remove(this.out(up.gov, "dep").find((e) => e.dep === w)!);
            for (const m of this.out(p, "mark")) {
                this.remove(m);
                this.add({ dep: "mark", gov: w, dept: m.dep } as NlpDependency);
            }
            this.add({ dep: "acl", gov: subj.dep, dept: p } as NlpDependency);
            this.add({ dep: "ccomp", gov: up.gov, dept: w } as NlpDependency);
            this.add({ dep: this.out(w).some((x) => x.rel === "aux:pass") ? "nsubj:pass" : "nsubj", gov: w, dept: subj.dep } as NlpDependency);
            this.basicRepairs.set(p, { gov: subj.dep, rel: "acl" }).set(w, { gov: up.gov, rel: "ccomp" }).set(subj.dep, { gov: w, rel: "nsubj" });
        }
    }

    /**
     * "APT99 had hacked Contoso Bank and stolen millions from Contoso Bridge" parsed with "from Contoso Bridge" on
     * "hacked": of two verbs joined by "and", each with its own object, a phrase after the second verb's object is the
     * second verb's.
     */
    private phrasesOfSecondVerbs(): void {
        for (const [v1, edges] of [...this.outEdges]) {
            if (v1 === 0 || !this.isVerb(v1)) continue;
            for (const c of edges.filter((e) => e.rel.startsWith("conj") && e.dep > v1 && this.isVerb(e.dep))) {
                const v2 = c.dep;
                const own = this.out(v2, "obj").filter((e) => e.dep > v2).map((e) => e.dep);
                if (!own.length || !this.out(v1, "obj").some((e) => e.dep > v1 && e.dep < v2)) continue;
                // (never a time, which may hold of both: "breached X and stole data in May")
                for (const e of this.out(v1).filter((e) => e.rel.startsWith("obl:") && e.dep > Math.max(...own) && !/^(DATE|TIME|DURATION|SET)$/.test(this.ner(e.dep)))) {
                    this.remove(e);
                    this.add({ dep: e.rel, gov: v2, dept: e.dep } as NlpDependency);
                    this.basicRepairs.set(e.dep, { gov: v2, rel: "obl" });
                }
            }
        }
    }

    /**
     * "APT99 has targeted Contoso Bank and stolen data from Contoso Hospital" parsed with "stolen" a modifier of "data"
     * and "data" a second object of "targeted": a participle right after "and", inside the objects of a perfect verb,
     * is a second verb under the same auxiliary, with the noun after it its object and the phrases after that its own.
     */
    private conjoinedParticiplesReadAsModifiers(): void {
        for (let v = 3; v < this.size; v++) {
            if (this.pos(v) !== "VBN" || !/^(and|or)$/.test(this.lower(v - 1))) continue;
            const mod = this.in(v, "amod").find((e) => e.gov > v);
            if (!mod) continue;
            const o = mod.gov;
            const conj = this.in(o, (r) => r.startsWith("conj")).find((e) => e.gov < v);
            const objEdge = this.in(o, "obj").find((e) => e.gov < v && this.isVerb(e.gov) && this.out(e.gov, "aux").some((a) => /^(has|have|had)$/.test(this.lower(a.dep))));
            if (!conj || !objEdge) continue;
            const verb = objEdge.gov;
            const p = conj.gov;
            this.remove(mod);
            this.remove(conj);
            this.remove(objEdge);
            for (const e of this.out(o, "cc").filter((e) => e.dep === v - 1)) this.remove(e);
            this.add({ dep: `conj:${this.lower(v - 1)}`, gov: verb, dept: v } as NlpDependency);
            this.add({ dep: "cc", gov: v, dept: v - 1 } as NlpDependency);
            this.add({ dep: "obj", gov: v, dept: o } as NlpDependency);
            for (const s of this.out(verb, (r) => r.startsWith("nsubj"))) this.add({ dep: s.rel, gov: v, dept: s.dep } as NlpDependency);
            this.basicRepairs.set(v, { gov: verb, rel: "conj" }).set(o, { gov: v, rel: "obj" }).set(v - 1, { gov: v, rel: "cc" });
            // ("from Contoso Hospital" hung on the first object: what follows the second object is the second verb's)
            for (const e of this.out(p).filter((e) => e.dep > o && e.rel.startsWith("nmod:"))) {
                this.remove(e);
                this.add({ dep: e.rel.replace(/^nmod/, "obl"), gov: v, dept: e.dep } as NlpDependency);
                this.basicRepairs.set(e.dep, { gov: v, rel: "obl" });
            }
        }
    }

    /**
     * "Microsoft said the group targeted entities in the US" misparsed as one noun phrase, "the group-targeted
     * entities" (the past tense taken for a modifier): after a verb of saying, a noun, a past-tense verb and a noun are
     * a clause — the first noun its subject, the last its object, the clause what was said. In a relative clause
     * ("APT99, which Microsoft said targeted X") the antecedent is the subject.
     */
    private verbsReadAsModifiers(): void {
        for (const [gov, edges] of this.outEdges) {
            if (!/^(say|believe|think|allege|claim|report|state|assess|conclude|warn|find)$/.test(this.lemma(gov)) || !this.isVerb(gov)) continue;
            const objs = edges.filter((e) => e.rel === "obj" && e.dep > gov);
            if (objs.length !== 1) continue;
            const x = objs[0]!.dep;
            // the noun phrase read as one: [subject … object] with the verb in front of the object, either way attached
            const object = this.pos(x).startsWith("NN") && this.out(x).some((e) => e.rel === "amod" && this.past(e.dep) && e.dep > x) ? undefined : this.out(x, "dep").find((e) => e.dep > x)?.dep;
            const head = object ?? x;
            const verb = this.out(head, "amod").find((e) => this.past(e.dep) && e.dep < head && this.out(e.dep).every((d) => d.rel === "advmod"))?.dep;
            if (verb === undefined) continue;
            // ("APT99, which Microsoft said targeted Contoso Bank": right after the verb of a relative clause, the verb's
            // subject is the antecedent)
            const antecedent = verb === gov + 1 && object === undefined ? this.in(gov, "acl:relcl").find((e) => e.gov < gov)?.gov : undefined;
            if (antecedent !== undefined) {
                this.remove(objs[0]!);
                this.remove(this.out(head, "amod").find((e) => e.dep === verb)!);
                this.add({ dep: "ccomp", gov, dept: verb } as NlpDependency);
                this.add({ dep: "nsubj", gov: verb, dept: antecedent } as NlpDependency);
                this.add({ dep: "obj", gov: verb, dept: head } as NlpDependency);
                this.basicRepairs.set(verb, { gov, rel: "ccomp" }).set(head, { gov: verb, rel: "obj" });
                continue;
            }
            const subject = object !== undefined ? x : this.out(head, "compound").find((e) => e.dep < verb)?.dep;
            if (subject === undefined || !/^(NN|NNS|NNP|NNPS|PRP)$/.test(this.pos(subject)) || subject > verb) continue;
            if (object === undefined && !this.out(subject).some((e) => e.rel === "det")) continue;
            this.remove(objs[0]!);
            this.remove(this.out(head, "amod").find((e) => e.dep === verb)!);
            if (object !== undefined) this.remove(this.out(x, "dep").find((e) => e.dep === object)!);
            else this.remove(this.out(head, "compound").find((e) => e.dep === subject)!);
            this.add({ dep: "ccomp", gov, dept: verb } as NlpDependency);
            this.add({ dep: "nsubj", gov: verb, dept: subject } as NlpDependency);
            this.add({ dep: "obj", gov: verb, dept: head } as NlpDependency);
            this.basicRepairs.set(verb, { gov, rel: "ccomp" }).set(subject, { gov: verb, rel: "nsubj" }).set(head, { gov: verb, rel: "obj" });
        }
    }

    /**
     * "APT99 has since 2020 scanned networks in …", "UNC1151 has since at least 2016 taken aim at …" misparsed with the
     * participle a modifier of its object noun ("scanned networks", "taken aim") and "has" the main verb, or the noun
     * the clause's head: a past participle after a perfect "has/have/had" and before its noun is the verb, "has" its
     * auxiliary and the noun its object. The prepositional phrases of a bare object noun ("taken aim at X") are the
     * verb's.
     */
    private participlesAfterHave(): void {
        for (let have = 1; have <= this.size; have++) {
            if (this.lemma(have) !== "have" || !/^VB[DZP]$/.test(this.pos(have))) continue;
            // the noun: the object of "has", or the head "has" is an auxiliary of
            const asObject = this.out(have, "obj").find((e) => e.dep > have)?.dep;
            const asHead = this.in(have, "aux").find((e) => e.gov > have && this.pos(e.gov).startsWith("NN"))?.gov;
            const noun = asObject ?? asHead;
            if (noun === undefined || !/^NNS?$/.test(this.pos(noun))) continue;
            const verb = this.out(noun, "amod").find((e) => e.dep > have && e.dep < noun && this.pos(e.dep) === "VBN")?.dep;
            if (verb === undefined || this.out(noun, "det").some((e) => e.dep < verb)) continue;
            // (nothing but adverbials, dates and commas between "has" and the participle)
            if (![...Array(verb - have - 1).keys()].every((k) => /^(RB|RBS|IN|CD|,|JJ)$/.test(this.pos(have + 1 + k)))) continue;
            const clause = asObject !== undefined ? have : noun;
            this.remove(this.out(noun, "amod").find((e) => e.dep === verb)!);
            if (asObject !== undefined) this.remove(this.out(have, "obj").find((e) => e.dep === noun)!);
            // the clause's governors and its dependents (subject, adverbials, punctuation) become the participle's
            for (const e of [...this.in(clause)]) {
                this.remove(e);
                this.add({ dep: e.rel, gov: e.gov, dept: verb } as NlpDependency);
            }
            const bare = this.out(noun, "det").length === 0 && this.out(noun, "nmod:poss").length === 0;
            for (const e of [...this.out(clause)]) {
                const moves = clause === have || /^(nsubj|nsubj:pass|aux|aux:pass|advmod|punct|obl|obl:.*|nummod|mark|ccomp|advcl.*|conj.*|cc)$/.test(e.rel) || (bare && e.rel.startsWith("nmod:"));
                if (!moves || e.dep === verb) continue;
                this.remove(e);
                const rel = e.rel === "nummod" ? "obl:tmod" : e.rel.startsWith("nmod:") ? e.rel.replace(/^nmod/, "obl") : e.rel;
                this.add({ dep: rel, gov: verb, dept: e.dep } as NlpDependency);
                // (in the basic tree too: a date "since 2016" on the clause dates the participle's fact)
                if (!rel.startsWith("conj")) this.basicRepairs.set(e.dep, { gov: verb, rel });
            }
            if (asObject !== undefined) {
                // (and the bare object's own phrases: "has … taken aim at X")
                if (bare) for (const e of this.out(noun).filter((x) => x.rel.startsWith("nmod:"))) {
                    this.remove(e);
                    this.add({ dep: e.rel.replace(/^nmod/, "obl"), gov: verb, dept: e.dep } as NlpDependency);
                }
                this.add({ dep: "aux", gov: verb, dept: have } as NlpDependency);
            }
            this.add({ dep: "obj", gov: verb, dept: noun } as NlpDependency);
            const up = this.in(verb).find((e) => !e.rel.startsWith("conj"));
            this.basicRepairs.set(verb, { gov: up?.gov ?? 0, rel: up?.rel ?? "root" }).set(noun, { gov: verb, rel: "obj" }).set(have, { gov: verb, rel: "aux" });
        }
    }

    /**
     * "APT99, which has links to the Chinese state, targeted diplomats", "Fancy Bear, a group that officials have tied to
     * the GRU, hacked the Bundestag" misparsed as a verbless noun phrase: the verb after the parenthetical read as a
     * modifier of its object ("targeted diplomats") or as a loose dependent of the parenthetical's own verb. Where the
     * sentence's root is a noun with no subject or copula of its own, a past-tense verb or participle right after the
     * comma that closes the parenthetical is the main verb: the noun its subject, the modified noun its object.
     */
    private verbsAfterParentheticals(): void {
        const rootEdge = this.out(0)[0];
        const r = rootEdge?.dep;
        if (r === undefined || !this.pos(r).startsWith("NN") || this.out(r).some((e) => /^(cop|nsubj|nsubj:pass|case)$/.test(e.rel))) return;
        for (let v = r + 3; v <= this.size; v++) {
            if (!/^VB[DN]$/.test(this.pos(v)) || this.word(v - 1) !== ",") continue;
            // the parenthetical opens with a comma right after the name (its own words in between)
            if (this.word(r + 1) !== ",") return;
            if (this.out(v).some((e) => /^(nsubj|nsubj:pass|aux|aux:pass|cop|mark)$/.test(e.rel))) return;
            const object = this.in(v, "amod").find((e) => e.gov > v && this.pos(e.gov).startsWith("NN"))?.gov;
            const loose = this.in(v, "dep").find((e) => e.gov > r && e.gov < v && this.isVerb(e.gov));
            if (object === undefined && loose === undefined) continue;
            for (const e of [...this.in(v)]) this.remove(e);
            if (object !== undefined) {
                for (const e of [...this.in(object)]) this.remove(e);
                this.add({ dep: "obj", gov: v, dept: object } as NlpDependency);
                this.basicRepairs.set(object, { gov: v, rel: "obj" });
                // (words before the comma the parser hung on the object belong to the parenthetical: "the Ministry of
                // State Security, targeted diplomats" → compound(diplomats, Security))
                for (const e of this.out(object).filter((x) => x.dep < v - 1)) {
                    this.remove(e);
                    this.add({ dep: "dep", gov: e.dep - 1, dept: e.dep } as NlpDependency);
                    this.basicRepairs.set(e.dep, { gov: e.dep - 1, rel: "dep" });
                }
            }
            this.remove(rootEdge!);
            this.add({ dep: "ROOT", gov: 0, dept: v } as NlpDependency);
            this.add({ dep: "nsubj", gov: v, dept: r } as NlpDependency);
            this.basicRepairs.set(v, { gov: 0, rel: "ROOT" }).set(r, { gov: v, rel: "nsubj" });
            return;
        }
    }

    /**
     * "A hacking group linked to Russia, APT28, targeted journalists", "A group backed by Iran, APT35, attacked X"
     * misparsed with the participle the main verb or the name an apposition of the participle's own object: a
     * sentence that opens with a noun phrase, a participle phrase on it, then a name set off by commas and a verb is
     * that noun as the verb's subject, the participle phrase a modifier of the noun and the name its apposition.
     */
    private namesAfterFrontedDescriptions(): void {
        // the opening noun phrase: determiners, adjectives and nouns up to the noun the participle follows
        let n = 1;
        while (n <= this.size && /^(DT|JJ|NN|HYPH|VBG|CD)$/.test(this.pos(n)) && this.pos(n + 1) !== "VBN") n++;
        if (n > 6 || !/^NNS?$/.test(this.pos(n)) || this.pos(n + 1) !== "VBN") return;
        const p = n + 1;
        let c1 = p + 1;
        while (c1 <= this.size && this.word(c1) !== "," && !this.isVerb(c1)) c1++;
        if (this.word(c1) !== ",") return;
        let c2 = c1 + 1;
        while (c2 <= this.size && /^(NNPS?|CD|HYPH)$/.test(this.pos(c2))) c2++;
        if (c2 === c1 + 1 || this.word(c2) !== ",") return;
        const name = c2 - 1;
        let v = c2 + 1;
        while (v <= this.size && /^(MD|RB|VBZ|VBP|VBD)$/.test(this.pos(v)) && /^(has|have|had|is|was|were|are|will|would|also|then|later|reportedly|allegedly)$/.test(this.lower(v)) && /^VB[DNG]?$/.test(this.pos(v + 1) ?? "")) v++;
        if (!/^VB[DNZP]$/.test(this.pos(v))) return;
        // (already read right: the verb has the noun as its subject)
        if (this.out(v).some((e) => e.rel.startsWith("nsubj") && e.dep <= name)) return;
        if (this.out(v).some((e) => e.rel.startsWith("nsubj"))) return;
        // the verb's object, if the parser made the verb a modifier of it ("targeted journalists" → amod)
        const object = this.in(v, "amod").find((e) => e.gov > v && this.pos(e.gov).startsWith("NN"))?.gov;
        const rootEdge = this.out(0)[0];
        for (const e of [...this.in(v), ...this.in(p), ...this.in(name), ...this.in(n)]) this.remove(e);
        if (object !== undefined) {
            for (const e of [...this.in(object)]) this.remove(e);
            this.add({ dep: "obj", gov: v, dept: object } as NlpDependency);
            this.basicRepairs.set(object, { gov: v, rel: "obj" });
        }
        if (rootEdge && rootEdge.dep !== v && this.in(rootEdge.dep).includes(rootEdge)) this.remove(rootEdge);
        this.add({ dep: "ROOT", gov: 0, dept: v } as NlpDependency);
        this.add({ dep: "nsubj", gov: v, dept: n } as NlpDependency);
        this.add({ dep: "acl", gov: n, dept: p } as NlpDependency);
        this.add({ dep: "appos", gov: n, dept: name } as NlpDependency);
        this.basicRepairs.set(v, { gov: 0, rel: "ROOT" }).set(n, { gov: v, rel: "nsubj" }).set(p, { gov: n, rel: "acl" }).set(name, { gov: n, rel: "appos" });
    }

    /**
     * "APT99 used the same tools as APT28 to target X" parsed with the compared name the subject of "target": an
     * infinitive marked by both "as" and "to" after "same/similar … as" has no subject of its own; the name is compared.
     */
    private comparedNamesReadAsSubjects(): void {
        for (let v = 3; v <= this.size; v++) {
            const marks = this.out(v, "mark");
            const as = marks.find((e) => this.lower(e.dep) === "as");
            if (!as || !marks.some((e) => this.lower(e.dep) === "to")) continue;
            const subj = this.out(v, "nsubj").find((e) => e.dep > as.dep && e.dep < v);
            const up = this.in(v).find((e) => e.rel.startsWith("advcl") || e.rel === "xcomp");
            if (!subj || !up || ![...Array(Math.max(0, as.dep - up.gov)).keys()].some((k) => /^(same|similar|identical|comparable)$/.test(this.lower(up.gov + k)))) continue;
            this.remove(subj);
            this.remove(as);
            this.add({ dep: "obl:as", gov: up.gov, dept: subj.dep } as NlpDependency);
            this.basicRepairs.set(subj.dep, { gov: up.gov, rel: "obl" });
        }
    }

    /**
     * "Mandiant assessed with moderate confidence that APT99 breached X" parsed with the that-clause a relative clause
     * on "confidence": a that-clause on a noun of confidence under a verb is what the verb says.
     */
    private confidentClausesReadAsRelatives(): void {
        for (let c = 2; c < this.size; c++) {
            if (!/^(confidence|certainty|conviction)$/.test(this.lemma(c))) continue;
            const up = this.in(c, "obl:with").find((e) => this.isVerb(e.gov));
            const rel = this.out(c, "acl:relcl").find((e) => e.dep > c);
            const that = this.out(c, "ref").find((e) => this.lower(e.dep) === "that");
            if (!up || !rel || !that) continue;
            this.remove(rel);
            this.remove(that);
            this.add({ dep: "ccomp", gov: up.gov, dept: rel.dep } as NlpDependency);
            this.add({ dep: "mark", gov: rel.dep, dept: that.dep } as NlpDependency);
            this.basicRepairs.set(rel.dep, { gov: up.gov, rel: "ccomp" }).set(that.dep, { gov: rel.dep, rel: "mark" });
        }
    }

    /**
     * "Microsoft said a group known as Midnight Blizzard had accessed X" parsed with "as Midnight Blizzard had accessed
     * X" a clause of "known" (the name its subject) and the group the object of "said": the name is what the group is
     * known as, the verb after it the group's, and the clause what was said.
     */
    private namesReadAsClauseSubjects(): void {
        for (let x = 2; x < this.size; x++) {
            if (!/^(known|called|dubbed|tracked|named|labelled|labeled|nicknamed|codenamed)$/.test(this.lower(x)) || this.pos(x) !== "VBN") continue;
            const noun = this.in(x, "acl").find((e) => e.gov < x)?.gov;
            const cl = this.out(x, (r) => r.startsWith("advcl")).find((e) => e.dep > x + 1 && this.isVerb(e.dep));
            if (noun === undefined || !cl) continue;
            const w = cl.dep;
            const name = this.out(w, "nsubj").find((e) => e.dep > x && e.dep < w);
            if (!name) continue;
            this.remove(cl);
            this.remove(name);
            for (const m of this.out(w, "mark").filter((e) => this.lower(e.dep) === "as" && e.dep > x && e.dep < name.dep)) {
                this.remove(m);
                this.add({ dep: "case", gov: name.dep, dept: m.dep } as NlpDependency);
            }
            this.add({ dep: this.lower(x + 1) === "as" ? "obl:as" : "xcomp", gov: x, dept: name.dep } as NlpDependency);
            this.basicRepairs.set(name.dep, { gov: x, rel: this.lower(x + 1) === "as" ? "obl" : "xcomp" });
            const said = this.in(noun, "obj").find((e) => e.gov < noun && /^(say|believe|think|allege|claim|report|state|assess|conclude|warn|find|announce|disclose|reveal|confirm)$/.test(this.lemma(e.gov)));
            const rel = this.out(w).some((e) => e.rel === "aux:pass") ? "nsubj:pass" : "nsubj";
            this.add({ dep: rel, gov: w, dept: noun } as NlpDependency);
            if (said) {
                this.remove(said);
                this.add({ dep: "ccomp", gov: said.gov, dept: w } as NlpDependency);
                this.basicRepairs.set(w, { gov: said.gov, rel: "ccomp" }).set(noun, { gov: w, rel });
            }
        }
    }

    /**
     * "Ivan Petrov, who has worked at the RGB's offices, was sanctioned by the Treasury" parsed with the relative clause
     * a loose dependent of the name and the main verb a loose dependent of the relative clause: a clause on a noun
     * whose subject is "who/which/that" is a relative clause on it, and a verb after the clause's closing comma with no
     * subject of its own is the noun's main verb.
     */
    private relativeClausesReadAsLoose(): void {
        for (const [n, edges] of [...this.outEdges]) {
            if (n === 0 || !/^(NN|NNS|NNP|NNPS)$/.test(this.pos(n))) continue;
            for (const d of edges.filter((e) => e.rel === "dep" && e.dep > n && this.isVerb(e.dep))) {
                const r = d.dep;
                const wh = this.out(r, "nsubj").find((e) => /^(who|which|that)$/.test(this.lower(e.dep)) && e.dep === n + 2 && this.word(n + 1) === ",");
                if (!wh) continue;
                this.remove(d);
                this.remove(wh);
                this.add({ dep: "acl:relcl", gov: n, dept: r } as NlpDependency);
                this.add({ dep: "ref", gov: n, dept: wh.dep } as NlpDependency);
                this.add({ dep: "nsubj", gov: r, dept: n } as NlpDependency);
                this.basicRepairs.set(r, { gov: n, rel: "acl:relcl" });
                const main = this.out(r, "dep").find((e) => e.dep > r && this.isVerb(e.dep) && !this.out(e.dep).some((x) => x.rel.startsWith("nsubj")) && [e.dep - 1, e.dep - 2, e.dep - 3].some((k) => this.word(k) === ","));
                if (!main) continue;
                const w = main.dep;
                this.remove(main);
                if (!this.moveRoot(n, w, false)) continue;
                const rel = this.out(w).some((x) => x.rel === "aux:pass") ? "nsubj:pass" : "nsubj";
                this.add({ dep: rel, gov: w, dept: n } as NlpDependency);
                this.basicRepairs.set(n, { gov: w, rel });
            }
        }
    }

    /**
     * "Ivan Petrov and Oleg Smirnov, alleged members of Evil Corp, were charged" parsed with "alleged" the main verb:
     * a hedging participle set off by a comma after names is a modifier of the noun after it, that noun an apposition
     * of the names, and the verb after the second comma the names' own.
     */
    private hedgesReadAsVerbs(): void {
        for (let x = 3; x < this.size; x++) {
            if (!/^(alleged|suspected|reputed|purported|presumed|accused|self-described|self-proclaimed)$/.test(this.lower(x)) || !/^VB[DN]$/.test(this.pos(x)) || this.word(x - 1) !== ",") continue;
            const subjects = this.out(x, "nsubj").filter((e) => e.dep < x - 1);
            const main = this.out(x, (r) => r === "ccomp" || r === "dep" || r === "parataxis").find((e) => e.dep > x + 1 && this.isVerb(e.dep));
            if (!subjects.length || !main) continue;
            const noun = this.out(main.dep, (r) => r === "nsubj" || r === "nsubj:pass").find((e) => e.dep > x && e.dep < main.dep && /^NNS?$/.test(this.pos(e.dep)));
            if (!noun || ![...Array(main.dep - noun.dep).keys()].some((k) => this.word(noun.dep + k) === ",")) continue;
            const head = subjects[0]!.dep;
            for (const e of [...subjects, main, noun]) this.remove(e);
            this.moveRoot(x, main.dep);
            const rel = this.out(main.dep).some((e) => e.rel === "aux:pass") || this.pos(main.dep) === "VBN" ? "nsubj:pass" : "nsubj";
            for (const e of subjects) this.add({ dep: rel, gov: main.dep, dept: e.dep } as NlpDependency);
            this.add({ dep: "amod", gov: noun.dep, dept: x } as NlpDependency);
            this.add({ dep: "appos", gov: head, dept: noun.dep } as NlpDependency);
            this.tokens[x - 1]!.pos = "JJ";
            this.basicRepairs.set(head, { gov: main.dep, rel }).set(x, { gov: noun.dep, rel: "amod" }).set(noun.dep, { gov: head, rel: "appos" });
        }
    }

    /**
     * "Grey Heron, also tracked as APT99, hacked X" parsed with "tracked" the main verb and "hacked" a loose dependent:
     * a naming verb set off by commas after a name is a participle on it, and the verb after the second comma the
     * name's own.
     */
    private namingParticiplesReadAsVerbs(): void {
        for (let x = 3; x < this.size; x++) {
            if (!/^(track|know|call|dub|label|nickname|codename|refer|identify)$/.test(this.lemma(x)) || !/^VB[DN]$/.test(this.pos(x))) continue;
            const comma = this.word(x - 1) === "," ? x - 1 : this.word(x - 2) === "," && this.pos(x - 1) === "RB" ? x - 2 : undefined;
            if (comma === undefined) continue;
            const subj = this.out(x, "nsubj").find((e) => e.dep === comma - 1);
            const loose = this.out(x, (r) => r === "dep" || r === "parataxis" || r.startsWith("conj")).find((e) => e.dep > x && /^VB[DZP]$/.test(this.pos(e.dep)) && this.word(e.dep - 1) === "," && !this.out(e.dep).some((d) => d.rel.startsWith("nsubj")));
            if (!subj || !loose) continue;
            const w = loose.dep;
            this.remove(subj);
            this.remove(loose);
            this.moveRoot(x, w);
            this.add({ dep: "nsubj", gov: w, dept: subj.dep } as NlpDependency);
            this.add({ dep: "acl", gov: subj.dep, dept: x } as NlpDependency);
            this.tokens[x - 1]!.pos = "VBN";
            this.basicRepairs.set(subj.dep, { gov: w, rel: "nsubj" }).set(x, { gov: subj.dep, rel: "acl" });
        }
    }

    /**
     * "The hackers, who call themselves Contoso Team, hacked X", "APT99, which calls itself X", "a group calling itself
     * Contoso Team hacked X" parsed with the name a second object, a loose dependent or the subject of the main verb:
     * after a naming verb and a reflexive, the name is the verb's complement ("a group called X"), the clause a relative
     * clause on the noun it follows, and a verb after the name the main verb of that noun.
     */
    private selfNamed(): void {
        for (let r = 2; r < this.size; r++) {
            if (!/^(itself|themselves|himself|herself)$/.test(this.lower(r)) || !/^(call|name|dub|style|brand|term)$/.test(this.lemma(r - 1)) || !this.isVerb(r - 1)) continue;
            const verb = r - 1;
            let h = r;
            while (h + 1 <= this.size && /^(NNPS?|CD|HYPH)$/.test(this.pos(h + 1))) h++;
            if (h === r) continue;
            const noun = this.in(verb, (rel) => rel === "acl" || rel === "acl:relcl" || rel === "dep").find((e) => e.gov < verb && this.pos(e.gov).startsWith("NN"))?.gov;
            // the verb the parser gave the name as its subject, or hung on the naming verb, after the name
            const main = [...this.out(verb, "ccomp"), ...this.in(h, "nsubj")].map((e) => (e.rel === "ccomp" ? e.dep : e.gov)).find((x) => x > h && this.isVerb(x));
            for (const e of [...this.in(r), ...this.in(h)]) this.remove(e);
            this.add({ dep: "obj", gov: verb, dept: r } as NlpDependency);
            this.add({ dep: "xcomp", gov: verb, dept: h } as NlpDependency);
            this.basicRepairs.set(r, { gov: verb, rel: "obj" }).set(h, { gov: verb, rel: "xcomp" });
            if (noun === undefined) continue;
            for (const e of this.in(verb, "dep").filter((e) => e.gov === noun)) {
                this.remove(e);
                this.add({ dep: this.pos(verb) === "VBG" ? "acl" : "acl:relcl", gov: noun, dept: verb } as NlpDependency);
                this.basicRepairs.set(verb, { gov: noun, rel: this.pos(verb) === "VBG" ? "acl" : "acl:relcl" });
            }
            if (main !== undefined && !this.out(main).some((e) => e.rel.startsWith("nsubj"))) {
                for (const e of this.out(verb, "ccomp").filter((e) => e.dep === main)) this.remove(e);
                this.moveRoot(noun, main, false);
                this.add({ dep: "nsubj", gov: main, dept: noun } as NlpDependency);
                this.basicRepairs.set(noun, { gov: main, rel: "nsubj" });
            }
        }
    }

    /**
     * "Ivan Petrov, who prosecutors say led APT99" parsed with "say" an auxiliary of "led" and the speaker its subject:
     * a verb of saying that is an auxiliary of a relative clause's verb is the relative clause, the speaker its subject,
     * the verb its reported clause and the antecedent that verb's subject.
     */
    private reportingVerbsReadAsAuxiliaries(): void {
        for (let say = 2; say < this.size; say++) {
            if (!SAYING.test(this.lemma(say))) continue;
            const aux = this.in(say, "aux").find((e) => e.gov > say && this.isVerb(e.gov));
            if (!aux) continue;
            const verb = aux.gov;
            const rel = this.in(verb, "acl:relcl").find((e) => e.gov < say);
            const speaker = this.out(verb, "nsubj").find((e) => e.dep < say && !/^(who|that|which)$/.test(this.lower(e.dep)));
            if (!rel || !speaker) continue;
            this.remove(aux);
            this.remove(speaker);
            this.remove(rel);
            this.add({ dep: "acl:relcl", gov: rel.gov, dept: say } as NlpDependency);
            this.add({ dep: "nsubj", gov: say, dept: speaker.dep } as NlpDependency);
            this.add({ dep: "ccomp", gov: say, dept: verb } as NlpDependency);
            this.add({ dep: "nsubj", gov: verb, dept: rel.gov } as NlpDependency);
            this.tokens[say - 1]!.pos = this.lower(say).endsWith("s") ? "VBZ" : this.pos(say) === "VBD" ? "VBD" : "VBP";
            this.basicRepairs.set(say, { gov: rel.gov, rel: "acl:relcl" }).set(speaker.dep, { gov: say, rel: "nsubj" }).set(verb, { gov: say, rel: "ccomp" });
        }
    }

    /**
     * "a group that Microsoft says operates on behalf of China", "X, which Microsoft says works for the GRU" misparsed
     * with the antecedent the object of "says" and the reported verb a loose dependent (or a plural noun, "works"),
     * its phrases hung on "says": in a relative clause whose verb is a verb of saying, the verb right after it is the
     * reported clause, its subject the antecedent, and what follows it is its own.
     */
    private reportedRelatives(): void {
        for (let say = 3; say < this.size; say++) {
            if (!SAYING.test(this.lemma(say)) || !/^VB[ZDP]$/.test(this.pos(say))) continue;
            const rel = this.in(say, "acl:relcl").find((e) => e.gov < say);
            if (!rel) continue;
            const x = say + 1;
            const verbLike = /^VB[ZDP]$/.test(this.pos(x)) || (this.pos(x) === "NNS" && /s$/.test(this.lower(x)) && !this.out(x).some((e) => /^(det|amod|nummod|compound|nmod:poss)$/.test(e.rel)));
            // (raisedReportSubjects may already have given it the antecedent as subject, leaving its phrases on "says")
            if (!verbLike || this.out(x).some((e) => e.rel.startsWith("nsubj") && e.dep !== rel.gov)) continue;
            const link = this.out(say).find((e) => e.dep === x && /^(obj|dep|xcomp|ccomp)$/.test(e.rel));
            if (!link) continue;
            if (this.pos(x) === "NNS") this.tokens[x - 1]!.pos = "VBZ";
            for (const e of this.out(say).filter((e) => e.dep === rel.gov && e.rel === "obj")) this.remove(e);
            this.remove(link);
            this.add({ dep: "ccomp", gov: say, dept: x } as NlpDependency);
            if (!this.out(x).some((e) => e.rel === "nsubj")) this.add({ dep: "nsubj", gov: x, dept: rel.gov } as NlpDependency);
            this.basicRepairs.set(x, { gov: say, rel: "ccomp" });
            // (the reported verb's phrases: a verb takes obl, not nmod)
            for (const e of [...this.out(x)]) if (e.rel.startsWith("nmod:")) {
                this.remove(e);
                this.add({ dep: e.rel.replace(/^nmod/, "obl"), gov: x, dept: e.dep } as NlpDependency);
            }
            for (const e of [...this.out(say)]) if (e.dep > x && e.rel !== "punct") {
                this.remove(e);
                this.add({ dep: e.rel, gov: x, dept: e.dep } as NlpDependency);
                this.basicRepairs.set(e.dep, { gov: x, rel: e.rel.replace(/:.*$/, "") });
            }
        }
    }

    /**
     * "Ukraine blamed the cyberattack on Kyivstar on Sandworm" parsed with both "on" phrases on "blamed": of two or
     * more, the last is whom the blame falls on and the ones before it belong to the event noun (its victim).
     */
    private blamedEventsWithVictims(): void {
        for (let v = 1; v <= this.size; v++) {
            if (!/^(blame|pin)$/.test(this.lemma(v))) continue;
            const event = this.out(v, (r) => r === "obj" || r === "nsubj:pass")[0];
            const ons = this.out(v, "obl:on").filter((e) => event && e.dep > event.dep).sort((a, b) => a.dep - b.dep);
            if (!event || ons.length < 2) continue;
            for (const e of ons.slice(0, -1)) {
                this.remove(e);
                this.add({ dep: "nmod:on", gov: event.dep, dept: e.dep } as NlpDependency);
                this.basicRepairs.set(e.dep, { gov: event.dep, rel: "nmod" });
            }
        }
    }

    /**
     * "APT99, which US officials say is a unit of the MSS, hacked X" parsed with "which" the object of "say", "say" the
     * clausal subject of "unit" and "unit" a loose dependent of the name: a relative clause of saying whose reported
     * clause is a copula is the reported clause of a relative clause on the name, the name its subject.
     */
    private reportedCopulaRelatives(): void {
        for (let say = 4; say + 2 <= this.size; say++) {
            if (!SAYING.test(this.lemma(say)) || !this.isVerb(say)) continue;
            // ("Contoso Labs, which the Treasury says is a front for APT99, was sanctioned" parsed with the predicate the
            // subject of the main verb, and that verb the reported clause)
            const rel = this.in(say, "acl:relcl").find((e) => e.gov < say && this.out(say, "obj").some((o) => o.dep === e.gov));
            const main = rel && this.out(say, "ccomp").find((e) => e.dep > say + 2 && this.isVerb(e.dep));
            const cp = main && this.out(main.dep, (r) => r === "nsubj" || r === "nsubj:pass").find((e) => e.dep > say && e.dep < main.dep && this.out(e.dep, "cop").some((c) => c.dep === say + 1));
            if (rel && main && cp) {
                const a = rel.gov;
                this.remove(this.out(say, "obj").find((o) => o.dep === a)!);
                this.remove(main);
                this.remove(cp);
                this.add({ dep: "ccomp", gov: say, dept: cp.dep } as NlpDependency);
                this.add({ dep: "nsubj", gov: cp.dep, dept: a } as NlpDependency);
                this.moveRoot(a, main.dep, false);
                this.add({ dep: cp.rel, gov: main.dep, dept: a } as NlpDependency);
                this.basicRepairs.set(cp.dep, { gov: say, rel: "ccomp" }).set(a, { gov: main.dep, rel: cp.rel });
                continue;
            }
            const wh = this.out(say, "obj").find((e) => /^(which|who|that)$/.test(this.lower(e.dep)) && e.dep < say);
            const up = this.in(say, "csubj")[0];
            if (!wh || !up || !this.out(up.gov, "cop").some((e) => e.dep === say + 1)) continue;
            const pred = up.gov;
            const a = this.word(wh.dep - 1) === "," ? wh.dep - 2 : wh.dep - 1;
            if (a < 1 || !this.pos(a).startsWith("NN")) continue;
            this.remove(wh);
            this.remove(up);
            for (const e of this.in(pred).filter((e) => e.gov === a)) this.remove(e);
            this.add({ dep: "acl:relcl", gov: a, dept: say } as NlpDependency);
            this.add({ dep: "ref", gov: a, dept: wh.dep } as NlpDependency);
            this.add({ dep: "ccomp", gov: say, dept: pred } as NlpDependency);
            this.add({ dep: "nsubj", gov: pred, dept: a } as NlpDependency);
            this.basicRepairs.set(say, { gov: a, rel: "acl:relcl" }).set(pred, { gov: say, rel: "ccomp" });
        }
    }

    /**
     * "a hacking group that US officials have linked to China" parsed with the relative clause a complement of the noun
     * ("that" a loose dependent, the verb without an object): a clause on a noun that opens with "that/which/whom" and
     * has a subject of its own but no object is a relative clause whose object is the noun.
     */
    private objectRelativesReadAsComplements(): void {
        for (let x = 1; x <= this.size; x++) {
            if (!this.isVerb(x) || this.out(x, "obj").length || !this.out(x, "nsubj").some((e) => !/^(that|which|whom|who)$/.test(this.lower(e.dep)))) continue;
            const on = this.in(x, (r) => r === "ccomp" || r === "acl").find((e) => e.gov < x && /^NNS?$/.test(this.pos(e.gov)) && /^(that|which|whom)$/.test(this.lower(e.gov + 1)));
            if (!on || !this.out(x).some((e) => e.dep === on.gov + 1 && /^(dep|mark|obj)$/.test(e.rel))) continue;
            this.remove(on);
            this.add({ dep: "acl:relcl", gov: on.gov, dept: x } as NlpDependency);
            this.add({ dep: "obj", gov: x, dept: on.gov } as NlpDependency);
        }
    }

    /**
     * "The Treasury sanctioned two people and three companies tied to the consortium" parsed with "tied" a loose clause
     * of "sanctioned" and the counted nouns its subjects: a verb left without an object, and a participle after it with
     * no auxiliary whose subjects sit between them, is a verb with its object and a reduced relative clause on it. So is
     * a clause after a verb of carrying out, which takes none ("APT99 ran an operation focused on X").
     */
    private reducedRelativesReadAsClauses(basic: NlpDependency[]): void {
        // ("sanctioned Contoso Labs, registered in Cyprus": a participle after a comma right behind the object is the
        // object's, not a loose clause of the verb)
        for (const [gov, edges] of this.outEdges) {
            if (!this.isVerb(gov)) continue;
            for (const d of edges.filter((e) => e.rel === "dep" && this.pos(e.dep) === "VBN" && this.word(e.dep - 1) === ",")) {
                const obj = edges.find((e) => e.rel === "obj" && e.dep === d.dep - 2);
                if (!obj || this.out(d.dep).some((e) => /^(nsubj|nsubj:pass|aux|aux:pass)$/.test(e.rel))) continue;
                this.remove(d);
                this.add({ dep: "acl", gov: obj.dep, dept: d.dep } as NlpDependency);
                this.basicRepairs.set(d.dep, { gov: obj.dep, rel: "acl" });
            }
        }
        for (const [gov, edges] of this.outEdges) {
            if (!this.isVerb(gov) || edges.some((e) => e.rel === "obj" || e.rel === "xcomp")) continue;
            // (a verb of carrying out takes no clause: "APT99 ran an operation focused on X", "focused" tagged a past tense)
            const carriesOut = /^(launch|conduct|mount|stage|wage|run|orchestrate|perpetrate|spearhead|initiate|undertake|execute)$/.test(this.lemma(gov));
            const loose = (e: Edge) => (e.rel === "dep" && this.pos(e.dep) === "VBN") || (carriesOut && e.rel === "ccomp" && /^VB[DN]$/.test(this.pos(e.dep)));
            if (edges.some((e) => e.rel === "ccomp" && !loose(e))) continue;
            for (const clause of edges.filter((e) => loose(e) && e.dep > gov)) {
                const own = this.outEdges.get(clause.dep) ?? [];
                if (own.some((e) => /^(aux|aux:pass|mark|cop)$/.test(e.rel))) continue;
                const subjects = own.filter((e) => e.rel === "nsubj");
                if (subjects.length === 0 || !subjects.every((e) => e.dep > gov && e.dep < clause.dep && this.pos(e.dep).startsWith("NN"))) continue;
                this.remove(clause);
                this.tokens[clause.dep - 1]!.pos = "VBN";
                for (const e of subjects) {
                    this.remove(e);
                    this.add({ dep: "obj", gov, dept: e.dep } as NlpDependency);
                    this.add({ dep: "acl", gov: e.dep, dept: clause.dep } as NlpDependency);
                }
                const head = basic.find((d) => d.gov === clause.dep && d.dep === "nsubj")?.dept;
                if (head !== undefined) this.basicRepairs.set(head, { gov, rel: "obj" }).set(clause.dep, { gov: head, rel: "acl" });
            }
        }
    }

    /**
     * Makes `to` the sentence's root in place of `from` (in both graphs). With `always` false, only where `from` was the
     * root; says whether it moved.
     */
    private moveRoot(from: number, to: number, always = true): boolean {
        const e = this.out(0).find((x) => x.dep === from);
        if (e) this.remove(e);
        else if (!always) return false;
        this.add({ dep: "ROOT", gov: 0, dept: to } as NlpDependency);
        this.basicRepairs.set(to, { gov: 0, rel: "ROOT" });
        return true;
    }

    /** A past-tense verb or participle. */
    private past(i: number): boolean {
        return /^VB[DN]$/.test(this.pos(i));
    }

    private remove(e: Edge): void {
        const out = this.outEdges.get(e.gov)!;
        out.splice(out.indexOf(e), 1);
        const back = this.inEdges.get(e.dep)!;
        back.splice(back.indexOf(e), 1);
    }

    private add(d: NlpDependency): void {
        const e: Edge = { rel: d.dep, gov: d.gov, dep: d.dept };
        (this.outEdges.get(d.gov) ?? this.outEdges.set(d.gov, []).get(d.gov)!).push(e);
        (this.inEdges.get(d.dept) ?? this.inEdges.set(d.dept, []).get(d.dept)!).push(e);
    }

    get size(): number {
        return this.tokens.length;
    }
    tok(i: number): NlpToken | undefined {
        return this.tokens[i - 1];
    }
    word(i: number): string {
        return this.tokens[i - 1]?.text ?? "";
    }
    lower(i: number): string {
        return (this.tokens[i - 1]?.text ?? "").toLowerCase();
    }
    lemma(i: number): string {
        return (this.tokens[i - 1]?.lemma ?? "").toLowerCase();
    }
    pos(i: number): string {
        return this.tokens[i - 1]?.pos ?? "";
    }
    ner(i: number): string {
        return this.tokens[i - 1]?.ner ?? "O";
    }
    isVerb(i: number): boolean {
        return this.pos(i).startsWith("VB");
    }
    isNoun(i: number): boolean {
        return this.pos(i).startsWith("NN") || this.pos(i) === "PRP" || this.pos(i) === "CD";
    }

    /** Dependents of i, optionally only those whose relation matches (exact, or base when `rel` has no colon and `base` is set). */
    out(i: number, rel?: string | ((rel: string) => boolean)): Edge[] {
        const all = this.outEdges.get(i) ?? [];
        if (rel === undefined) return all;
        return all.filter((e) => (typeof rel === "string" ? e.rel === rel : rel(e.rel)));
    }
    /** Governors of i (enhanced++ may give several). */
    in(i: number, rel?: string | ((rel: string) => boolean)): Edge[] {
        const all = this.inEdges.get(i) ?? [];
        if (rel === undefined) return all;
        return all.filter((e) => (typeof rel === "string" ? e.rel === rel : rel(e.rel)));
    }
    kids(i: number, rel: string | ((rel: string) => boolean)): number[] {
        return this.out(i, rel).map((e) => e.dep);
    }
    hasKid(i: number, rel: string, lemmas?: Set<string>): boolean {
        return this.out(i, rel).some((e) => !lemmas || lemmas.has(this.lemma(e.dep)) || lemmas.has(this.lower(e.dep)));
    }
    basicParent(i: number): { gov: number; rel: string } | undefined {
        return this.basicGov.get(i);
    }
    basicChildren(i: number): number[] {
        return this.basicKids.get(i) ?? [];
    }
    /** Tokens of i's basic subtree, sorted. */
    subtree(i: number, stop?: (child: number, rel: string) => boolean): number[] {
        const out: number[] = [];
        const walk = (n: number) => {
            out.push(n);
            for (const c of this.basicChildren(n)) {
                const rel = this.basicGov.get(c)!.rel;
                if (stop?.(c, rel)) continue;
                walk(c);
            }
        };
        walk(i);
        return out.sort((a, b) => a - b);
    }
    /** Text of a token range [start, end] (inclusive, 1-based) as written in the article. */
    textOf(start: number, end: number, articleText: string): string {
        const a = this.tok(start);
        const b = this.tok(end);
        if (!a || !b) return "";
        return articleText.slice(a.begin, b.end);
    }
    /** The token of [start, end] whose basic governor lies outside the range (the span's head). */
    headOf(start: number, end: number): number {
        let best = end;
        for (let i = start; i <= end; i++) {
            const p = this.basicGov.get(i);
            if (!p || p.gov < start || p.gov > end) {
                best = i;
                // prefer a nominal head
                if (this.pos(i).startsWith("NN")) return i;
            }
        }
        return best;
    }
}
