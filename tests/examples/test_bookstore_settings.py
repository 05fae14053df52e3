"""Configuration from environment variables: defaults, conversion, validation."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bookstore.settings import load_settings, settings_or_exit
from pydantic import ValidationError


# --8<-- [start:settings_tests]
def test_defaults_are_safe_for_local_development():
    settings = load_settings({})
    assert settings.host == "127.0.0.1"  # not 0.0.0.0: nothing outside this machine
    assert settings.port == 8001
    assert settings.cookie_secure is True
    assert len(settings.secret_key) >= 32  # random per process in development


def test_values_come_from_bookstore_variables():
    settings = load_settings({"BOOKSTORE_PORT": "9000", "BOOKSTORE_LOG_LEVEL": "DEBUG"})
    assert settings.port == 9000  # converted from text to int
    assert settings.log_level == "DEBUG"


@pytest.mark.parametrize(
    "environ",
    [
        {"BOOKSTORE_PORT": "70000"},  # out of range
        {"BOOKSTORE_PORT": "eighty"},  # not a number
        {"BOOKSTORE_LOG_LEVEL": "LOUD"},  # not an allowed value
        {"BOOKSTORE_ENVIRONMENT": "production"},  # production without secrets
    ],
)
def test_invalid_configuration_stops_the_start(environ):
    with pytest.raises(ValidationError):
        load_settings(environ)


# --8<-- [end:settings_tests]


def test_production_accepts_long_secrets_and_keeps_them():
    secrets = {"BOOKSTORE_SECRET_KEY": "s" * 40, "BOOKSTORE_WEBHOOK_SECRET": "w" * 40}
    settings = load_settings({"BOOKSTORE_ENVIRONMENT": "production", **secrets})
    assert settings.secret_key == "s" * 40


def test_unrelated_variables_are_ignored():
    assert load_settings({"PATH": "/bin", "BOOKSTORE_REDIS_URL": "redis://r"}).port == 8001


def test_a_misspelled_setting_stops_the_start_instead_of_being_ignored():
    # Ignored, BOOKSTORE_TRUSTED_PROXY would leave the proxy list empty: every client behind
    # nginx would be 127.0.0.1, and the sign-up limit would count the whole site as one.
    run = start_service(BOOKSTORE_TRUSTED_PROXY="127.0.0.1", BOOKSTORE_PORTT="9000")
    assert run.returncode == 78
    fix = " — fix: set a valid value (values are never printed: some are secrets)"
    assert run.stderr.splitlines() == [
        "bookstore: BOOKSTORE_PORTT is not a bookstore setting (misspelled BOOKSTORE_PORT?)" + fix,
        "bookstore: BOOKSTORE_TRUSTED_PROXY is not a bookstore setting"
        + " (misspelled BOOKSTORE_TRUSTED_PROXIES?)"
        + fix,
    ]
    with pytest.raises(ValidationError, match="BOOKSTORE_NOPE is not a bookstore setting"):
        load_settings({"BOOKSTORE_NOPE": "s3cr3t"})


def test_settings_cannot_be_changed_after_start():
    settings = load_settings({})
    with pytest.raises(ValidationError):
        settings.port = 1


@pytest.mark.parametrize("proxies", ["127.0.0.1", "10.0.0.0/8, ::1", ""])
def test_trusted_proxies_are_ip_addresses_or_networks(proxies):
    assert load_settings({"BOOKSTORE_TRUSTED_PROXIES": proxies}).trusted_proxies == proxies


@pytest.mark.parametrize("proxies", ["*", "proxy.local", "10.0.0.1/8"])
def test_anything_else_as_a_trusted_proxy_stops_the_start(proxies):
    with pytest.raises(ValidationError, match="is not an IP address or network"):
        load_settings({"BOOKSTORE_TRUSTED_PROXIES": proxies})


# --8<-- [start:settings_error_tests]
RECORDED = Path(__file__).parents[2] / "examples" / "appsec" / "output" / "bad-settings.txt"


def start_service(**variables: str) -> subprocess.CompletedProcess:
    """Run `python -m bookstore` from examples/ with only these BOOKSTORE_* variables."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BOOKSTORE_")}
    return subprocess.run(
        [sys.executable, "-m", "bookstore"],
        check=False,  # the exit status is what the tests check
        cwd=RECORDED.parents[2],
        env={**environ, **variables},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_bad_setting_stops_the_service_without_printing_secrets():
    secret = "hunter2-hunter2"  # too short for production
    run = start_service(BOOKSTORE_ENVIRONMENT="production", BOOKSTORE_SECRET_KEY=secret)
    assert run.returncode == 78  # EX_CONFIG: systemd can tell it from a crash
    assert "Traceback" not in run.stderr and "hunter" not in run.stderr + run.stdout
    # Exactly what the page shows: one line per problem, naming the variables.
    assert run.stderr.splitlines() == [RECORDED.read_text(encoding="utf-8").splitlines()[1]]


def test_no_error_or_repr_shows_a_value():
    secret = "s3cr3t-value-" + "x" * 10
    with pytest.raises(ValidationError) as refused:
        load_settings({"BOOKSTORE_ENVIRONMENT": "production", "BOOKSTORE_SECRET_KEY": secret})
    assert "s3cr3t" not in str(refused.value)  # hide_input_in_errors
    settings = load_settings({"BOOKSTORE_SECRET_KEY": secret})
    assert "s3cr3t" not in repr(settings) + str(settings)  # repr=False on the secrets


# --8<-- [end:settings_error_tests]


def test_every_bad_setting_gets_its_own_line():
    run = start_service(BOOKSTORE_PORT="eighty", BOOKSTORE_TRUSTED_PROXIES="10.0.0.1,proxy.x")
    assert run.returncode == 78
    lines = run.stderr.splitlines()
    assert [line.split(":")[1].strip() for line in lines] == [
        "BOOKSTORE_PORT",
        "BOOKSTORE_TRUSTED_PROXIES",
    ]
    assert "proxy.x" not in run.stderr and "eighty" not in run.stderr


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("https://Bookstore.Example", "https://bookstore.example"),
        ("https://bookstore.example:443", "https://bookstore.example"),
        ("http://127.0.0.1:80", "http://127.0.0.1"),
        ("http://127.0.0.1:8001", "http://127.0.0.1:8001"),
        ("https://[::1]:8443", "https://[::1]:8443"),
        ("https://[0:0::1]", "https://[::1]"),  # browsers write IPv6 compressed
        ("", ""),
    ],
)
def test_the_public_url_is_stored_as_a_browser_writes_origin(written, stored):
    # A browser sends Origin in lower case and without the default port; a public_url
    # written otherwise would refuse every form post.
    assert load_settings({"BOOKSTORE_PUBLIC_URL": written}).public_url == stored


@pytest.mark.parametrize(
    "url",
    ["https://x:99999", "https://:443", "ftp://x", "https://x/", "https://x:0", "https://x..y"]
    # urlsplit() kept these as "https://[::1]" and "https://v1.x", dropping what followed:
    + ["https://[::1]junk", "https://[v1.x]", "https://-x"],
)
def test_a_public_url_that_is_not_an_origin_stops_the_start(url):
    with pytest.raises(ValidationError):
        load_settings({"BOOKSTORE_PUBLIC_URL": url})


@pytest.mark.parametrize(
    "url", ["https://[s3kr1t-value-123]", "https://[::1:s3kr1t]", "https://x:s3kr1t"]
)
def test_a_refused_public_url_is_not_printed(url, capsys):
    # urlsplit() raised "'s3kr1t-value-123' does not appear to be an IPv4 or IPv6
    # address", and settings_or_exit printed that message to the journal.
    with pytest.raises(SystemExit) as stopped:
        settings_or_exit({"BOOKSTORE_PUBLIC_URL": url})
    assert stopped.value.code == 78
    stderr = capsys.readouterr().err
    assert stderr.startswith("bookstore: BOOKSTORE_PUBLIC_URL: ")
    assert "s3kr1t" not in stderr
