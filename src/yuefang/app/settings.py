"""One typed ``Settings`` for the platform, read from ``YUEFANG_*`` environment variables.

``YUEFANG_DATABASE_URL`` selects the database: the embedded default is a SQLite file under
``./var/`` (WAL journal); ``postgresql+psycopg://user@host:5432/db`` moves to PostgreSQL.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings", "DEFAULT_SECRET_KEY"]

DEFAULT_SECRET_KEY = "dev-secret-change-me"


class Settings(BaseSettings):
    """Platform settings; every field can be set as ``YUEFANG_<FIELD>`` in the environment.

    Outside ``environment="dev"``/``"test"`` the default secret key is rejected.
    """

    model_config = SettingsConfigDict(env_prefix="YUEFANG_", extra="ignore")

    environment: Literal["dev", "test", "production"] = "dev"
    database_url: str = "sqlite:///./var/yuefang.db"
    secret_key: str = DEFAULT_SECRET_KEY
    var_dir: Path = Path("./var")
    session_cookie_name: str = "yuefang_session"
    token_ttl_s: int = Field(default=7 * 24 * 3600, ge=60)
    inline_worker: bool = Field(default=True, description="run a job worker thread inside `yuefang serve`")
    job_lease_s: float = Field(default=30.0, gt=0, description="a job whose lease expires is run again")
    job_max_attempts: int = Field(default=5, ge=1)
    job_poll_s: float = Field(default=0.5, gt=0)
    nest_time_limit_s: float = Field(default=5.0, gt=0)
    sql_echo: bool = False

    @model_validator(mode="after")
    def _reject_default_secret(self) -> Settings:
        if self.environment not in ("dev", "test") and self.secret_key == DEFAULT_SECRET_KEY:
            raise ValueError(
                f"secret_key: the default secret is not allowed when environment={self.environment!r}; "
                "set YUEFANG_SECRET_KEY to a long random string"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        """True when the database is an embedded SQLite file."""
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings read from the environment (cached)."""
    return Settings()
