"""Configuration read from environment variables, validated once at start-up."""

from __future__ import annotations

import difflib
import ipaddress
import os
import re
import secrets
import sys
from collections.abc import Mapping
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError


# --8<-- [start:settings]
class Settings(BaseModel):
    """Every setting has a safe default for local development and is validated."""

    # hide_input_in_errors: a validation error never quotes the values it was given,
    # because some of them are secrets and errors end up in logs.
    model_config = ConfigDict(frozen=True, hide_input_in_errors=True)

    environment: Literal["development", "production"] = "development"
    host: str = "127.0.0.1"  # loopback only; a reverse proxy faces the internet
    port: int = Field(default=8001, ge=1, le=65535)
    database: str = "bookstore.db"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    cache_ttl_seconds: float = Field(default=30.0, gt=0)
    cookie_secure: bool = True  # cookies only over HTTPS; false for plain-HTTP local runs
    seed_demo_data: bool = True
    payment_api_url: str = "http://127.0.0.1:9900"
    # Secrets have no default in production: an empty value stops the service.
    # repr=False: printing or logging the settings object never shows them.
    secret_key: str = Field(default="", repr=False)
    webhook_secret: str = Field(default="", repr=False)

    @model_validator(mode="after")
    def secrets_in_production(self) -> Settings:
        if self.environment == "production":
            short = [
                f"BOOKSTORE_{name.upper()}"
                for name in ("secret_key", "webhook_secret")
                if len(getattr(self, name)) < 32
            ]
            if short:
                verb = "needs" if len(short) == 1 else "need"
                raise ValueError(f"{' and '.join(short)} {verb} 32+ characters in production")
        return self

    # --8<-- [end:settings]

    # --8<-- [start:edge_settings]
    # The address clients use, e.g. https://bookstore.example: links are built from it,
    # never from the Host header, and it is the only Origin allowed to change data.
    public_url: str = Field(default="", pattern=r"^(https?://[A-Za-z0-9.:\[\]-]+)?$")
    # Proxies whose X-Forwarded-For is believed: IP addresses or networks, comma-separated.
    # Empty (the default) believes nobody, so a client cannot pick the address that the
    # login and sign-up limits count.
    trusted_proxies: str = ""
    password_hash_concurrency: int = Field(default=2, ge=1, le=64)  # Argon2id: 64 MiB each
    max_body_bytes: int = Field(default=64 * 1024, ge=1024, le=10 * 1024 * 1024)

    @field_validator("public_url")
    @classmethod
    def as_browsers_write_it(cls, value: str) -> str:
        return _as_origin(value) if value else value  # lower case, no default port

    @field_validator("trusted_proxies")
    @classmethod
    def ip_networks_only(cls, value: str) -> str:
        for number, item in enumerate(_items(value), start=1):
            try:
                ipaddress.ip_network(item)  # "10.0.0.5" or "10.0.0.0/24"
            except ValueError:  # say which item, not what it holds
                raise ValueError(f"item {number} is not an IP address or network") from None
        return value

    @property
    def proxies(self) -> list[str]:
        return _items(self.trusted_proxies)

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"

    # --8<-- [end:edge_settings]


def _items(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


# scheme://host[:port]; the host is a DNS name or IPv4 address, or an IPv6 address in brackets.
_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"  # no empty label, no hyphen at either end
_ORIGIN = re.compile(rf"(https?)://(\[[0-9a-f:.]+\]|{_LABEL}(?:\.{_LABEL})*)(?::([0-9]{{1,5}}))?")


def _as_origin(url_text: str) -> str:
    """The origin as a browser's Origin header writes it: lower case, no default port.
    "https://Bookstore.example:443" would never match "https://bookstore.example", and
    every form would be refused. A regular expression rather than urlsplit(): urlsplit
    keeps "https://[::1]junk" as "[::1]", and its errors quote the text they refused,
    which settings_or_exit would then print."""
    match = _ORIGIN.fullmatch(url_text.lower())
    if match is None:
        raise ValueError("needs the form https://host[:port], as in https://bookstore.example")
    scheme, host, port = match[1], match[2], int(match[3]) if match[3] else None
    if host.startswith("["):  # browsers write IPv6 compressed: [0:0::1] is [::1]
        try:
            host = f"[{ipaddress.IPv6Address(host[1:-1]).compressed}]"
        except ValueError:  # its message quotes the text too
            raise ValueError("needs an IPv6 address inside the brackets, as in [::1]") from None
    if port is not None and not 1 <= port <= 65535:
        raise ValueError("needs a port from 1 to 65535, if any")
    default = {"http": 80, "https": 443}[scheme]
    return f"{scheme}://{host}" + (f":{port}" if port not in (None, default) else "")


# --8<-- [start:load_settings]
def load_settings(environ: Mapping[str, str] = os.environ) -> Settings:
    """Build Settings from BOOKSTORE_* variables; pydantic converts and checks types."""
    prefix = "BOOKSTORE_"
    _refuse_unknown_names(environ)  # a misspelled name must not leave its default in place
    values = {
        name.removeprefix(prefix).lower(): value
        for name, value in environ.items()
        if name.startswith(prefix) and name.removeprefix(prefix).lower() in Settings.model_fields
    }
    settings = Settings(**values)
    if settings.environment == "development":
        # Development only: random secrets per process, so nothing secret is in the code.
        settings = settings.model_copy(
            update={
                "secret_key": settings.secret_key or secrets.token_urlsafe(32),
                "webhook_secret": settings.webhook_secret or secrets.token_urlsafe(32),
            }
        )
    return settings


# --8<-- [end:load_settings]


def _refuse_unknown_names(environ: Mapping[str, str]) -> None:
    """A misspelled BOOKSTORE_* name would be ignored without a word, and its setting would
    keep the default: with BOOKSTORE_TRUSTED_PROXY for ..._PROXIES, every client behind nginx
    counts as 127.0.0.1 for the sign-up limit. Refuse it, naming it but never its value."""
    other_programs = {"BOOKSTORE_REDIS_URL"}  # python -m bookstore.jobs reads it (same .env)
    known = {f"BOOKSTORE_{name.upper()}" for name in Settings.model_fields} | other_programs
    unknown = sorted(n for n in environ if n.startswith("BOOKSTORE_") and n not in known)
    errors = []
    for name in unknown:
        suffixes = sorted(k.removeprefix("BOOKSTORE_") for k in known)
        close = difflib.get_close_matches(name.removeprefix("BOOKSTORE_"), suffixes, 1, 0.8)
        hint = f" (misspelled BOOKSTORE_{close[0]}?)" if close else ""
        error = PydanticCustomError("unknown_setting", f"{name} is not a bookstore setting{hint}")
        errors.append(InitErrorDetails(type=error, loc=(), input=None))
    if errors:  # a ValidationError like any other bad setting: settings_or_exit prints it
        raise ValidationError.from_exception_data("Settings", errors, hide_input=True)


# --8<-- [start:settings_or_exit]
def settings_or_exit(environ: Mapping[str, str] = os.environ) -> Settings:
    """load_settings() for `python -m bookstore`: a bad setting stops the service with one
    line per problem on stderr (the journal), naming the variable but never its value,
    because the value may be a secret. No traceback: it would add nothing but noise."""
    try:
        return load_settings(environ)
    except ValidationError as exc:
        for error in exc.errors(include_input=False, include_url=False):
            print(f"bookstore: {_describe(error)}", file=sys.stderr)
        raise SystemExit(os.EX_CONFIG) from None  # 78: "configuration error" (sysexits.h)


def _describe(error) -> str:
    if error["type"] == "value_error":  # raised by our validators
        message = str(error["ctx"]["error"])
    else:
        message = error["msg"]  # pydantic's text, e.g. "Input should be a valid integer"
    if error["loc"]:  # a field: name its variable (a whole-model rule names it itself)
        message = f"BOOKSTORE_{str(error['loc'][0]).upper()}: {message[0].lower()}{message[1:]}"
    return f"{message} — fix: set a valid value (values are never printed: some are secrets)"


# --8<-- [end:settings_or_exit]
