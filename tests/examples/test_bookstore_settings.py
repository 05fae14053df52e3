"""Configuration from environment variables: defaults, conversion, validation."""

import pytest
from bookstore.settings import load_settings
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
    assert load_settings({"BOOKSTORE_NOPE": "1", "PATH": "/bin"}).port == 8001


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
