"""Audit labels of self-service corrections (registered by CorrectionsConfig.ready)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from matricule.core.audit_labels import AuditVocabulary, field_label

if TYPE_CHECKING:
    from matricule.core.models import AuditEntry


def _describe(entry: AuditEntry) -> str | None:
    """ "Demande de correction n° 12 : lieu de naissance", not "#12 1290 birth_place"."""
    if entry.object_type != "corrections.correctionrequest":
        return None
    from django.apps import apps

    after = entry.after if isinstance(entry.after, dict) else {}
    field = after.get("field") or ""
    what = ""
    if field:
        what = field_label(field, apps.get_model("personnel", "Officer"))
    else:
        parts = entry.object_repr.split()
        if len(parts) == 3 and parts[2].isdigit():
            what = _g("un événement de carrière")
        elif len(parts) == 3:
            what = field_label(parts[2], apps.get_model("personnel", "Officer"))
    number = entry.object_id
    if what:
        return _g("Demande de correction n° %(n)s : %(what)s") % {"n": number, "what": what}
    return _g("Demande de correction n° %(n)s") % {"n": number}


CORRECTIONS_VOCABULARY = AuditVocabulary(
    actions={
        "correction.file": _("Demande de correction déposée"),
        "correction.withdraw": _("Demande de correction retirée"),
        "correction.approve": _("Demande de correction acceptée"),
        "correction.reject": _("Demande de correction refusée"),
    },
    fields={
        "target": _("Objet"),
        "field": _("Information"),
        "event": _("Événement"),
        "proposed": _("Valeur demandée"),
        "current": _("Valeur actuelle"),
        "justification": _("Justification"),
    },
    describe=_describe,
)


# Which field each of the app's database constraints speaks about (core.constraints).
CONSTRAINT_FIELDS = {
    "correction_one_pending_per_field": "field_name",
    "correction_one_pending_per_event": "event",
    "correction_target_consistent": "",
}
