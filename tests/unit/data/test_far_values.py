"""A value far from the previous year's is reported as a warning, and the file still imports."""


def _warnings(report) -> list[str]:
    return [str(issue) for issue in report.warnings]


def test_a_count_more_than_doubled_is_a_warning(run_import, csv_bytes):
    run_import(csv_bytes("21;cpam-21;2023;demandes_total;3 700 000;;;R;;"))
    report = run_import(csv_bytes("21;cpam-21;2024;demandes_total;37 000 000;;;R;;"), dry_run=True)
    assert report.status == "apercu"
    (warning,) = report.warnings
    assert (warning.line, warning.column, warning.severity) == (2, "valeur", "avertissement")
    assert "2023" in warning.message
    assert "vérifiez" in warning.message


def test_a_warning_does_not_block_the_import(run_import, csv_bytes, repository):
    run_import(csv_bytes("21;cpam-21;2023;demandes_total;3 700 000;;;R;;"))
    report = run_import(csv_bytes("21;cpam-21;2024;demandes_total;1 000 000;;;R;;"))
    assert report.status == "importe"
    assert len(report.warnings) == 1
    assert len(repository.observations()) == 2


def test_a_rate_moving_more_than_20_points_is_a_warning(run_import, csv_bytes):
    report = run_import(
        csv_bytes(
            "21;cpam-21;2023;part_demandes_compte_ameli;90;;;R;;",
            "21;cpam-21;2024;part_demandes_compte_ameli;0,95;;;R;;",  # a share typed as a fraction
        ),
        dry_run=True,
    )
    assert any("points" in w for w in _warnings(report))


def test_an_ordinary_change_is_not_a_warning(run_import, csv_bytes):
    report = run_import(
        csv_bytes(
            "21;cpam-21;2023;demandes_total;3 700 000;;;R;;",
            "21;cpam-21;2024;demandes_total;3 872 394;;;R;;",
            "21;cpam-21;2023;part_demandes_compte_ameli;90;;;R;;",
            "21;cpam-21;2024;part_demandes_compte_ameli;95;;;R;;",
        ),
        dry_run=True,
    )
    assert report.warnings == ()


def test_re_importing_unchanged_values_does_not_warn_again(run_import, csv_bytes):
    data = csv_bytes(
        "21;cpam-21;2023;demandes_total;1 000;;;R;;", "21;cpam-21;2024;demandes_total;9 000;;;R;;"
    )
    assert len(run_import(data).warnings) == 1
    assert run_import(data + b"\n", dry_run=True).warnings == ()
