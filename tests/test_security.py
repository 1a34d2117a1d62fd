"""Hostile notes in a real browser: a catalogue of script-injection payloads in a note's body,
author and sources renders as harmless text, and no script runs, even when its links are
clicked."""

from __future__ import annotations

from conftest import serve_built

PAYLOADS = [
    "{{ 7 * 7 }} {% raw %} ${7*7}",
    "<script>window.__xss = 'script'</script>",
    '<img src=x onerror="window.__xss = \'img\'">',
    '<svg onload="window.__xss = \'svg\'"></svg>',
    "[a link](javascript:window.__xss='markdown-link')",
    "![an image](javascript:window.__xss='markdown-image')",
    '<a href="javascript:window.__xss=\'html-link\'">html link</a>',
    '<a href="&#106;avascript:window.__xss=\'entity\'">entity link</a>',
    '<a href="data:text/html,<script>parent.__xss=1</script>">data link</a>',
    '<iframe srcdoc="<script>parent.__xss=\'iframe\'</script>"></iframe>',
    '<details open ontoggle="window.__xss=\'details\'"><summary>x</summary></details>',
    '<input autofocus onfocus="window.__xss=\'input\'">',
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss='mxss'>",
    '<object data="javascript:window.__xss=\'object\'"></object>',
    "<style>*{background:url('javascript:window.__xss=1')}</style>",
    '<p style="background:url(javascript:window.__xss=1)" onmouseover="window.__xss=\'hover\'">hover me</p>',
]


def test_injection_payloads_render_as_harmless_text(browser, edition):
    body = "\n\n".join(PAYLOADS)
    (edition / "annotations/harbour-pier/hostile.md").write_text(
        "---\ntype: context\nquote: engineers found cracks in its supports\n"
        "author: \"<img src=x onerror=window.__xss='author'>\"\n"
        "sources:\n  - title: \"<script>window.__xss='title'</script>\"\n"
        "    url: \"https://example.org/?q=<script>window.__xss='url'</script>\"\n---\n" + body + "\n",
        encoding="utf-8")
    server, address = serve_built(edition)
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"{address}/harbour-pier/")
        note = page.locator("#note-hostile")
        assert note.is_visible()
        note.hover()
        for link in note.locator("a").all():
            if link.is_visible():
                link.click(no_wait_after=True, modifiers=["Alt"])
        page.wait_for_timeout(300)
        page.goto(f"{address}/harbour-pier/")
        assert page.evaluate("() => window.__xss") is None
        assert dialogs == []
        text = note.inner_text()
        assert "{{ 7 * 7 }}" in text and "49" not in text
        assert "Note by <img src=x onerror=window.__xss='author'>" in text
        assert note.locator("script, iframe, object, img, svg, input, style, math").count() == 0
        for page_path in ("notes/", "contributors/", "errata/"):
            page.goto(f"{address}/{page_path}")
            assert page.evaluate("() => window.__xss") is None
        context.close()
    finally:
        server.shutdown()
        server.server_close()
