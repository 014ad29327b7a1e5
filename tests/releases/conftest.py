from tests.reports.conftest import couple_record, first_page_png, record  # noqa: F401
