<?php
// GET /health -> {"status":"ok"} with PHP's built-in web server (for development only).
// Run: php -S 127.0.0.1:8080 health.php
// --8<-- [start:health_php]
declare(strict_types=1);

// This script runs from the top for every request; nothing survives between requests.
$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH); // without the ?query
$method = $_SERVER['REQUEST_METHOD'] ?? '';

if ($path !== '/health') {
    [$status, $payload] = [404, ['error' => 'not found']];
} elseif ($method !== 'GET' && $method !== 'HEAD') {
    [$status, $payload] = [405, ['error' => 'method not allowed']];
    header('Allow: GET, HEAD');
} else {
    [$status, $payload] = [200, ['status' => 'ok']];
}

$body = json_encode($payload);
http_response_code($status);
header('Content-Type: application/json');
header('Content-Length: ' . strlen($body));
echo $body; // PHP sends no body in answer to HEAD
// --8<-- [end:health_php]
