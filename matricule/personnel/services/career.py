"""Career events: record (or correct) an event, check the statute's rules, keep the snapshot."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.accounts.roles import Perm
from matricule.accounts.scopes import unit_within
from matricule.core.audit import audit_record, model_snapshot
from matricule.core.dates import age_on
from matricule.core.models import AgencyKind, Grade, Signatory, Unit
from matricule.personnel import hooks
from matricule.personnel.career import ReplayEvent, Situation, grade_in_force, replay
from matricule.personnel.models import CareerEvent, CommandRole, EventKind, Officer, Status
from matricule.personnel.models.career import KINDS_NEEDING_ACT
from matricule.personnel.models.officer import EXIT_STATUSES
from matricule.personnel.services.periods import periods_save

if TYPE_CHECKING:
    from matricule.accounts.models import User

# Statuses an officer can be moved to by a plain status change (others have their own event).
STATUS_EVENT_CHOICES = (
    Status.ACTIVE,
    Status.LEAVE,
    Status.SUSPENDED,
    Status.DEPLOYED,
    Status.TRAINING,
)


@dataclass(frozen=True)
class Act:
    kind: str = ""
    number: str = ""
    date: datetime.date | None = None
    signatory: Signatory | None = None


def _today() -> datetime.date:
    return timezone.localdate()


def _apply_act(event: CareerEvent, act: Act) -> None:
    event.act_kind = act.kind
    event.act_number = act.number.strip()
    event.act_date = act.date
    event.act_signatory = act.signatory


def event_record(
    *,
    officer: Officer,
    kind: str,
    effective_date: datetime.date,
    act: Act = Act(),
    by: User | None,
    unit: Unit | None = None,
    grade: Grade | None = None,
    status: str = "",
    function: str = "",
    command_role: str = "",
    detail: str = "",
    end_date: datetime.date | None = None,
    sanction_group: int | None = None,
    exceptional: bool = False,
    justification: str = "",
    supersedes: CareerEvent | None = None,
    source: dict[str, Any] | None = None,
) -> CareerEvent:
    """Record one career event (or a correction of one) and refresh the snapshot."""
    with transaction.atomic():
        officer = Officer.objects.select_for_update().select_related("agency").get(pk=officer.pk)
        events = list(officer.events.all())
        if supersedes is not None:
            supersedes = next((e for e in events if e.pk == supersedes.pk), None)
            if supersedes is None or supersedes.is_superseded:
                raise ValidationError(_("Cet événement a déjà été corrigé ou n'existe pas."))
            if supersedes.kind != kind:
                raise ValidationError(_("Une correction garde la nature de l'événement corrigé."))
        event = CareerEvent(
            officer=officer,
            kind=kind,
            effective_date=effective_date,
            unit=unit,
            grade=grade,
            status=status,
            function=function.strip(),
            command_role=command_role,
            detail=detail.strip(),
            end_date=end_date,
            sanction_group=sanction_group,
            exceptional=exceptional,
            justification=justification.strip(),
            supersedes=supersedes,
            created_by=by,
        )
        _apply_act(event, act)
        if kind == EventKind.SECONDMENT and unit is not None:
            event.host_agency = unit.agency
        remaining = [e for e in events if e.pk != (supersedes.pk if supersedes else None)]
        previous = replay(remaining, on=effective_date)
        check_unit_rights(by=by, event=event, supersedes=supersedes)
        _check_event(officer, event, previous=previous, events=remaining)
        event.full_clean(exclude=["officer", "supersedes"])
        if supersedes is not None:
            supersedes.is_superseded = True
            supersedes.save(update_fields=["is_superseded"])
        event.save()
        snapshot_save(officer, [*remaining, event])
        if kind == EventKind.EXIT:
            # Leaving the service ends what hangs on it (ID card, login) in this transaction.
            context = hooks.ExitContext(
                officer=officer, event=event, by=by, corrected=supersedes is not None
            )
            for handler in hooks.exit_handlers:
                handler(context)
        audit_record(
            by=by,
            action="event.correct" if supersedes else f"event.{kind}",
            obj=event,
            subject_officer_id=officer.pk,
            before=model_snapshot(supersedes) if supersedes else None,
            after={**model_snapshot(event), **({"source": source} if source else {})},
        )
    return event


# Events that place the officer in a unit: the unit must be the recorder's to edit.
UNIT_EVENTS = (
    EventKind.ENTRY,
    EventKind.POSTING,
    EventKind.FUNCTION,
    EventKind.SECONDMENT,
    EventKind.COMMAND,
)


def check_unit_rights(
    *, by: User | None, event: CareerEvent, supersedes: CareerEvent | None = None
) -> None:
    """A posting, secondment or function in a unit needs edit rights over that unit too.

    Rights over the officer alone are not enough: a clerk of Bamako cannot send someone to
    Gao, and a transfer between regions is for the agency's HR director (whose scope is the
    whole agency). A correction that keeps the event's unit changes no placement. System
    writes (`by=None`: demo data, commands) are trusted.
    """
    unit = event.unit
    if by is None or unit is None or event.kind not in UNIT_EVENTS:
        return
    if supersedes is not None and supersedes.unit_id == unit.pk:
        return
    if unit_within(by, Perm.PERSONNEL_EDIT, unit):
        return
    if event.kind == EventKind.SECONDMENT:
        message = _(
            "Vous n'avez pas de droits de modification sur l'unité d'accueil « %(unit)s » : "
            "un détachement vers une autre agence est enregistré par quelqu'un qui a des "
            "droits sur l'agence d'accueil comme sur l'agent."
        )
    else:
        message = _(
            "L'unité « %(unit)s » est hors de votre périmètre : vous ne pouvez pas y affecter "
            "un agent. Une mutation hors de votre périmètre (par exemple d'une région à une "
            "autre) est enregistrée par le directeur des ressources humaines de l'agence."
        )
    raise ValidationError(
        {"unit": ValidationError(message % {"unit": unit.name}, code="unit_scope")}
    )


def _check_event(
    officer: Officer, event: CareerEvent, *, previous: Situation | None, events: list[CareerEvent]
) -> None:
    """The business rules of SPEC §3.1; raises ValidationError with French messages."""
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    today = _today()
    day = event.effective_date
    kind = event.kind
    if day > today:
        fail("effective_date", _("La date d'effet ne peut pas être dans le futur."))
    if day < officer.birth_date + datetime.timedelta(days=16 * 365):
        fail("effective_date", _("La date d'effet précède les 16 ans de l'agent."))
    live = [e for e in events if not e.is_superseded]
    if kind == EventKind.ENTRY:
        if any(e.kind == EventKind.ENTRY for e in live):
            fail("kind", _("L'entrée en service est déjà enregistrée : corrigez-la plutôt."))
        if later := [e for e in live if e.effective_date < day]:
            fail(
                "effective_date",
                _(
                    "L'entrée en service doit précéder tous les autres "
                    "événements (le premier est du %(date)s)."
                )
                % {"date": f"{min(e.effective_date for e in later):%d/%m/%Y}"},
            )
    elif previous is None:
        fail("effective_date", _("La date d'effet précède l'entrée en service de l'agent."))
    exits = [e for e in live if e.kind == EventKind.EXIT]
    if exits and kind != EventKind.EXIT and day > min(e.effective_date for e in exits):
        fail(
            "effective_date",
            _("L'agent a quitté le service le %(date)s : aucun événement ne peut être daté après.")
            % {"date": f"{min(e.effective_date for e in exits):%d/%m/%Y}"},
        )
    if kind == EventKind.EXIT and exits:
        fail("kind", _("La sortie du service est déjà enregistrée : corrigez-la plutôt."))
    if kind == EventKind.EXIT and any(e.effective_date > day for e in live):
        fail("effective_date", _("Des événements sont enregistrés après cette date de sortie."))

    if kind == EventKind.ENTRY and event.grade is not None:
        _check_entry_age(officer, event, fail)
    # The end of a secondment (back to the home agency) is decided by an act, like its start.
    ends_secondment = (
        kind == EventKind.STATUS
        and previous is not None
        and previous.host_unit_id is not None
        and event.status != Status.SECONDED
    )
    if kind in KINDS_NEEDING_ACT or ends_secondment:
        if not event.act_number:
            fail("act_number", _("Le numéro de l'acte (décision ou arrêté) est obligatoire."))
        if event.act_date is None:
            fail("act_date", _("La date de l'acte est obligatoire."))
    if event.act_date is not None and event.act_date > today:
        fail("act_date", _("La date de l'acte ne peut pas être dans le futur."))

    if kind in (EventKind.ENTRY, EventKind.POSTING):
        unit = event.unit
        if unit is None:
            fail("unit", _("Choisissez l'unité d'affectation."))
        elif unit.agency_id != officer.agency_id:
            fail(
                "unit",
                _(
                    "Une affectation se fait dans une unité de l'agence de l'agent ; "
                    "pour une autre agence, enregistrez un détachement."
                ),
            )
        elif not unit.is_active:
            fail("unit", _("Cette unité n'est plus active."))
    if kind == EventKind.SECONDMENT:
        unit = event.unit
        if external_origin(officer):
            fail(
                "kind",
                _(
                    "Cet agent est déjà détaché de son corps d'origine : un nouveau "
                    "détachement est décidé par ce corps."
                ),
            )
        if unit is None:
            fail("unit", _("Choisissez l'unité d'accueil."))
        elif unit.agency_id == officer.agency_id:
            fail("unit", _("Un détachement se fait vers une autre agence (par exemple l'OCS)."))
        elif not unit.is_active:
            fail("unit", _("Cette unité n'est plus active."))
    if kind == EventKind.COMMAND:
        _check_command(officer, event, previous, fail)
    elif event.command_role:
        fail("command_role", _("Seul un commandement d'unité précise un rôle de commandement."))
    if kind == EventKind.FUNCTION and not event.function:
        fail("function", _("Indiquez la fonction."))
    if kind in (EventKind.SANCTION, EventKind.DECORATION) and not event.detail:
        fail("detail", _("Précisez la sanction ou la distinction."))
    if kind == EventKind.STATUS and event.status not in STATUS_EVENT_CHOICES:
        fail(
            "status",
            _(
                "Choisissez une position valide (le détachement et la sortie du "
                "service ont leurs propres formulaires)."
            ),
        )
    if kind == EventKind.EXIT and event.status not in EXIT_STATUSES:
        fail(
            "status", _("Choisissez le motif de sortie : retraite, démission, révocation ou décès.")
        )
    if kind in (EventKind.ENTRY, EventKind.GRADE):
        _check_grade(event, previous, fail)
        if event.grade is not None:
            _check_grade_agency(officer, event, fail)
    if kind == EventKind.ENTRY:
        _check_entry_secondment(officer, event, fail)
    if kind == EventKind.RENEWAL:
        _check_renewal(officer, event, previous, fail)
    if kind == EventKind.EXIT and event.status == Status.RETURNED and not external_origin(officer):
        fail(
            "status",
            _(
                "Seul un agent détaché d'un autre corps (gendarmerie, douanes…) est remis à la "
                "disposition de son corps d'origine ; un policier détaché revient par une fin "
                "de détachement."
            ),
        )
    if errors:
        raise ValidationError(errors)


def external_origin(officer: Officer) -> bool:
    """Whether the officer's grade is another corps' (seconded in from an origin corps)."""
    return bool(officer.corps_id) and officer.corps.agency_id != officer.agency_id


def _check_grade_agency(officer: Officer, event: CareerEvent, fail: Any) -> None:
    """A grade comes from the officer's agency, or from their corps of origin when the
    agency hosts staff seconded from other corps (the OCS has no ranks of its own)."""
    assert event.grade is not None
    grade_agency = event.grade.statute.agency
    if grade_agency.pk == officer.agency_id:
        return
    if officer.agency.kind != AgencyKind.HOST or not grade_agency.is_origin:
        fail(
            "grade",
            _("Ce grade n'appartient pas à la grille de l'agence « %(agency)s ».")
            % {"agency": officer.agency.short_name},
        )
        return
    if event.kind == EventKind.GRADE and officer.corps.agency_id != grade_agency.pk:
        fail(
            "grade",
            _(
                "Le grade suit la grille du corps d'origine de l'agent (%(origin)s) : un "
                "changement de corps d'origine est une nouvelle arrivée en détachement."
            )
            % {"origin": officer.corps.agency.short_name},
        )


def _check_entry_secondment(officer: Officer, event: CareerEvent, fail: Any) -> None:
    """The arrival of an officer of another corps is a secondment: its act and period."""
    grade = event.grade
    external = grade is not None and grade.statute.agency_id != officer.agency_id
    if not external:
        if event.end_date is not None:
            fail(
                "end_date",
                _("Seule l'arrivée d'un agent détaché d'un autre corps a une fin de détachement."),
            )
        return
    if event.end_date is None:
        fail("end_date", _("Indiquez la fin du détachement prévue par l'acte."))
    elif event.end_date <= event.effective_date:
        fail("end_date", _("La fin du détachement doit suivre son début."))
    assert grade is not None
    origin = grade.statute.agency
    number = officer.origin_service_number
    if not number:
        fail(
            "origin_service_number",
            _("Indiquez le matricule de l'agent dans son corps d'origine (%(origin)s).")
            % {"origin": origin.short_name},
        )
    elif not origin.service_number_valid(number):
        fail(
            "origin_service_number",
            _("Le matricule « %(number)s » n'a pas le format de %(origin)s (ex. %(example)s).")
            % {
                "number": number,
                "origin": origin.short_name,
                "example": origin.service_number_example or "—",
            },
        )


def _check_renewal(
    officer: Officer, event: CareerEvent, previous: Situation | None, fail: Any
) -> None:
    """A renewal prolongs a secondment in force to a later end."""
    if previous is None:
        return
    seconded = previous.host_unit_id is not None or external_origin(officer)
    if not seconded or previous.exit_date is not None:
        fail("kind", _("L'agent n'est pas en détachement à cette date : rien à renouveler."))
        return
    if event.end_date is None:
        fail("end_date", _("Indiquez la nouvelle fin du détachement."))
    elif event.end_date <= event.effective_date or (
        previous.secondment_end is not None and event.end_date <= previous.secondment_end
    ):
        fail(
            "end_date",
            _("La nouvelle fin du détachement doit suivre la fin actuelle (%(date)s).")
            % {
                "date": f"{previous.secondment_end:%d/%m/%Y}"
                if previous.secondment_end
                else f"{event.effective_date:%d/%m/%Y}"
            },
        )


def _check_command(
    officer: Officer, event: CareerEvent, previous: Situation | None, fail: Any
) -> None:
    """A head or deputy commands a unit of their agency, or of their host agency when seconded."""
    unit = event.unit
    if event.command_role not in CommandRole.values:
        fail("command_role", _("Choisissez le rôle : chef d'unité ou adjoint."))
    if unit is None:
        fail("unit", _("Choisissez l'unité commandée."))
        return
    if not unit.is_active:
        fail("unit", _("Cette unité n'est plus active."))
    host_agency_id = None
    if previous is not None and previous.host_unit_id is not None:
        host_agency_id = (
            Unit.objects.filter(pk=previous.host_unit_id)
            .values_list("agency_id", flat=True)
            .first()
        )
    if unit.agency_id not in (officer.agency_id, host_agency_id):
        fail(
            "unit",
            _(
                "Un agent commande une unité de son agence, ou de son agence d'accueil "
                "quand il est détaché."
            ),
        )


def command_appoint(
    *,
    officer: Officer,
    unit: Unit,
    role: str,
    effective_date: datetime.date,
    act: Act,
    by: User | None,
    end_date: datetime.date | None = None,
) -> CareerEvent:
    """Appoint an officer head (chef d'unité) or deputy of a unit: a dated career event.

    The head of a unit on a date is the latest head appointment begun on or before that
    date and not ended before it (`personnel.selectors.unit_heads_on`): a new appointment
    takes over from the previous one without rewriting it.
    """
    return event_record(
        officer=officer,
        kind=EventKind.COMMAND,
        effective_date=effective_date,
        act=act,
        by=by,
        unit=unit,
        command_role=role,
        end_date=end_date,
    )


def command_end(*, event: CareerEvent, end_date: datetime.date, by: User | None) -> CareerEvent:
    """End a command appointment: a correction of the event carrying its end date."""
    if event.kind != EventKind.COMMAND:
        raise ValidationError(_("Cet événement n'est pas un commandement d'unité."))
    return event_record(
        officer=event.officer,
        kind=EventKind.COMMAND,
        effective_date=event.effective_date,
        act=Act(event.act_kind, event.act_number, event.act_date, event.act_signatory),
        by=by,
        unit=event.unit,
        command_role=event.command_role,
        end_date=end_date,
        supersedes=event,
    )


def _check_entry_age(officer: Officer, event: CareerEvent, fail: Any) -> None:
    """The statute's bounds on the age at entry (Corps.entry_age_min / entry_age_max)."""
    assert event.grade is not None
    corps = event.grade.corps
    age = age_on(officer.birth_date, event.effective_date)
    if age < corps.entry_age_min:
        fail(
            "effective_date",
            _(
                "L'agent aurait %(age)d ans à son entrée en service : le corps « %(corps)s » "
                "exige %(min)d ans au moins. Vérifiez la date de naissance et la date d'entrée."
            )
            % {"age": age, "corps": corps.name, "min": corps.entry_age_min},
        )
    elif corps.entry_age_max is not None and age > corps.entry_age_max:
        fail(
            "effective_date",
            _(
                "L'agent aurait %(age)d ans à son entrée en service : le corps « %(corps)s » "
                "n'admet pas d'entrée après %(max)d ans."
            )
            % {"age": age, "corps": corps.name, "max": corps.entry_age_max},
        )


def _check_grade(event: CareerEvent, previous: Situation | None, fail: Any) -> None:
    grade = event.grade
    if grade is None:
        fail("grade", _("Choisissez le grade."))
        return
    statute = grade.statute
    if not statute.is_in_force(event.effective_date):
        fail(
            "grade",
            _("Ce grade appartient au %(statute)s, qui n'était pas en vigueur le %(date)s.")
            % {"statute": statute.name, "date": f"{event.effective_date:%d/%m/%Y}"},
        )
        return
    if event.kind == EventKind.ENTRY or previous is None:
        return
    if statute.agency.is_origin:
        # The corps of origin decides its staff's promotions: its act is recorded as it
        # stands, without this agency's order of the corps.
        return
    if event.exceptional:
        if len(event.justification.strip()) < 10:
            fail(
                "justification",
                _("Un avancement exceptionnel doit être justifié (référence du texte, motif)."),
            )
        return
    current = Grade.objects.select_related("corps").get(
        pk=grade_in_force(previous.grade_id, event.effective_date)
    )
    expected = (
        Grade.objects.filter(statute=statute, corps=current.corps, order__gt=current.order)
        .order_by("order")
        .first()
    )
    if expected is None or expected.pk != grade.pk:
        hint = (
            _("le grade suivant dans le corps est « %(grade)s »") % {"grade": expected.name}
            if expected
            else _("l'agent est au dernier grade de son corps")
        )
        fail(
            "grade",
            _(
                "Le grade doit suivre l'ordre du corps (%(hint)s). Sinon, cochez « à "
                "titre exceptionnel » et justifiez."
            )
            % {"hint": hint},
        )


def snapshot_save(officer: Officer, events: list[CareerEvent]) -> None:
    """Write the current situation derived from the events onto the officer row, and the
    situation periods (`services.periods`)."""
    today = _today()
    situation = replay(events, on=today) or replay(events)
    if situation is None:
        raise ValidationError(_("Le dossier n'a pas d'entrée en service."))
    grade_id = grade_in_force(situation.grade_id, today)
    corps_id = Grade.objects.values_list("corps_id", flat=True).get(pk=grade_id)
    values = {
        "unit_id": situation.unit_id,
        "grade_id": grade_id,
        "corps_id": corps_id,
        "status": situation.status,
        "function": situation.function,
        "host_unit_id": situation.host_unit_id,
        "entry_date": situation.entry_date,
        "exit_date": situation.exit_date,
        "secondment_end": situation.secondment_end,
    }
    changed = [k for k, v in values.items() if getattr(officer, k) != v]
    for key, value in values.items():
        setattr(officer, key, value)
    if changed:
        Officer.objects.filter(pk=officer.pk).update(**values)
    periods_save(officer.pk, events)


def snapshot_expected(events: Sequence[ReplayEvent], today: datetime.date) -> dict[str, Any] | None:
    """What the snapshot should say according to the events (for check_snapshots)."""
    situation = replay(events, on=today) or replay(events)
    if situation is None:
        return None
    return {
        "unit_id": situation.unit_id,
        "grade_id": grade_in_force(situation.grade_id, today),
        "status": situation.status,
        "function": situation.function,
        "host_unit_id": situation.host_unit_id,
        "entry_date": situation.entry_date,
        "exit_date": situation.exit_date,
        "secondment_end": situation.secondment_end,
    }
