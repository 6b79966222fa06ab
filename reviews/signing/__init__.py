"""The signed, archived report: the PDF/A a signer signs, the check of the signed file, the archive.

- metadata.py: what the archive rendition says about itself (committee, term, stage, the digest of
  the approved content and its verification code), written into the PDF and read back from it.
- verify.py: the signature checks, with no database (the `verify_report` command runs them offline).
- models.py, services.py: the accepted signed files, kept byte for byte and never changed.
- orgsign.py: the organisation's own signature, added by the server when configured.
- views.py: the upload, the download of the signed file, the public verification page."""
