"""Validation of data/glossary.yml: the schema of each term and of the `spelling` list.

Pure checks on the data as read from YAML: each returns a list of problems, each naming its
entry; handbook.glossary.model raises them together as one GlossaryError.
"""

from __future__ import annotations

import re
from pathlib import Path

from handbook.languages import LANGUAGES

REQUIRED_KEYS = ("id", "en", "id_term", "keep_english", "italic", "abbr", "variants_forbidden",
                 "definition", "page")
OPTIONAL_KEYS = ("expansion", "hint", "allow", "note", "tooltip", "tooltip_skip", "avoid",
                 "id_italic")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PAGE_SLUG = re.compile(r"^[a-z0-9-]+(?:/[a-z0-9-]+)*$")


def _label(index: int, entry) -> str:
    name = entry.get("id") if isinstance(entry, dict) else None
    return f"term #{index + 1}" + (f" '{name}'" if name else "")


def _nonempty(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def validate_terms(terms: list, docs_dir: Path | None) -> list[str]:
    errors: list[str] = []
    seen: dict[str, dict[str, str]] = {"id": {}, "en": {}, "id_term": {}}
    for index, entry in enumerate(terms):
        label = _label(index, entry)
        if not isinstance(entry, dict):
            errors.append(f"{label}: must be a mapping")
            continue
        problems = _validate_entry(entry, docs_dir)
        errors += [f"{label}: {problem}" for problem in problems]
        for key, labels in seen.items():
            value = entry.get(key)
            if not _nonempty(value):
                continue
            folded = value.casefold()
            if folded in labels:
                errors.append(f"{label}: duplicate {key} {value!r} (also {labels[folded]})")
            else:
                labels[folded] = label
    if not errors:
        errors += _validate_variants(terms)
    return errors


def _validate_entry(entry: dict, docs_dir: Path | None) -> list[str]:
    problems = [f"missing key '{key}'" for key in REQUIRED_KEYS if key not in entry]
    unknown = set(entry) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS)
    problems += [f"unknown key '{key}'" for key in sorted(unknown)]
    if problems:
        return problems
    if not _nonempty(entry["id"]) or not _SLUG.match(entry["id"]):
        problems.append(f"id {entry['id']!r} must be a lowercase slug (letters, digits, hyphens)")
    elif entry["id"].startswith("letter-") or entry["id"] == "top":
        problems.append(f"id {entry['id']!r} collides with the glossary page's own anchors")
    for key in ("en", "id_term"):
        if not _nonempty(entry[key]):
            problems.append(f"'{key}' must be a non-empty string")
    for key in ("keep_english", "italic") + tuple(k for k in ("hint", "tooltip") if k in entry):
        if not isinstance(entry[key], bool):
            problems.append(f"'{key}' must be true or false")
    if problems:
        return problems
    if entry["keep_english"] and entry["id_term"].casefold() != entry["en"].casefold():
        problems.append("keep_english is true, so id_term must be the English term")
    if entry["italic"] and not entry["keep_english"]:
        problems.append("italic is only for terms that stay in English (keep_english: true)")
    abbr = entry["abbr"]
    if abbr is not None:
        if not _nonempty(abbr):
            problems.append("'abbr' must be null or a non-empty string")
        if entry["italic"]:
            problems.append("abbreviations are not italicised (italic: false)")
        expansion = entry.get("expansion")
        if not isinstance(expansion, dict) or not all(_nonempty(expansion.get(lang))
                                                       for lang in LANGUAGES):
            problems.append("abbreviation needs expansion: {en: ..., id: ...}")
        elif set(expansion) - set(LANGUAGES):
            problems.append("expansion takes only 'en' and 'id'")
    elif entry.get("expansion") is not None:
        problems.append("expansion is only for abbreviations (abbr is null)")
    variants = entry["variants_forbidden"]
    if not isinstance(variants, list) or not all(_nonempty(v) for v in variants):
        problems.append("variants_forbidden must be a list of non-empty strings")
    allow = entry.get("allow", [])
    if not isinstance(allow, list) or not all(_nonempty(a) for a in allow):
        problems.append("allow must be a list of non-empty strings")
    skip = entry.get("tooltip_skip", {})
    if (not isinstance(skip, dict) or set(skip) - set(LANGUAGES)
            or not all(isinstance(v, list) and all(_nonempty(p) for p in v)
                       for v in skip.values())):
        problems.append("tooltip_skip must be {id: [phrases], en: [phrases]}")
    problems += _validate_avoid(entry.get("avoid", {}))
    if entry.get("note") is not None and not _nonempty(entry["note"]):
        problems.append("note must be a non-empty string when present")
    id_italic = entry.get("id_italic")
    if id_italic is not None:
        if entry["keep_english"]:
            problems.append("id_italic is for an Indonesian term with English words in it "
                            "(keep_english: false); use italic: true for the whole term")
        elif not _nonempty(id_italic) or not re.search(
                rf"(?<!\w){re.escape(id_italic)}(?!\w)", entry["id_term"]):
            problems.append(f"id_italic {id_italic!r} must be whole words of id_term "
                            f"{entry['id_term']!r}")
    definition = entry["definition"]
    if not isinstance(definition, dict):
        problems.append("definition must be a mapping {id: ..., en: ...}")
    else:
        for lang in LANGUAGES:
            if not _nonempty(definition.get(lang)):
                problems.append(f"definition.{lang} is missing or empty")
        if set(definition) - set(LANGUAGES):
            problems.append("definition takes only 'id' and 'en'")
    page = entry["page"]
    if not _nonempty(page) or not _PAGE_SLUG.match(page) or page.endswith(".md"):
        problems.append(f"page {page!r} must be a page slug without .md, e.g. duties/x")
    elif docs_dir is not None:
        for lang in LANGUAGES:
            if not (docs_dir / lang / f"{page}.md").is_file():
                problems.append(f"page '{page}' does not exist as docs/{lang}/{page}.md")
    return problems


def avoided_forms(entry: dict, lang: str) -> list[tuple[str, str | None]]:
    """(form, what to write instead or None for the term itself) of an entry's `avoid` list in
    one language. An item is a form ("pekerja") or {form: ..., write: ...} when the form is an
    inflection that wants its own replacement ("mengulang" -> "mencoba ulang")."""
    items = (entry.get("avoid") or {}).get(lang) or []
    return [(item, None) if isinstance(item, str) else (item["form"], item.get("write"))
            for item in items]


def _validate_avoid(avoid) -> list[str]:
    shape = ("avoid must be {id: [forms], en: [forms]}, each form a string or "
             "{form: ..., write: ...}")
    if not isinstance(avoid, dict) or set(avoid) - set(LANGUAGES):
        return [shape]
    for items in avoid.values():
        if not isinstance(items, list):
            return [shape]
        for item in items:
            if isinstance(item, str) and _nonempty(item):
                continue
            if (isinstance(item, dict) and _nonempty(item.get("form"))
                    and set(item) <= {"form", "write"}
                    and (item.get("write") is None or _nonempty(item.get("write")))):
                continue
            return [shape]
    return []


def _validate_variants(terms: list[dict]) -> list[str]:
    """A forbidden form must never be a form the glossary chooses, nor belong to two terms;
    an avoided form likewise, in its language (and it is never also a forbidden variant)."""
    chosen: dict[str, str] = {}
    for index, entry in enumerate(terms):
        chosen[entry["id_term"].casefold()] = _label(index, entry)
        if entry["keep_english"]:
            chosen[entry["en"].casefold()] = _label(index, entry)
    errors = []
    owner: dict[str, str] = {}
    for index, entry in enumerate(terms):
        label = _label(index, entry)
        for variant in entry["variants_forbidden"]:
            folded = normal_space(variant).casefold()
            if folded in chosen:
                errors.append(f"{label}: forbidden variant {variant!r} is the chosen form of "
                              f"{chosen[folded]}")
            if folded in owner:
                errors.append(f"{label}: forbidden variant {variant!r} is also listed by "
                              f"{owner[folded]}")
            owner[folded] = label
    chosen_in = {"id": chosen, "en": {}}
    for index, entry in enumerate(terms):
        chosen_in["en"][entry["en"].casefold()] = _label(index, entry)
    for lang in LANGUAGES:
        avoided: dict[str, str] = {}
        for index, entry in enumerate(terms):
            label = _label(index, entry)
            for form, _write in avoided_forms(entry, lang):
                folded = normal_space(form).casefold()
                if folded in chosen_in[lang]:
                    errors.append(f"{label}: avoided form {form!r} ({lang}) is the chosen form "
                                  f"of {chosen_in[lang][folded]}")
                if folded in avoided:
                    errors.append(f"{label}: avoided form {form!r} ({lang}) is also listed by "
                                  f"{avoided[folded]}")
                if lang == "id" and folded in owner:
                    errors.append(f"{label}: avoided form {form!r} is also a forbidden variant "
                                  f"of {owner[folded]}: list it in one place (avoid is checked "
                                  "in italics too)")
                avoided[folded] = label
    return errors


def validate_spelling(spelling: list, terms: list[dict]) -> list[str]:
    errors = []
    chosen = {t["id_term"].casefold() for t in terms}
    for index, item in enumerate(spelling):
        label = f"spelling #{index + 1}"
        if not isinstance(item, dict) or set(item) != {"wrong", "right"} or not all(
                _nonempty(item[k]) for k in ("wrong", "right")):
            errors.append(f"{label}: must be {{wrong: ..., right: ...}} with non-empty strings")
            continue
        if item["wrong"].casefold() == item["right"].casefold():
            errors.append(f"{label}: 'wrong' and 'right' are the same ({item['wrong']!r})")
        if item["wrong"].casefold() in chosen:
            errors.append(f"{label}: {item['wrong']!r} is a form the glossary chooses")
    return errors


def normal_space(text: str) -> str:
    return " ".join(text.split())

