"""The goals chart says in words what it draws: each goal's marks in time order, a review named as one."""

from bs4 import BeautifulSoup

from clinic.lib.charts import Mark, marks_grid


def test_the_chart_describes_each_row_in_words_and_escapes_them():
    svg = marks_grid(
        ["Talk <calmly> about money", "Repair within a day"],
        ["Nov 3", "Nov 10", "Review\nDec 1"],
        {(0, 0): Mark(1, "some movement"), (0, 2): Mark(2, "much progress"), (1, 1): Mark(-1, "set back")},
        title="Goals across sessions and reviews",
        shaded=[2],
        spoken=["November 3, 2026", "November 10, 2026", "the review of December 1, 2026"],
    )
    doc = BeautifulSoup(str(svg), "html.parser")
    assert doc.find("title").get_text() == "Goals across sessions and reviews"
    assert doc.find("desc").get_text() == (
        "Talk <calmly> about money: November 3, 2026 some movement, the review of December 1, 2026 much progress; "
        "Repair within a day: November 10, 2026 set back"
    )
    assert "<calmly>" not in str(svg)
    assert len(doc.find_all("polygon")) == 1  # the step back is a triangle
    assert [t.get_text() for t in doc.find_all("text")][:4] == ["Nov 3", "Nov 10", "Review", "Dec 1"]


def test_a_row_without_marks_says_so():
    svg = marks_grid(["Goal"], ["Nov 3"], {}, title="t")
    assert BeautifulSoup(str(svg), "html.parser").find("desc").get_text() == "Goal: nothing recorded yet"
