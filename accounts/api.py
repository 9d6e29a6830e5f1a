from rest_framework.authentication import SessionAuthentication

from accounts.otp import has_second_factor


class VerifiedSessionAuthentication(SessionAuthentication):
    """Session auth that counts only sessions past the second factor.

    DRF marks its views login_required=False (it authenticates itself), so the
    SecondFactorRequiredMiddleware lets them through; this is where the API enforces the factor.
    """

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None or not has_second_factor(result[0]):
            return None
        return result
