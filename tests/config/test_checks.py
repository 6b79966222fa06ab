"""Deploy checks: e-mail links to 127.0.0.1 and mail to localhost:25 fail `check --deploy`."""

from config.checks import check_mail, check_site_url

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def ids(messages) -> set[str]:
    return {m.id for m in messages}


def test_site_url_left_at_the_development_address_is_reported(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    [warning] = check_site_url(None)
    assert warning.id == "soket.W001"
    assert "127.0.0.1:8000" in warning.msg and "SITE_URL" in warning.hint


def test_site_url_must_be_public_and_https(settings):
    settings.SITE_URL = "http://soket.example.org"
    assert ids(check_site_url(None)) == {"soket.W001"}
    settings.SITE_URL = "https://localhost"
    assert ids(check_site_url(None)) == {"soket.W001"}
    settings.SITE_URL = "https://soket.example.org"
    assert check_site_url(None) == []


def test_smtp_to_localhost_is_reported_unless_a_relay_is_declared(settings):
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST = "localhost"
    settings.EMAIL_PORT = 25
    settings.EMAIL_LOCAL_RELAY = False
    [warning] = check_mail(None)
    assert warning.id == "soket.W002" and "localhost:25" in warning.msg
    # Any loopback address and port, not only the default, and it does not call them the default.
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 2525
    [warning] = check_mail(None)
    assert "on this machine (127.0.0.1:2525)" in warning.msg and "default" not in warning.msg
    settings.EMAIL_HOST = "localhost"
    settings.EMAIL_LOCAL_RELAY = True
    assert check_mail(None) == []
    settings.EMAIL_LOCAL_RELAY = False
    settings.EMAIL_HOST = "smtp.example.org"
    assert check_mail(None) == []


def test_another_mail_backend_is_not_smtp_and_is_left_alone(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_HOST = "localhost"
    assert check_mail(None) == []


def test_tls_and_ssl_together_are_reported(settings):
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST = "smtp.example.org"
    settings.EMAIL_USE_TLS = True
    settings.EMAIL_USE_SSL = True
    assert ids(check_mail(None)) == {"soket.W003"}


def test_smtp_over_ssl_comes_from_the_environment():
    from tests.config.test_settings import PRODUCTION_ENV, manage

    code = "from django.conf import settings; print(settings.EMAIL_USE_SSL)"
    assert (
        manage("shell", "-c", code, env={**PRODUCTION_ENV, "EMAIL_USE_SSL": "1"}).stdout.split()[-1] == "True"
    )
    assert manage("shell", "-c", code, env=PRODUCTION_ENV).stdout.split()[-1] == "False"


def test_deploy_check_fails_on_the_development_defaults():
    from tests.config.test_settings import PRODUCTION_ENV, manage

    env = {
        **PRODUCTION_ENV,
        "SITE_URL": "http://127.0.0.1:8000",
        "EMAIL_HOST": "localhost",
        "EMAIL_PORT": "25",
    }
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "soket.W001" in result.stderr and "soket.W002" in result.stderr
