"""Task forms, one class per BPMN formKey; see forms.registry for the contract."""
from forms.registry import form_class, is_registered, keys, register

__all__ = ["form_class", "is_registered", "keys", "register"]
