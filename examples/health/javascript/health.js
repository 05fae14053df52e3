// GET /health -> {"status":"ok"} with Node.js's built-in http module.
// Run: PORT=8080 node health.js
// --8<-- [start:health_javascript]
const http = require("node:http");

const port = Number(process.env.PORT ?? 8080);

function answer(req) {
  const path = req.url.split("?", 1)[0]; // /health?probe=1 is /health too
  if (path !== "/health") return [404, { error: "not found" }, {}];
  if (req.method !== "GET") return [405, { error: "method not allowed" }, { Allow: "GET" }];
  return [200, { status: "ok" }, {}];
}

// The event loop calls this function for every request, one at a time.
const server = http.createServer((req, res) => {
  const [status, payload, headers] = answer(req);
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    ...headers,
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
});

server.listen(port, "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${port}`);
});

// Stop accepting connections on SIGTERM, exit when open ones are done.
process.on("SIGTERM", () => server.close(() => process.exit(0)));
// --8<-- [end:health_javascript]
