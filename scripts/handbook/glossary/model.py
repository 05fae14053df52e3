"""The glossary as data: where it lives, how it is read, and its validated, cached terms.

A term is a dict with the keys of data/glossary.yml (see STYLE.md §9); optional keys are filled
with their defaults. Loading validates (handbook.glossary.validation) and raises GlossaryError
naming every offending entry.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import yaml

from handbook.glossary.validation import normal_space, validate_spelling, validate_terms
from handbook.languages import LANGUAGES

ROOT = Path(__file__).resolve().parents[3]
GLOSSARY_FILE = ROOT / "data" / "glossary.yml"
DOCS_DIR = ROOT / "docs"
GLOSSARY_PAGE = "glossary.md"
# Text the glossary-page plugin replaces with the generated glossary in docs/<lang>/glossary.md.
GLOSSARY_MARKER = "<!-- glossary -->"

__all__ = ["DOCS_DIR", "GLOSSARY_FILE", "GLOSSARY_MARKER", "GLOSSARY_PAGE", "LANGUAGES",
           "GlossaryError", "cached_glossary", "is_glossary_page", "key", "load_glossary",
           "load_spelling", "normal_space"]


class GlossaryError(ValueError):
    """data/glossary.yml breaks the schema; the message names every offending entry."""


def load_glossary(path: str | Path = GLOSSARY_FILE, docs_dir: str | Path | None = None,
                  *, check_pages: bool = True) -> list[dict]:
    """The validated terms of a glossary file, with optional keys filled with their defaults.

    docs_dir: where the explaining pages live (docs/id/<page>.md and docs/en/<page>.md); by
    default the `docs` folder beside the glossary's `data` folder. Raises GlossaryError listing
    every problem, each naming its entry.
    """
    path = Path(path)
    terms, spelling = _read(path)
    if docs_dir is None:
        docs_dir = path.resolve().parent.parent / "docs"
    errors = validate_terms(terms, Path(docs_dir) if check_pages else None)
    errors += validate_spelling(spelling, terms if not errors else [])
    if errors:
        raise GlossaryError(f"{path}: {len(errors)} problem(s)\n  " + "\n  ".join(errors))
    return [_with_defaults(entry) for entry in terms]


def load_spelling(path: str | Path = GLOSSARY_FILE) -> list[dict]:
    """The `spelling` list: general words whose non-standard forms the check flags."""
    path = Path(path)
    _terms, spelling = _read(path)
    errors = validate_spelling(spelling, [])
    if errors:
        raise GlossaryError(f"{path}: {len(errors)} problem(s)\n  " + "\n  ".join(errors))
    return spelling


_cache: dict[tuple, tuple[list[dict], list[dict]]] = {}


def cached_glossary(path: str | Path = GLOSSARY_FILE, docs_dir: str | Path | None = None,
                    *, check_pages: bool = True) -> tuple[list[dict], list[dict]]:
    """(terms, spelling), loaded once per version of the file (for the plugins and serve).

    The build passes check_pages=False: an English page may be missing (the site then shows the
    Indonesian original with a notice), and a term's page that exists in neither language is a
    broken link the strict build reports. `glossary.py validate` checks both twins exist.
    """
    path = Path(path).resolve()
    cache_key = (path, path.stat().st_mtime_ns, str(docs_dir), check_pages)
    if cache_key not in _cache:
        _cache.clear()
        _cache[cache_key] = (load_glossary(path, docs_dir, check_pages=check_pages),
                             load_spelling(path))
    return _cache[cache_key]


def _read(path: Path) -> tuple[list, list]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        # A file saved as UTF-16 or Latin-1: name the line and byte instead of a traceback.
        line = raw.count(b"\n", 0, error.start) + 1
        raise GlossaryError(
            f"{path}:{line}: not UTF-8 (byte {error.start}: 0x{raw[error.start]:02x}) "
            "— fix: save the file as UTF-8") from None
    try:
        # The C loader when PyYAML has it: the pure-Python one took 0.9 s per language build.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as error:
        raise GlossaryError(f"{path}: not valid YAML: {error}") from None
    if isinstance(data, list):  # a bare list of terms is accepted too
        return data, []
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        raise GlossaryError(f"{path}: expected a mapping with a `terms:` list")
    unknown = set(data) - {"terms", "spelling"}
    if unknown:
        raise GlossaryError(f"{path}: unknown top-level key(s): {', '.join(sorted(unknown))}")
    spelling = data.get("spelling") or []
    if not isinstance(spelling, list):
        raise GlossaryError(f"{path}: `spelling` must be a list")
    return data["terms"], spelling


def _with_defaults(entry: dict) -> dict:
    return {"expansion": None, "hint": True, "allow": [], "note": None, "tooltip": True,
            "tooltip_skip": {}, "avoid": {}, "id_italic": None, **entry}


def key(text: str) -> str:
    """A term as looked up: white space normalised, case folded."""
    return normal_space(text).casefold()


def is_glossary_page(src_uri: str) -> bool:
    """True for the glossary page of any language (src_uri such as 'id/glossary.md')."""
    parts = PurePosixPath(src_uri).parts
    return parts[-1:] == (GLOSSARY_PAGE,) and len(parts) <= 2
