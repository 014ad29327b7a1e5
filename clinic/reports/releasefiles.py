"""A release's file, written from the contents its gate checked (clinic.releases.releasing.hand_out)."""

from clinic.releases.contents import Contents
from clinic.releases.models import Release
from clinic.reports.documents import client_summary_pdf
from clinic.reports.export import record_zip


def release_file(*, contents: Contents, by) -> tuple[bytes, str]:
    """The PDF or ZIP of a release, every file in it written from `contents` and nothing else."""
    release = contents.release
    if release.kind == Release.Kind.EXPORT:
        return record_zip(contents=contents, by=by, purpose=release.purpose_text)
    options = {**release.options, "purpose": release.purpose_text}
    return client_summary_pdf(
        case=release.case, client=release.client, options=options, by=by, release=release, contents=contents
    )
