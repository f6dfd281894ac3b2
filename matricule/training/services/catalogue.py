"""Writes to the catalogue: courses, their modules, skills, prerequisites, publication."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from matricule.core.audit import audit_record, model_snapshot
from matricule.core.models import Agency, Grade, Skill
from matricule.training.models import (
    Course,
    CourseModule,
    CoursePrerequisiteSkill,
    CourseSkill,
    RequiredTraining,
)

if TYPE_CHECKING:
    from matricule.accounts.models import User

COURSE_FIELDS = (
    "code",
    "title_fr",
    "title_en",
    "category",
    "hours",
    "validity_months",
    "description",
)


def publication_problems(course: Course) -> list[str]:
    """Why the course cannot be published (empty when it can)."""
    problems = []
    modules = list(course.modules.all())
    if not any(m.is_human_rights for m in modules):
        problems.append(_("il manque le module obligatoire « droits de l'homme »"))
    if not any(m.is_gender for m in modules):
        problems.append(_("il manque le module obligatoire « genre »"))
    return problems


def course_create(*, data: dict[str, Any], by: User | None) -> Course:
    course = Course(**{k: data.get(k) for k in COURSE_FIELDS if k in data})
    course.code = (course.code or "").strip().upper()
    course.is_published = False
    course.full_clean()
    with transaction.atomic():
        course.save()
        audit_record(
            by=by, action="training.course.create", obj=course, after=model_snapshot(course)
        )
    return course


def course_update(*, course: Course, data: dict[str, Any], by: User | None) -> Course:
    before = model_snapshot(course)
    for key in COURSE_FIELDS:
        if key in data and key != "code":
            setattr(course, key, data[key])
    course.full_clean()
    with transaction.atomic():
        course.save(update_fields=[k for k in COURSE_FIELDS if k != "code"])
        audit_record(
            by=by,
            action="training.course.update",
            obj=course,
            before=before,
            after=model_snapshot(course),
        )
    return course


def course_publish(*, course: Course, by: User | None) -> Course:
    """Publish the course; refused while a mandatory module is missing."""
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        problems = publication_problems(course)
        if problems:
            raise ValidationError(
                _("Publication impossible : %(why)s.") % {"why": " ; ".join(problems)}
            )
        course.is_published = True
        course.save(update_fields=["is_published"])
        audit_record(
            by=by,
            action="training.course.publish",
            obj=course,
            before={"is_published": False},
            after={"is_published": True},
        )
    return course


def course_unpublish(*, course: Course, by: User | None) -> Course:
    with transaction.atomic():
        course.is_published = False
        course.save(update_fields=["is_published"])
        audit_record(
            by=by, action="training.course.unpublish", obj=course, after={"is_published": False}
        )
    return course


def module_add(
    *,
    course: Course,
    title: str,
    hours: int,
    is_human_rights: bool = False,
    is_gender: bool = False,
    by: User | None,
) -> CourseModule:
    order = course.modules.count() + 1
    module = CourseModule(
        course=course,
        order=order,
        title=title.strip(),
        hours=hours,
        is_human_rights=is_human_rights,
        is_gender=is_gender,
    )
    module.full_clean()
    with transaction.atomic():
        module.save()
        audit_record(by=by, action="training.module.add", obj=module, after=model_snapshot(module))
    return module


def module_remove(*, module: CourseModule, by: User | None) -> None:
    """Remove a module; a published course may not lose a mandatory one."""
    course = module.course
    others = course.modules.exclude(pk=module.pk)
    if course.is_published and (
        (module.is_human_rights and not others.filter(is_human_rights=True).exists())
        or (module.is_gender and not others.filter(is_gender=True).exists())
    ):
        raise ValidationError(
            _(
                "Ce module est obligatoire pour une formation publiée : retirez d'abord "
                "la formation du catalogue."
            )
        )
    before = model_snapshot(module)
    with transaction.atomic():
        module.delete()
        audit_record(
            by=by,
            action="training.module.remove",
            object_type="training.coursemodule",
            object_id=str(before["id"]),
            object_repr=str(before["title"]),
            before=before,
        )


def _check_level(skill: Skill, level: int) -> None:
    if not 1 <= level <= skill.max_level:
        raise ValidationError(
            {
                "level": _("Niveau de %(skill)s : entre 1 et %(max)s.")
                % {"skill": skill.name, "max": skill.max_level}
            }
        )


def course_skill_set(*, course: Course, skill: Skill, level: int, by: User | None) -> CourseSkill:
    """Set the level at which a passed course grants a skill."""
    _check_level(skill, level)
    with transaction.atomic():
        row, _created = CourseSkill.objects.update_or_create(
            course=course, skill=skill, defaults={"level": level}
        )
        audit_record(
            by=by,
            action="training.course_skill.set",
            obj=row,
            after={"course": course.code, "skill": skill.code, "level": level},
        )
    return row


def prerequisite_skill_set(
    *, course: Course, skill: Skill, min_level: int, by: User | None
) -> CoursePrerequisiteSkill:
    _check_level(skill, min_level)
    with transaction.atomic():
        row, _created = CoursePrerequisiteSkill.objects.update_or_create(
            course=course, skill=skill, defaults={"min_level": min_level}
        )
        audit_record(
            by=by,
            action="training.prerequisite_skill.set",
            obj=row,
            after={"course": course.code, "skill": skill.code, "min_level": min_level},
        )
    return row


def prerequisite_course_add(*, course: Course, required: Course, by: User | None) -> None:
    if required.pk == course.pk or course.pk in _all_prerequisites(required):
        raise ValidationError(
            {
                "required": _("Prérequis circulaire : %(c)s dépend déjà de cette formation.")
                % {"c": required.code}
            }
        )
    with transaction.atomic():
        course.prerequisite_courses.add(required)
        audit_record(
            by=by,
            action="training.prerequisite_course.add",
            obj=course,
            after={"course": course.code, "required": required.code},
        )


def _all_prerequisites(course: Course) -> set[int]:
    seen: set[int] = set()
    frontier = [course.pk]
    while frontier:
        ids = list(
            Course.prerequisite_courses.through.objects.filter(
                from_course_id__in=frontier
            ).values_list("to_course_id", flat=True)
        )
        frontier = [i for i in ids if i not in seen]
        seen.update(frontier)
    return seen


def required_training_add(
    *,
    agency: Agency,
    course: Course,
    grade: Grade | None,
    function: str,
    by: User | None,
) -> RequiredTraining:
    """Require a course of every officer of a grade, or holding a function, in the agency."""
    row = RequiredTraining(agency=agency, course=course, grade=grade, function=function.strip())
    # Checks the unique constraints too ("Cette obligation existe déjà.").
    row.full_clean()
    with transaction.atomic():
        try:
            # Two clerks adding the same rule at once both pass full_clean(): the database
            # constraint decides, and the second gets the same French refusal.
            with transaction.atomic():
                row.save()
        except IntegrityError:
            raise ValidationError(_("Cette obligation existe déjà.")) from None
        audit_record(by=by, action="training.required.add", obj=row, after=model_snapshot(row))
    return row


def required_training_remove(*, row: RequiredTraining, by: User | None) -> None:
    with transaction.atomic():
        before = model_snapshot(row)
        label = str(row)
        row.delete()
        audit_record(
            by=by,
            action="training.required.remove",
            object_type="training.requiredtraining",
            object_id=str(before["id"]),
            object_repr=label,
            before=before,
        )
