from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from opop.accounts.ratelimit import client_ip, login_blocked, login_failed, login_succeeded


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class ObtainTokenView(APIView):
    """Exchange e-mail and password for an API token (`Authorization: Token <key>`)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("Token", {"token": serializers.CharField()})},
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"].lower()
        ip = client_ip(request)
        if login_blocked(ip, email):
            return Response(
                {"detail": _("Too many failed attempts. Wait 15 minutes and try again.")},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        user = authenticate(request, email=email, password=serializer.validated_data["password"])
        if user is None or not user.is_active:
            login_failed(ip, email)
            return Response(
                {"detail": _("The e-mail or password is wrong.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        login_succeeded(ip, email)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
