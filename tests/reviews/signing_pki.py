"""A throwaway certificate authority and signers for the signing tests (the `cryptography` package),
and pyHanko to sign a PDF with them, as a signer's own tool (a USB token's software) would."""

import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID


@dataclass
class Identity:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def pkcs12(self, passphrase: bytes, chain: list["Identity"]) -> bytes:
        return pkcs12.serialize_key_and_certificates(
            b"org",
            self.key,
            self.cert,
            [c.cert for c in chain],
            serialization.BestAvailableEncryption(passphrase),
        )


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    )


def make_ca(name: str = "Test Root CA (throwaway)") -> Identity:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(name))
        .issuer_name(_name(name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=3650))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Identity(key, cert)


def make_signer(
    ca: Identity,
    name: str = "Nguyễn Văn An",
    *,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> Identity:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(name))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - timedelta(days=30))
        .not_valid_after(not_after or now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
        .sign(ca.key, hashes.SHA256())
    )
    return Identity(key, cert)


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def sign(
    pdf: bytes, signer: Identity, ca: Identity, *, field: str = "NguoiKy", when: datetime | None = None
) -> bytes:
    """The PDF signed by `signer` (PAdES, invisible field), as a signer's tool appends it."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = asn1_keys.PrivateKeyInfo.load(
        signer.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    simple = signers.SimpleSigner(
        signing_cert=_asn1_cert(signer.cert),
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(ca.cert)]),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=field, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES
    )
    pdf_signer = signers.PdfSigner(meta, signer=simple)
    from reviews.signing.verify import outside_any_event_loop

    if when is None:
        out = outside_any_event_loop(pdf_signer.sign_pdf, writer)
    else:
        out = outside_any_event_loop(_sign_at, pdf_signer, writer, when)
    return out.getvalue()


def _sign_at(pdf_signer, writer, when: datetime):
    """Signs with the signer's clock set to `when` (a signature made in the past)."""
    from unittest import mock

    from pyhanko.sign.signers import pdf_signer as module

    with mock.patch.object(module, "datetime") as clock:
        clock.now.return_value = when
        return pdf_signer.sign_pdf(writer)
