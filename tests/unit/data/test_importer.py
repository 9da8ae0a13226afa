import io
from pathlib import Path

from openpyxl import Workbook, load_workbook

from dashboard.data.template import build_template

FILES = Path(__file__).parents[2] / "files"


def _file(name: str) -> bytes:
    return (FILES / name).read_bytes()


def _values(repository) -> dict[tuple[str, int, str], tuple[float, str]]:
    frame = repository.observations()
    return {(r.caisse, r.annee, r.indicateur): (r.valeur, r.qualificatif) for r in frame.itertuples()}


def test_utf8_bom_with_decimal_comma(run_import, repository):
    report = run_import(_file("utf8_bom_decimal_comma.csv"), "utf8_bom_decimal_comma.csv")
    assert report.status == "importe", [str(i) for i in report.issues]
    values = _values(repository)
    assert values[("cpam-21", 2024, "demandes_total")] == (3872394.0, "exact")
    assert values[("cpam-21", 2024, "temps_attente_moyen")] == (8.06, "exact")
    frame = repository.observations(indicators=["demandes_total"])
    assert frame.loc[0, "source"] == "Rapport d'activité 2024 de la CPAM de la Côte-d'Or"
    assert frame.loc[0, "url"] == "https://example.org/rapport"


def test_cp1252_file_keeps_its_accents(run_import, repository):
    report = run_import(_file("cp1252_semicolon.csv"))
    assert report.status == "importe"
    frame = repository.observations(indicators=["beneficiaires_css"])
    assert frame.loc[0, "valeur"] == 45303.0
    assert frame.loc[0, "source"] == "Rapport d'activité 2024 de la CPAM de la Côte-d'Or"
    assert frame.loc[0, "commentaire"] == "Complémentaire santé solidaire accordée"


def test_comma_separated_file_with_quoted_decimal_commas(run_import, repository):
    assert run_import(_file("comma_separator_quoted.csv")).status == "importe"
    assert _values(repository)[("cpam-85", 2020, "taux_commande_carte_vitale_en_ligne")] == (72.6, "exact")


def test_thousands_separated_by_every_kind_of_space(run_import, repository):
    assert run_import(_file("nbsp_thousands.csv")).status == "importe"
    values = _values(repository)
    assert values[("cpam-21", 2024, "demandes_total")][0] == 3872394.0
    assert values[("cpam-21", 2024, "appels_3646_recus")][0] == 191580.0
    assert values[("cpam-21", 2024, "adherents_compte_ameli")][0] == 312009.0


def test_plus_de_values_become_a_qualifier(run_import, repository):
    assert run_import(_file("plus_de_values.csv")).status == "importe"
    values = _values(repository)
    assert values[("cpam-21", 2024, "appels_3646_recus")] == (1000.0, "plus de")
    assert values[("cpam-59-hainaut", 2022, "taux_commande_carte_vitale_en_ligne")] == (85.0, "plus de")
    assert values[("cpam-85", 2020, "delai_moyen_traitement_css")] == (30.0, "moins de")
    assert values[("cpam-85", 2020, "beneficiaires_css")] == (20000.0, "environ")


def test_departement_codes_are_kept_as_text(run_import, repository):
    assert run_import(_file("codes_as_text.csv")).status == "importe"
    frame = repository.observations()
    assert sorted(set(frame["departement"])) == ["2A", "974"]
    assert set(frame["caisse"]) == {"cpam-2a", "cgss-974"}


def test_every_error_is_reported_at_once_in_french(run_import, repository):
    report = run_import(_file("every_error_at_once.csv"))
    assert report.status == "refuse"
    messages = [str(issue) for issue in report.errors]
    by_line = {issue.line: issue for issue in report.errors}
    assert sorted(by_line) == [2, 3, 4, 5, 6, 7, 8]
    assert by_line[2].column == "indicateur"
    assert "demandes_total" in by_line[2].message  # the closest code is suggested
    assert by_line[3].column == "annee"
    assert "quatre chiffres" in by_line[3].message
    assert by_line[4].column == "valeur"
    assert by_line[4].value == "huit"
    assert by_line[5].column == "caisse"
    assert "caisse inconnue" in by_line[5].message
    assert by_line[6].column == "caisse"
    assert "département 21" in by_line[6].message
    assert by_line[7].column == "source"
    assert by_line[8].column == "url"
    assert messages[0].startswith("Ligne 2, colonne « indicateur » (valeur « demandes_totale »)")
    assert repository.observations().empty
    assert repository.store.import_count() == 0


def test_error_on_the_last_row_leaves_the_store_unchanged(run_import, repository, csv_bytes):
    assert (
        run_import(csv_bytes("85;cpam-85;2020;beneficiaires_css;20 000;;;Rapport 2020;;")).status == "importe"
    )
    before = repository.observations()
    version = repository.data_version()
    report = run_import(_file("error_on_last_row.csv"))
    assert report.status == "refuse"
    assert [issue.line for issue in report.errors] == [5]
    assert repository.observations().equals(before)
    assert repository.data_version() == version
    assert repository.store.import_count() == 1


def test_importing_the_same_file_twice_changes_nothing(run_import, repository):
    data = _file("utf8_bom_decimal_comma.csv")
    first = run_import(data)
    version = repository.data_version()
    before = repository.observations()
    second = run_import(data)
    assert (first.status, second.status) == ("importe", "deja_importe")
    assert repository.observations().equals(before)
    assert repository.data_version() == version
    assert repository.store.import_count() == 1


def test_corrected_file_replaces_the_values_it_covers(run_import, repository, csv_bytes):
    run_import(
        csv_bytes(
            "21;cpam-21;2024;demandes_total;3 800 000;;;Première version;;",
            "21;cpam-21;2024;appels_3646_recus;191 580;;;Première version;;",
        )
    )
    report = run_import(
        csv_bytes(
            "21;cpam-21;2024;demandes_total;3 872 394;;;Version corrigée;;",
            "21;cpam-21;2023;demandes_total;3 700 000;;;Version corrigée;;",
        )
    )
    assert (len(report.nouvelles), len(report.modifiees), len(report.inchangees)) == (1, 1, 0)
    frame = repository.observations().set_index(["annee", "indicateur"])
    assert frame.loc[(2024, "demandes_total"), "valeur"] == 3872394.0
    assert frame.loc[(2024, "demandes_total"), "source"] == "Version corrigée"
    assert frame.loc[(2024, "appels_3646_recus"), "valeur"] == 191580.0  # not covered: kept
    assert len(frame) == 3


def test_dry_run_previews_without_writing(run_import, repository, csv_bytes):
    report = run_import(csv_bytes("21;cpam-21;2024;demandes_total;3 872 394;;;Rapport;;"), dry_run=True)
    assert report.status == "apercu"
    assert len(report.nouvelles) == 1
    assert repository.observations().empty


def test_duplicate_figure_within_a_file_is_an_error(run_import, csv_bytes):
    report = run_import(
        csv_bytes("21;cpam-21;2024;demandes_total;1;;;R;;", "21;cpam-21;2024;demandes_total;2;;;R;;")
    )
    assert report.status == "refuse"
    assert report.errors[0].line == 3
    assert "ligne 2" in report.errors[0].message


def test_change_against_previous_year_is_kept_as_a_change(run_import, repository):
    header = "departement;caisse;annee;indicateur;valeur;nature;source"
    data = (
        "\n".join([header, "21;cpam-21;2024;adherents_compte_ameli;12 650;évolution en valeur;R"]) + "\n"
    ).encode()
    assert run_import(data).status == "importe"
    row = repository.observations().iloc[0]
    assert (row["nature"], row["annee_reference"], row["unite"]) == ("evolution_val", 2023, "nombre")


def test_rate_outside_0_100_is_refused(run_import, csv_bytes):
    report = run_import(csv_bytes("21;cpam-21;2024;taux_commande_carte_vitale_en_ligne;182,24;;;R;;"))
    assert report.status == "refuse"
    assert "entre 0 et 100" in report.errors[0].message


def test_unknown_column_is_named(run_import):
    data = b"departement;caisse;annee;indicateur;valeur;source;couleur\n"
    data += b"21;cpam-21;2024;demandes_total;1;R;bleu\n"
    report = run_import(data)
    assert report.status == "refuse"
    assert report.errors[0].column == "couleur"
    assert report.errors[0].line == 1


def test_template_round_trip(tiny_catalog, tiny_referentiel, run_import, repository):
    caisse = tiny_referentiel.caisse_by_id["cpam-21"]
    workbook = load_workbook(io.BytesIO(build_template(tiny_catalog, caisse, 2024)))
    assert workbook.sheetnames[0] == "Saisie"
    sheet = workbook["Saisie"]
    header = [cell.value for cell in sheet[1]]
    codes = [row[header.index("indicateur")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == [ind.code for ind in tiny_catalog]
    assert any("Listes!$A$1" in str(v.formula1) for v in sheet.data_validations.dataValidation)
    assert workbook["indicateurs"].cell(row=1, column=2).value == "libellé"  # new indicators, to fill
    guide = workbook["Catalogue"]
    assert guide.cell(row=2, column=2).value == "Demandes des assurés"
    # A person fills two figures and leaves the others blank (not published).
    filled = {"demandes_total": 3872394, "temps_attente_moyen": "8,06"}
    for row in sheet.iter_rows(min_row=2):
        code = row[header.index("indicateur")].value
        if code in filled:
            row[header.index("valeur")].value = filled[code]
            row[header.index("source")].value = "Rapport d'activité 2024"
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run_import(buffer.getvalue(), "modele-saisie_cpam-21.xlsx")
    assert report.status == "importe", [str(i) for i in report.errors]
    assert len(report.nouvelles) == 2
    assert all(issue.severity == "avertissement" for issue in report.issues)
    values = _values(repository)
    assert values[("cpam-21", 2024, "demandes_total")] == (3872394.0, "exact")
    assert values[("cpam-21", 2024, "temps_attente_moyen")] == (8.06, "exact")


def test_xlsx_with_numeric_cells(run_import, repository):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Département", "Caisse", "Année", "Indicateur", "Valeur", "Source"])
    sheet.append([21, "cpam-21", 2024, "demandes_total", 3872394, "Rapport"])
    sheet.append([21, "cpam-21", 2024, "temps_attente_moyen", 8.06, "Rapport"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert run_import(buffer.getvalue(), "chiffres.xlsx").status == "importe"
    assert _values(repository)[("cpam-21", 2024, "temps_attente_moyen")] == (8.06, "exact")
