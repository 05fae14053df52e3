// GET /health -> {"status":"ok"} with Go's net/http.
// Run: PORT=8080 go run .
// --8<-- [start:health_go]
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"time"
)

func writeJSON(w http.ResponseWriter, status int, body map[string]string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body) // an error here means the client has gone
}

// One handler for every path, like the other five servers. (http.ServeMux would answer
// //health and /./health with a redirect to /health before any handler sees them.)
func health(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path != "/health": // r.URL.Path has no ?query
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not found"})
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		w.Header().Set("Allow", "GET, HEAD")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"})
	default: // for HEAD, net/http sends the headers and drops the body
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	}
}

// --8<-- [end:health_go]
// --8<-- [start:health_go_main]
func main() {
	port, set := os.LookupEnv("PORT")
	if !set {
		port = "8080"
	}
	// Digits only: strconv.Atoi alone would also take "+8080".
	n, err := strconv.Atoi(port)
	if !regexp.MustCompile(`^[0-9]{1,5}$`).MatchString(port) || err != nil || n < 1 || n > 65535 {
		fmt.Fprintf(os.Stderr,
			"PORT=%s is not a port number — fix: use a number from 1 to 65535\n", port)
		os.Exit(2)
	}
	server := &http.Server{
		Addr:    "127.0.0.1:" + port,
		Handler: http.HandlerFunc(health), // one goroutine per connection
		// http.Server sets no timeouts by itself. ReadTimeout: a client must send its whole
		// request, headers and body, within 10 s (ReadHeaderTimeout, left at zero, takes this
		// value too). Without it, net/http reads an unread body of up to 256 KiB after the
		// handler returns, with no deadline at all. IdleTimeout: a kept-alive connection with
		// no new request is closed after 10 s.
		ReadTimeout: 10 * time.Second,
		IdleTimeout: 10 * time.Second,
	}
	listener, err := net.Listen("tcp", server.Addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "cannot listen on %s (%v) — fix: use another PORT\n", server.Addr, err)
		os.Exit(1)
	}
	fmt.Printf("listening on http://%s\n", server.Addr)
	log.Fatal(server.Serve(listener))
}

// --8<-- [end:health_go_main]
