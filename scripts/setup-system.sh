#!/usr/bin/env bash
# Installs the Debian packages the test suite uses, when we are root and they are missing.
# Without root it only says what is missing: the tests that need them skip with a message.
set -euo pipefail
# command -> Debian package
declare -A want=(
  [chromium]=chromium          # browser tests (driven by Python Playwright)
  [php]=php-cli                # /health example in PHP
  [ruby]=ruby                  # /health example in Ruby
  [go]=golang-go               # /health example in Go
  [java]=default-jdk-headless  # /health example in Java
  [shellcheck]=shellcheck      # shell code-sample check
  [hunspell]=hunspell          # spelling
  [nginx]=nginx                # nginx -t and the zero-downtime release test
  [node]=nodejs                # JavaScript checks and npm tools
  [npm]=npm                    # make test runs npm ci; Debian's nodejs only suggests npm
  [redis-server]=redis-server  # background-job tests (examples/bookstore/jobs)
  [memcached]=memcached        # the Memcached twin of the shared cache (examples/shared_cache)
  [curl]=curl                  # shared_cache/edge_demo.py records output/edge.txt with curl
  [fc-match]=fontconfig        # the PDF books: WeasyPrint finds the fonts through fontconfig
)
missing=()
for cmd in "${!want[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${want[$cmd]}")
done
[ -f /usr/share/hunspell/id_ID.dic ] || missing+=(hunspell-id)
# The PDF books (make books): Pango lays out WeasyPrint's text; the DejaVu fonts its stylesheet
# names are embedded in the PDFs (every Indonesian letter, a monospace face for code, and the
# italics of -extra for the foreign terms Indonesian prose sets in italics). EPUBCheck runs on
# the Java above.
compgen -G "/usr/lib/*/libpangoft2-1.0.so.0" >/dev/null || missing+=(libpangoft2-1.0-0)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || missing+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf ] || missing+=(fonts-dejavu-extra)
# RabbitMQ tests (examples/messaging): the tests run the broker script itself (Debian's
# /usr/sbin wrapper switches to the rabbitmq user), and epmd comes with it.
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
# PostgreSQL keeps initdb off PATH (/usr/lib/postgresql/<version>/bin): the database tests find it.
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
# sshd -t checks the hardened sshd_config (examples/hardening); sshd lives in /usr/sbin.
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
# sshd -t run as root also needs sshd's privilege separation directory, which systemd makes only
# when ssh.service starts (a CI container has no systemd): make it, as Debian's tmpfiles entry would.
privsep_dir() {
  if [ "$(id -u)" = 0 ] && [ -x /usr/sbin/sshd ] && [ ! -d /run/sshd ]; then
    install -d -m 0755 /run/sshd
  fi
}
[ ${#missing[@]} -eq 0 ] && { privsep_dir; exit 0; }
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  privsep_dir
else
  echo "Not root (or no apt-get): tests that need these will skip. Install: ${missing[*]}" >&2
fi
