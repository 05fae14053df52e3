// GET /health -> {"status":"ok"} with the JDK's built-in HTTP server.
// Run (Java 11+ runs a single source file directly): PORT=8080 java Health.java
// --8<-- [start:health_java]
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

public class Health {
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", Health::handle);
        server.start();
        System.out.println("listening on http://127.0.0.1:" + port);
    }

    private static void handle(HttpExchange exchange) throws IOException {
        boolean found = exchange.getRequestMethod().equals("GET")
                && exchange.getRequestURI().getPath().equals("/health");
        String json = found ? "{\"status\":\"ok\"}" : "{\"error\":\"not found\"}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(found ? 200 : 404, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
// --8<-- [end:health_java]
