"""The pages in a real browser: headless Chromium (Debian's) driven by Playwright against the
real server process. Also takes the README's screenshots: into a temporary folder, or into
the folder ``SCOOP_SCREENSHOTS`` names (``SCOOP_SCREENSHOTS=docs/screenshots ./scripts/test
-k screenshots`` refreshes the README's), so a test run never rewrites tracked files.

These tests never skip: without /usr/bin/chromium they fail and say how to install it
(``./scripts/test`` does).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal
from urllib.parse import quote_plus

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    FloatRect,
    Page,
    ViewportSize,
    expect,
    sync_playwright,
)

from tests.conftest import index_records, serving

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = ViewportSize(width=1280, height=900)
PHONE = ViewportSize(width=390, height=844)
TIMEOUT_MS = 15_000

CONTRAST_JS = """
(selectors) => {
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const lin = (c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const background = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const color = rgb(getComputedStyle(node).backgroundColor);
      if (color.length === 3 || (color.length === 4 && color[3] > 0)) return color.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const out = {};
  for (const selector of selectors) {
    const element = document.querySelector(selector);
    if (!element) { out[selector] = null; continue; }
    const a = luminance(rgb(getComputedStyle(element).color).slice(0, 3));
    const b = luminance(background(element));
    out[selector] = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }
  return out;
}
"""
CONTRAST_SELECTORS = [
    "body",
    ".fragment mark",
    ".fragment-text",
    ".hit-meta",
    ".why-text",
    ".caption-match figcaption",
    ".caption-match-label",
    ".caption-match .credit",
    ".facet-count",
    ".took",
    ".timeline-axis",
    ".scope input:checked + span",
    ".search-button",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session (Debian's build, never a download)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"the browser tests need Debian's chromium at {CHROMIUM}; ./scripts/test installs it "
            "(as root: apt-get update && apt-get install -y chromium)",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    opened = browser.new_context(viewport=DESKTOP)
    opened.set_default_timeout(TIMEOUT_MS)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def problems() -> list[str]:
    """Console errors and uncaught exceptions (a CSP violation is reported as one)."""
    return []


@pytest.fixture(scope="module")
def page(context: BrowserContext, problems: list[str]) -> Page:
    opened = context.new_page()
    opened.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda error: problems.append(str(error)))
    return opened


@pytest.fixture(autouse=True)
def no_console_errors(problems: list[str]) -> Iterator[None]:
    problems.clear()
    yield
    assert not problems, problems


def test_type_a_query_submit_and_see_highlights_and_a_caption_match(
    page: Page, live_server: str
) -> None:
    page.goto(live_server + "/")
    box = page.locator("#q")
    expect(box).to_be_focused()
    box.fill("sandbags")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=sandbags"))
    expect(page.locator("#q")).to_have_value("sandbags")
    expect(page.locator("#results-heading")).to_contain_text("2 results")
    expect(page.locator(".fragment mark").first).to_have_text("sandbags")
    caption = page.locator(".caption-match")
    expect(caption).to_contain_text("In photo caption 2")
    expect(caption.locator("mark")).to_have_text("sandbags")
    expect(caption.locator(".credit")).to_have_text("Photo by Lena Ortiz")


def test_a_fragment_link_lands_on_the_marked_paragraph_and_back(
    page: Page, live_server: str
) -> None:
    page.goto(live_server + "/search?q=flood")
    link = page.locator(".hit").first.locator(".fragment-link").first
    number = re.sub(r"\D", "", link.inner_text())
    link.click()
    page.wait_for_url(re.compile(rf"/articles/\w+\?q=flood#p{number}$"))
    target = page.locator("p:target")
    expect(target).to_have_attribute("id", f"p{number}")
    expect(target.locator("mark").first).to_be_visible()
    expect(target).to_be_in_viewport()
    expect(page.locator("#story-title mark")).to_have_count(1)
    page.get_by_role("link", name="Back to results").click()
    page.wait_for_url(re.compile(r"/search\?q=flood$"))
    expect(page.locator("#q")).to_have_value("flood")


def test_click_a_facet_its_chip_and_a_page_link(page: Page, live_server: str) -> None:
    page.goto(live_server + "/search?q=flood")
    page.locator(".facet-item", has_text="Grace Liang").click()
    chip = page.locator(".chip", has_text="By Grace Liang")
    expect(chip).to_be_visible()
    expect(page.locator("#results-heading")).to_contain_text("7 results")
    chip.click()
    expect(page.locator("#results-heading")).to_contain_text("15 results")
    expect(page.locator(".chip")).to_have_count(0)
    pages = page.get_by_role("navigation", name="Result pages")
    pages.get_by_role("link", name="Page 2").click()
    page.wait_for_url(re.compile(r"page=2$"))
    expect(pages.locator("[aria-current=page]")).to_have_text("Page 2")
    expect(page.locator("ol.hits")).to_have_attribute("start", "11")
    expect(page.locator("a[rel=prev]")).to_be_visible()


def test_click_a_timeline_bar(page: Page, live_server: str) -> None:
    page.goto(live_server + "/search?q=flood")
    page.locator('a.bar[aria-label="2011: 3 articles"]').click()
    page.wait_for_url(re.compile(r"year=2011$"))
    expect(page.locator("#timeline-title")).to_contain_text("per month, 2011")
    expect(page.locator("a.bar")).to_have_count(2)
    page.locator('a.bar[aria-label="April 2011: 2 articles"]').click()
    expect(page.locator("#results-heading")).to_contain_text("2 results")
    expect(page.locator("a.bar.is-current")).to_have_attribute("aria-current", "true")


def test_autocomplete_with_the_keyboard(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    box = page.locator("#q")
    box.press_sequentially("harb")
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.first).to_have_text(re.compile(r"^harb"))
    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.first.get_attribute("id") or "")
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_value("harb")
    box.press("ArrowDown")
    expect(listbox).to_be_visible()
    box.press("ArrowDown")
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    chosen = options.nth(1).inner_text()
    box.press("Enter")
    page.wait_for_url(re.compile(rf"/search\?q={re.escape(quote_plus(chosen))}(&|$)"))
    expect(page.locator("#q")).to_have_value(chosen)


def test_autocomplete_offers_bylines_and_headlines(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    box = page.locator("#q")
    box.press_sequentially("grace")
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox.locator(".suggestion-group")).to_have_text(["Authors"])
    author = listbox.get_by_role("option", name="Grace Liang")
    expect(author).to_be_visible()
    box.press("ArrowDown")
    expect(author).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?author=Grace(\+|%20)Liang$"))
    box = page.locator("#q")
    box.fill("")
    box.press_sequentially("harbour b")
    expect(listbox.get_by_role("option").first).to_have_text("harbour bridge")
    expect(listbox.locator(".suggestion-group")).to_have_text(["Articles"])
    headline = listbox.get_by_role("option", name=re.compile("^Harbour Bridge Reopens"))
    headline.click()
    page.wait_for_url(re.compile(r"/articles/[0-9a-f]{16}$"))
    expect(page.locator("h1")).to_contain_text("Harbour Bridge Reopens")


def test_keyboard_only_skip_link_and_visible_focus(page: Page, live_server: str) -> None:
    page.goto(live_server + "/search?q=flood")
    skip = page.locator(".skip-link")
    skip.focus()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#results")).to_be_focused()
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.tagName, getComputedStyle(document.activeElement)"
        ".outlineStyle]"
    )
    assert focused[0] == "A" and focused[1] != "none"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_and_marks_have_enough_contrast(
    page: Page, live_server: str, scheme: Literal["light", "dark"]
) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server + "/search?q=flood")
    ratios = page.evaluate(CONTRAST_JS, CONTRAST_SELECTORS)
    low = {selector: ratio for selector, ratio in ratios.items() if not ratio or ratio < 4.5}
    assert not low, f"{scheme}: contrast below 4.5:1 {low}"
    page.emulate_media(color_scheme="light")


@pytest.mark.parametrize("path", ["/", "/search?q=harbour+bridge", "/search?q=flood&year=2011"])
def test_phones_need_no_sideways_scrolling(browser: Browser, live_server: str, path: str) -> None:
    narrow = browser.new_context(viewport=ViewportSize(width=360, height=740))
    try:
        phone = narrow.new_page()
        phone.goto(live_server + path)
        expect(phone.locator("#q")).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        if "q=" in path:
            summary = phone.locator(".refine-summary")
            expect(summary).to_be_visible()
            expect(phone.locator(".facet").first).to_be_hidden()
            summary.click()
            expect(phone.locator(".facet").first).to_be_visible()
    finally:
        narrow.close()


def test_without_javascript_the_search_still_works(browser: Browser, live_server: str) -> None:
    plain = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        page = plain.new_page()
        page.goto(live_server + "/")
        box = page.locator("#q")
        expect(box).not_to_have_attribute("role", "combobox")
        box.fill("levee")
        box.press("Enter")
        page.wait_for_url(re.compile(r"/search\?q=levee"))
        expect(page.locator(".hit mark").first).to_be_visible()
        page.locator(".refine-summary").click()
        page.locator(".facet-item", has_text="Grace Liang").click()
        expect(page.locator(".chip", has_text="By Grace Liang")).to_be_visible()
        page.get_by_role("radio", name="Headlines").check()
        page.get_by_role("button", name="Search", exact=True).click()
        page.wait_for_url(re.compile(r"in=titles"))
        expect(page.locator(".chip", has_text="In headlines")).to_be_visible()
        page.locator(".hit-title a").first.click()
        expect(page.locator("#story-title")).to_be_visible()
        expect(page.get_by_role("link", name="Back to results")).to_be_visible()
    finally:
        plain.close()


@pytest.mark.parametrize("phone", [True, False], ids=["390px", "1280px"])
def test_without_javascript_the_filters_start_closed_on_a_phone_only(
    browser: Browser, live_server: str, phone: bool
) -> None:
    plain = browser.new_context(java_script_enabled=False, viewport=PHONE if phone else DESKTOP)
    try:
        page = plain.new_page()
        page.goto(live_server + "/search?q=flood")
        facet = page.locator(".facet-item", has_text="Grace Liang")
        if phone:
            expect(facet).to_be_hidden()
            expect(page.locator(".hit").first).to_be_in_viewport()
            page.locator(".refine-summary").click()
        else:
            expect(page.locator(".refine-summary")).to_be_hidden()
        expect(facet).to_be_visible()
        expect(page.locator("#since")).to_be_visible()
    finally:
        plain.close()


def test_the_search_form_leaves_empty_fields_out_of_the_url(page: Page, live_server: str) -> None:
    """The script leaves them out (the server would redirect such a URL to the same end)."""
    page.goto(live_server + "/search?q=flood&year=2011")
    page.locator("#q").fill("levee")
    with page.expect_request(lambda asked: asked.is_navigation_request()) as sent:
        page.locator("#q").press("Enter")
    assert sent.value.url == live_server + "/search?q=levee&year=2011"
    page.locator("#until").fill("2011-06-30")
    with page.expect_request(lambda asked: asked.is_navigation_request()) as sent:
        page.get_by_role("button", name="Apply dates").click()
    assert sent.value.url == live_server + "/search?q=levee&year=2011&until=2011-06-30"
    expect(page.locator(".chip", has_text="Until June 30, 2011")).to_be_visible()


def test_hide_and_show_highlighting_keep_back_to_results(page: Page, live_server: str) -> None:
    page.goto(live_server + "/search?q=flood&author=Grace+Liang")
    page.locator(".hit-title a").first.click()
    expect(page.locator(".story-body mark").first).to_be_visible()
    page.get_by_role("link", name="Hide highlighting").click()
    expect(page.locator(".story-body mark")).to_have_count(0)
    page.get_by_role("link", name="Show highlighting").click()
    expect(page.locator(".story-body mark").first).to_be_visible()
    page.get_by_role("link", name="Back to results").click()
    page.wait_for_url(re.compile(r"/search\?q=flood&author=Grace\+Liang$"))


def test_the_article_page_search_box_autocompletes(page: Page, live_server: str) -> None:
    page.goto(live_server + _article_path(page, live_server) + "?q=flood")
    box = page.locator("#site-q")
    box.fill("")
    box.press_sequentially("harb")
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options.first).to_have_text(re.compile(r"^harb"))
    expect(options.first).to_be_in_viewport()
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", options.first.get_attribute("id") or "")
    chosen = options.first.inner_text()
    box.press("Enter")
    page.wait_for_url(re.compile(rf"/search\?q={re.escape(quote_plus(chosen))}$"))
    expect(page.locator("#q")).to_have_value(chosen)


def _article_path(page: Page, live_server: str) -> str:
    """The path of the sample article the screenshots show (found by its headline)."""
    page.goto(live_server + "/search?q=maren+river+floods&in=titles")
    href = page.locator(".hit-title a", has_text="Maren River Floods").get_attribute("href")
    assert href
    return href.split("?")[0]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots(
    browser: Browser, live_server: str, scheme: Literal["light", "dark"], tmp_path: Path
) -> None:
    """The README's screenshots: search and article pages, 1280 and 390 wide."""
    folder = Path(os.environ.get("SCOOP_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    for name, viewport, height in [("1280", DESKTOP, 1300), ("390", PHONE, 1700)]:
        shots = browser.new_context(viewport=viewport, color_scheme=scheme, device_scale_factor=1)
        try:
            page = shots.new_page()
            article = _article_path(page, live_server) + "?q=flood"
            for kind, path in [("search", "/search?q=flood"), ("article", article)]:
                page.goto(live_server + path)
                expect(page.locator("main")).to_be_visible()
                clip = FloatRect(x=0, y=0, width=viewport["width"], height=height)
                shot = folder / f"{kind}-{name}-{scheme}.png"
                page.screenshot(path=str(shot), full_page=True, clip=clip, animations="disabled")
                assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        finally:
            shots.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_story_versions_screenshots(
    browser: Browser, live_server: str, scheme: Literal["light", "dark"], tmp_path: Path
) -> None:
    """The README's screenshots of a story's versions: the result with its versions
    opened, and the article page's diff from the closest version (1280 wide)."""
    folder = Path(os.environ.get("SCOOP_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    shots = browser.new_context(viewport=DESKTOP, color_scheme=scheme, device_scale_factor=1)
    try:
        page = shots.new_page()
        page.goto(live_server + "/search?q=pier+4+ferry")
        hit = page.locator(".hit", has=page.locator("details.versions")).first
        hit.locator("summary").click()
        expect(hit.locator(".versions-list li")).to_have_count(2)
        hit.screenshot(path=str(folder / f"versions-1280-{scheme}.png"), animations="disabled")
        hit.get_by_role("link", name="What differs between them").click()
        story = page.get_by_role("complementary", name="3 versions of this story")
        expect(story.locator("ins").first).to_be_visible()
        story.screenshot(path=str(folder / f"diff-1280-{scheme}.png"), animations="disabled")
    finally:
        shots.close()
    for kind in ("versions", "diff"):
        assert (folder / f"{kind}-1280-{scheme}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_story_is_one_result_whose_versions_open_and_differ(page: Page, live_server: str) -> None:
    page.goto(live_server + "/search?q=ferry")
    expect(page.get_by_text(re.compile(r"versions of a story are one result"))).to_be_visible()
    titles = page.locator(".hit-title").all_inner_texts()
    versions = {
        "Pier 4 Ferry Made Permanent; City Orders Two Electric Boats",
        "Pier 4 Ferry Will Become a Permanent Service",
        "Council Votes to Keep the Pier 4 Ferry for Good",
    }
    assert len(versions & set(titles)) == 1
    story = page.locator("details.versions").first
    expect(story.locator(".versions-list")).to_be_hidden()
    story.locator("summary", has_text="3 versions of this story").click()
    expect(story.locator(".versions-list li a")).to_have_count(2)
    story.get_by_role("link", name="What differs between them").click()
    page.wait_for_url(re.compile(r"/articles/[0-9a-f]{16}\?q=ferry#versions$"))
    aside = page.get_by_role("complementary", name="3 versions of this story")
    expect(aside.locator("ins").first).to_be_in_viewport()
    expect(aside.locator("del").first).to_be_visible()
    page.goto(live_server + "/search?q=ferry")
    page.get_by_role("link", name="Show every version").click()
    page.wait_for_url(re.compile(r"versions=all"))
    assert len(versions & set(page.locator(".hit-title").all_inner_texts())) == 3


HOSTILE = [
    {
        "id": "script",
        "title": "Harbour <script>window.__owned = 1</script> vote",
        "authors": ['<img src=x onerror="window.__owned = 2">'],
        "body": [
            "The harbour board met. <b onmouseover=alert(1)>bold</b> &lt;i&gt; & <broken",
            "Harbour " + "x" * 10_000 + " ends here.",
            "Harbour \u202eright-to-left override\u202c then the rest.",
        ],
        "captions": [{"text": "Harbour <svg onload=alert(1)>", "credit": "\u202eKCOTS"}],
        "url": "javascript:window.__owned = 3",
    }
]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hostile")
    with serving(index_records(HOSTILE, folder), folder / "server.log") as base:
        yield base


@pytest.mark.parametrize("where", ["search", "article"])
def test_hostile_text_runs_nothing_injects_nothing_and_fits_a_phone(
    browser: Browser, hostile_server: str, where: str
) -> None:
    phone = browser.new_context(viewport=PHONE)
    try:
        page = phone.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(hostile_server + "/search?q=harbour")
        if where == "article":
            page.locator(".hit-title a").first.click()
            page.wait_for_load_state()
            expect(page.locator(".story-body")).to_be_visible()
        assert page.evaluate("window.__owned") is None
        assert dialogs == []
        injected = (
            "img:not(.brand-mark), b, [onerror], [onload], [onmouseover], a[href^='javascript']"
        )
        assert page.locator(f":is({injected})").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        isolated = page.evaluate(
            """() => [...document.querySelectorAll(
                   '.hit-title a, .fragment-text, .story-body p, .byline bdi, q')]
                 .map((el) => getComputedStyle(el).unicodeBidi)"""
        )
        assert isolated and set(isolated) == {"isolate"}
    finally:
        phone.close()


def test_results_offer_a_feed_and_a_csv_and_articles_list_related_ones(
    page: Page, live_server: str
) -> None:
    page.goto(live_server + "/search?q=light+rail")
    follow = page.get_by_role("link", name=re.compile("^Follow this search"))
    expect(follow).to_be_visible()
    expect(page.locator('link[rel="alternate"][type="application/atom+xml"]')).to_have_attribute(
        "href", "/search.atom?q=light+rail"
    )
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    assert download.value.suggested_filename == "scoop-search.csv"
    page.locator(".hit-title a").first.click()
    related = page.get_by_role("complementary", name="Related articles")
    expect(related.get_by_role("link")).to_have_count(5)
    related.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/articles/[0-9a-f]{16}$"))
