// GET /health -> {"status":"ok"} with the JDK's built-in HTTP server.
// Run (Java 11+ runs a single source file directly): PORT=8080 java Health.java
// --8<-- [start:health_java]
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

public class Health {
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", Health::handle);
        // Without an executor, one slow client stalls everyone. A thread per request here;
        // Java 21+: Executors.newVirtualThreadPerTaskExecutor(), a virtual thread per request.
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        System.out.println("listening on http://127.0.0.1:" + port);
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath(); // without the ?query
        boolean get = exchange.getRequestMethod().equals("GET");
        int status = !path.equals("/health") ? 404 : get ? 200 : 405;
        String json = switch (status) {
            case 200 -> "{\"status\":\"ok\"}";
            case 405 -> "{\"error\":\"method not allowed\"}";
            default -> "{\"error\":\"not found\"}";
        };
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (status == 405) {
            exchange.getResponseHeaders().set("Allow", "GET");
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
// --8<-- [end:health_java]
