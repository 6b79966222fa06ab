"""The organisation's signature, added by the server to the archive rendition when configured.

`SIGNATURE_ORG_PKCS12` names a PKCS#12 file (the organisation's certificate and key) and
`SIGNATURE_ORG_PKCS12_PASSPHRASE` its passphrase. The worker signs each archive file right after
rendering it (an approval signature, PAdES, invisible), so the file a signer downloads already
carries the organisation's signature; the signer's own signature comes after it, from their token.
A hardware module (PKCS#11) is not wired in: see the README."""

import hashlib
import io
from functools import cache
from pathlib import Path

from django.conf import settings

from .verify import outside_any_event_loop

ORG_FIELD = "ToChuc"  # the organisation's signature field ("tổ chức")


class OrgSigningError(Exception):
    """The organisation's certificate is configured but cannot be used."""


def _configured() -> tuple[str, str] | None:
    path = getattr(settings, "SIGNATURE_ORG_PKCS12", "")
    if not path:
        return None
    return path, getattr(settings, "SIGNATURE_ORG_PKCS12_PASSPHRASE", "")


@cache
def _load(path: str, passphrase: str, mtime: float):
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase.encode() or None)
    if signer is None:
        raise OrgSigningError(f"cannot load the PKCS#12 file {path} (wrong passphrase?)")
    return signer


def org_signer():
    """The organisation's signer, or None when none is configured."""
    configured = _configured()
    if configured is None:
        return None
    path, passphrase = configured
    try:
        mtime = Path(path).stat().st_mtime
    except OSError as exc:
        raise OrgSigningError(f"cannot read the PKCS#12 file {path}: {exc}") from exc
    return _load(path, passphrase, mtime)


def org_signer_fingerprint() -> str:
    """The configured organisation certificate's digest ("" without one): part of the archive's key."""
    configured = _configured()
    if configured is None:
        return ""
    try:
        return hashlib.sha256(Path(configured[0]).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def org_certificate_sha256() -> str:
    signer = org_signer()
    return signer.signing_cert.sha256.hex() if signer is not None else ""


def sign_as_organisation(pdf: bytes) -> bytes:
    """The PDF with the organisation's signature appended (an incremental update); unchanged when
    no organisation certificate is configured."""
    signer = org_signer()
    if signer is None:
        return pdf
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=ORG_FIELD,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason="Ký số của tổ chức trên báo cáo đã phê duyệt",
    )
    out = outside_any_event_loop(signers.sign_pdf, writer, meta, signer=signer)
    return out.getvalue()
