"""Opens a kubectl-gridsearch HTML report in headless Chromium (Debian's, driven by Playwright) and
prints what it found as JSON: console errors, network requests, element counts, and what a hover and
a click did. Saves a full-page screenshot. Usage: check_report.py REPORT.html SCREENSHOT.png"""
import json
import os
import shutil
import sys
import tempfile

from playwright.sync_api import sync_playwright

# The network is closed and Playwright's browser downloads are blocked: Debian's chromium, quiet.
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def main(report, screenshot):
    url = "file://" + os.path.abspath(report)
    profile = tempfile.mkdtemp(prefix="gridsearch-report-chromium-")
    found = {"console": [], "requests": []}
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                profile, executable_path="/usr/bin/chromium", headless=True, args=FLAGS,
                viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.on("console", lambda m: found["console"].append(m.type + ": " + m.text)
                    if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: found["console"].append("pageerror: " + str(e)))
            page.on("request", lambda r: found["requests"].append(r.url))
            page.goto(url, wait_until="load")
            found["title"] = page.title()
            found["sections"] = page.eval_on_selector_all("main > section", "s => s.map(e => e.id)")
            found["heatmaps"] = page.eval_on_selector_all(
                "svg.heatmap", "s => s.map(e => ({x: e.dataset.x, y: e.dataset.y,"
                " cells: e.querySelectorAll('rect.cell').length,"
                " empty: e.querySelectorAll('rect.cell.empty').length}))")
            counts = {}
            for name, selector in {
                "leaderboardRows": "#leaderboard-table tbody tr",
                "parallelLines": "svg.parallel path.line",
                "histogramBars": "svg.histogram rect.bar",
                "importanceBars": "rect.importance-bar",
                "marginals": "svg.marginal",
                "timelines": "svg.timeline",
                "failureRows": "#failures-table tbody tr",
                "varianceRows": "svg.variance circle.mean",
                "splitDots": "svg.variance circle.split",
            }.items():
                counts[name] = page.locator(selector).count()
            found["counts"] = counts
            cell = page.locator("svg.heatmap rect.cell").first
            if cell.count():
                cell.hover()
                found["tooltip"] = page.locator("#tip").inner_text()
                found["tooltipVisible"] = page.locator("#tip").is_visible()
            header = page.locator("#leaderboard-table th").nth(1)
            if header.count():
                header.first.click()
                found["trialsAfterSort"] = page.eval_on_selector_all(
                    "#leaderboard-table tbody tr", "rs => rs.map(r => r.cells[1].textContent)")
            page.screenshot(path=screenshot, full_page=True)
            context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    print(json.dumps(found))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
