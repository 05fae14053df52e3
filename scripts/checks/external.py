"""External link check, only on request (`check.py links --external`): do the other sites the
pages link to still answer?

What this adds that no library does here: lychee can check external links too, but it reports
HTML files and knows nothing of our Markdown; this module takes the links the link check already
found (with their Markdown file and line) and checks each distinct URL once, with the standard
library only:
  * concurrent (a thread pool), with a timeout per request and retries with backoff after a
    timeout, a 5xx or a 429 (Retry-After honoured up to a limit);
  * rate-limited per host: requests to one host start at least --per-host-interval apart;
  * HEAD first, GET when a server refuses HEAD;
  * a cache file (default .cache/external-links.json, git-ignored) with an expiry: a link that
    worked is not asked again for --cache-days days; broken links are always asked again;
  * without network it says so and skips: a missing network never fails the offline test run.
    "No network" means none of the first three hosts accepts a TCP connection.
Only 404/410 and unknown hosts are errors; 401/403/429/5xx/timeouts after the retries are
warnings (sites refuse robots, or are down for a moment), printed but not failing the run.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from urllib.parse import urlsplit

from . import ERROR, WARNING, Finding

CHECK = "external"
USER_AGENT = "panduan-backend-link-check/1.0 (+https://github.com/panduan-backend/panduan-backend)"
BROKEN = {404, 410}
RETRY = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 30.0


class HostLimiter:
    """Requests to one host start at least `interval` seconds apart."""

    def __init__(self, interval: float, clock=time.monotonic, sleep=time.sleep):
        self.interval = interval
        self.clock, self.sleep = clock, sleep  # a test passes a fake clock: no waiting
        self.lock = threading.Lock()
        self.next_start: dict[str, float] = {}

    def wait(self, host: str) -> None:
        with self.lock:
            now = self.clock()
            start = max(now, self.next_start.get(host, now))
            self.next_start[host] = start + self.interval
        if start > now:
            self.sleep(start - now)


def network_available(urls: list[str], timeout: float) -> bool:
    """Can we open a TCP connection to any of the first three hosts?"""
    hosts = []
    for url in urls:
        parts = urlsplit(url)
        address = (parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
        if parts.hostname and address not in hosts:
            hosts.append(address)
        if len(hosts) == 3:
            break

    def connect(address: tuple[str, int]) -> bool:
        try:
            socket.create_connection(address, timeout=timeout).close()
            return True
        except OSError:
            return False

    with ThreadPoolExecutor(max_workers=max(len(hosts), 1)) as pool:
        return any(pool.map(connect, hosts))


def check_url(url: str, limiter: HostLimiter, timeout: float, retries: int) -> dict:
    """{"ok": bool, "status": int | None, "error": str, "level": error/warning}."""
    host = urlsplit(url).hostname or ""
    method = "HEAD"
    attempt = 0
    while True:
        limiter.wait(host)
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return {"ok": True, "status": response.status, "error": ""}
        except urllib.error.HTTPError as error:
            status = error.code
            if method == "HEAD" and status in (400, 403, 405, 501):
                method = "GET"  # some servers refuse HEAD
                continue
            if status in RETRY and attempt < retries:
                attempt += 1
                delay = _retry_after(error) or 2.0 ** attempt
                time.sleep(min(delay, MAX_RETRY_AFTER))
                continue
            level = ERROR if status in BROKEN else WARNING
            return {"ok": False, "status": status, "error": f"HTTP {status}", "level": level}
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, socket.gaierror):
                return {"ok": False, "status": None, "error": "host not found", "level": ERROR}
            if attempt < retries:
                attempt += 1
                time.sleep(min(2.0 ** attempt, MAX_RETRY_AFTER))
                continue
            return {"ok": False, "status": None, "error": f"no answer ({reason})",
                    "level": WARNING}


def _retry_after(error: urllib.error.HTTPError) -> float | None:
    value = (error.headers or {}).get("Retry-After", "")
    return float(value) if value.strip().isdigit() else None


def load_cache(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data.get("results", {}) if data.get("version") == 1 else {}
    except (OSError, ValueError):
        return {}


def save_cache(path: Path, results: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"version": 1, "results": results}, indent=1,
                                    sort_keys=True), encoding="utf-8")
    temporary.replace(path)


def run(links: list[tuple[str, str, bool]], locate, options: dict) -> tuple[list[Finding], list]:
    """Check the distinct URLs of `links` ((page, url, in content)); findings and notes."""
    urls = sorted({url.split("#", 1)[0] for _, url, _ in links})
    if not urls:
        return [], ["no external links"]
    timeout = float(options.get("timeout", 10.0))
    retries = int(options.get("retries", 2))
    cache_path = Path(options.get("cache") or ".cache/external-links.json")
    max_age = float(options.get("cache_days", 7.0)) * 86400
    cache = load_cache(cache_path)
    now = time.time()
    fresh = {url for url in urls if cache.get(url, {}).get("ok")
             and now - cache[url].get("checked", 0) < max_age}
    todo = [url for url in urls if url not in fresh]
    if todo and not network_available(todo, min(timeout, 5.0)):
        note = f"no network: {len(todo)} external links not checked " \
               f"({len(fresh)} known good from the cache)"
        return [], [note]
    limiter = HostLimiter(float(options.get("per_host_interval", 1.0)))
    results = {url: cache[url] for url in fresh}
    with ThreadPoolExecutor(max_workers=int(options.get("concurrency", 8))) as pool:
        futures = {pool.submit(check_url, url, limiter, timeout, retries): url for url in todo}
        for future in as_completed(futures):
            results[futures[future]] = {**future.result(), "checked": time.time()}
    save_cache(cache_path, {**cache, **results})

    findings: set[Finding] = set()
    for page, url, in_content in links:
        result = results.get(url.split("#", 1)[0])
        if not result or result.get("ok"):
            continue
        path, line = locate(page, url, in_content)
        level = result.get("level", ERROR)
        fix = ("update or remove the link (look for a new address or an archived copy)"
               if level == ERROR else "open it in a browser; if it works, the site refuses "
               "robots and the link can stay")
        findings.add(Finding(path, line, CHECK, f"{url}: {result['error']}", fix, level))
    broken = sum(1 for url in urls if not results.get(url, {}).get("ok"))
    note = f"{len(urls)} external links: {len(todo)} checked, {len(fresh)} from the cache, " \
           f"{broken} not working"
    return sorted(findings), [note]
