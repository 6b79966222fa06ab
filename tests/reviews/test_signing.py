"""The signed, archived report: the PDF/A of an approved review, the upload of the signed file and
each of its refusals, the archive kept byte for byte, the public page and `verify_report`.

A throwaway certificate authority and signers are made here (tests/reviews/signing_pki.py) and
pyHanko signs, as a signer's own tool would."""

import hashlib
import io
import re
from datetime import UTC, datetime, timedelta

import pikepdf
import pytest
from django.core.management import call_command
from django.urls import reverse

from reviews.models import Review, ReviewAction, SignedReport
from reviews.services import SolutionItem, review_document_update, review_step
from reviews.signing.models import SignedReportImmutable
from reviews.signing.services import page_texts
from reviews.signing.verify import InvalidSignedReport, Refusal, verify_signed_pdf
from tests.conftest import fill_document

from .signing_pki import make_ca, make_signer, sign

IMMEDIATE = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "reports", "email"],
    }
}


@pytest.fixture(scope="module")
def pki():
    ca = make_ca()
    return {
        "ca": ca,
        "signer": make_signer(ca, "Nguyễn Văn An"),
        "expired": make_signer(
            ca,
            "Người Hết Hạn",
            not_before=datetime.now(UTC) - timedelta(days=400),
            not_after=datetime.now(UTC) - timedelta(days=1),
        ),
        "stranger_ca": (stranger := make_ca("Untrusted Root (throwaway)")),
        "stranger": make_signer(stranger, "Người Lạ"),
    }


@pytest.fixture
def roots(pki, tmp_path, settings):
    path = tmp_path / "roots.pem"
    path.write_bytes(pki["ca"].pem)
    settings.SIGNATURE_TRUST_ROOTS = str(path)
    settings.TASKS = IMMEDIATE
    return path


@pytest.fixture
def people(tree, make_user):
    commune, other = tree["P-D1-C1"], tree["P-D1-C2"]
    return {
        "commune": commune,
        "other": other,
        "secretary": make_user("bithu", commune, role="secretary"),
        "other_secretary": make_user("bithu2", other, role="secretary"),
        "approver": make_user("vanphong", tree["P-D1"]),
        "viewer": make_user("xem", commune),
        "stranger": make_user("la", tree["P-D2"]),
    }


def _approve(committee, secretary, approver):
    fill_document(committee)
    review_step(committee=committee, step=ReviewAction.SUBMIT, by=secretary)
    review_step(committee=committee, step=ReviewAction.APPROVE, by=approver)


@pytest.fixture
def approved(people, roots):
    _approve(people["commune"], people["secretary"], people["approver"])
    return people


def _url(name, committee, **query):
    q = "&".join(f"{k}={v}" for k, v in {"term": committee.term.code, **query}.items())
    return f"{reverse(name, args=[committee.code])}?{q}"


def archive_of(client, user, committee) -> bytes:
    client.force_login(user)
    response = client.get(_url("report_pdf", committee, archive=1))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"].endswith('-pdfa.pdf"')
    return response.content


def upload(client, user, committee, data: bytes, name="bao-cao-da-ky.pdf"):
    client.force_login(user)
    return client.post(_url("report_signed_upload", committee), {"file": io.BytesIO(data) | _named(name)})


class _named:
    """`io.BytesIO(data) | _named("x.pdf")`: a file object with a name, as the test client uploads it."""

    def __init__(self, name):
        self.name = name

    def __ror__(self, stream):
        stream.name = self.name
        return stream


def code_of(pdf: bytes) -> str:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return str(doc.docinfo["/soketverificationcode"])


def refusal(response) -> str:
    assert response.status_code in (400, 503), response.status_code
    match = re.search(r'<p class="message error" role="alert">(.*?)</p>', response.content.decode(), re.S)
    assert match, response.content.decode()[:500]
    return match.group(1)


# ---- the archive rendition ------------------------------------------------------------------------


def test_archive_is_pdf_a_2b_with_its_metadata_fonts_embedded_and_nothing_active(approved, client):
    """No veraPDF here (it is Java and packaged neither by Debian nor PyPI): the PDF/A-2b
    requirements a file can break are checked with pikepdf one by one."""
    commune = approved["commune"]
    pdf = archive_of(client, approved["secretary"], commune)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert not doc.is_encrypted
        meta = doc.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        assert "Sơ kết giữa nhiệm kỳ" in meta["dc:title"]
        intents = doc.Root.OutputIntents
        assert len(intents) == 1 and intents[0].S == "/GTS_PDFA1" and "/DestOutputProfile" in intents[0]
        info = doc.docinfo
        assert str(info["/soketcommittee"]) == commune.code
        assert str(info["/soketterm"]) == "2020-2025"
        assert str(info["/soketstage"]) == "mid"
        assert str(info["/soketdocumentnumber"]) == "12-BC/ĐU"
        assert str(info["/soketdocumentdate"]) == "2023-06-01"
        assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}", str(info["/soketverificationcode"]))
        assert re.fullmatch(r"[0-9a-f]{64}", str(info["/soketcontentdigest"]))
        assert str(info["/Title"]) == str(meta["dc:title"])  # the info dictionary agrees with the XMP
        fonts = 0
        for page in doc.pages:
            for font in page.Resources.get("/Font", {}).values():
                fonts += 1
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
        assert fonts > 0
        # Nothing active: no JavaScript, no actions run on opening, no form that computes.
        assert "/OpenAction" not in doc.Root and "/AA" not in doc.Root
        assert "/JavaScript" not in doc.Root.get("/Names", {})
        assert b"/JavaScript" not in pdf and b"/JS " not in pdf
    # The last page carries the verification code and its link (and the QR code drawn beside it).
    texts = page_texts(pdf)
    code = code_of(pdf)
    assert code in texts[-1] and f"/verify/{code}/" in texts[-1].replace("\n", "")
    assert all(code not in text for text in texts[:-1])


def test_archive_reads_as_the_approved_report_plus_its_verification_block(approved, client):
    commune = approved["commune"]
    client.force_login(approved["secretary"])
    plain = client.get(_url("report_pdf", commune)).content
    archive = archive_of(client, approved["secretary"], commune)
    plain_pages, archive_pages = page_texts(plain), page_texts(archive)
    assert len(archive_pages) == len(plain_pages)  # the block fits on the last page of a commune's report
    assert archive_pages[:-1] == plain_pages[:-1]
    block = archive_pages[-1].splitlines()
    start = block.index(next(line for line in block if line.startswith("Mã xác thực")))
    assert block[:start] + block[start + 3 :] == plain_pages[-1].splitlines()


def test_archive_is_in_vietnamese_whatever_the_readers_language(approved, client):
    commune = approved["commune"]
    client.cookies["django_language"] = "en"
    pdf = archive_of(client, approved["secretary"], commune)
    assert "Mã xác thực" in page_texts(pdf)[-1]


def test_archive_of_a_review_not_approved_is_refused_saying_why(people, roots, client):
    client.force_login(people["secretary"])
    response = client.get(_url("report_pdf", people["commune"], archive=1))
    assert response.status_code == 409
    assert "chưa được phê duyệt" in response.content.decode()
    client.cookies["django_language"] = "en"
    assert (
        "has not been approved"
        in client.get(_url("report_pdf", people["commune"], archive=1)).content.decode()
    )


# ---- the upload: accepted -------------------------------------------------------------------------


def test_signed_archive_is_accepted_kept_byte_for_byte_and_shown(approved, client, pki):
    commune = approved["commune"]
    archive = archive_of(client, approved["secretary"], commune)
    signed = sign(archive, pki["signer"], pki["ca"])
    response = upload(client, approved["secretary"], commune, signed)
    assert response.status_code == 302, response.content.decode()[:500]

    row = SignedReport.objects.get(committee=commune)
    assert bytes(row.content) == signed
    assert row.sha256 == hashlib.sha256(signed).hexdigest() and row.size == len(signed)
    assert (row.signer, row.uploaded_by, row.filename) == (
        "Nguyễn Văn An",
        approved["secretary"],
        "bao-cao-da-ky.pdf",
    )
    # The report as signed reads exactly as the approved archive rendition: same text, same pages.
    assert page_texts(signed) == page_texts(archive)

    page = client.get(_url("review_edit", commune)).content.decode()
    assert re.search(r"Đã ký số: Nguyễn Văn An, [^<]+ — hợp lệ", page)
    assert "(bản của một lần phê duyệt trước)" not in page

    # The committee above downloads the very bytes.
    client.force_login(approved["approver"])
    download = client.get(_url("report_signed_pdf", commune))
    assert download.status_code == 200 and download.content == signed
    assert download["Content-Type"] == "application/pdf"


def test_the_approver_above_may_upload_a_viewer_may_not_a_stranger_gets_404(approved, client, pki):
    commune = approved["commune"]
    signed = sign(archive_of(client, approved["secretary"], commune), pki["signer"], pki["ca"])
    assert upload(client, approved["viewer"], commune, signed).status_code == 403
    assert upload(client, approved["stranger"], commune, signed).status_code == 404
    assert upload(client, approved["approver"], commune, signed).status_code == 302
    assert SignedReport.objects.get().uploaded_by == approved["approver"]


def test_every_accepted_upload_is_kept_and_none_can_be_changed(approved, client, pki):
    commune = approved["commune"]
    archive = archive_of(client, approved["secretary"], commune)
    first, second = (
        sign(archive, pki["signer"], pki["ca"]),
        sign(archive, pki["signer"], pki["ca"], field="Lan2"),
    )
    assert upload(client, approved["secretary"], commune, first).status_code == 302
    assert upload(client, approved["secretary"], commune, second).status_code == 302
    rows = list(SignedReport.objects.order_by("pk"))
    assert [bytes(r.content) for r in rows] == [first, second]
    assert client.get(_url("report_signed_pdf", commune)).content == second  # the latest is shown
    with pytest.raises(SignedReportImmutable):
        rows[0].save()
    with pytest.raises(SignedReportImmutable):
        rows[0].delete()


# ---- the upload: each refusal ----------------------------------------------------------------------


def _tampered(signed: bytes) -> bytes:
    """One byte changed inside the signed range: a letter of the page's text stream or the info."""
    index = signed.index(b"/soketterm") + 2
    return signed[:index] + bytes([signed[index] ^ 0x01]) + signed[index + 1 :]


def _modified_after_signing(signed: bytes) -> bytes:
    """An incremental update after the signature that changes what a page shows (an annotation)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    page_ref = writer.root["/Pages"]["/Kids"][0]
    annot = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Annot"),
                generic.NameObject("/Subtype"): generic.NameObject("/FreeText"),
                generic.NameObject("/Rect"): generic.ArrayObject(
                    [generic.NumberObject(n) for n in (10, 10, 200, 40)]
                ),
                generic.NameObject("/Contents"): generic.TextStringObject("Đã sửa sau khi ký"),
            }
        )
    )
    page = page_ref.get_object()
    page[generic.NameObject("/Annots")] = generic.ArrayObject([annot])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "case, expected",
    [
        ("not_pdf", "không phải là tệp PDF"),
        ("unsigned", "không có chữ ký số"),
        ("tampered", "không hợp lệ: nội dung đã ký bị thay đổi"),
        ("untrusted", "không thuộc chuỗi chứng thư gốc tin cậy"),
        ("expired", "không còn hiệu lực vào thời điểm ký"),
        ("modified", "đã bị sửa đổi sau khi Nguyễn Văn An ký"),
    ],
)
def test_a_bad_file_is_refused_with_its_reason_and_nothing_is_kept(approved, client, pki, case, expected):
    commune = approved["commune"]
    archive = archive_of(client, approved["secretary"], commune)
    signed = sign(archive, pki["signer"], pki["ca"])
    data = {
        "not_pdf": b"PK\x03\x04 a Word file, not a PDF",
        "unsigned": archive,
        "tampered": _tampered(signed),
        "untrusted": sign(archive, pki["stranger"], pki["stranger_ca"]),
        "expired": sign(archive, pki["expired"], pki["ca"]),
        "modified": _modified_after_signing(signed),
    }[case]
    response = upload(client, approved["secretary"], commune, data)
    assert expected in refusal(response)
    assert response.status_code == 400
    assert not SignedReport.objects.exists()


def test_the_refusal_is_in_english_for_an_english_reader(approved, client):
    client.cookies["django_language"] = "en"
    response = upload(client, approved["secretary"], approved["commune"], b"not a pdf")
    assert "is not a PDF" in refusal(response)


def test_another_committees_signed_report_is_refused(approved, client, pki):
    commune, other = approved["commune"], approved["other"]
    _approve(other, approved["other_secretary"], approved["approver"])
    others = sign(archive_of(client, approved["other_secretary"], other), pki["signer"], pki["ca"])
    message = refusal(upload(client, approved["secretary"], commune, others))
    assert "không phải báo cáo sơ kết của Đảng bộ P-D1-C1" in message and "P-D1-C2" in message
    assert not SignedReport.objects.exists()


def test_a_signature_over_an_older_version_of_the_report_is_refused(approved, client, pki):
    """Approve, sign; reopen, change, approve again: the file signed before is not the report now."""
    commune, secretary, approver = approved["commune"], approved["secretary"], approved["approver"]
    old = sign(archive_of(client, secretary, commune), pki["signer"], pki["ca"])
    review_step(committee=commune, step=ReviewAction.REOPEN, by=approver, reason="Sửa số liệu")
    review = Review.objects.get(committee=commune, stage="mid")
    review.refresh_from_db()
    review_document_update(
        committee=commune,
        by=secretary,
        expected_version=review.version,
        fields={"overall": "Đánh giá chung đã sửa sau khi trả lại."},
        # A report is sent complete (issue 25): its lesson and solution group stay.
        lessons=["Bám sát cơ sở."],
        solutions=[SolutionItem(area="socio_economic", text="Tập trung phát triển kinh tế.")],
    )
    review_step(committee=commune, step=ReviewAction.SUBMIT, by=secretary)
    review_step(committee=commune, step=ReviewAction.APPROVE, by=approver)
    message = refusal(upload(client, secretary, commune, old))
    assert "khác báo cáo đã phê duyệt hiện hành" in message
    assert not SignedReport.objects.exists()
    # The report as approved now, signed, is accepted.
    new = sign(archive_of(client, secretary, commune), pki["signer"], pki["ca"])
    assert upload(client, secretary, commune, new).status_code == 302


def test_a_file_signed_over_an_earlier_approval_stays_archived_and_is_labelled_so(approved, client, pki):
    commune, secretary, approver = approved["commune"], approved["secretary"], approved["approver"]
    signed = sign(archive_of(client, secretary, commune), pki["signer"], pki["ca"])
    assert upload(client, secretary, commune, signed).status_code == 302
    review_step(committee=commune, step=ReviewAction.REOPEN, by=approver, reason="Sửa số liệu")
    page = client.get(_url("review_edit", commune)).content.decode()
    assert "Đã ký số: Nguyễn Văn An" in page and "Tải bản PDF/A để ký số" not in page
    review = Review.objects.get(committee=commune, stage="mid")
    review.refresh_from_db()
    review_document_update(
        committee=commune,
        by=secretary,
        expected_version=review.version,
        fields={"overall": "Đã sửa."},
        # A report is sent complete (issue 25): its lesson and solution group stay.
        lessons=["Bám sát cơ sở."],
        solutions=[SolutionItem(area="socio_economic", text="Tập trung phát triển kinh tế.")],
    )
    review_step(committee=commune, step=ReviewAction.SUBMIT, by=secretary)
    review_step(committee=commune, step=ReviewAction.APPROVE, by=approver)
    page = client.get(_url("review_edit", commune)).content.decode()
    assert "(bản của một lần phê duyệt trước)" in page
    assert client.get(_url("report_signed_pdf", commune)).content == signed


def test_an_upload_while_the_review_is_not_approved_is_refused(people, roots, client, pki):
    response = upload(client, people["secretary"], people["commune"], b"%PDF-1.7")
    assert "chưa được phê duyệt" in refusal(response)


def test_an_upload_over_the_size_limit_is_refused_before_reading(approved, client, monkeypatch):
    monkeypatch.setattr("reviews.signing.views.MAX_FILE_BYTES", 1024)
    response = upload(client, approved["secretary"], approved["commune"], b"%PDF-" + b"0" * 2048)
    assert "vượt giới hạn" in refusal(response)


def test_without_trust_roots_every_upload_is_refused_saying_so(approved, client, pki, settings):
    archive = archive_of(client, approved["secretary"], approved["commune"])
    settings.SIGNATURE_TRUST_ROOTS = ""
    response = upload(
        client, approved["secretary"], approved["commune"], sign(archive, pki["signer"], pki["ca"])
    )
    assert "SIGNATURE_TRUST_ROOTS" in refusal(response)


# ---- the organisation's signature by the server -----------------------------------------------------


def test_the_server_adds_the_organisations_signature_and_the_signers_comes_after(
    approved, client, pki, tmp_path, settings
):
    org = make_signer(pki["ca"], "Đảng ủy xã P-D1-C1 (tổ chức)")
    p12 = tmp_path / "org.p12"
    p12.write_bytes(org.pkcs12(b"mat-khau", [pki["ca"]]))
    settings.SIGNATURE_ORG_PKCS12, settings.SIGNATURE_ORG_PKCS12_PASSPHRASE = str(p12), "mat-khau"
    commune = approved["commune"]
    archive = archive_of(client, approved["secretary"], commune)
    with pikepdf.open(io.BytesIO(archive)) as doc:  # still PDF/A-2b after the server's signature
        meta = doc.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
    roots = [_asn1(pki["ca"])]
    assert verify_signed_pdf(archive, roots=roots).signer == "Đảng ủy xã P-D1-C1 (tổ chức)"
    signed = sign(archive, pki["signer"], pki["ca"])
    verified = verify_signed_pdf(signed, roots=roots)
    assert [s.signer for s in verified.signatures] == ["Đảng ủy xã P-D1-C1 (tổ chức)", "Nguyễn Văn An"]
    assert upload(client, approved["secretary"], commune, signed).status_code == 302
    assert SignedReport.objects.get().signer == "Nguyễn Văn An"


def _asn1(identity):
    from asn1crypto import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    return x509.Certificate.load(identity.cert.public_bytes(Encoding.DER))


# ---- verifiable by anyone ---------------------------------------------------------------------------


@pytest.fixture
def accepted(approved, client, pki):
    commune = approved["commune"]
    signed = sign(archive_of(client, approved["secretary"], commune), pki["signer"], pki["ca"])
    assert upload(client, approved["secretary"], commune, signed).status_code == 302
    client.logout()
    return SignedReport.objects.get(), signed


def test_the_public_page_names_committee_term_signer_and_time_without_login(accepted, client):
    row, _signed = accepted
    response = client.get(reverse("report_verify", args=[row.verification_code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "là báo cáo sơ kết đã được phê duyệt của Đảng bộ P-D1-C1, nhiệm kỳ 2020-2025" in page
    assert "do Nguyễn Văn An ký số lúc" in page
    assert "Chỉ tiêu 1" not in page and row.sha256 not in page  # nothing more
    # Typed by hand: lower case, spaces instead of dashes.
    typed = row.verification_code.lower().replace("-", " ")
    assert client.get(reverse("report_verify", args=[typed])).status_code == 200


def test_the_public_page_says_plainly_when_the_code_is_unknown(db, client):
    response = client.get(reverse("report_verify", args=["ABCD-EFGH-JK"]))
    assert response.status_code == 404
    assert "chưa được ký số và tải lên" in response.content.decode()
    assert client.get(reverse("report_verify", args=["<script>"])).status_code == 404


def test_a_report_approved_but_not_yet_signed_is_unknown_to_the_public_page(approved, client):
    archive = archive_of(client, approved["secretary"], approved["commune"])
    code = code_of(archive)
    client.logout()
    assert "chưa được ký số" in client.get(reverse("report_verify", args=[code])).content.decode()


def test_verify_report_prints_valid_with_signer_time_committee_and_term(accepted, roots, tmp_path, capsys):
    _row, signed = accepted
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    call_command("verify_report", str(path), "--roots", str(roots))
    out = capsys.readouterr().out
    assert re.fullmatch(
        r"valid: Nguyễn Văn An, \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d, P-D1-C1, 2020-2025\n", out
    )


# No `db` fixture: pytest-django refuses any query, so these prove the command needs no database.
@pytest.mark.parametrize(
    "kind, expected",
    [
        ("valid", "valid: Nguyễn Văn An, "),
        ("tampered", "invalid: Chữ ký số của Nguyễn Văn An không hợp lệ"),
        ("untrusted", "invalid: Chứng thư số của Người Lạ"),
        ("unsigned", "invalid: Tệp PDF không có chữ ký số nào."),
    ],
)
def test_verify_report_needs_no_database(pki, tmp_path, capsys, settings, kind, expected):
    from reviews.report.pdf import html_to_pdfa

    html = (
        '<html lang="vi"><head><title>Báo cáo</title><meta name="soketcommittee" content="BK-CM-NH">'
        '<meta name="soketterm" content="2020-2025"></head><body><p>Báo cáo sơ kết</p></body></html>'
    )
    pdf = html_to_pdfa(html)
    data = {
        "valid": sign(pdf, pki["signer"], pki["ca"]),
        "tampered": _tampered(sign(pdf, pki["signer"], pki["ca"])),
        "untrusted": sign(pdf, pki["stranger"], pki["stranger_ca"]),
        "unsigned": pdf,
    }[kind]
    path, roots = tmp_path / "file.pdf", tmp_path / "roots.pem"
    path.write_bytes(data)
    roots.write_bytes(pki["ca"].pem)
    settings.SIGNATURE_TRUST_ROOTS = str(roots)  # from the setting when --roots is not given
    code = 0
    try:
        call_command("verify_report", str(path))
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr().out
    assert out.startswith(expected), out
    assert code == (0 if kind == "valid" else 1)
    if kind == "valid":
        assert out.rstrip().endswith(", BK-CM-NH, 2020-2025")


def test_a_certificate_valid_when_it_signed_still_verifies_after_it_expired(pki):
    from reviews.report.pdf import html_to_pdfa

    ca = pki["ca"]
    short = make_signer(
        ca,
        "Ký Năm Ngoái",
        not_before=datetime.now(UTC) - timedelta(days=400),
        not_after=datetime.now(UTC) - timedelta(days=30),
    )
    pdf = html_to_pdfa("<html><head><title>x</title></head><body>x</body></html>")
    signed = sign(pdf, short, ca, when=datetime.now(UTC) - timedelta(days=60))
    verified = verify_signed_pdf(signed, roots=[_asn1(ca)])
    assert verified.signer == "Ký Năm Ngoái"
    with pytest.raises(InvalidSignedReport) as refused:
        verify_signed_pdf(sign(pdf, short, ca), roots=[_asn1(ca)])
    assert refused.value.reason == Refusal.NOT_VALID_THEN


def test_pyhankos_blocking_calls_work_beside_a_running_event_loop():
    """pyHanko's blocking calls run asyncio.run() inside, which a thread already running an event
    loop refuses (the browser tests' driver left one running, and the signing tests after them
    failed): they run in a thread of their own there."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from reviews.signing.verify import outside_any_event_loop

    async def inside_a_loop():
        return outside_any_event_loop(asyncio.run, asyncio.sleep(0, "done"))

    # In a thread of its own: this test's own thread may already run a loop (the browser tests').
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside_a_loop()).result() == "done"
