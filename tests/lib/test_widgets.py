def test_date_pickers_show_dates_the_browser_accepts():
    from datetime import date

    from clinic.lib.widgets import DatePicker

    html = DatePicker().render("start", date(2026, 8, 23))
    assert 'type="date"' in html and 'value="2026-08-23"' in html
