package dev.cyberkg.nlp;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import com.sun.net.httpserver.spi.HttpServerProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * StanfordCoreNLPServer has no bind-address option: it listens on every interface
 * (`HttpServer.create(new InetSocketAddress(port), 0)`). Installed with
 * -Dcom.sun.net.httpserver.HttpServerProvider=dev.cyberkg.nlp.LoopbackHttpServerProvider, this provider turns
 * a wildcard address into 127.0.0.1 and otherwise hands everything to the JDK's own provider
 * (needs --add-exports jdk.httpserver/sun.net.httpserver=ALL-UNNAMED). Compiled by src/nlp/runtime/LocalCoreNLP.ts.
 */
public final class LoopbackHttpServerProvider extends HttpServerProvider {
    private final HttpServerProvider jdk = new sun.net.httpserver.DefaultHttpServerProvider();

    private static InetSocketAddress loopback(InetSocketAddress address) throws IOException {
        if (address == null || !address.getAddress().isAnyLocalAddress()) return address;
        return new InetSocketAddress(InetAddress.getByName("127.0.0.1"), address.getPort());
    }

    @Override
    public HttpServer createHttpServer(InetSocketAddress address, int backlog) throws IOException {
        return jdk.createHttpServer(loopback(address), backlog);
    }

    @Override
    public HttpsServer createHttpsServer(InetSocketAddress address, int backlog) throws IOException {
        return jdk.createHttpsServer(loopback(address), backlog);
    }
}
