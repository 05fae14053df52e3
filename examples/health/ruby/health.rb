# frozen_string_literal: true

# GET /health -> {"status":"ok"} with Ruby's socket library (WEBrick left the standard
# library in Ruby 3.0). Teaching code: one request per connection, one thread per connection.
# Run: PORT=8080 ruby health.rb
# --8<-- [start:health_ruby]
require "io/wait"
require "json"
require "socket"
require "uri"

HEAD_LIMIT = 8192 # bytes: the request line and all headers together
DEADLINE = 10 # seconds a client has to send them, however slowly the bytes trickle in

def read_head(client) # the request line and headers, or nil: too slow or too big
  head = +""
  give_up = Process.clock_gettime(Process::CLOCK_MONOTONIC) + DEADLINE
  until head.match?(/\r?\n\r?\n/) # an empty line ends the headers; a bare LF counts too
    left = give_up - Process.clock_gettime(Process::CLOCK_MONOTONIC)
    return nil if head.bytesize > HEAD_LIMIT || left <= 0 || !client.wait_readable(left)

    head << client.readpartial(4096) # EOFError if the client hangs up
    head.sub!(/\A(\r?\n)+/, "") # empty lines before the request line (RFC 9112, 2.2)
  end
  head
end

# METHOD SP target SP HTTP/x.y, or nil: anything else is not an HTTP/1.x request line.
REQUEST_LINE = %r{\A(\S+) (\S+) HTTP/[0-9]\.[0-9]\r?\n}

def path_of(target) # "/health?probe=1" and the absolute form "http://host/health" -> "/health"
  URI.parse(target.to_s).path
rescue URI::Error # not a URI at all
  nil
end

def answer(method, path) # [status line, JSON body, extra header lines]
  return ["400 Bad Request", { error: "bad request" }, ""] if method.nil?
  return ["404 Not Found", { error: "not found" }, ""] unless path == "/health"
  return ["200 OK", { status: "ok" }, ""] if %w[GET HEAD].include?(method)

  ["405 Method Not Allowed", { error: "method not allowed" }, "Allow: GET, HEAD\r\n"]
end

# --8<-- [end:health_ruby]
# --8<-- [start:health_ruby_main]
def serve(client)
  head = read_head(client) or return # close without an answer, like the other servers
  _, method, target = head.match(REQUEST_LINE).to_a # nil, nil: not HTTP, a 400
  status, payload, extra = answer(method, path_of(target))
  body = JSON.generate(payload) # sent after the headers, except in answer to HEAD
  client.write("HTTP/1.1 #{status}\r\n#{extra}" \
               "Content-Type: application/json\r\n" \
               "Content-Length: #{body.bytesize}\r\n" \
               "Connection: close\r\n\r\n#{body unless method == 'HEAD'}")
end

port = ENV.fetch("PORT", "8080")
unless port.match?(/\A[0-9]{1,5}\z/) && (1..65_535).cover?(port.to_i)
  warn "PORT=#{port} is not a port number — fix: use a number from 1 to 65535"
  exit 2
end
begin
  server = TCPServer.new("127.0.0.1", port.to_i)
rescue SystemCallError => e
  abort "cannot listen on 127.0.0.1:#{port} (#{e.message}) — fix: use another PORT"
end
puts "listening on http://127.0.0.1:#{port}"
$stdout.flush
trap("TERM") { exit }

loop do
  client = server.accept
rescue Errno::EMFILE, Errno::ENFILE # no file descriptor left: wait until a client leaves
  sleep 0.1
else
  # A thread per connection: a slow client holds up only its own thread (waiting frees the GVL).
  Thread.new(client) do |conn|
    serve(conn)
  rescue IOError, SystemCallError
    nil # the client went away before the answer was written
  ensure
    conn.close
  end
end
# --8<-- [end:health_ruby_main]
