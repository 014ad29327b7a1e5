import xml.etree.ElementTree as ET
from datetime import date

from clinic.lib.charts import Bar, bar_chart, dot_matrix, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_bar_chart_draws_one_bar_per_value_with_words_for_readers():
    svg = bar_chart(
        [Bar("Decision-making", (62.5, 12.5), highlight=True), Bar("Money", (0, 100))],
        title="Domain scores",
        series=("Partner A", "Partner B"),
    )
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "Domain scores"
    assert (
        root.find(f"{SVG}desc").text
        == "Decision-making: Partner A 62.5, Partner B 12.5; Money: Partner A 0, Partner B 100"
    )
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect") if r.get("height") == "12"]
    # Legend squares (12 wide) first, then bars: 62.5% and 12.5% of 300, then 0 and 300.
    assert widths[2:] == [187.5, 37.5, 0.0, 300.0]
    assert root.get("role") == "img"


def test_charts_escape_text_and_carry_no_style_attributes():
    svg = bar_chart([Bar('<script>alert("x")</script>', (50,))], title="A & B")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "style=" not in svg
    parse(svg)


def test_values_outside_the_scale_are_drawn_clamped_but_reported_as_given():
    root = parse(bar_chart([Bar("x", (140,))], title="t"))
    assert float(next(r for r in root.iter(f"{SVG}rect")).get("width")) == 300.0
    assert "x: Score 140" in root.find(f"{SVG}desc").text


def test_line_chart_places_points_in_time_order():
    svg = line_chart(
        {"Index": [(date(2026, 1, 1), 60.0), (date(2026, 3, 1), 40.0), (date(2026, 5, 1), 20.0)]}, title="Trend"
    )
    root = parse(svg)
    xs = [float(c.get("cx")) for c in root.iter(f"{SVG}circle")]
    ys = [float(c.get("cy")) for c in root.iter(f"{SVG}circle")]
    assert xs == sorted(xs) and ys == sorted(ys)
    assert "Jan 1, 2026 60" in root.find(f"{SVG}desc").text


def test_an_empty_line_chart_says_so():
    assert "No results yet" in line_chart({}, title="Trend")


def test_dot_matrix_sizes_dots_by_level():
    svg = dot_matrix(["Naming power", "Repair"], ["S1", "S2"], {(0, 0): 3, (1, 1): 1}, title="Practices")
    root = parse(svg)
    radii = sorted(float(c.get("r")) for c in root.iter(f"{SVG}circle"))
    assert radii == [2.0, 2.0, 5.7, 11.0]  # 3 + 8 * level / 3, to one decimal
    assert root.find(f"{SVG}desc").text == "Naming power: S1 3; Repair: S2 1"


def test_each_chart_has_its_own_ids():
    first, second = parse(bar_chart([Bar("x", (1,))], title="a")), parse(bar_chart([Bar("x", (1,))], title="b"))
    assert first.get("aria-labelledby") != second.get("aria-labelledby")
    assert first.find(f"{SVG}title").get("id") in first.get("aria-labelledby").split()
