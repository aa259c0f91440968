"""LaTeX test fixtures: pdflatex / poppler availability (with REQUIRE_LATEX=1 a missing tool fails)."""

from __future__ import annotations

import os

import pytest

from derivations.latex import have_tool


@pytest.fixture
def latex_tools() -> None:
    """Skip without pdflatex/pdftotext/pdftoppm, unless REQUIRE_LATEX=1 (CI), where that fails."""
    missing = [t for t in ("pdflatex", "pdftotext", "pdftoppm") if not have_tool(t)]
    if missing:
        if os.environ.get("REQUIRE_LATEX") == "1":
            pytest.fail(f"REQUIRE_LATEX=1 but {', '.join(missing)} missing")
        pytest.skip(f"{', '.join(missing)} not installed")
