"""Rendering: title case, the generated glossary page and the abbreviation definitions.

The glossary page (docs/<lang>/glossary.md holds a marker that handbook/glossary-page replaces),
the `*[API]: ...` lines that Python-Markdown's abbr extension turns into <abbr> elements, and the
keyboard focus of the first abbreviation of each kind on a page (handbook/abbreviations).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

from handbook.glossary.model import GLOSSARY_MARKER, LANGUAGES, GlossaryError
from handbook.glossary.prose import FRONT_MATTER, WORD

SMALL_WORDS = {
    # EYD V: function words (kata tugas: prepositions, conjunctions, "yang", the articles si and
    # sang) stay lowercase unless first. "adalah" is a copula (a verb in KBBI), so it is
    # capitalised, as are "saat" and "itu". STYLE.md §3 lists the same words (a test compares).
    "id": {"dan", "di", "ke", "dari", "untuk", "yang", "atau", "pada", "dengan", "dalam",
           "sebagai", "tentang", "per", "bagi", "oleh", "serta", "tanpa", "kepada", "terhadap",
           "antara", "hingga", "sampai", "agar", "bahwa", "karena", "jika", "lewat", "melalui",
           "menurut", "sejak", "selama", "sebelum", "sesudah", "setelah", "ketika", "sehingga",
           "supaya", "daripada", "si", "sang"},
    # Articles, coordinating conjunctions, "as", "to" and prepositions of four letters or fewer
    # (longer ones, such as through, without, between and during, are capitalised); unless first
    # or last.
    "en": {"a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at", "by",
           "from", "in", "into", "of", "off", "on", "onto", "per", "to", "up", "upon", "via",
           "vs", "with"},
}
# Names written in lowercase keep their case in a heading (STYLE.md §3): commands and programs
# whose own documentation writes them so. A name of several words is kept whole (git bisect).
LOWERCASE_NAMES = ("nginx", "systemd", "systemctl", "journalctl", "git", "git bisect",
                   "git rebase", "git revert", "make", "pytest", "pip", "npm", "npx", "curl",
                   "cron", "crontab", "asyncio", "httpx", "psql", "pg_dump", "sqlite3", "ruff",
                   "uvicorn", "gunicorn", "certbot", "ufw", "iptables", "venv", "jq", "ssh",
                   "scp", "rsync")
# Indonesian prefixes and suffixes joined to a foreign word with a hyphen (men-debug,
# di-cache, cache-nya): one word, so only its first letter is capitalised (Men-debug).
_ID_PREFIXES = {"di", "ke", "se", "me", "men", "mem", "meng", "meny", "ber", "ter", "pe", "pen",
                "pem", "peng", "per"}
_ID_SUFFIXES = {"nya", "kan", "an", "i", "lah", "pun", "ku", "mu"}
_CORE = re.compile(r"^[\W_]*(.*?)[\W_]*$")


def _names_at(words: list[str]) -> set[int]:
    """Indices of words that belong to a lowercase name (LOWERCASE_NAMES), as written."""
    bare = [_CORE.match(word).group(1) for word in words]
    kept: set[int] = set()
    for name in sorted(LOWERCASE_NAMES, key=lambda n: -len(n.split())):
        parts = name.split()
        for start in range(len(words) - len(parts) + 1):
            if bare[start:start + len(parts)] == parts:
                kept.update(range(start, start + len(parts)))
    return kept


def title_case(text: str, lang: str) -> str:
    """A heading as STYLE.md §3 writes it: each word capitalised except the function words of
    the language (SMALL_WORDS) that are not first (nor, in English, last); the first word after a
    colon counts as first. Words that already hold a capital beyond the first letter or a digit
    (API, OAuth, N+1, p99) and lowercase names (nginx, git bisect) are kept as written; a
    capitalised function word in the middle is lowered ("Tanpa" -> "tanpa")."""
    small = SMALL_WORDS[lang]
    words = text.split(" ")
    names = _names_at(words)
    real = [i for i, word in enumerate(words) if any(ch.isalnum() for ch in word)]
    out = []
    first = True
    for position, word in enumerate(words):
        if position not in real:  # a dash, a symbol, an empty string between two spaces
            out.append(word)
            first = first or word.endswith(":")
            continue
        if position not in names:
            last = lang == "en" and position == real[-1]
            out.append(_title_word(word, lang, small, first or last))
        else:
            out.append(word)
        first = word.endswith(":")
    return " ".join(out)


def _title_word(word: str, lang: str, small: set[str], edge: bool) -> str:
    if re.match(r"^\W*[./~]|.\w[./_]\w", word):
        return word  # a path, file or identifier (/metrics, .gitignore, Node.js): as written
    parts = word.split("-")
    # An Indonesian affix joined to a foreign word (men-debug, di-cache, cache-nya) is one word.
    affixed = lang == "id" and len(parts) == 2 and (parts[0].lower() in _ID_PREFIXES
                                                     or parts[1].lower() in _ID_SUFFIXES)
    for i, part in enumerate(parts):
        core = _CORE.match(part).group(1)
        if not core or not core[0].isalpha() or any(ch.isdigit() for ch in core):
            continue
        if any(ch.isupper() for ch in core[1:]) or (len(core) == 1 and core.isupper()):
            continue  # API, OAuth, ETags, plan A: as written
        at = part.index(core)
        if len(parts) == 1:
            lower = not edge and core.lower() in small
        elif affixed:
            lower = i == 1
        else:
            # A compound: its first and last elements are capitalised (At-Least-Once, Lock-In),
            # function words between them are not (Back-of-the-Envelope).
            lower = 0 < i < len(parts) - 1 and core.lower() in small
        fixed = core.lower() if lower else core[0].upper() + core[1:]
        parts[i] = part[:at] + fixed + part[at + len(core):]
    return "-".join(parts)


# --------------------------------------------------------------------------------------------
# The glossary page

LABELS = {
    "id": {"english": "Bahasa Inggris", "expansion": "Kepanjangan", "page": "Dibahas di",
           "kept": "tetap dalam bahasa Inggris", "kept_italic":
           "tetap dalam bahasa Inggris, ditulis miring"},
    "en": {"english": "English", "indonesian": "Indonesian", "expansion": "Stands for",
           "page": "Explained in", "kept": "kept in English",
           "kept_italic": "kept in English, in italics"},
}


def sort_key(text: str) -> str:
    """Alphabetical key: accents, case, spaces and punctuation ignored (N+1 sorts as n1)."""
    plain = unicodedata.normalize("NFKD", text).casefold()
    return "".join(ch for ch in plain if ch.isalnum())


def display_term(entry: dict, lang: str) -> str:
    """The term as the glossary page of `lang` shows it (Markdown, not yet title-cased)."""
    return entry["id_term"] if lang == "id" else entry["en"]


def _heading(entry: dict, lang: str) -> str:
    term = display_term(entry, lang)
    text = title_case(term, lang)
    text = f"*{text}*" if lang == "id" and entry["italic"] else text
    if lang == "id" and entry.get("id_italic"):
        # Only the English words, as pages write them: "Antrean *Dead Letter*".
        text = re.sub(rf"(?<!\w)({re.escape(entry['id_italic'])})(?!\w)", r"*\1*", text,
                      count=1, flags=re.IGNORECASE)
    # A reader who met "VM" must find it: show the abbreviation when the term is not it.
    if entry["abbr"] and not re.search(rf"(?<!\w){re.escape(entry['abbr'])}(?!\w)", term):
        text += f" ({entry['abbr']})"
    return text


def _letter(entry: dict, lang: str) -> str:
    key = sort_key(display_term(entry, lang))
    return key[0].upper() if key[:1].isalpha() else "0-9"


def page_titles(docs_dir: str | Path, lang: str, slugs) -> dict[str, str]:
    """`title:` of each page's front matter (the slug itself when there is none)."""
    titles = {}
    for slug in slugs:
        path = Path(docs_dir) / lang / f"{slug}.md"
        title = None
        if path.is_file():
            match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
            if match:
                try:
                    meta = yaml.safe_load(match.group(1) or "") or {}
                    title = meta.get("title") if isinstance(meta, dict) else None
                except yaml.YAMLError:  # the page's own check reports it; take the line
                    line = re.search(r"^title:[ \t]*(.+?)[ \t]*$", match.group(1), re.MULTILINE)
                    title = line.group(1).strip("\"'") if line else None
        titles[slug] = str(title) if title else slug
    return titles


def sorted_entries(entries: list[dict], lang: str) -> list[dict]:
    return sorted(entries, key=lambda e: (sort_key(display_term(e, lang)), e["id"]))


def render_glossary_page(entries: list[dict], lang: str,
                         docs_dir: str | Path | None = None) -> str:
    """Markdown for docs/<lang>/glossary.md below its heading and introduction: a letter index,
    then one H2 per first letter ({ #letter-a }) and one H3 per term ({ #<id> }), each with its
    definition, its form in the other language and a link to the page that explains it.

    Links are relative to docs/<lang>/glossary.md. With docs_dir, link texts are the pages'
    titles in that language; without it, the page slugs.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    labels = LABELS[lang]
    slugs = sorted({e["page"] for e in entries})
    titles = page_titles(docs_dir, lang, slugs) if docs_dir else {s: s for s in slugs}
    groups: dict[str, list[dict]] = {}
    for entry in sorted_entries(entries, lang):
        groups.setdefault(_letter(entry, lang), []).append(entry)
    letters = sorted(groups, key=lambda g: (g == "0-9", g))
    index = " · ".join(f"[{g}](#letter-{g.lower()})" for g in letters)
    lines = [index, "{ .glossary-letters }", ""]
    for group in letters:
        lines += [f"## {group} {{ #letter-{group.lower()} }}", ""]
        for entry in groups[group]:
            lines += [f"### {_heading(entry, lang)} {{ #{entry['id']} }}", "",
                      entry["definition"][lang].strip(), "",
                      _meta_line(entry, lang, labels, titles), "{ .glossary-meta }", ""]
    return "\n".join(lines).rstrip() + "\n"


def _english_part(expansion: str) -> str:
    """The English words of an Indonesian expansion: "virtual machine (mesin virtual)" ->
    "virtual machine"."""
    return expansion.split(" (", 1)[0].strip()


def _expansion_markdown(expansion: str, lang: str) -> str:
    """The expansion as the meta line shows it. On the Indonesian page, English words that are
    not a proper name are foreign words and italic (STYLE.md §4): "*virtual machine* (mesin
    virtual)"; "Hypertext Transfer Protocol (...)" is a name and stays upright. The abbreviation
    tooltips (abbr_lines) keep the plain text."""
    english = _english_part(expansion)
    if lang != "id" or not english[:1].islower():
        return expansion
    return f"*{english}*{expansion[len(english):]}"


def _meta_line(entry: dict, lang: str, labels: dict, titles: dict[str, str]) -> str:
    parts = []
    # The expansion only when it says more than the heading ("Stands for: virtual machine"
    # under "Virtual Machine (VM)" would repeat it).
    expansion = entry["expansion"][lang] if entry["abbr"] else None
    if expansion and (expansion.strip().casefold()
                      != display_term(entry, lang).strip().casefold()):
        parts.append(f"{labels['expansion']}: {_expansion_markdown(expansion, lang)}")
    else:
        expansion = None
    if lang == "id":
        if entry["keep_english"]:
            if entry["italic"]:
                label = labels["kept_italic"]  # not .capitalize(): it lowercases "Inggris"
                parts.append(label[:1].upper() + label[1:])
        elif not (expansion and _english_part(expansion).casefold()
                  == entry["en"].strip().casefold()):
            # "Kepanjangan: *virtual machine* (mesin virtual)" already gives the English term.
            parts.append(f"{labels['english']}: *{entry['en']}*")
    else:
        if entry["keep_english"]:
            if entry["italic"]:
                parts.append(f"{labels['indonesian']}: *{entry['id_term']}* "
                             f"({labels['kept_italic']})")
            elif not entry["abbr"] and entry["en"][:1].islower():
                # A loan word (header, server, port); names and abbreviations (OAuth, API) need
                # nothing, their heading is the same in both languages.
                parts.append(f"{labels['indonesian']}: {entry['id_term']} ({labels['kept']})")
        else:
            parts.append(f"{labels['indonesian']}: *{entry['id_term']}*")  # STYLE §5: italic
    title = titles.get(entry["page"], entry["page"]).replace("[", "\\[").replace("]", "\\]")
    parts.append(f"{labels['page']}: [{title}]({entry['page']}.md)")
    return " · ".join(parts)


def expand_glossary_marker(markdown: str, entries: list[dict], lang: str,
                           docs_dir: str | Path | None = None) -> str:
    """Replace GLOSSARY_MARKER in glossary.md with the generated glossary (glossary-page plugin)."""
    if GLOSSARY_MARKER not in markdown:
        raise GlossaryError(f"glossary.md ({lang}) has no {GLOSSARY_MARKER} marker")
    return markdown.replace(GLOSSARY_MARKER, render_glossary_page(entries, lang, docs_dir), 1)


# --------------------------------------------------------------------------------------------
# Abbreviations (Python-Markdown's abbr extension, which pymdownx builds on)


def abbr_lines(entries: list[dict], lang: str, markdown: str | None = None) -> list[str]:
    """`*[API]: Application Programming Interface` lines in `lang`, sorted by abbreviation.

    With `markdown`, only the abbreviations that occur in it as whole words (case-sensitive,
    as the abbr extension matches them).
    """
    lines = []
    words = set(WORD.findall(markdown)) if markdown is not None else set()
    for entry in sorted((e for e in entries if e["abbr"]), key=lambda e: e["abbr"]):
        abbr = entry["abbr"]
        if markdown is not None and not (
                abbr in words if WORD.fullmatch(abbr)
                else re.search(rf"(?<!\w){re.escape(abbr)}(?!\w)", markdown)):
            continue
        lines.append(f"*[{abbr}]: {entry['expansion'][lang]}")
    return lines


def append_abbreviations(markdown: str, entries: list[dict], lang: str) -> str:
    """The page with the definitions of the abbreviations it uses appended (glossary-page plugin)."""
    lines = abbr_lines(entries, lang, markdown)
    if not lines:
        return markdown
    return markdown.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"



_ABBR = re.compile(r"<abbr title=\"[^\"]*\">([^<]+)</abbr>")


def focusable_abbreviations(html: str) -> str:
    """Make the first <abbr> of each abbreviation on a page focusable (tabindex="0"), so that its
    tooltip also shows on keyboard focus; the others keep their tooltip on hover only, so that
    a keyboard user does not tab through every "API" of a long page."""
    seen: set[str] = set()

    def first(match: re.Match) -> str:
        if match.group(1) in seen:
            return match.group()
        seen.add(match.group(1))
        return match.group().replace("<abbr ", '<abbr tabindex="0" ', 1)

    return _ABBR.sub(first, html)


