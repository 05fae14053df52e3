# frozen_string_literal: true

# GET /health -> {"status":"ok"} with Ruby's socket library (WEBrick left the standard
# library in Ruby 3.0). Teaching code: one request per connection, one at a time.
# Run: PORT=8080 ruby health.rb
# --8<-- [start:health_ruby]
require "json"
require "socket"

port = Integer(ENV.fetch("PORT", "8080"))
server = TCPServer.new("127.0.0.1", port)
puts "listening on http://127.0.0.1:#{port}"
$stdout.flush
trap("TERM") { exit }

loop do
  client = server.accept
  method, path, = client.gets.to_s.split(" ")
  while (line = client.gets) && line != "\r\n" # skip the request headers
  end
  found = method == "GET" && path == "/health"
  body = JSON.generate(found ? { status: "ok" } : { error: "not found" })
  client.write("HTTP/1.1 #{found ? '200 OK' : '404 Not Found'}\r\n" \
               "Content-Type: application/json\r\n" \
               "Content-Length: #{body.bytesize}\r\n" \
               "Connection: close\r\n\r\n#{body}")
  client.close
end
# --8<-- [end:health_ruby]
