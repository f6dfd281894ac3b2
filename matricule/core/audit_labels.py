"""Audit vocabulary: what each action code means, in words an inspector reads.

Every app that writes audit entries registers an `AuditVocabulary` in its
`AppConfig.ready()`:

    audit_vocabularies.register("training", AuditVocabulary(
        actions={"training.session.close": _("Session de formation clôturée"), …},
        fields={"reason": _("Motif")},
        describe=describe_training,   # optional: names the object in words
    ))

A key of `actions` ending in "." covers every code that starts with it ("event." covers
"event.posting"…) unless a longer key matches. The audit screen shows the label, the
officer concerned, the object in words and, for each changed value, the field's label
(taken from the model named by the entry's `object_type`, or from `fields`) with the
value as the user would read it (choices by their label, dates as 21/11/2026, related
rows by their name). A code that no app registered still shows (as its code), and a
test fails for it (`core/tests/test_audit_labels.py`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.core.hooks import HookList

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from matricule.core.models import AuditEntry


@dataclass(frozen=True)
class AuditVocabulary:
    actions: Mapping[str, StrOrPromise]
    # Labels of before/after keys that are not fields of the audited model.
    fields: Mapping[str, StrOrPromise] = field(default_factory=dict)
    # Names the entry's object in words (no database query), or None to let others try.
    describe: Callable[[AuditEntry], str | None] | None = None


audit_vocabularies: HookList[AuditVocabulary] = HookList("core.audit_vocabularies")

# Keys common to many entries, whoever wrote them.
COMMON_FIELDS: dict[str, Any] = {}


def _actions() -> dict[str, StrOrPromise]:
    merged: dict[str, StrOrPromise] = {}
    for vocabulary in audit_vocabularies:
        merged.update(vocabulary.actions)
    return merged


def action_label(code: str) -> str:
    """The action's label in the current language; the code itself if nobody registered it."""
    actions = _actions()
    if code in actions:
        return str(actions[code])
    prefixes = [key for key in actions if key.endswith(".") and code.startswith(key)]
    if prefixes:
        return str(actions[max(prefixes, key=len)])
    return code


def is_known(code: str) -> bool:
    return action_label(code) != code


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every registered code by label, grouped by the app that registered it (for a select)."""
    groups = []
    for key, vocabulary in audit_vocabularies.items():
        try:
            title = str(apps.get_app_config(key).verbose_name)
        except LookupError:
            title = key
        codes = sorted(((c, str(v)) for c, v in vocabulary.actions.items()), key=lambda c: c[1])
        if codes:
            groups.append((title, codes))
    return groups


def action_filter(code: str) -> dict[str, str]:
    """The query filter for a code chosen in the list (a prefix key covers its codes)."""
    if code.endswith("."):
        return {"action__startswith": code}
    return {"action": code}


def field_label(key: str, model: type[models.Model] | None = None) -> str:
    if model is not None:
        model_field = _model_field(model, key)
        if model_field is not None:
            return str(model_field.verbose_name)
    for vocabulary in audit_vocabularies:
        if key in vocabulary.fields:
            return str(vocabulary.fields[key])
    if key in COMMON_FIELDS:
        return str(COMMON_FIELDS[key])
    return key.replace("_", " ")


def audited_model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type) if "." in object_type else None
    except (LookupError, ValueError):
        return None


def _model_field(model: type[models.Model], key: str) -> models.Field[Any, Any] | None:
    for candidate in (key, key.removesuffix("_id")):
        try:
            found = model._meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
        if isinstance(found, models.Field) and found.concrete:
            return found
    return None


def describe(entry: AuditEntry) -> str:
    """The entry's object in words: "Agent DIARRA Awa", not "#1290 birth_place"."""
    for vocabulary in audit_vocabularies:
        if vocabulary.describe is not None:
            text = vocabulary.describe(entry)
            if text:
                return text
    model = audited_model(entry.object_type)
    kind = str(model._meta.verbose_name) if model is not None else ""
    text = entry.object_repr or ""
    if kind and text:
        return f"{kind[:1].upper()}{kind[1:]} : {text}"
    return text or kind or "—"


# --- Before / after ---------------------------------------------------------------------


@dataclass
class Change:
    label: str
    before: str
    after: str
    changed: bool


# Related rows are named through this callable (model, ids) -> {id: name}, batched by the
# screen for a whole page.
Resolver = Callable[[type[models.Model], set[Any]], Mapping[Any, str]]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
# Columns that mean nothing to a reader (hashes, file names of thumbnails, versions).
HIDDEN_KEYS = {"id", "version", "search_name", "key_hash", "password", "mac", "thumbnail"}


def related_targets(entry: AuditEntry) -> Iterable[tuple[type[models.Model], Any]]:
    """(model, id) pairs the entry's values point to, for a batched name lookup."""
    model = audited_model(entry.object_type)
    if model is None:
        return
    for data in (entry.before, entry.after):
        if not isinstance(data, dict):
            continue
        for key, value in data.items():
            model_field = _model_field(model, key)
            if (
                model_field is not None
                and model_field.is_relation
                and model_field.related_model is not None
                and value not in (None, "")
                and not isinstance(value, dict | list)
            ):
                related = model_field.related_model
                if isinstance(related, type):
                    yield related, value


def format_value(
    value: Any,
    *,
    model_field: models.Field[Any, Any] | None = None,
    names: Mapping[tuple[type[models.Model], str], str] | None = None,
) -> str:
    if value is None or value == "":
        return "—"
    if model_field is not None:
        if model_field.is_relation and model_field.related_model is not None and names:
            related = model_field.related_model
            if isinstance(related, type):
                name = names.get((related, str(value)))
                if name:
                    return name
        if model_field.choices:
            for choice, label in model_field.flatchoices:
                if str(choice) == str(value):
                    return str(label)
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, list):
        return ", ".join(format_value(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{field_label(str(k))} : {format_value(v)}" for k, v in value.items())
    text = str(value)
    if _ISO_DATE.match(text):
        try:
            return datetime.date.fromisoformat(text).strftime("%d/%m/%Y")
        except ValueError:
            return text
    if _ISO_DATETIME.match(text):
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            return text
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%d/%m/%Y %H:%M")
    return text


def changes(
    entry: AuditEntry, *, names: Mapping[tuple[type[models.Model], str], str] | None = None
) -> list[Change]:
    """The entry's before/after as labelled lines, changed values first."""
    model = audited_model(entry.object_type)
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    if not isinstance(entry.before, dict) and entry.before not in (None, ""):
        before = {"valeur": entry.before}
    if not isinstance(entry.after, dict) and entry.after not in (None, ""):
        after = {"valeur": entry.after}
    keys = [k for k in dict.fromkeys([*before, *after]) if k not in HIDDEN_KEYS]
    lines = []
    for key in keys:
        model_field = _model_field(model, key) if model is not None else None
        old = format_value(before.get(key), model_field=model_field, names=names)
        new = format_value(after.get(key), model_field=model_field, names=names)
        if key not in before:
            old = "—" if before else ""
        if key not in after:
            new = "—" if after else ""
        lines.append(Change(field_label(key, model), old, new, bool(before) and old != new))
    lines.sort(key=lambda c: not c.changed)
    return lines
