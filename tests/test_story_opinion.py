"""Opinion pieces are told from reports by their address, their label or their note."""

from __future__ import annotations

import pytest

from newsprism.analyze.opinion import is_opinion


@pytest.mark.parametrize(
    ("url", "title", "text"),
    [
        ("https://www.nytimes.com/2018/06/07/opinion/supreme-court-cake.html", "The cake case", ""),
        ("https://www.washingtonpost.com/opinions/leaders-let-them-down/", "Leaders failed", ""),
        ("https://www.theguardian.com/commentisfree/2020/jun/20/defund", "What it means", ""),
        ("https://townhall.com/columnists/derekhunter/2018/12/20/wall-n25", "A wall?", ""),
        ("http://www.nationalreview.com/corner/435847/katie-couric-lying", "Couric lies", ""),
        ("https://example.com/news/1", "OPINION: Trump's tariffs hurt freedom", ""),
        ("https://example.com/news/2", "Op-Ed | The case against the bill", ""),
        ("https://example.com/news/3", "The budget betrays voters", "Opinion contributor\n\nIt"),
        (
            "https://example.com/news/4",
            "Why the debate matters",
            "Editor's Note: The opinions expressed in this commentary are her own.",
        ),
    ],
)
def test_columns_op_eds_and_editorials_are_opinion(url: str, title: str, text: str) -> None:
    assert is_opinion(url, title, text)


@pytest.mark.parametrize(
    ("url", "title", "text"),
    [
        ("https://example.com/2020/06/opinion-poll-shows-biden-ahead", "Poll: Biden ahead", ""),
        ("https://example.com/politics/1", "Opinion polls show Biden ahead in Ohio", ""),
        ("https://example.com/politics/2", "Senate passes bill", "The Senate passed a bill."),
        ("", "Court rules on the case", "A public opinion survey found most approve."),
    ],
)
def test_reports_that_mention_opinion_are_not_opinion(url: str, title: str, text: str) -> None:
    assert not is_opinion(url, title, text)


def test_a_first_person_section_is_opinion() -> None:
    assert is_opinion(
        "https://vox.com/first-person/2019/11/12/20953221/daca-supreme-court", "My case", ""
    )
