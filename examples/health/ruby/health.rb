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

def now = Process.clock_gettime(Process::CLOCK_MONOTONIC)

# The request line and headers; nil if the client is too slow, :too_big past HEAD_LIMIT.
def read_head(client)
  head = +""
  give_up = now + DEADLINE
  until head.match?(/\r?\n\r?\n/) # an empty line ends the headers; a bare LF counts too
    return :too_big if head.bytesize > HEAD_LIMIT
    return nil unless (left = give_up - now).positive? && client.wait_readable(left)

    head << client.readpartial(HEAD_LIMIT + 1 - head.bytesize) # never past the limit + 1 byte
    head.sub!(/\A(\r?\n)+/, "") # empty lines before the request line (RFC 9112, 2.2)
  end
  head
end

# --8<-- [end:health_ruby]
# --8<-- [start:health_ruby_answer]
# METHOD SP target SP HTTP/x.y, or nil: anything else is not an HTTP/1.x request line.
REQUEST_LINE = %r{\A(\S+) (\S+) HTTP/([0-9]\.[0-9])\r?\n}

def path_of(target) # "/health?probe=1" and the absolute form "http://host/health" -> "/health"
  URI.parse(target.to_s).path
rescue URI::Error # not a URI at all
  nil
end

# RFC 9112, 3.2: an HTTP/1.1 request needs exactly one Host header line.
def host_ok?(head, version)
  version != "1.1" || head.lines.drop(1).count { |line| line.match?(/\Ahost:/i) } == 1
end

def answer(head) # [status line, JSON body, extra header lines]
  too_big = ["431 Request Header Fields Too Large", { error: "headers too large" }, ""]
  return too_big if head == :too_big

  _, method, target, version = head.match(REQUEST_LINE).to_a # all nil: not HTTP
  return ["400 Bad Request", { error: "bad request" }, ""] unless method && host_ok?(head, version)
  return ["404 Not Found", { error: "not found" }, ""] unless path_of(target) == "/health"
  return ["200 OK", { status: "ok" }, ""] if %w[GET HEAD].include?(method)

  ["405 Method Not Allowed", { error: "method not allowed" }, "Allow: GET, HEAD\r\n"]
end

# --8<-- [end:health_ruby_answer]
# --8<-- [start:health_ruby_serve]
def serve(client)
  head = read_head(client) or return # too slow: close without an answer, like the other servers
  status, payload, extra = answer(head)
  body = JSON.generate(payload) # sent after the headers, except in answer to HEAD
  client.write("HTTP/1.1 #{status}\r\n#{extra}" \
               "Content-Type: application/json\r\n" \
               "Content-Length: #{body.bytesize}\r\n" \
               "Connection: close\r\n\r\n#{body unless head.to_s.start_with?('HEAD ')}")
  drain(client)
end

# Closing a socket with unread bytes in it makes the kernel send a reset, which can destroy the
# answer before the client reads it (a 431 always leaves bytes unread). So: end our side, then
# read and drop what the client still sends, for 2 seconds at most.
def drain(client)
  client.close_write
  give_up = now + 2
  client.readpartial(65_536) while (left = give_up - now).positive? && client.wait_readable(left)
rescue EOFError # the client has closed its side too
  nil
end

# --8<-- [end:health_ruby_serve]
# --8<-- [start:health_ruby_main]
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
