"""One digest of the code that shapes cached output, for the report files and the fragments: it
covers the core's modules, the templates, the report's stylesheet and the catalogs, and a change
to any of them changes both kinds of key."""

import shutil
from pathlib import Path

from django.conf import settings

from reviews import code_digest as module
from reviews.code_digest import code_digest, code_files, digest_of

BASE = Path(settings.BASE_DIR)
# Files that shape the numbers, the sentence or the look of the report and the dashboards.
SHAPING = [
    "indicators/tally.py",
    "indicators/values.py",
    "indicators/people.py",
    "indicators/units.py",
    "indicators/results.py",
    "reviews/report/selectors.py",
    "reviews/report/html.py",
    "reviews/report/docx.py",
    "reviews/charts.py",
    "reviews/tables.py",
    "reviews/templatetags/values.py",
    "reviews/templatetags/report_text.py",
    "static/css/report.css",
    "locale/vi/LC_MESSAGES/django.mo",
    "locale/en/LC_MESSAGES/django.mo",
    "templates/base.html",
]


def test_every_file_that_shapes_the_report_is_in_the_digest():
    files = {str(p.relative_to(BASE)) for p in code_files(BASE)}
    missing = [name for name in SHAPING if (BASE / name).exists() and name not in files]
    assert missing == []
    assert {"indicators/tally.py", "static/css/report.css"} <= files
    assert any(name.startswith("reviews/templates/reviews/report/") for name in files)


def test_a_change_to_a_core_module_changes_the_digest(tmp_path):
    for name in ("indicators/tally.py", "static/css/report.css", "locale/vi/LC_MESSAGES/django.mo"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(BASE / name, tmp_path / name)
    before = digest_of(tmp_path)
    assert digest_of(tmp_path) == before  # the same bytes, the same digest
    for name in ("indicators/tally.py", "static/css/report.css", "locale/vi/LC_MESSAGES/django.mo"):
        path = tmp_path / name
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert digest_of(tmp_path) != before, name
        path.write_bytes(original)
    (tmp_path / "indicators" / "new_rule.py").write_text("X = 1\n")
    assert digest_of(tmp_path) != before


def test_the_report_and_the_fragments_are_keyed_by_the_one_digest(tree, monkeypatch):
    from django.utils import translation

    from reviews import fragments
    from reviews.report import key, services
    from reviews.selectors import review_document

    committee = tree["P-D1-C1"]
    document = review_document(committee=committee)
    with translation.override("vi"):
        report = services.report_key(committee=committee, fmt="pdf", language="vi", document=document)
        fragment = fragments.fragment_key("x", 1)
        assert code_digest() in fragment
        monkeypatch.setattr(module, "code_digest", lambda: "a-new-release")
        monkeypatch.setattr(key, "code_digest", module.code_digest)
        monkeypatch.setattr(fragments, "code_digest", module.code_digest)
        assert services.report_key(committee=committee, fmt="pdf", language="vi", document=document) != report
        assert fragments.fragment_key("x", 1) != fragment
