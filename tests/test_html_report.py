"""The HTML report in a real browser (headless Chromium through chromedriver).

The page is loaded from disk; the test reads its DOM (the summary against the JSON
report, a section per rule, a duplicate group with both texts, the filters), checks from
the browser's own network log that nothing was fetched but the file itself, and saves a
screenshot (its path is printed; pytest -s shows it)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from conftest import SAMPLES

import prepdata

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
needs_browser = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                reason="needs chromium and chromium-driver (.ci/run installs them)")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--no-first-run", "--window-size=1280,2000",
                     f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def dirty_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    page = folder / "dirty.html"
    report = folder / "dirty.json"
    for output_format, target in (("html", page), ("json", report)):
        run = subprocess.run(
            [sys.executable, "-m", "prepdata", "lint", str(SAMPLES / "dirty.txt"),
             "--output-format", output_format, "-o", str(target)], capture_output=True, text=True)
        assert run.returncode == 1 and run.stderr == "", run.stderr
    return page, json.loads(report.read_text())


def _requests(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


@needs_browser
def test_the_dirty_sample_report_in_a_browser(browser, dirty_report, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    page, report = dirty_report
    browser.get_log("performance")  # start the network log from here
    browser.get(page.as_uri())
    assert browser.title == "prepdata report"

    summary = report["summary"]
    def number(name: str) -> int:
        return int(browser.find_element(By.ID, f"summary-{name}").get_attribute("data-value"))
    assert number("examples") == summary["examples"] == 255
    assert number("findings") == summary["findings"]
    assert (number("errors"), number("warnings"), number("info")) == tuple(summary["by_severity"].values())
    assert number("bytes") == report["files"][0]["bytes"]
    assert "Not ready for upload" in browser.find_element(By.ID, "verdict").text

    sections = {element.get_attribute("data-rule") for element in browser.find_elements(By.CSS_SELECTOR, "section.rule")}
    assert sections == {entry["code"] for entry in summary["by_rule"]}
    for entry in summary["by_rule"]:
        rows = browser.find_elements(By.CSS_SELECTOR, f"#rule-{entry['code']} tr.finding")
        assert len(rows) == entry["count"]

    # A near-duplicate group shows the kept example and its copy, differences marked.
    dataset = prepdata.Settings().read(SAMPLES / "dirty.txt")
    near = next(f for f in report["findings"] if f["rule"] == "near-duplicate")
    kept, copy = dataset.examples[near["duplicate_of"]].text, dataset.examples[near["example"]].text
    groups = browser.find_elements(By.CSS_SELECTOR, "#duplicates .group")
    texts = [group.text for group in groups]
    assert any(kept[:40].replace("  ", "··") in text and copy[-40:].strip() in text for text in texts)
    assert browser.find_elements(By.CSS_SELECTOR, "#duplicates mark.ins")

    # Whitespace made visible: a no-break space has its named marker.
    assert "⟨NBSP⟩" in browser.find_element(By.ID, "whitespace").text
    # The fixes as a diff.
    assert browser.find_elements(By.CSS_SELECTOR, "#fixes .diff .del")
    assert browser.find_elements(By.CSS_SELECTOR, "#fixes .diff .ins")
    # The histogram is inline SVG with the short-example threshold marked.
    assert "short below 20" in browser.find_element(By.CSS_SELECTOR, "#lengths svg").text

    # The filters hide what does not match.
    Select(browser.find_element(By.ID, "severity-filter")).select_by_value("error")
    visible = {s.get_attribute("data-rule") for s in browser.find_elements(By.CSS_SELECTOR, "section.rule")
               if s.is_displayed()}
    assert visible == {f["code"] for f in report["findings"] if f["severity"] == "error"}
    Select(browser.find_element(By.ID, "severity-filter")).select_by_value("")
    Select(browser.find_element(By.ID, "rule-filter")).select_by_value("PD103")
    visible = {s.get_attribute("data-rule") for s in browser.find_elements(By.CSS_SELECTOR, "section.rule")
               if s.is_displayed()}
    assert visible == {"PD103"}
    Select(browser.find_element(By.ID, "rule-filter")).select_by_value("")

    # Each finding links to its example on the page.
    link = browser.find_element(By.CSS_SELECTOR, "#rule-PD101 tr.finding a")
    assert browser.find_element(By.ID, link.get_attribute("href").split("#", 1)[1]).is_displayed() is not None

    requests = _requests(browser)
    assert requests and all(url.startswith(("file://", "data:")) for url in requests), requests

    screenshot = tmp_path / "dirty-report.png"
    browser.set_window_size(1280, 4000)
    assert browser.save_screenshot(str(screenshot)) and screenshot.stat().st_size > 50_000
    print(f"screenshot: {screenshot}")


def test_the_page_refers_to_nothing_outside_itself(dirty_report):
    page, _ = dirty_report
    text = page.read_text()
    for reference in ("src=", "href=\"http", "@import", "url(", "<link"):
        assert reference not in text


def test_a_report_with_100000_findings_stays_small_and_says_what_it_left_out(command, tmp_path):
    data = tmp_path / "tiny.txt"
    data.write_text("a\n--SEPARATOR--\n" * 50_000)  # 50,000 short examples, 49,999 copies of the first
    page = tmp_path / "tiny.html"
    run = command("lint", data, "--output-format", "html", "-o", page, "--quiet")
    assert run.code == 0 and run.stderr == ""
    text = page.read_text()
    assert len(text) < 1_000_000
    assert "Showing the first 200 of 50,000;" in text and "Showing the first 200 of 49,999;" in text
    findings = json.loads(command("lint", data, "--output-format", "json", "--quiet").stdout)["summary"]["findings"]
    assert findings >= 100_000 and f'id="summary-findings" data-value="{findings}"' in text


def test_the_histogram_marks_the_target_length_when_one_is_set(command, tmp_path):
    page = tmp_path / "verse.html"
    run = command("lint", SAMPLES / "verse.txt", "-O", "short-example.target_length=600",
                  "--output-format", "html", "-o", page)
    assert run.code in (0, 1)
    svg = page.read_text().split('<section id="lengths">', 1)[1].split("</section>", 1)[0]
    assert "<svg" in svg and ">target length 600</text>" in svg and ">short below 150</text>" in svg
