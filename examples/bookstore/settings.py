"""Configuration read from environment variables, validated once at start-up."""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


# --8<-- [start:settings]
class Settings(BaseModel):
    """Every setting has a safe default for local development and is validated."""

    model_config = ConfigDict(frozen=True)

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
    secret_key: str = ""
    webhook_secret: str = ""

    @model_validator(mode="after")
    def secrets_in_production(self) -> Settings:
        if self.environment == "production":
            for name in ("secret_key", "webhook_secret"):
                if len(getattr(self, name)) < 32:
                    raise ValueError(f"BOOKSTORE_{name.upper()} needs at least 32 characters")
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

    @field_validator("trusted_proxies")
    @classmethod
    def ip_networks_only(cls, value: str) -> str:
        for item in _items(value):
            try:
                ipaddress.ip_network(item)  # "10.0.0.5" or "10.0.0.0/24"
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or network") from None
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


# --8<-- [start:load_settings]
def load_settings(environ: Mapping[str, str] = os.environ) -> Settings:
    """Build Settings from BOOKSTORE_* variables; pydantic converts and checks types."""
    prefix = "BOOKSTORE_"
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
