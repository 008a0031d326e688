from django import forms
from django.utils.translation import gettext_lazy as _

from opop.imports import reader
from opop.imports.registers import register_choices


class UploadForm(forms.Form):
    register = forms.ChoiceField(label=_("Register"), choices=register_choices)
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            reader.check_size(upload.size)
            upload.seek(0)
            reader.check_is_workbook(upload.read(8))
            upload.seek(0)
        except reader.FileRefused as exc:
            raise forms.ValidationError(exc.message) from None
        return upload


class CommitForm(forms.Form):
    mode = forms.ChoiceField(
        choices=[
            ("valid_only", _("Import the valid rows")),
            ("all_or_nothing", _("Import all rows or nothing")),
        ]
    )
