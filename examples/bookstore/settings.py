"""Configuration read from environment variables, validated once at start-up."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


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
