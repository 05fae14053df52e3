// GET /health -> {"status":"ok"} with Node.js's built-in http module.
// Run: PORT=8080 node health.js
// --8<-- [start:health_javascript]
const http = require("node:http");

const port = Number(process.env.PORT ?? 8080);

const server = http.createServer((req, res) => {
  const found = req.method === "GET" && req.url === "/health";
  const body = JSON.stringify(found ? { status: "ok" } : { error: "not found" });
  res.writeHead(found ? 200 : 404, {
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
