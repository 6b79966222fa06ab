"""The signed, archived report at each stage of a term: the end-of-term review has its own PDF/A
(its stage in the metadata, its own verification code), its own signed file checked against the
approved END review, its own card on the end page, and the public page and `verify_report` say
which report of the term a code or file is.

The certificate authority, the signer and the helpers are test_signing's."""

# ruff: noqa: F811 -- the fixtures are test_signing's, imported, and named as arguments
import io
import re

import pikepdf
import pytest
from django.core.management import call_command
from django.urls import reverse

from indicators.models import Stage
from indicators.services.assessments import stage_open
from reviews.models import ReviewAction, SignedReport
from reviews.services import review_step
from reviews.signing.metadata import verification_code
from reviews.signing.services import page_texts
from tests.conftest import fill_end

from .signing_pki import sign
from .test_signing import _approve, _named, _url, code_of, people, pki, refusal, roots  # noqa: F401

END = "end"


@pytest.fixture
def both(people, roots, tree):
    """P-D1-C1's mid-term review approved, then its end-of-term review approved too."""
    _approve(people["commune"], people["secretary"], people["approver"])
    stage_open(committee=tree["P"], stage=Stage.END)
    fill_end(people["commune"])
    review_step(committee=people["commune"], step=ReviewAction.SUBMIT, by=people["secretary"], stage=END)
    review_step(committee=people["commune"], step=ReviewAction.APPROVE, by=people["approver"], stage=END)
    return people


@pytest.fixture
def mid_only(people, roots, tree):
    """The mid-term review approved; the end stage open but its review not sent."""
    _approve(people["commune"], people["secretary"], people["approver"])
    stage_open(committee=tree["P"], stage=Stage.END)
    return people


def archive(client, user, committee, stage: str = "mid") -> bytes:
    client.force_login(user)
    query = {"archive": 1, **({"stage": stage} if stage != "mid" else {})}
    response = client.get(_url("report_pdf", committee, **query))
    assert response.status_code == 200, response.content[:300]
    kind = "so-ket" if stage == "mid" else "tong-ket"
    assert response["Content-Disposition"].endswith(f'"bao-cao-{kind}-{committee.code}-2020-2025-pdfa.pdf"')
    return response.content


def upload(client, user, committee, data: bytes, stage: str = "mid"):
    client.force_login(user)
    query = {"stage": stage} if stage != "mid" else {}
    return client.post(
        _url("report_signed_upload", committee, **query), {"file": io.BytesIO(data) | _named("da-ky.pdf")}
    )


def info(pdf: bytes) -> dict[str, str]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return {str(k): str(v) for k, v in doc.docinfo.items()}


# ---- the archive rendition ------------------------------------------------------------------------


def test_the_end_archive_is_the_end_report_with_stage_end_and_a_code_of_its_own(both, client):
    commune = both["commune"]
    mid = archive(client, both["secretary"], commune)
    end = archive(client, both["secretary"], commune, END)
    mid_info, end_info = info(mid), info(end)
    assert mid_info["/soketstage"] == "mid" and end_info["/soketstage"] == "end"
    # The end review's own heading, not the mid-term's.
    assert (end_info["/soketdocumentnumber"], end_info["/soketdocumentdate"]) == ("70-BC/ĐU", "2025-06-01")
    assert end_info["/soketverificationcode"] != mid_info["/soketverificationcode"]
    assert end_info["/soketcontentdigest"] != mid_info["/soketcontentdigest"]
    end_pages = page_texts(end)
    assert "tổng kết" in end_pages[0].lower() and "Cuối kỳ" in "".join(end_pages)
    assert code_of(end) in end_pages[-1] and code_of(mid) not in "".join(end_pages)


def test_the_code_keys_the_stage_in_and_the_mid_terms_code_is_as_it_was():
    digest = "0" * 64
    assert verification_code(committee_pk=7, digest=digest, stage="end") != verification_code(
        committee_pk=7, digest=digest, stage="mid"
    )
    # Codes already printed on signed mid-term reports keep verifying.
    assert verification_code(committee_pk=7, digest=digest) == verification_code(
        committee_pk=7, digest=digest, stage="mid"
    )


def test_the_end_archive_waits_for_the_end_approval_saying_so(mid_only, client):
    commune = mid_only["commune"]
    client.force_login(mid_only["secretary"])
    response = client.get(_url("report_pdf", commune, archive=1, stage=END))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Báo cáo tổng kết của Đảng bộ P-D1-C1 chưa được phê duyệt" in page
    assert "stage=end" in page  # back to the end review, not the mid-term's
    assert client.get(_url("report_pdf", commune, archive=1)).status_code == 200  # the mid-term's is there


# ---- the upload ---------------------------------------------------------------------------------------


def test_a_signed_end_report_is_accepted_kept_with_stage_end_and_shown_on_the_end_page(both, client, pki):
    commune = both["commune"]
    signed = sign(archive(client, both["secretary"], commune, END), pki["signer"], pki["ca"])
    response = upload(client, both["secretary"], commune, signed, END)
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"].endswith("?term=2020-2025&stage=end")
    row = SignedReport.objects.get()
    assert (row.stage, bytes(row.content), row.committee_id) == ("end", signed, commune.pk)
    assert row.verification_code == code_of(signed)

    end_page = client.get(_url("review_edit", commune, stage=END)).content.decode()
    assert re.search(r"Đã ký số: Nguyễn Văn An, [^<]+ — hợp lệ", end_page)
    assert "(bản của một lần phê duyệt trước)" not in end_page
    # The end card's links and upload carry the stage.
    assert "/report/signed.pdf?term=2020-2025&amp;stage=end" in end_page
    assert "/report.pdf?term=2020-2025&amp;stage=end&amp;archive=1" in end_page
    assert "/report/signed/?term=2020-2025&amp;stage=end" in end_page
    # The mid-term page shows no end file, and its links stay the mid-term's.
    mid_page = client.get(_url("review_edit", commune)).content.decode()
    assert "Đã ký số:" not in mid_page
    assert (
        "stage=end&amp;archive=1" not in mid_page
        and "/report/signed/?term=2020-2025&amp;stage" not in mid_page
    )
    assert '/report/signed/?term=2020-2025"' in mid_page

    download = client.get(_url("report_signed_pdf", commune, stage=END))
    assert download.status_code == 200 and download.content == signed
    assert download["Content-Disposition"].endswith('"bao-cao-tong-ket-P-D1-C1-2020-2025-da-ky.pdf"')
    missing = client.get(_url("report_signed_pdf", commune))  # no mid-term file was signed
    assert missing.status_code == 404
    assert "Chưa có bản báo cáo sơ kết đã ký số nào" in missing.content.decode()


def test_a_signed_mid_report_shows_on_the_mid_page_only(both, client, pki):
    commune = both["commune"]
    signed = sign(archive(client, both["secretary"], commune), pki["signer"], pki["ca"])
    assert upload(client, both["secretary"], commune, signed).status_code == 302
    assert SignedReport.objects.get().stage == "mid"
    assert "Đã ký số:" in client.get(_url("review_edit", commune)).content.decode()
    assert "Đã ký số:" not in client.get(_url("review_edit", commune, stage=END)).content.decode()
    missing = client.get(_url("report_signed_pdf", commune, stage=END))
    assert missing.status_code == 404 and "báo cáo tổng kết" in missing.content.decode()


def test_an_end_upload_before_the_end_approval_is_refused_and_nothing_kept(mid_only, client, pki):
    commune = mid_only["commune"]
    signed = sign(archive(client, mid_only["secretary"], commune), pki["signer"], pki["ca"])
    response = upload(client, mid_only["secretary"], commune, signed, END)
    assert (
        refusal(response)
        == "Báo cáo tổng kết của Đảng bộ P-D1-C1 chưa được phê duyệt: chưa thể nhận bản đã ký."
    )
    page = response.content.decode()
    assert "/report/signed/?term=2020-2025&amp;stage=end" in page  # the form tries the end again
    assert "Quay lại báo cáo tổng kết của Đảng bộ P-D1-C1" in page
    assert not SignedReport.objects.exists()


def test_a_file_of_the_other_stage_is_refused_naming_the_stage(both, client, pki):
    commune, secretary = both["commune"], both["secretary"]
    mid = sign(archive(client, secretary, commune), pki["signer"], pki["ca"])
    end = sign(archive(client, secretary, commune, END), pki["signer"], pki["ca"])
    assert "là báo cáo sơ kết giữa nhiệm kỳ của Đảng bộ P-D1-C1, không phải báo cáo tổng kết" in refusal(
        upload(client, secretary, commune, mid, END)
    )
    assert "là báo cáo tổng kết nhiệm kỳ của Đảng bộ P-D1-C1, không phải báo cáo sơ kết" in refusal(
        upload(client, secretary, commune, end)
    )
    assert not SignedReport.objects.exists()


# ---- verifiable by anyone ---------------------------------------------------------------------------


def test_the_public_page_and_verify_report_say_it_is_the_end_of_term_report(
    both, client, pki, tmp_path, capsys
):
    commune = both["commune"]
    signed = sign(archive(client, both["secretary"], commune, END), pki["signer"], pki["ca"])
    assert upload(client, both["secretary"], commune, signed, END).status_code == 302
    client.logout()
    page = client.get(reverse("report_verify", args=[code_of(signed)])).content.decode()
    assert "là báo cáo tổng kết nhiệm kỳ đã được phê duyệt của Đảng bộ P-D1-C1, nhiệm kỳ 2020-2025" in page
    assert "báo cáo sơ kết" not in page

    path, roots_file = tmp_path / "signed.pdf", tmp_path / "roots.pem"
    path.write_bytes(signed)
    roots_file.write_bytes(pki["ca"].pem)
    call_command("verify_report", str(path), "--roots", str(roots_file))
    out = capsys.readouterr().out
    assert re.fullmatch(
        r"valid: Nguyễn Văn An, \S+, P-D1-C1, 2020-2025, end \(báo cáo tổng kết nhiệm kỳ\)\n", out
    ), out
