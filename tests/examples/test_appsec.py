"""Application security samples: security events in the log (named, leveled, no secrets,
no forged lines) and the dependency audit workflow's shape."""

import json
import logging
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from appsec.security_events import _clean, security_event
from bookstore.observability.logging import JsonFormatter

APPSEC = Path(__file__).resolve().parents[2] / "examples" / "appsec"
WORKFLOW = APPSEC / "dependency-audit.yml"
WIB = timezone(timedelta(hours=7))


# --8<-- [start:security_events_test]
def test_security_events_are_named_leveled_and_safe(caplog):
    log = logging.getLogger("bookstore.security")
    with caplog.at_level(logging.INFO, logger="bookstore.security"):
        security_event(
            log,
            "authz_fail",
            12,  # a user ID, not an e-mail address: details are written as given
            "file:cover.png\nauthn_login_success:admin",  # a name with a forged second line
            source_ip="203.0.113.9",
            pwd="hunter2 hunter2",  # passed by mistake: not a chosen field, never written
        )
    record = caplog.records[-1]
    line = json.loads(JsonFormatter().format(record))  # what the log system receives

    assert record.levelno == logging.CRITICAL
    assert line["event"] == "authz_fail:12,file:cover.png\\nauthn_login_success:admin"
    assert line["fields"] == {"source_ip": "203.0.113.9", "pwd": "[REDACTED]"}
    assert "hunter2" not in caplog.text


def test_unknown_event_names_are_refused():
    with pytest.raises(ValueError):
        security_event(logging.getLogger("x"), "login_failed_maybe")


# --8<-- [end:security_events_test]


def test_only_fields_chosen_on_purpose_are_written(caplog):
    secrets = ["new_password", "session_token", "Client_Secret", "set_cookie", "session_id"]
    secrets += ["pw", "pwd", "passphrase", "credential", "jwt", "bearer", "otp", "pin"]
    secrets += ["private_key", "access_key", "auth", "sid", "csrf"]
    with caplog.at_level(logging.INFO, logger="bookstore.security"):
        security_event(
            logging.getLogger("bookstore.security"),
            "authn_login_fail",
            user_id=12,
            **{name: "leaked-value" for name in secrets},
        )
    fields = caplog.records[-1].fields
    assert fields.pop("user_id") == "12"
    assert fields == dict.fromkeys(secrets, "[REDACTED]")
    assert "leaked-value" not in caplog.text


@pytest.mark.parametrize(
    "name", ["filename", "module", "levelname", "msg", "args", "exc_info", "request_id", "level"]
)
def test_a_field_never_clashes_with_the_log_record(caplog, name):
    # Passed straight to extra=, "filename" raised KeyError ("Attempt to overwrite
    # 'filename' in LogRecord"), a 500 in a route; "request_id" replaced the real one.
    with caplog.at_level(logging.INFO, logger="bookstore.security"):
        security_event(
            logging.getLogger("bookstore.security"), "input_validation_fail", **{name: "x.svg"}
        )
    line = json.loads(JsonFormatter().format(caplog.records[-1]))
    assert name in line["fields"]
    assert line["level"] == "WARNING" and line["request_id"] == "-"  # the record's own


def test_a_long_value_is_cut_before_it_is_escaped():
    # Cut after escaping, "a" * 198 + ESC ended in a half escape: "...aa\\x".
    assert _clean("a" * 199 + "\x1b" + "b") == "a" * 199 + "\\x1b…"
    assert _clean("a" * 200) == "a" * 200  # short enough: untouched


def test_every_kind_of_line_break_and_escape_is_made_visible():
    sneaky = "ana\u2028authz_fail:admin\x85x\rx\x1b[31mred\u202eesrever"
    record = []
    handler = logging.Handler()
    handler.emit = record.append
    log = logging.getLogger("bookstore.security.visible")
    log.addHandler(handler)
    try:
        security_event(log, "authn_login_fail", sneaky)
    finally:
        log.removeHandler(handler)
    event = record[0].event
    assert event == (
        "authn_login_fail:ana\\u2028authz_fail:admin\\x85x\\rx\\x1b[31mred\\u202eesrever"
    )
    assert len(event.splitlines()) == 1 and event.isprintable()


def test_access_failures_are_critical(caplog):
    with caplog.at_level(logging.INFO):
        security_event(logging.getLogger("bookstore.security"), "authz_fail", 12, "order:7")
    assert caplog.records[-1].levelno == logging.CRITICAL
    assert caplog.records[-1].event == "authz_fail:12,order:7"


def test_the_dependency_audit_runs_on_pull_requests_and_weekly():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert {"pull_request", "schedule"} <= set(triggers)
    assert workflow["permissions"] == {"contents": "read"}
    commands = [
        step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step
    ]
    assert any(c.startswith("pip-audit --strict") for c in commands)
    assert "npm audit --audit-level=high" in commands


def test_every_action_is_pinned_to_a_commit():
    # A tag (v6) can be moved to other code by whoever controls the action's repository;
    # a full commit SHA cannot. The comment keeps the version readable for Dependabot.
    text = WORKFLOW.read_text(encoding="utf-8")
    uses = re.findall(r"uses: (\S+)(.*)", text)
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r"  # v\d+\.\d+\.\d+", comment), comment
    workflow = yaml.safe_load(text)
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


MONTHS = {
    "id": "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember",  # codespell:ignore
    "en": "January February March April May June July August September October November December",
}
DAYS = {
    "id": "Senin Selasa Rabu Kamis Jumat Sabtu Minggu",
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
}
WHEN = {  # "Senin, 23 November 2026, 09.40 WIB" and "Monday, November 23, 2026, 9:40 a.m. WIB"
    "id": r"(?P<day>\w+), (?P<d>\d+) (?P<month>\w+) (?P<y>\d{4}), (?P<h>\d\d)\.(?P<m>\d\d) WIB",
    "en": r"(?P<day>\w+), (?P<month>\w+) (?P<d>\d+), (?P<y>\d{4}), (?P<h>\d+):(?P<m>\d\d) "
    r"(?P<ap>[ap])\.m\. WIB",
}


def times(lang: str, text: str) -> list[datetime]:
    found = []
    for m in re.finditer(WHEN[lang], " ".join(text.split())):
        hour = int(m["h"])  # 24-hour clock in Indonesian, a.m./p.m. in English
        if lang == "en":
            hour = hour % 12 + (12 if m["ap"] == "p" else 0)
        month = MONTHS[lang].split().index(m["month"]) + 1
        when = datetime(int(m["y"]), month, int(m["d"]), hour, int(m["m"]), tzinfo=WIB)
        assert DAYS[lang].split()[when.weekday()] == m["day"], m[0]  # the weekday is right
        found.append(when)
    return found


def test_the_breach_notice_says_what_article_46_asks_within_3_x_24_hours():
    notice = {
        lang: (APPSEC / "notice" / lang / "breach-notice.txt").read_text(encoding="utf-8")
        for lang in DAYS
    }
    # Article 46(2): at least the data exposed, when and how, and the handling and recovery.
    for heading in (
        "1. Data pribadi yang terungkap",
        "2. Kapan dan bagaimana data itu",
        "3. Upaya penanganan dan pemulihan",
    ):
        assert heading in notice["id"]
    for heading in (
        "1. The personal data that was exposed",
        "2. When and how the data",
        "3. What we have done to handle it and recover",
    ):
        assert heading in notice["en"]
    sent, exposed, found = times("id", notice["id"])
    assert times("en", notice["en"]) == [sent, exposed, found]  # both languages, same facts
    assert exposed < found < sent <= found + timedelta(hours=3 * 24)
    assert "lembaga penyelenggara pelindungan data" in " ".join(notice["id"].split())
