"""Checking a signed report with pyHanko, with no database: the upload and `verify_report` share it.

A file passes when it is a PDF, carries at least one signature, every signature is intact and
cryptographically valid, every signer's certificate chains to one of the trusted roots and was
valid at the time of signing, and nothing was changed after the last signature beyond what
long-term validation adds (a document timestamp, validation data). The signer is the last
signature's: an organisation's signature, added first by the server, is checked the same way.

The time of signing is the signature's trusted timestamp when it has one, else the time the
signer's software wrote into the signature; the certificate is judged at that time, so a
report signed with a certificate valid then still verifies years later, after it expired."""

import asyncio
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from asn1crypto import pem, x509
from django.utils.translation import gettext as _

from .metadata import ArchiveMetadata, read_metadata

# A signing time this far in the future is a wrong clock or a lie; either way, not accepted.
CLOCK_SKEW = timedelta(minutes=10)
# Bounds for a hostile upload: a real report has one or two signatures.
MAX_SIGNATURES = 8


class Refusal(StrEnum):
    NOT_PDF = "not_pdf"
    NO_SIGNATURE = "no_signature"
    BROKEN = "broken"  # the signature does not verify: the signed bytes changed, or a bad signature
    UNTRUSTED = "untrusted"  # the certificate does not chain to a trusted root (or was revoked)
    NOT_VALID_THEN = "not_valid_then"  # the certificate was expired or not yet valid at signing time
    MODIFIED = "modified"  # changed after signing
    NOT_THIS_REPORT = "not_this_report"  # the server's own check: another committee's report
    OLDER_VERSION = "older_version"  # the server's own check: not the currently approved content
    NO_ROOTS = "no_roots"  # nothing to trust: SIGNATURE_TRUST_ROOTS unset or empty


class InvalidSignedReport(Exception):
    def __init__(self, reason: Refusal, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class SignatureInfo:
    signer: str  # the certificate's common name (else its whole subject)
    signed_at: datetime
    certificate_sha256: str
    field_name: str


@dataclass(frozen=True)
class VerifiedReport:
    signer: str
    signed_at: datetime
    metadata: ArchiveMetadata
    signed_revision: bytes  # the file as it was when the last signature was made
    signatures: list[SignatureInfo] = field(default_factory=list)


def outside_any_event_loop(function, /, *args, **kwargs):
    """Call one of pyHanko's blocking functions, which run asyncio.run() inside: from a thread
    that already runs an event loop (an async server, a browser driver in the tests) asyncio.run()
    refuses, so there the call runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def load_trust_roots(path: str | Path | None) -> list[x509.Certificate]:
    """Every certificate of a PEM (or DER) file; InvalidSignedReport(NO_ROOTS) when none."""
    if not path:
        raise InvalidSignedReport(
            Refusal.NO_ROOTS,
            _("Chưa cấu hình chứng thư gốc tin cậy (SIGNATURE_TRUST_ROOTS): không thể kiểm tra chữ ký số."),
        )
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InvalidSignedReport(
            Refusal.NO_ROOTS,
            _("Không đọc được tệp chứng thư gốc tin cậy %(path)s: %(error)s") % {"path": path, "error": exc},
        ) from exc
    roots: list[x509.Certificate] = []
    if pem.detect(data):
        for kind, _headers, der in pem.unarmor(data, multiple=True):
            if kind == "CERTIFICATE":
                roots.append(x509.Certificate.load(der))
    elif data:
        roots.append(x509.Certificate.load(data))
    if not roots:
        raise InvalidSignedReport(
            Refusal.NO_ROOTS,
            _("Tệp chứng thư gốc tin cậy %(path)s không chứa chứng thư nào.") % {"path": path},
        )
    return roots


def _name(cert: x509.Certificate) -> str:
    subject = cert.subject.native
    return str(subject.get("common_name") or cert.subject.human_friendly)


def _issuer(cert: x509.Certificate) -> str:
    return str(cert.issuer.native.get("common_name") or cert.issuer.human_friendly)


def _signing_time(embedded) -> datetime:
    """The trusted timestamp's time if the signature carries one, else the signer's own clock."""
    tst = getattr(embedded, "attached_timestamp_data", None)
    if tst is not None:
        try:
            return tst["encap_content_info"]["content"].parsed["gen_time"].native
        except (KeyError, ValueError, TypeError, AttributeError):
            pass
    reported = embedded.self_reported_timestamp
    if reported is None:
        raise InvalidSignedReport(Refusal.BROKEN, _("Chữ ký số không ghi thời điểm ký."))
    return reported if reported.tzinfo else reported.replace(tzinfo=UTC)


def verify_signed_pdf(
    data: bytes, *, roots: list[x509.Certificate], now: datetime | None = None
) -> VerifiedReport:
    """The signer and signing time of a signed report; InvalidSignedReport naming why it fails."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    now = now or datetime.now(UTC)
    if b"%PDF-" not in data[:1024]:  # the header, within the first KB as readers allow
        raise InvalidSignedReport(Refusal.NOT_PDF, _("Tệp không phải là tệp PDF."))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except Exception as exc:  # noqa: BLE001 -- any parser failure means "not a PDF we can read"
        raise InvalidSignedReport(
            Refusal.NOT_PDF, _("Tệp không phải là tệp PDF đọc được (%(error)s).") % {"error": exc}
        ) from None
    if not embedded:
        raise InvalidSignedReport(Refusal.NO_SIGNATURE, _("Tệp PDF không có chữ ký số nào."))
    if len(embedded) > MAX_SIGNATURES:
        raise InvalidSignedReport(Refusal.BROKEN, _("Tệp PDF có quá nhiều chữ ký số."))

    usage = KeyUsageConstraints(
        key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False
    )
    signatures: list[SignatureInfo] = []
    for index, sig in enumerate(embedded):
        last = index == len(embedded) - 1
        try:
            cert = sig.signer_cert
            signed_at = _signing_time(sig)
            context = ValidationContext(trust_roots=roots, moment=signed_at, allow_fetching=False)
            status = outside_any_event_loop(validate_pdf_signature, sig, context, key_usage_settings=usage)
        except InvalidSignedReport:
            raise
        except (SignatureValidationError, PdfReadError, ValueError, KeyError, TypeError) as exc:
            raise InvalidSignedReport(
                Refusal.BROKEN, _("Chữ ký số không kiểm tra được (%(error)s).") % {"error": exc}
            ) from None
        who = _name(cert)
        if not (status.intact and status.valid):
            raise InvalidSignedReport(
                Refusal.BROKEN,
                _("Chữ ký số của %(signer)s không hợp lệ: nội dung đã ký bị thay đổi hoặc chữ ký bị hỏng.")
                % {"signer": who},
            )
        if signed_at > now + CLOCK_SKEW:
            raise InvalidSignedReport(
                Refusal.NOT_VALID_THEN,
                _("Thời điểm ký của %(signer)s nằm trong tương lai.") % {"signer": who},
            )
        if not status.trusted:
            not_before = cert.not_valid_before
            not_after = cert.not_valid_after
            if not (not_before <= signed_at <= not_after):
                raise InvalidSignedReport(
                    Refusal.NOT_VALID_THEN,
                    _(
                        "Chứng thư số của %(signer)s không còn hiệu lực vào thời điểm ký (%(at)s): "
                        "hiệu lực từ %(start)s đến %(end)s."
                    )
                    % {
                        "signer": who,
                        "at": f"{signed_at.astimezone(UTC):%d/%m/%Y %H:%M} UTC",
                        "start": f"{not_before:%d/%m/%Y}",
                        "end": f"{not_after:%d/%m/%Y}",
                    },
                )
            if status.revoked:
                raise InvalidSignedReport(
                    Refusal.UNTRUSTED, _("Chứng thư số của %(signer)s đã bị thu hồi.") % {"signer": who}
                )
            raise InvalidSignedReport(
                Refusal.UNTRUSTED,
                _(
                    "Chứng thư số của %(signer)s (cấp bởi %(issuer)s) không thuộc chuỗi chứng thư gốc "
                    "tin cậy đã cấu hình."
                )
                % {"signer": who, "issuer": _issuer(cert)},
            )
        level = status.modification_level
        allowed = ModificationLevel.LTA_UPDATES if last else ModificationLevel.FORM_FILLING
        if (
            status.coverage is None
            or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION
            or level is None
            or level > allowed
            or status.docmdp_ok is False
        ):
            raise InvalidSignedReport(
                Refusal.MODIFIED,
                _("Tệp đã bị sửa đổi sau khi %(signer)s ký.") % {"signer": who},
            )
        signatures.append(
            SignatureInfo(
                signer=who,
                signed_at=signed_at,
                certificate_sha256=cert.sha256.hex(),
                field_name=str(sig.field_name),
            )
        )
    # The document as the first signer saw it (the archive rendition as served, with the
    # organisation's signature when the server added one): its metadata and pages are what was
    # signed; every later change has passed the modification checks above.
    _start, _len1, start2, len2 = (int(n) for n in embedded[0].byte_range)
    signed_revision = data[: start2 + len2]
    return VerifiedReport(
        signer=signatures[-1].signer,
        signed_at=signatures[-1].signed_at,
        metadata=read_metadata(signed_revision),
        signed_revision=signed_revision,
        signatures=signatures,
    )
