"""Loads the schedule page in headless Chromium (Selenium + chromedriver,
from Debian's chromium and chromium-driver packages) from a local HTTP
server, at a desktop and a phone width, checks what a person sees, and
saves screenshots.

At each width it also runs axe-core (Deque's accessibility engine, the
npm package `.ci/tools` installs): no serious or critical violation.

Usage: page_check.py SITE_DIR SCREENSHOT_DIR EXPECT_JSON AXE_MIN_JS
EXPECT_JSON: {"today": text in today's cell and the headline,
              "holiday": a holiday's name, "reason": an override's reason,
              "literal": a text that must show as typed (escaping)}
         or, for the organisation's index, {"kind": "organisation",
              "teams": [[team, today's engineer], ...] in the page's order,
              "holiday": a shared holiday's name, "literal": as above}
              (every team and person link must answer 200)
Prints "ok WIDTHS" or the failures, one per line (exit 1)."""
import functools
import http.server
import json
import os
import shutil
import sys
import threading

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

site, shots, expect_path, axe_path = sys.argv[1:5]
expect = json.load(open(expect_path))
axe_source = open(axe_path, encoding="utf-8").read()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(
    ("127.0.0.1", 0), functools.partial(Quiet, directory=site)
)
threading.Thread(target=server.serve_forever, daemon=True).start()
url = f"http://127.0.0.1:{server.server_address[1]}/index.html"

options = webdriver.ChromeOptions()
options.binary_location = os.environ.get("CHROME_BIN") or shutil.which("chromium") or shutil.which("chromium-browser")
for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"]:
    options.add_argument(arg)
driver = webdriver.Chrome(
    options=options,
    service=Service(executable_path=os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")),
)

failures = []
driver.set_script_timeout(120)


def axe_violations():
    """axe-core's violations on the page as loaded: (id, impact, nodes)."""
    driver.execute_script(axe_source)
    found = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, { resultTypes: ['violations'] })
            .then(r => done(r.violations.map(v => [v.id, v.impact, v.nodes.map(n => n.target.join(' '))])))
            .catch(e => done([['axe failed', 'critical', [String(e)]]]));
    """)
    return found


def check(cond, what):
    if not cond:
        failures.append(what)


def team_checks(w):
    """A team's page: the headline, today's cell, a holiday, an uncovered
    day, an override with its reason, the sections."""
    head = driver.find_element(By.ID, "today")
    check(head.is_displayed() and expect["today"] in head.text, f"{w}: the headline {head.text!r} does not name {expect['today']!r}")
    today = driver.find_elements(By.CSS_SELECTOR, ".day.today")
    check(len(today) == 1, f"{w}: {len(today)} cells marked today")
    if today:
        check(today[0].is_displayed(), f"{w}: today's cell is hidden")
        check(expect["today"] in today[0].text, f"{w}: today's cell says {today[0].text!r}")
    holidays = [e for e in driver.find_elements(By.CSS_SELECTOR, ".day.holiday") if e.is_displayed()]
    check(any(expect["holiday"] in e.text for e in holidays), f"{w}: no visible holiday named {expect['holiday']!r}")
    uncovered = [e for e in driver.find_elements(By.CSS_SELECTOR, ".day.uncovered") if e.is_displayed()]
    check(any("Uncovered" in e.text for e in uncovered), f"{w}: no visible uncovered day")
    overrides = [e for e in driver.find_elements(By.CSS_SELECTOR, ".day.override") if e.is_displayed()]
    check(
        any(expect["reason"] in e.text and expect["reason"] in (e.get_attribute("title") or "") for e in overrides),
        f"{w}: no visible override with the reason {expect['reason']!r} (shown and on hover)",
    )
    body = driver.find_element(By.TAG_NAME, "body").text
    check(expect["literal"] in body, f"{w}: {expect['literal']!r} is not shown as typed")
    for section in ["cycle", "fairness", "feeds"]:
        check(driver.find_element(By.ID, section).is_displayed(), f"{w}: no {section} section")

def common_checks(w, name, metrics, width):
    # WCAG contrast of every visible text against its background: at
    # least 4.5:1 (normal text).
    worst = driver.execute_script("""
        const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
        const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
            .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
        const bg = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor); if (c.length === 3 || c[3] > 0) return c.slice(0, 3); } return [255, 255, 255]; };
        let worst = [99, ''];
        for (const el of document.querySelectorAll('body *')) {
            if (!el.offsetParent || ![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
            const a = lum(rgb(getComputedStyle(el).color)), b = lum(bg(el));
            const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
            if (ratio < worst[0]) worst = [ratio, el.textContent.trim().slice(0, 40)];
        }
        return worst;
    """)
    check(worst[0] >= 4.5, f"{w}: contrast {worst[0]:.2f}:1 below 4.5:1 at {worst[1]!r}")
    for rule, impact, nodes in axe_violations():
        check(impact not in ("serious", "critical"), f"{w}: axe-core: {rule} ({impact}) at {nodes[:3]}")
    scroll = driver.execute_script("return document.documentElement.scrollWidth")
    # Against the width asked for: a phone's layout viewport grows to
    # fit content that is too wide (window.innerWidth with it).
    check(scroll <= width, f"{w}: horizontal scroll ({scroll}px wide in {width}px)")
    full = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", dict(metrics, height=min(full, 6000)))
    os.makedirs(shots, exist_ok=True)
    driver.save_screenshot(os.path.join(shots, f"{name}.png"))

def organisation_checks(w):
    """The organisation's index: the headline, one row per team naming
    today's engineer, each team's page reachable, the people's feeds."""
    check(driver.find_element(By.ID, "today").is_displayed(), f"{w}: no headline")
    rows = driver.find_elements(By.CSS_SELECTOR, "#teams tbody tr")
    check(len(rows) == len(expect["teams"]), f"{w}: {len(rows)} team rows, not {len(expect['teams'])}")
    for row, (team, today) in zip(rows, expect["teams"]):
        check(row.is_displayed() and team in row.text and today in row.text, f"{w}: the row {row.text!r} does not say {team!r}, {today!r}")
    body = driver.find_element(By.TAG_NAME, "body").text
    check(expect["literal"] in body, f"{w}: {expect['literal']!r} is not shown as typed")
    check(expect["holiday"] in body, f"{w}: the shared holiday {expect['holiday']!r} is not shown")
    for section in ["teams", "holidays", "people"]:
        check(driver.find_element(By.ID, section).is_displayed(), f"{w}: no {section} section")
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#teams tbody a, #people a")]
    for href in links:
        status = driver.execute_script("const r = new XMLHttpRequest(); r.open('GET', arguments[0], false); r.send(); return r.status;", href)
        check(status == 200, f"{w}: {href} answers {status}")

try:
    for name, width, height in [("desktop", 1280, 900), ("phone", 375, 812), ("narrow", 390, 844)]:
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        driver.get(url)
        w = f"{name} ({width}px)"
        check("<script" not in driver.page_source.lower(), f"{w}: the page has a script")
        if expect.get("kind") == "organisation":
            organisation_checks(w)
        else:
            team_checks(w)
        common_checks(w, name, metrics, width)
finally:
    driver.quit()
    server.shutdown()

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok desktop phone narrow")
