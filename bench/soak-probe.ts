/**
 * Preloaded into the API process by `bench:soak` only (`node --expose-gc --import tsx --import bench/soak-probe.ts`):
 * every SOAK_PROBE_SECONDS it runs a full GC and appends the process's memory after it to SOAK_PROBE_FILE (JSON
 * lines). A heap that keeps growing after GC is a leak; RSS alone also counts heap the GC has not given back.
 * With SOAK_HEAP_SNAPSHOTS=1 it also writes a heap snapshot at SOAK_SNAPSHOT_AT seconds (comma-separated).
 */
import fs from "node:fs";
import path from "node:path";
import v8 from "node:v8";

const file = process.env.SOAK_PROBE_FILE;
const every = Number(process.env.SOAK_PROBE_SECONDS ?? 30) * 1000;
const gc = (globalThis as { gc?: () => void }).gc;
if (file && gc) {
    const started = Date.now();
    const snapshotsAt = (process.env.SOAK_SNAPSHOT_AT ?? "").split(",").filter(Boolean).map(Number);
    const timer = setInterval(() => {
        gc();
        const m = process.memoryUsage();
        const t = (Date.now() - started) / 1000;
        const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
        fs.appendFileSync(file, JSON.stringify({ t, rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal), externalMb: mb(m.external), arrayBuffersMb: mb(m.arrayBuffers) }) + "\n");
        const due = snapshotsAt.find((s) => t >= s);
        if (due !== undefined && process.env.SOAK_HEAP_SNAPSHOTS === "1") {
            snapshotsAt.splice(snapshotsAt.indexOf(due), 1);
            v8.writeHeapSnapshot(path.join(path.dirname(file), `api-${Math.round(t)}s.heapsnapshot`));
        }
    }, every);
    timer.unref();
}
