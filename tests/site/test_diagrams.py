"""Diagrams: every mermaid fence is rendered, current, described; the build shows the SVGs."""

from __future__ import annotations

from pathlib import Path

from handbook import diagrams

SAMPLE = '''Intro

```mermaid
flowchart LR
  accTitle: Jalur permintaan
  accDescr: Peramban mengirim permintaan ke server.
  A[Peramban] --> B[Server]
```

=== "Tab"

    ```mermaid
    sequenceDiagram
      Klien->>Server: GET /books
    ```
'''


def test_every_diagram_is_rendered_current_and_described():
    problems = diagrams.check()
    assert not problems, "\n".join(problems)


def test_fences_are_found_with_their_indentation_and_description():
    found = diagrams.find(SAMPLE, Path("page.md"))
    assert [d.line for d in found] == [3, 12]
    assert found[0].description == "Peramban mengirim permintaan ke server."
    assert found[1].indent == "    " and found[1].source.startswith("sequenceDiagram\n")
    assert found[1].description is None
    # The key follows the source: any edit makes the rendered file stale.
    edited = diagrams.find(SAMPLE.replace("GET /books", "GET /orders"), Path("page.md"))
    assert edited[1].key != found[1].key and edited[0].key == found[0].key


def test_missing_render_is_reported_not_silently_dropped(tmp_path, monkeypatch):
    monkeypatch.setattr(diagrams, "OUTPUT", tmp_path)
    warnings = []
    out = diagrams.replace_with_images(SAMPLE, diagrams.ROOT / "docs/id/x.md", 1, warnings.append)
    assert len(warnings) == 2 and "make diagrams" in warnings[0]
    assert "```mermaid" not in out


def test_rendered_fence_becomes_light_and_dark_images(tmp_path, monkeypatch):
    monkeypatch.setattr(diagrams, "OUTPUT", tmp_path)
    first = diagrams.find(SAMPLE, Path("x.md"))[0]
    for palette in ("light", "dark"):
        first.file(palette).write_text('<svg width="10" height="5" viewBox="0 0 10.2 5">')
    out = diagrams.replace_with_images(SAMPLE, diagrams.ROOT / "docs/id/x.md", 1, lambda m: None)
    assert f"![Peramban mengirim permintaan ke server.](../assets/diagrams/{first.key}-light.svg" \
           "#only-light){ .diagram loading=lazy width=\"10\" height=\"5\" }" in out
    assert f"{first.key}-dark.svg#only-dark" in out


def test_built_pages_carry_no_mermaid_renderer(built_site):
    for page in built_site.rglob("*.html"):
        text = page.read_text()
        assert 'class="mermaid"' not in text, page
        assert "language-mermaid" not in text, page
