"""The pages in a real headless Chromium (Debian's package, driven by Playwright).

Never downloads a browser: skips with the reason when /usr/bin/chromium or Playwright is absent.
Screenshots of the home and story pages at phone and desktop widths go to test-artifacts/.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsprism.config import Settings
from newsprism.store.database import Database
from webdata import HOSTILE_TITLE, Newsroom, seed_newsroom

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/ensure-browser.sh installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def site(db: Database, settings: Settings) -> Iterator[tuple[str, Newsroom]]:
    import uvicorn

    from newsprism.web.app import create_app

    room = seed_newsroom(db, settings)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, db), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "test server did not start"
    yield f"http://127.0.0.1:{port}", room
    server.should_exit = True
    thread.join(10)


def open_page(browser: Any, url: str, viewport: dict[str, int]) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport=viewport)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    return page, problems


def test_story_page_renders_every_element(browser: Any, site: tuple[str, Newsroom]) -> None:
    base, room = site
    page, problems = open_page(browser, f"{base}/stories/{room.story_id}", DESKTOP)
    assert page.locator("h1").inner_text().strip()
    assert page.locator(".story-head .meta").inner_text().startswith("7 articles from 6 outlets")
    bullets = page.locator("ul.summary > li")
    assert bullets.count() >= 1
    citation = bullets.first.locator("a.cite").first
    target = citation.get_attribute("href") or ""
    assert "#article-" in target
    citation.click()
    assert page.locator(f"#{target.split('#')[1]}").is_visible()
    assert page.locator("ol.articles > li").count() == 7
    first_article = page.locator("ol.articles > li").first
    assert first_article.locator(".outlet-line .name").inner_text()
    assert first_article.locator(".outlet-line .badge").count() >= 2  # lean + factuality
    assert page.locator(".badge.repost").count() == 1
    assert "Reposted by 1 other outlet" in page.locator("ol.articles").inner_text()
    coverage = page.locator("aside").inner_text()
    for label in ("Total news sources", "Leaning left", "Leaning right", "Broke the news"):
        assert label in coverage
    bar = page.locator("aside .biasbar").first
    assert "L " in bar.inner_text() and "R " in bar.inner_text()
    assert page.locator("ul.dist[aria-label='Outlets by factuality'] li").count() >= 2
    assert page.locator("ul.dist[aria-label='Outlets by ownership'] li").count() >= 2
    assert page.locator("svg.timeline rect").count() >= 3
    assert page.locator("#framing-title").count() == 1
    why = page.locator("details.why").first
    why.locator("summary").click()
    assert why.locator("li").first.is_visible()
    assert problems == [], problems
    page.close()


def test_side_tabs_filter_the_article_list(browser: Any, site: tuple[str, Newsroom]) -> None:
    base, room = site
    page, _ = open_page(browser, f"{base}/stories/{room.story_id}", DESKTOP)
    page.locator("nav.tabs a.left").click()
    page.wait_for_url("**side=left**")
    sides = page.locator("ol.articles > li").evaluate_all("els => els.map(e => e.dataset.side)")
    assert sides and set(sides) == {"left"}
    page.locator("nav.tabs a.right").click()
    page.wait_for_url("**side=right**")
    sides = page.locator("ol.articles > li").evaluate_all("els => els.map(e => e.dataset.side)")
    assert sides == ["right"]
    page.locator("nav.tabs a").first.click()
    page.wait_for_load_state()
    assert page.locator("ol.articles > li").count() == 7
    page.close()


def test_hostile_article_title_shows_as_text(browser: Any, site: tuple[str, Newsroom]) -> None:
    base, room = site
    page, problems = open_page(browser, f"{base}/stories/{room.story_id}", DESKTOP)
    hostile = page.locator(f"#article-{room.hostile_article_id} h3")
    assert hostile.inner_text() == HOSTILE_TITLE
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator(f"#article-{room.hostile_article_id} h3 img").count() == 0
    assert problems == [], problems
    page.close()


def test_pages_are_keyboard_navigable(browser: Any, site: tuple[str, Newsroom]) -> None:
    base, room = site
    page, _ = open_page(browser, f"{base}/stories/{room.story_id}", DESKTOP)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#content"
    reached = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.closest('nav.tabs') !== null"))
    assert True in reached  # the side tabs are reachable by keyboard
    page.close()


@pytest.mark.parametrize(("name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_home_and_story_fit_the_screen_and_are_saved_as_screenshots(
    browser: Any, site: tuple[str, Newsroom], name: str, viewport: dict[str, int]
) -> None:
    base, room = site
    ARTIFACTS.mkdir(exist_ok=True)
    for label, path in (("home", "/"), ("story", f"/stories/{room.story_id}")):
        page, problems = open_page(browser, base + path, viewport)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{label} overflows at {viewport['width']} px"
        if label == "home":
            assert page.locator("ol.stories > li").count() == 3
            assert "L " in page.locator("ol.stories .biasbar").first.inner_text()
        shot = ARTIFACTS / f"{label}-{name}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        assert problems == [], problems
        page.close()


# Where each bar label's text lies against its segment, which clips it: "whole" (inside),
# "hidden" (wholly outside, so not drawn) or "cut" (part of it drawn: glyphs sliced).
LABEL_PLACES = """bars => bars.filter(bar => bar.offsetParent !== null).map(bar => {
  const legend = bar.nextElementSibling && bar.nextElementSibling.classList.contains('bias-legend')
    ? bar.nextElementSibling.textContent.replace(/\\s+/g, ' ') : null;
  const segs = [...bar.querySelectorAll('.seg')].map(seg => {
    const box = seg.getBoundingClientRect();
    const walker = document.createTreeWalker(seg, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let text = '';
    let left = Infinity, right = -Infinity, top = Infinity, bottom = -Infinity;
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (!node.textContent.trim()) continue;
      text += node.textContent.trim();
      range.selectNodeContents(node);
      const r = range.getBoundingClientRect();
      left = Math.min(left, r.left); right = Math.max(right, r.right);
      top = Math.min(top, r.top); bottom = Math.max(bottom, r.bottom);
    }
    const inside = left >= box.left - 0.5 && right <= box.right + 0.5
      && top >= box.top - 0.5 && bottom <= box.bottom + 0.5;
    const outside = right <= box.left + 0.5 || left >= box.right - 0.5
      || bottom <= box.top + 0.5 || top >= box.bottom - 0.5 || box.width < 0.5;
    return {text, width: box.width, place: inside ? 'whole' : outside ? 'hidden' : 'cut'};
  });
  return {segs, legend};
})"""


def test_bias_bar_labels_are_whole_or_moved_to_the_legend(
    browser: Any, site: tuple[str, Newsroom], db: Database, settings: Settings
) -> None:
    from test_web_story_display import story_with_sides

    base, _room = site
    narrow = story_with_sides(db, settings, {"left": 11, "center": 1, "right": 1}, tag="n")
    for viewport in (DESKTOP, PHONE):
        for path in (f"/stories/{narrow}", "/"):
            page, problems = open_page(browser, base + path, viewport)
            bars = page.locator(".biasbar").evaluate_all(LABEL_PLACES)
            segs = [seg for bar in bars for seg in bar["segs"]]
            assert segs, path
            cut = [seg for seg in segs if seg["place"] == "cut"]
            assert cut == [], f"{path} at {viewport['width']} px: labels cut {cut}"
            assert any(seg["place"] == "whole" for seg in segs), path
            if path != "/":
                hidden = [seg for bar in bars for seg in bar["segs"] if seg["place"] == "hidden"]
                assert hidden, "a segment of 8% has no room for its label"
                for bar in bars:
                    for seg in bar["segs"]:
                        if seg["place"] == "hidden" and bar["legend"] is not None:
                            assert seg["text"].split()[-1] in bar["legend"], (seg, bar["legend"])
            assert problems == [], problems
            page.close()


def test_home_story_headings_look_as_before(browser: Any, site: tuple[str, Newsroom]) -> None:
    base, _room = site
    props = [
        "fontFamily",
        "fontSize",
        "fontWeight",
        "lineHeight",
        "textTransform",
        "letterSpacing",
        "color",
        "marginTop",
        "marginBottom",
    ]
    script = f"el => {{ const s = getComputedStyle(el); return {props}.map(p => s[p]); }}"
    home, _ = open_page(browser, base + "/", DESKTOP)
    cards = home.locator("ol.stories > li.card")
    assert cards.count() >= 2
    home_style = cards.nth(1).locator(":is(h2, h3)").first.evaluate(script)
    lead_size = cards.first.locator(":is(h2, h3)").first.evaluate(
        "el => getComputedStyle(el).fontSize"
    )
    search, _ = open_page(browser, base + "/search?q=harbour", DESKTOP)
    search_style = search.locator("ol.stories > li.card h3").first.evaluate(script)
    assert home_style == search_style  # the same card title as the search page's h3
    assert lead_size == "27.2px"  # 1.7rem: the lead story stays larger
    home.close()
    search.close()
