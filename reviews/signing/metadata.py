"""What the archive rendition (PDF/A) says about itself, in its document information dictionary.

WeasyPrint writes each `<meta name="soket…">` of the report's HTML as a custom key of the PDF's
information dictionary (`/Soketcommittee` …). PDF/A allows such keys (only the standard ones must
match the XMP packet), and they travel inside the signed revision, so the signature covers them.
Both the server (upload) and the `verify_report` command read them from the signed revision."""

import hashlib
import io
from dataclasses import dataclass

from django.utils.crypto import salted_hmac

# The custom keys, as WeasyPrint names them (lower case, letters and digits only).
KEYS = {
    "committee": "soketcommittee",
    "committee_name": "soketcommitteename",
    "term": "soketterm",
    "stage": "soketstage",
    "document_number": "soketdocumentnumber",
    "document_date": "soketdocumentdate",
    "verification_code": "soketverificationcode",
    "content_digest": "soketcontentdigest",
}
# The alphabet of a verification code: no 0/O, 1/I/L, so it can be read aloud and typed.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


@dataclass(frozen=True)
class ArchiveMetadata:
    committee: str = ""
    committee_name: str = ""
    term: str = ""
    stage: str = ""
    document_number: str = ""
    document_date: str = ""
    verification_code: str = ""
    content_digest: str = ""

    def as_meta(self) -> list[tuple[str, str]]:
        """(name, content) of the `<meta>` tags the report's HTML carries."""
        return [(KEYS[name], getattr(self, name)) for name in KEYS]


def content_digest(html: str) -> str:
    """The digest of the approved report as printed: its HTML without the verification block.

    The HTML holds exactly what the pages show (every number, every sentence, the heading), so two
    versions of a report that read differently never share a digest, and nothing the report does
    not show (another committee's counters, the time) moves it."""
    return hashlib.sha256(html.encode()).hexdigest()


def verification_code(*, committee_pk: int, digest: str, stage: str = "mid") -> str:
    """A short code for the public page: one per committee, stage and approved content, not
    guessable from the committee's code (a keyed digest), printed as "ABCD-EFGH-JK".

    The stage is keyed in beside the content (the two reports already read differently, but a code
    must never name the other stage's report); the mid-term's key is as it was, so every code
    already printed on a signed mid-term report still verifies."""
    message = f"{committee_pk}:{digest}" if stage == "mid" else f"{committee_pk}:{stage}:{digest}"
    raw = salted_hmac("soket.signing.verification-code", message).digest()
    number = int.from_bytes(raw, "big")
    chars = []
    for _i in range(CODE_LENGTH):
        number, index = divmod(number, len(_CODE_ALPHABET))
        chars.append(_CODE_ALPHABET[index])
    code = "".join(chars)
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def normalise_code(raw: str) -> str:
    """What a person typed ("abcd efgh jk") as the printed form, or "" when it cannot be a code."""
    chars = "".join(c for c in raw.upper() if c.isalnum())
    if len(chars) != CODE_LENGTH or any(c not in _CODE_ALPHABET for c in chars):
        return ""
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def read_metadata(pdf: bytes) -> ArchiveMetadata:
    """The archive metadata of a PDF (a signed revision's bytes); empty fields where absent."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    info = reader.trailer_view.get("/Info")
    values: dict[str, str] = {}
    if info is not None:
        info = info.get_object() if hasattr(info, "get_object") else info
        for name, key in KEYS.items():
            value = info.get("/" + key)
            values[name] = str(value) if value is not None else ""
    return ArchiveMetadata(**values)
