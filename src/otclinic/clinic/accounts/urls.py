from django.urls import path

from otclinic.clinic.accounts import views, views_api_tokens, views_invitation

urlpatterns = [
    path("login/verify/", views.verify, name="second-factor-verify"),
    path("account/two-factor/", views.enrol, name="second-factor-enrol"),
    path(
        "account/two-factor/recovery-codes/",
        views.recovery_codes_new,
        name="second-factor-recovery-codes",
    ),
    path("account/sign-in-policy/", views.sign_in_policy, name="sign-in-policy"),
    path(
        "account/users/<uuid:user_id>/two-factor/reset/",
        views.second_factor_reset,
        name="second-factor-reset",
    ),
    path("account/api-tokens/", views_api_tokens.api_token_list, name="api-tokens"),
    path(
        "account/api-tokens/<uuid:token_id>/revoke/",
        views_api_tokens.api_token_revoke,
        name="api-token-revoke",
    ),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("session/keepalive/", views.keepalive, name="session-keepalive"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path("password-reset/sent/", views.password_reset_sent, name="password-reset-sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("welcome/", views_invitation.invitation, name="invitation"),
    path("welcome/new-link/", views_invitation.invitation_renew_view, name="invitation-renew"),
    path("password-reset/done/", views.password_reset_done, name="password-reset-done"),
]
