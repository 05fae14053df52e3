"""Run pymarkdownlnt (the `pymarkdown` command) with one speed fix; used by lint.py.

What this adds: pymarkdownlnt 0.9 formats its whole token list into a debug message for every
line it parses (`f"self.token_document = {self.token_document}"` in
ParserState.mark_start_information), even with debug logging off. That makes a scan quadratic in
the length of a page: a 400-line page takes ~0.15 s, the same text four times over takes ~1.9 s.
The tokens' repr() is used only by those messages (rules compare str(), which we leave alone),
so replacing it with object.__repr__ gives the same findings about a third faster on this
handbook. tests/checks/test_checks_units.py checks that the findings are identical.

    python scripts/checks/pymarkdown_runner.py --config .pymarkdown.json scan FILE...
"""

from pymarkdown.main import PyMarkdownLint
from pymarkdown.tokens.markdown_token import MarkdownToken

MarkdownToken.__repr__ = object.__repr__

if __name__ == "__main__":
    PyMarkdownLint().main()
