"""Helpers for the glossary tests: a tiny docs tree and glossary files built in tmp_path."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

PAGES = {
    "duties/database-management": ("Manajemen Basis Data", "Database Management"),
    "skills/apis": ("API", "APIs"),
}


def make_entry(**overrides) -> dict:
    """A valid glossary entry (basis data), changed by keyword arguments."""
    entry = {
        "id": "database",
        "en": "database",
        "id_term": "basis data",
        "keep_english": False,
        "italic": False,
        "abbr": None,
        "variants_forbidden": ["database", "data base"],
        "definition": {"id": "Kumpulan data yang terorganisasi.",
                       "en": "An organized collection of data."},
        "page": "duties/database-management",
    }
    entry.update(copy.deepcopy(overrides))
    return entry


@pytest.fixture
def docs(tmp_path) -> Path:
    """docs/id and docs/en with the pages of PAGES, each with a title in its language."""
    root = tmp_path / "docs"
    for slug, titles in PAGES.items():
        for lang, title in zip(("id", "en"), titles, strict=True):
            page = root / lang / f"{slug}.md"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(f"---\ntitle: {title}\ndescription: x.\n---\n\n# {title}\n",
                            encoding="utf-8")
    return root


@pytest.fixture
def write_glossary(tmp_path, docs):
    """Write a glossary file beside `docs` (tmp/data/glossary.yml) and return its path."""

    def write(terms: list, spelling: list | None = None) -> Path:
        path = tmp_path / "data" / "glossary.yml"
        path.parent.mkdir(exist_ok=True)
        data = {"terms": terms} if spelling is None else {"terms": terms, "spelling": spelling}
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        return path

    return write


def small_glossary() -> list[dict]:
    """A few entries of every kind, for the check and hint tests."""
    return [
        make_entry(),
        make_entry(id="relational-database", en="relational database",
                   id_term="basis data relasional", variants_forbidden=["relational database"]),
        make_entry(id="queue", en="queue", id_term="antrean",
                   variants_forbidden=["antrian", "queue"]),
        make_entry(id="request", en="request", id_term="permintaan",
                   variants_forbidden=["request"]),
        make_entry(id="pull-request", en="pull request", id_term="pull request",
                   keep_english=True, italic=True, variants_forbidden=["pull-request"]),
        make_entry(id="cache", en="cache", id_term="cache", keep_english=True, italic=True,
                   variants_forbidden=["dicache"]),
        make_entry(id="framework", en="framework", id_term="kerangka kerja",
                   variants_forbidden=["framework"], allow=["Spring Framework"]),
        make_entry(id="table", en="table", id_term="tabel", variants_forbidden=[], hint=False),
        make_entry(id="api", en="API", id_term="API", keep_english=True, abbr="API",
                   expansion={"en": "Application Programming Interface",
                              "id": "Application Programming Interface (antarmuka pemrograman "
                                    "aplikasi)"},
                   variants_forbidden=[], page="skills/apis"),
        make_entry(id="sql", en="SQL", id_term="SQL", keep_english=True, abbr="SQL",
                   expansion={"en": "Structured Query Language",
                              "id": "Structured Query Language (bahasa kueri terstruktur)"},
                   variants_forbidden=[], page="skills/apis"),
        make_entry(id="query", en="query", id_term="kueri", variants_forbidden=["query"]),
    ]


def with_defaults(entries: list[dict]) -> list[dict]:
    return [{"expansion": None, "hint": True, "allow": [], "note": None, **e} for e in entries]


SPELLING = [{"wrong": "praktek", "right": "praktik"},
            {"wrong": "melakukan pengujian", "right": "menguji"}]
