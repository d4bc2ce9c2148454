/**
 * The per-item progress bar of `cyberkg watch` on a terminal (cli-progress, on stderr): for each feed with new
 * items, "<feed> fetching [bar] 1/3 items | <url>" while its pages are read, then "<feed> ingesting …" while
 * they are extracted and loaded; cleared when the poll's line is printed. Lines printed while a bar is drawn
 * (copies, failures) go above it. Nothing when stderr is not a terminal: the poll lines alone.
 */
import cliProgress from "cli-progress";
import type { PollProgress } from "../news/feeds.ts";

export interface TerminalPollProgress {
    progress: PollProgress;
    /** Prints a line on stdout without breaking the bar. */
    line(text: string): void;
}

export function terminalPollProgress(stream: NodeJS.WriteStream = process.stderr, out: NodeJS.WriteStream = process.stdout): TerminalPollProgress | undefined {
    if (!stream.isTTY) return undefined;
    let bar: cliProgress.SingleBar | undefined;
    const progress: PollProgress = {
        phase(feed, phase, total) {
            if (total === 0) return;
            const payload = { feed, phase, item: "" };
            if (!bar) {
                bar = new cliProgress.SingleBar(
                    { format: "{feed} {phase} {bar} {value}/{total} items | {item}", stream, barsize: 20, clearOnComplete: true, forceRedraw: true },
                    cliProgress.Presets.shades_classic,
                );
                bar.start(total, 0, payload);
            } else {
                bar.setTotal(total);
                bar.update(0, payload);
            }
            bar.render();
        },
        step(origin) {
            if (!bar) return;
            bar.increment(1, { item: origin });
            bar.render();
        },
        end() {
            bar?.stop();
            bar = undefined;
        },
    };
    return {
        progress,
        line(text) {
            // On one terminal, the bar's line is cleared first and drawn again under the text.
            if (bar && out.isTTY) stream.write("\r\x1b[K");
            out.write(text + "\n");
            bar?.render();
        },
    };
}
