"""`{% once_field %}`: the one-time token of a form that writes (core.once)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from matricule.core.once import FIELD, once_token

register = template.Library()


@register.simple_tag(takes_context=True)
def once_field(context: dict[str, Any]) -> SafeString:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return SafeString("")
    # A form re-displayed with its errors keeps its token (it was freed, not used).
    posted = request.POST.get(FIELD) if request.method == "POST" else None
    value = posted or once_token(user)
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, value)
