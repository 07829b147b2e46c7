"""The committed registry is exactly what the generator makes from the open lists."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from newsprism.registry.bundle import OUTLETS_FILE, load_bundle, read_bundle

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "build_registry.py"


def build_script() -> ModuleType:
    pytest.importorskip("babel", reason="the registry generator needs babel for country names")
    spec = importlib.util.spec_from_file_location("build_registry", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the module is being executed
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.shared_data
def test_generator_reproduces_the_committed_registry(shared_data: Path, tmp_path: Path) -> None:
    assert build_script().main(["--data", str(shared_data), "--out", str(tmp_path)]) == 0
    rebuilt = read_bundle(tmp_path / OUTLETS_FILE)
    assert rebuilt.version == load_bundle().version
    assert (tmp_path / OUTLETS_FILE).read_bytes() == (
        Path(__file__).resolve().parents[1] / "src/newsprism/registry/data" / OUTLETS_FILE
    ).read_bytes()


def test_country_names_and_feed_titles_are_read_as_the_lists_write_them() -> None:
    script = build_script()
    assert script.country_code("USA | Texas") == "us"
    assert script.country_code("Switzerland (DE)") == "ch"
    assert script.country_code("Healthcare | Germany") == "de"
    assert script.country_code("AI") is None
    assert script.cctld_country("spiegel.de") == "de"
    assert script.cctld_country("bbc.co.uk") == "gb"
    assert script.cctld_country("startup.io") is None
    title = "Latest News and News Headlines | Daily Telegraph"
    assert script.clean_title(title, "dailytelegraph.com.au") == "Daily Telegraph"
    assert script.clean_title("KUSA - News", "9news.com") is None
