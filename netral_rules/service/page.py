"""The web page for inspectorate staff, at ``/``: plain HTML, CSS and JavaScript from :data:`PAGE_DIR`, no build
step and nothing loaded from elsewhere.

The page builds a report by answering the interview (``POST /v1/questions``) and shows the decision; its own
fixed words (buttons, headings) are data in ``page/words.yaml``, Indonesian and English, served as JSON, and
the words of the fact model come from ``GET /v1/labels``. The files hold no data, so they are served without
a token; a Content-Security-Policy lets the page load only its own script and style and talk only to this
service.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Response
from pydantic import RootModel, ValidationError

from ..errors import PackError, Problem
from ..law.yamlread import read_yaml_file
from ..vocabulary import Bilingual
from .law import NotFound

PAGE_DIR = Path(__file__).with_name("page")
WORDS_FILE = PAGE_DIR / "words.yaml"

# the page may load its own files and call this service, nothing else (no inline script, no other host)
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
FILES = {"page.js": "text/javascript; charset=utf-8", "page.css": "text/css; charset=utf-8"}

router = APIRouter(include_in_schema=False)


class PageWords(RootModel[dict[str, Bilingual]]):
    """words.yaml: each of the page's fixed words by its key, ``{id: ..., en: ...}``."""


@lru_cache(maxsize=1)
def page_words() -> dict[str, Bilingual]:
    """The page's words, checked (every key has a non-empty id and en; errors with their file positions)."""
    located = read_yaml_file(WORDS_FILE, display=WORDS_FILE.name)
    try:
        return PageWords.model_validate(located.data).root
    except ValidationError as exc:
        problems = [Problem(f"{'/'.join(map(str, e['loc']))}: {e['msg']}", located.pos(tuple(e["loc"])))
                    for e in exc.errors(include_url=False)]
        raise PackError(f"{WORDS_FILE.name}: {len(problems)} problem(s)", problems) from None


def _file(name: str, media_type: str) -> Response:
    return Response((PAGE_DIR / name).read_bytes(), media_type=media_type, headers=HEADERS)


@router.get("/")
async def index() -> Response:
    return _file("index.html", "text/html; charset=utf-8")


@router.get("/page/words.json")
async def words() -> Response:
    body = {key: text.model_dump() for key, text in page_words().items()}
    return Response(json.dumps(body, ensure_ascii=False).encode(), media_type="application/json", headers=HEADERS)


@router.get("/page/{name}")
async def page_file(name: str) -> Response:
    if name not in FILES:
        raise NotFound("not_found")
    return _file(name, FILES[name])


__all__ = ["PAGE_DIR", "WORDS_FILE", "page_words", "router"]
