"""Headers in French and English, and the clerk's explicit mapping."""

from __future__ import annotations

import pytest

from matricule.personnel.importing.columns import columns_match, mapping_parse


def test_french_headers_are_recognised_with_accents_in_any_form():
    headers = [
        "Nom",
        "PRE\u0301NOM(S)",
        "Date de naissance",
        "Grade",
        "Unité",
        "Matricule",
        "Sexe",
        "N° NINA",
        "Date d’entrée",
    ]
    columns, problems, fatal = columns_match(headers, {})
    assert [columns[i] for i in range(len(headers))] == [
        "family_name",
        "given_names",
        "birth_date",
        "grade",
        "unit",
        "matricule",
        "sex",
        "nina",
        "entry_date",
    ]
    assert problems == [] and not fatal


def test_english_headers_are_recognised():
    headers = [
        "Last Name",
        "First Name",
        "Rank",
        "Unit",
        "Appointed date",
        "Date of birth",
        "Gender",
        "Service number",
        "Phone number",
    ]
    columns, _problems, fatal = columns_match(headers, {})
    assert list(columns.values()) == [
        "family_name",
        "given_names",
        "grade",
        "unit",
        "entry_date",
        "birth_date",
        "sex",
        "matricule",
        "phone",
    ]
    assert not fatal


def test_explicit_mapping_names_and_ignores_columns():
    headers = ["Nom", "Prénoms", "Tél. perso", "Nom du père", "Matricule"]
    mapping = mapping_parse("Tél. perso=téléphone\nNom du père=ignorer\n# commentaire\n")
    columns, problems, _fatal = columns_match(headers, mapping)
    assert columns == {0: "family_name", 1: "given_names", 2: "phone", 4: "matricule"}
    assert problems == []


def test_explicit_mapping_wins_over_a_column_that_looks_like_the_field():
    headers = ["Matricule", "Téléphone", "Tél. perso"]
    columns, problems, fatal = columns_match(headers, {"Tél. perso": "phone"})
    assert columns == {0: "matricule", 2: "phone"}
    assert (problems, fatal) == ([], False)


def test_unknown_header_is_reported_as_ignored():
    _columns, problems, _fatal = columns_match(["Nom", "Matricule", "Religion", "Ethnie"], {})
    assert [(p.row, p.level) for p in problems] == [(1, "info")]  # one line for them all
    assert problems[0].message.startswith(
        "2 colonnes non reconnues, ignorées : « Religion », « Ethnie »."
    )


def test_two_columns_for_one_field_is_fatal():
    _columns, problems, fatal = columns_match(["Matricule", "Téléphone", "Tel"], {})
    assert fatal
    assert "désignent toutes deux le champ « téléphone »" in problems[0].message


def test_mapping_to_an_unknown_field_is_refused_in_french():
    with pytest.raises(ValueError, match="champ « religion » inconnu"):
        mapping_parse("Religion=religion")
    with pytest.raises(ValueError, match="En-tête=champ"):
        mapping_parse("sans signe égal")
