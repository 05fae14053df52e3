<?php
// GET /health -> {"status":"ok"} with PHP's built-in web server (for development only).
// Run: php -S 127.0.0.1:8080 health.php
// --8<-- [start:health_php]
declare(strict_types=1);

$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$found = $_SERVER['REQUEST_METHOD'] === 'GET' && $path === '/health';

http_response_code($found ? 200 : 404);
header('Content-Type: application/json');
echo json_encode($found ? ['status' => 'ok'] : ['error' => 'not found']);
// --8<-- [end:health_php]
