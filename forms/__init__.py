"""Task forms, one class per BPMN formKey; see forms.registry for the contract."""
from forms.registry import build, form_class, is_registered, keys, register

__all__ = ["build", "form_class", "is_registered", "keys", "register"]
