// GET /health -> {"status":"ok"} with the JDK's built-in HTTP server.
// Run: PORT=8080 java Health.java (running a source file directly needs Java 11 or later;
// the switch expression below needs Java 14 or later).
// --8<-- [start:health_java]
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

public class Health {
    public static void main(String[] args) {
        String portText = System.getenv().getOrDefault("PORT", "8080");
        int port = portText.matches("[0-9]{1,5}") ? Integer.parseInt(portText) : 0;
        if (port < 1 || port > 65535) {
            System.err.println("PORT=" + portText
                    + " is not a port number — fix: use a number from 1 to 65535");
            System.exit(2);
        }
        // Read once, when the first server is created: a client that has not sent its whole
        // request within 10 seconds is disconnected (the default: no limit), and so is a
        // kept-alive connection with no new request for 10 seconds (the default: 30). Both are
        // seconds; the module docs say milliseconds for maxReqTime, wrongly (JDK-8387598).
        System.setProperty("sun.net.httpserver.maxReqTime", "10");
        System.setProperty("sun.net.httpserver.idleInterval", "10");
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.createContext("/", Health::handle);
            // Without an executor, one slow client stalls everyone. Here 50 threads serve the
            // requests and a flood waits in the queue instead of starting a thread per request.
            // Java 21+: Executors.newVirtualThreadPerTaskExecutor(), a virtual thread per request.
            server.setExecutor(Executors.newFixedThreadPool(50));
            server.start();
        } catch (IOException error) {
            System.err.println("cannot listen on 127.0.0.1:" + port
                    + " (" + error.getMessage() + ") — fix: use another PORT");
            System.exit(1);
        }
        System.out.println("listening on http://127.0.0.1:" + port);
    }

    // --8<-- [end:health_java]
    // --8<-- [start:health_java_handler]
    private static void handle(HttpExchange exchange) throws IOException {
        // Without the ?query; the absolute form http://host/health has the path /health too.
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        boolean getOrHead = method.equals("GET") || method.equals("HEAD");
        int status = !"/health".equals(path) ? 404 : getOrHead ? 200 : 405;
        String json = switch (status) {
            case 200 -> "{\"status\":\"ok\"}";
            case 405 -> "{\"error\":\"method not allowed\"}";
            default -> "{\"error\":\"not found\"}";
        };
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (status == 405) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        }
        if (method.equals("HEAD")) { // the headers of GET, no body: -1 says none follows
            exchange.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }
}
// --8<-- [end:health_java_handler]
