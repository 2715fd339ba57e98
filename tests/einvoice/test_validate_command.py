"""`fastfaktura validate FILE…` prints the failed rules with their ids and exits 1 when any file fails."""

from dataclasses import replace

from documents import SELLERS, document
from fastfaktura.einvoice.ubl import write_ubl
from fastfaktura.tools.cli import main


def test_validate_prints_failed_rules_with_their_ids(tmp_path, capsys):
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_bytes(write_ubl(document()))
    bad.write_bytes(write_ubl(replace(document(), seller=replace(SELLERS["NO"], electronic_address=None)), check=False))
    assert main(["validate", str(good)]) == 0
    assert main(["validate", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{good}: UBL, valid (XSD, CEN, PEPPOL" in out
    assert "FAIL PEPPOL PEPPOL-EN16931-R020: Seller electronic address MUST be provided" in out


def test_validate_refuses_a_file_that_is_no_invoice(tmp_path, capsys):
    other = tmp_path / "other.xml"
    other.write_bytes(b"<note/>")
    assert main(["validate", str(other)]) == 1
    assert "FAIL XML ROOT: not a UBL invoice or a CII document: note" in capsys.readouterr().out
