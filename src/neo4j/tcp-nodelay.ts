/**
 * Turns off Nagle's algorithm on outgoing TCP sockets of this process (neo4j-driver opens its Bolt sockets
 * with `net.Socket` and never calls `setNoDelay`). Without it, a query whose parameters span more than one
 * TCP segment waits for the server's delayed ACK: ~40 ms per batched UNWIND query on Linux loopback, which
 * capped the loader at ~4 documents/s. Imported for its side effect by src/neo4j/connection.ts.
 */
import net from "node:net";

const PATCHED = Symbol.for("cyberkg.tcpNoDelay");
const proto = net.Socket.prototype as net.Socket & { [PATCHED]?: boolean };

if (!proto[PATCHED]) {
    const connect = proto.connect;
    proto.connect = function (this: net.Socket, ...args: unknown[]) {
        this.setNoDelay(true);
        return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
    } as typeof proto.connect;
    proto[PATCHED] = true;
}
