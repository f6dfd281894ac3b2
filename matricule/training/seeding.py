"""Load the seeded catalogue (partners, courses, required training); safe to run again."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from matricule.core.models import Agency, Grade, Skill
from matricule.core.seeding import current_statute
from matricule.training import catalogue_data as data
from matricule.training.models import (
    Course,
    CourseModule,
    CoursePrerequisiteSkill,
    CourseSkill,
    Partner,
    RequiredTraining,
)

# Required training of the Police nationale: (course, grade codes of the statute in force)
# and (course, functions).
REQUIRED_BY_GRADE: list[tuple[str, list[str]]] = [
    ("TIR", ["GP", "GPP", "SGT", "SGC", "ADJ", "ADC", "MAJ"]),
    ("PSC1", ["GP", "GPP", "SGT", "SGC"]),
    ("MO", ["GP", "GPP"]),
    ("GENRE-VBG", ["SLT", "LTN", "CNE", "COM"]),
]
REQUIRED_BY_FUNCTION: list[tuple[str, str]] = [
    ("POLPROX", "Chef de poste"),
    ("ENQUETE", "Enquêteur"),
    ("INTERCEPT", "Chauffeur"),
]


@transaction.atomic
def seed_training_catalogue() -> int:
    """Create what is missing of the seeded catalogue; returns the number of courses."""
    for code, name, short in data.PARTNERS:
        Partner.objects.update_or_create(code=code, defaults={"name": name, "short_name": short})
    skills = {s.code: s for s in Skill.objects.all()}
    courses: dict[str, Course] = {}
    for row in data.COURSES:
        code, title_fr, title_en, category, hours, validity, modules, grants, _pre, pre_skills = row
        course, created = Course.objects.get_or_create(
            code=code,
            defaults={
                "title_fr": title_fr,
                "title_en": title_en,
                "category": category,
                "hours": hours,
                "validity_months": validity,
            },
        )
        courses[code] = course
        if not created:
            continue
        lines = [
            CourseModule(
                course=course,
                order=1,
                title=data.HUMAN_RIGHTS_MODULE,
                hours=4,
                is_human_rights=True,
            ),
            CourseModule(course=course, order=2, title=data.GENDER_MODULE, hours=4, is_gender=True),
        ]
        lines += [
            CourseModule(course=course, order=3 + i, title=title, hours=max(1, (hours - 8) // 3))
            for i, title in enumerate(modules)
        ]
        CourseModule.objects.bulk_create(lines)
        CourseSkill.objects.bulk_create(
            [
                CourseSkill(course=course, skill=skills[s], level=lv)
                for s, lv in grants
                if s in skills
            ]
        )
        CoursePrerequisiteSkill.objects.bulk_create(
            [
                CoursePrerequisiteSkill(course=course, skill=skills[s], min_level=lv)
                for s, lv in pre_skills
                if s in skills
            ]
        )
        course.is_published = True
        course.save(update_fields=["is_published"])
    for row in data.COURSES:
        for required in row[8]:
            courses[row[0]].prerequisite_courses.add(courses[required])
    agency = Agency.objects.filter(code="PN").first()
    if agency is not None and not RequiredTraining.objects.filter(agency=agency).exists():
        statute = current_statute(agency, timezone.localdate())
        grades = {g.code: g for g in Grade.objects.filter(statute=statute)}
        RequiredTraining.objects.bulk_create(
            [
                RequiredTraining(agency=agency, course=courses[c], grade=grades[g])
                for c, codes in REQUIRED_BY_GRADE
                for g in codes
                if g in grades
            ]
            + [
                RequiredTraining(agency=agency, course=courses[c], function=f)
                for c, f in REQUIRED_BY_FUNCTION
            ]
        )
    return len(courses)
