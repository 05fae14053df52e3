# frozen_string_literal: true

# GET /health -> {"status":"ok"} with Ruby's socket library (WEBrick left the standard
# library in Ruby 3.0). Teaching code: one request per connection, one thread per connection.
# Run: PORT=8080 ruby health.rb
# --8<-- [start:health_ruby]
require "json"
require "socket"

LINE_LIMIT = 8192 # bytes; a longer request line or header is cut there

def answer(method, path) # [status line, JSON body, extra header lines]
  return ["404 Not Found", { error: "not found" }, ""] unless path == "/health"
  return ["200 OK", { status: "ok" }, ""] if method == "GET"

  ["405 Method Not Allowed", { error: "method not allowed" }, "Allow: GET\r\n"]
end

def serve(client)
  method, target, = client.gets("\n", LINE_LIMIT).to_s.split(" ")
  while (line = client.gets("\n", LINE_LIMIT)) && line != "\r\n" # skip the request headers
  end
  status, payload, extra = answer(method, target.to_s.split("?", 2).first)
  body = JSON.generate(payload) # sent after the headers, except in answer to HEAD
  client.write("HTTP/1.1 #{status}\r\n#{extra}" \
               "Content-Type: application/json\r\n" \
               "Content-Length: #{body.bytesize}\r\n" \
               "Connection: close\r\n\r\n#{body unless method == 'HEAD'}")
end

port = Integer(ENV.fetch("PORT", "8080"))
server = TCPServer.new("127.0.0.1", port)
puts "listening on http://127.0.0.1:#{port}"
$stdout.flush
trap("TERM") { exit }

loop do
  # A thread per connection: a slow client holds up only its own thread (waiting frees the GVL).
  Thread.new(server.accept) do |client|
    serve(client)
  rescue IOError, SystemCallError
    nil # the client went away before the answer was written
  ensure
    client.close
  end
end
# --8<-- [end:health_ruby]
