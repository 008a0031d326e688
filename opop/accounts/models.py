from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in, by e-mail. What they may do comes from their memberships."""

    email = models.EmailField(_("e-mail"), unique=True)
    # A mobile number in E.164 form (+628…) the user may log in with instead of the e-mail
    # (buyers on OPOP Mart often know theirs better). Unique when given.
    phone = models.CharField(_("mobile phone"), max_length=20, unique=True, null=True, blank=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff (Django admin)"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    language = models.CharField(_("language"), max_length=5, default="id")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email


class Role(models.TextChoices):
    ADMIN = "admin", _("Programme admin")
    OFFICER = "officer", _("Regional officer")
    FACILITATOR = "facilitator", _("Facilitator")
    MANAGER = "manager", _("Cooperative manager")
    PARTICIPANT = "participant", _("Participant")
    JUROR = "juror", _("Juror / curator")
    PARTNER = "partner", _("Partner")
    BUYER = "buyer", _("Buyer")
    AUDITOR = "auditor", _("Auditor")


class Membership(models.Model):
    """A user's role in one programme, with the scope that role is limited to.

    - officer: `regency` (one kab/kota)
    - facilitator: `assigned_pesantren`
    - manager: `pesantren` (their own pesantren and its cooperatives)
    - participant: `person` (their own record)
    - partner: `partner`
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    regency = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kabupaten/kota"),
        limit_choices_to={"level": 2},
    )
    pesantren = models.ForeignKey(
        "registry.Pesantren",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="manager_memberships",
        verbose_name=_("pesantren"),
    )
    person = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
        verbose_name=_("person"),
    )
    partner = models.ForeignKey(
        "programmes.Partner",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("partner"),
    )
    assigned_pesantren = models.ManyToManyField(
        "registry.Pesantren",
        blank=True,
        related_name="facilitator_memberships",
        verbose_name=_("assigned pesantren"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme", "role"], name="membership_one_role_per_programme"
            ),
            models.CheckConstraint(
                condition=~models.Q(role="officer") | models.Q(regency__isnull=False),
                name="officer_has_regency",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="manager") | models.Q(pesantren__isnull=False),
                name="manager_has_pesantren",
            ),
        ]
        verbose_name = _("membership")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.programme.code})"
