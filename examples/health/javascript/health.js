// GET /health -> {"status":"ok"} with Node.js's built-in http module.
// Run: PORT=8080 node health.js
// --8<-- [start:health_javascript]
const http = require("node:http");

const portText = process.env.PORT ?? "8080";
const port = Number(portText);
if (!/^[0-9]{1,5}$/.test(portText) || port < 1 || port > 65535) {
  console.error(`PORT=${portText} is not a port number — fix: use a number from 1 to 65535`);
  process.exit(2);
}

function pathOf(target) {
  // "/health?probe=1" and the absolute form "http://host/health" both give "/health".
  try {
    return new URL(target, "http://unused").pathname;
  } catch {
    return null; // a target that is not a URL at all
  }
}

function answer(req) {
  if (pathOf(req.url) !== "/health") return [404, { error: "not found" }, {}];
  if (req.method !== "GET" && req.method !== "HEAD") {
    return [405, { error: "method not allowed" }, { Allow: "GET, HEAD" }];
  }
  return [200, { status: "ok" }, {}]; // for HEAD, Node sends the headers and drops the body
}

// --8<-- [end:health_javascript]
// --8<-- [start:health_javascript_main]
// The event loop calls this function for every request, one at a time.
const server = http.createServer(
  // A client must send its whole request within 10 s, checked every second. Node's defaults:
  // 60 s for the headers, 300 s for the whole request, checked every 30 s.
  { headersTimeout: 10_000, requestTimeout: 10_000, connectionsCheckingInterval: 1_000 },
  (req, res) => {
    const [status, payload, headers] = answer(req);
    const body = JSON.stringify(payload);
    res.writeHead(status, {
      ...headers,
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(body),
    });
    res.end(body);
  },
);

server.on("error", (error) => {
  console.error(`cannot listen on 127.0.0.1:${port} (${error.code}) — fix: use another PORT`);
  process.exit(1);
});
server.listen(port, "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${port}`);
});

// Stop accepting connections on SIGTERM, exit when open ones are done.
process.on("SIGTERM", () => server.close(() => process.exit(0)));
// --8<-- [end:health_javascript_main]
