/**
 * Heap and page cache of the local runtime, sized from the machine when NEO4J_HEAP / NEO4J_PAGECACHE are not set
 * (src/config.ts): an eighth of the RAM each, the heap between 1 and 8 GiB (larger heaps pause longer for little
 * gain), the page cache between 512 MiB and 16 GiB (it holds the store files; past their size it is unused).
 */
const MIB = 2 ** 20;

export function memoryForMachine(totalBytes: number): { heap: string; pagecache: string } {
    const share = Math.floor(totalBytes / MIB / 8);
    const heap = Math.min(8192, Math.max(1024, share));
    const pagecache = Math.min(16384, Math.max(512, share));
    return { heap: `${heap}m`, pagecache: `${pagecache}m` };
}
