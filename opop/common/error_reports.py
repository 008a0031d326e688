"""Error reports (500 e-mails, DEBUG pages) must not carry personal data typed into forms."""

from django.views.debug import SafeExceptionReporterFilter

PERSONAL_FIELDS = {"nik", "phone", "email", "address", "birth_date", "guardian_name", "password"}


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request):
        params = super().get_post_parameters(request)
        if request is None or not params:
            return params
        cleansed = params.copy()
        for name in cleansed:
            if name.lower() in PERSONAL_FIELDS:
                cleansed[name] = self.cleansed_substitute
        return cleansed
