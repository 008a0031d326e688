from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError


class BootstrapFormMixin:
    """Gives every widget Bootstrap's class, so templates can render fields generically."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(
                widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)
            ):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            existing = widget.attrs.get("class", "")
            widget.attrs["class"] = f"{existing} {css}".strip()


def apply_service_errors(form, exc: ValidationError) -> None:
    """Show a service's refusal on the form: at its field when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def form_saved(request, form, save: Callable[[], object], *, success: str):
    """On a valid POST, call `save()` (a service); its refusals become form errors.

    Returns what the service returned (or True) once saved, with a success message queued for
    the page the caller redirects to; None when nothing was saved.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save()
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None
    messages.success(request, success)
    return True if result is None else result
