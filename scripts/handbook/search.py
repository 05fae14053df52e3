"""Search per language: the settings of each language's index and the split of the merged index.

static-i18n merges every language into search/search_index.json, so an Indonesian reader got
English results. split_search_index() writes one index per language (search/ for Indonesian,
en/search/ for English), each with locations relative to its language root and its own settings.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from handbook.languages import DEFAULT_LANGUAGE, LANGUAGES, root_prefix

# Search settings per language; Material's worker reads them from the index's "config".
SEARCH_CONFIG = {
    # overrides/assets/javascripts/lunr/: each word is indexed with its root or stem, and each
    # query term is extended with it (Material appends "*", which makes lunr skip the query
    # pipeline; lunr.keepstem.js). Indonesian: lunr.id, our stemmer and stop words. English:
    # lunr's own stemmer and stop words as lunr.en_stem, under that name because Material's
    # worker loads no plugin file for "en" (the page's lang stays "en").
    "id": {"lang": ["id"], "pipeline": ["trimmer", "stopWordFilter", "stemmer"]},
    "en": {"lang": ["en_stem"], "pipeline": ["trimmer", "stopWordFilter", "stemmer"]},
}

# Stop words are also dropped from queries, through the separator (see search_separator).
# English: lunr's own list (lunr.stopWordFilter in lunr 2.3.9, the words its English index
# leaves out; tests/search/test_search_quality.py checks it against node_modules/lunr).
# Indonesian: the STOP_WORDS of lunr.id.js, read from that file.
_EN_STOP_WORDS = """
a able about across after all almost also am among an and any are as at be because been but by
can cannot could dear did do does either else ever every for from get got had has have he her
hers him his how however i if in into is it its just least let like likely may me might most must
my neither no nor not of off often on only or other our own rather said say says she should since
so some than that the their them then there these they this tis to too twas us wants was we were
what when where which while who whom why will with would yet you your
"""
EN_STOP_WORDS = _EN_STOP_WORDS.split()
LUNR_ID = Path(__file__).resolve().parents[2] / "overrides/assets/javascripts/lunr/lunr.id.js"


def stop_words(lang: str, lunr_id: Path = LUNR_ID) -> list[str]:
    if lang == "en":
        return EN_STOP_WORDS
    block = re.search(r"var STOP_WORDS = \[(.*?)\]\.join", lunr_id.read_text(encoding="utf-8"),
                      re.DOTALL)
    return " ".join(re.findall(r"'([^']*)'", block.group(1))).split()


def search_separator(separator: str, words: list[str]) -> str:
    """Material's separator, plus: a query word that is a whole stop word.

    Material appends "*" to every query word, and lunr skips the stop-word filter for a word with
    a wildcard: "a" in "add a cache" became the prefix query a* (api, analysis, attack...), "ke"
    in "menyimpan ke cache" matched every ke- word (keamanan, kerangka...), and those pages
    outranked the one asked for. Material splits the query at whitespace, then each word with
    this separator; a word that matches it whole leaves no term. Anchored (^...$), it never
    matches inside the text of a page, where the stop-word filter drops these words anyway.
    Case-insensitive letter by letter, as Material compiles the separator without flags.
    """
    def letters(word: str) -> str:
        return "".join(f"[{c}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)

    alternatives = "|".join(letters(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
    return f"{separator}|^(?:{alternatives})$"


# The first section of duty and skill pages (STYLE.md §2), their summary.
SUMMARY_ID = "in-short"


_CODE_BLOCK = re.compile(r"<pre\b.*?</pre>", re.DOTALL)


def without_code_blocks(docs: list[dict]) -> list[dict]:
    """The documents without their code listings (<pre> blocks; `inline code` stays).

    Measured on 2026-12-07 (issue 19), the Indonesian index went from 1,824 to 1,275 KB raw and
    586 to 391 KB gzip, and building it in the worker (Node, same machine) from 7.5 to 4.6 s
    (English: 5.7 to 4.3 s); the share of the quality queries that show their section stayed
    within one query (id 50 -> 49 of 62, en 49 -> 49). A reader searches the prose; the code
    shown with it is found through the section that explains it."""
    return [{**doc, "text": _CODE_BLOCK.sub("", doc["text"])} if "<pre" in doc.get("text", "")
            else doc for doc in docs]


def merge_summaries(docs: list[dict]) -> list[dict]:
    """The page's own document gets the text of its "In Short" section, which it replaces.

    Material indexes a page as its opening (the text before the first heading) and each section.
    Duty and skill pages open with "In Short" right after the title, so the page's document
    held only the title: a search for what a page is about matched its title alone and was shown
    "missing" the other words, while the summary that holds them was a separate result. Merged,
    the page's result shows its title and its summary, and links to the top of the page (where
    the summary is). Measured on tests/search/queries.yml (issue 19): the expected section among
    the first 3 results shown rose from 46 to 50 of 62 queries (id) and 46 to 49 (en).
    """
    merged, skip = [], None
    for n, doc in enumerate(docs):
        if doc is skip:
            continue
        following = docs[n + 1] if n + 1 < len(docs) else None
        if ("#" not in doc["location"] and not doc.get("text", "").strip() and following
                and following["location"] == f"{doc['location']}#{SUMMARY_ID}"):
            doc = {**doc, "text": following.get("text", "")}
            skip = following
        merged.append(doc)
    return merged


def split_search_index(site: Path, lunr_id: Path = LUNR_ID) -> list[Path]:
    """Write one search index per language, each with locations relative to its own root.

    Returns the index files written (none when the build made no merged index)."""
    merged_file = site / "search" / "search_index.json"
    if not merged_file.is_file():
        return []
    merged = json.loads(merged_file.read_text(encoding="utf-8"))
    others = tuple(root_prefix(lang) for lang in LANGUAGES if lang != DEFAULT_LANGUAGE)
    written = []
    for lang in LANGUAGES:
        prefix = root_prefix(lang)
        if lang == DEFAULT_LANGUAGE:
            docs = [d for d in merged["docs"] if not d["location"].startswith(others)]
        else:
            docs = [
                {**d, "location": d["location"][len(prefix):]}
                for d in merged["docs"]
                if d["location"].startswith(prefix)
            ]
        config = {**merged["config"], **SEARCH_CONFIG[lang]}
        config["separator"] = search_separator(merged["config"]["separator"],
                                               stop_words(lang, lunr_id))
        index = {"config": config, "docs": merge_summaries(without_code_blocks(docs))}
        folder = site / prefix / "search"
        folder.mkdir(parents=True, exist_ok=True)
        data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
        target = folder / "search_index.json"
        target.write_text(data, encoding="utf-8")
        written.append(target)
    return written


def write_index_script(index: Path) -> Path:
    """search_index.js beside a search_index.json: from file://, where fetch() is not allowed,
    Material loads this script instead (`var __index = {...}`)."""
    script = index.with_suffix(".js")
    script.write_text("var __index = " + index.read_text(encoding="utf-8"), encoding="utf-8")
    return script
