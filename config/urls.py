"""Root URLs: the site's pages live in reviews.urls; auth, language switch and admin here."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import offline
from config.health import healthz, healthz_auth, healthz_ready
from config.views import LoginView
from reviews.notifications.views import set_language

handler400 = "config.views.bad_request"
handler500 = "config.views.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Answered first by config.health.HealthCheckMiddleware; the routes name them (and serve a
    # site that leaves the middleware out).
    path("healthz/ready", healthz_ready, name="healthz_ready"),
    path("healthz/auth", healthz_auth, name="healthz_auth"),
    path(
        "accounts/login/",
        LoginView.as_view(),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    *offline.urlpatterns,
    path("", include("reviews.urls")),
]
