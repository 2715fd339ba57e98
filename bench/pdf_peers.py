"""The PDF peers bench/pdf.py times beside our renderer, on the same invoice and in the same run:
WeasyPrint, Chromium kept open over DevTools (Playwright's `connect_over_cdp`), Chromium one process
per PDF (`--print-to-pdf`), wkhtmltopdf, and fpdf2 the straightforward way (a fresh FPDF and
`add_font` per render). The HTML peers print one HTML page holding what our PDF holds (seller, buyer,
dates, the lines with their header repeated on each page, VAT breakdown, totals, payment, notes),
formatted by the same babel code, in the same DejaVu Sans.

Each peer answers (wall ms, CPU ms) per render. CPU is what the work costs wherever it runs: this
process's CPU time for the in-process peers; the children's (getrusage) for one process per PDF; for
Chromium kept open, the CPU time of every process under this one (the browser, its renderers and
Playwright's driver), read from /proc per thread in nanoseconds. A peer whose tool is missing answers
why instead (`make bench-peers` installs them: Debian packages and the `bench` extra)."""

from __future__ import annotations

import html
import os
import re
import resource
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

from fastfaktura.pdf.document import InvoiceDocument

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-extensions"]


class Unavailable(Exception):
    """The peer's tool is not installed here (the message says which and how)."""


def _labels_and_formats(doc: InvoiceDocument) -> tuple[SimpleNamespace, SimpleNamespace]:
    """The words and the formatting our PDF prints (the i18n catalogue and Formatter), by the names
    the peers use."""
    from fastfaktura.i18n.catalogue import catalogue
    from fastfaktura.i18n.formats import Formatter

    texts = catalogue(doc.locale)
    pdf, invoice = texts.pdf, texts.invoice
    labels = SimpleNamespace(
        title=pdf.title, issue_date=invoice.issue_date, due_date=invoice.due_date, seller=texts.page.from_,
        buyer=pdf.buyer, vat_number=texts.legal.vat_number, company_id=texts.legal.company_id,
        description=pdf.description, quantity=pdf.quantity, unit_price=invoice.unit_price, vat_rate=invoice.vat_rate,
        amount=invoice.amount, vat_breakdown=pdf.vat_breakdown, taxable=pdf.taxable, vat=invoice.vat,
        subtotal=pdf.subtotal, total=invoice.total, payment=pdf.payment, reference=pdf.reference,
        pay_online=pdf.pay_online, notes=invoice.notes)
    fmt = Formatter(doc.locale, doc.invoice.currency, doc.business.timezone)
    formats = SimpleNamespace(amount=fmt.money, quantity=fmt.quantity, rate=fmt.rate, date=fmt.date)
    return labels, formats


def invoice_html(doc: InvoiceDocument) -> str:
    """The invoice as one HTML page, for the peers that print HTML."""
    (labels, formats), inv, seller, buyer = _labels_and_formats(doc), doc.invoice, doc.business, doc.client
    e = html.escape

    def block(*parts: str | None) -> str:
        return "<br>".join(e(p).replace("\n", "<br>") for p in parts if p)

    lines = "".join(f"<tr><td>{e(line.description)}</td><td class=n>{formats.quantity(line.quantity)}</td>"
                    f"<td class=n>{formats.amount(line.unit_price_cents)}</td><td class=n>{formats.rate(line.tax_rate)}"
                    f"</td><td class=n>{formats.amount(line.amount_cents)}</td></tr>" for line in inv.lines)
    vat = "".join(f"<tr><td>{formats.rate(g.tax_rate)}</td><td class=n>{formats.amount(g.taxable_cents)}</td>"
                  f"<td class=n>{formats.amount(g.tax_cents)}</td></tr>" for g in inv.tax_breakdown)
    return f"""<!doctype html><html lang="{doc.locale}"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 18mm 16mm 20mm }}
body {{ font-family: "DejaVu Sans"; font-size: 9pt; color: #222 }}
h1 {{ font-size: 18pt; margin: 0 0 4mm }}
.parties {{ display: flex; justify-content: space-between; margin-bottom: 6mm }}
table {{ width: 100%; border-collapse: collapse; margin-bottom: 5mm }}
thead {{ display: table-header-group }} tr {{ page-break-inside: avoid }}
th {{ background: #eef1f5; text-align: left; padding: 1.5mm }} td {{ padding: 1.2mm 1.5mm;
border-bottom: 0.2mm solid #ccd }} .n {{ text-align: right; white-space: nowrap }}
.totals {{ width: 45%; margin-left: auto }} .small {{ font-size: 7.5pt; color: #555 }}
</style><title>{e(labels.title)} {e(inv.number)}</title></head><body>
<h1>{e(labels.title)} {e(inv.number)}</h1>
<p>{e(labels.issue_date)}: {formats.date(inv.issue_date)} · {e(labels.due_date)}: {formats.date(inv.due_date)}</p>
<div class="parties"><div><b>{e(labels.seller)}</b><br>{block(seller.legal_name or seller.name, seller.address,
                                                              seller.email, seller.phone)}<br>
{e(labels.vat_number)}: {e(seller.vat_number or "")}<br>{e(labels.company_id)}: {e(seller.company_id or "")}</div>
<div><b>{e(labels.buyer)}</b><br>{block(buyer.name, buyer.address, buyer.email)}</div></div>
<table><thead><tr><th>{e(labels.description)}</th><th class=n>{e(labels.quantity)}</th>
<th class=n>{e(labels.unit_price)}</th><th class=n>{e(labels.vat_rate)}</th><th class=n>{e(labels.amount)}</th></tr>
</thead><tbody>{lines}</tbody></table>
<table class="totals"><thead><tr><th>{e(labels.vat_breakdown)}</th><th class=n>{e(labels.taxable)}</th>
<th class=n>{e(labels.vat)}</th></tr></thead><tbody>{vat}
<tr><td colspan=2>{e(labels.subtotal)}</td><td class=n>{formats.amount(inv.subtotal_cents)}</td></tr>
<tr><td colspan=2>{e(labels.vat)}</td><td class=n>{formats.amount(inv.tax_cents)}</td></tr>
<tr><td colspan=2><b>{e(labels.total)}</b></td><td class=n><b>{formats.amount(inv.total_cents)}</b></td></tr>
</tbody></table>
<p><b>{e(labels.payment)}</b><br>IBAN {e(seller.iban or "")} · BIC {e(seller.bic or "")}<br>
{e(labels.reference)}: {e(inv.number)}<br>{e(labels.pay_online)}: {e(inv.public_url or "")}</p>
<p><b>{e(labels.notes)}</b><br>{block(inv.notes)}</p>
<p class="small">{e(seller.legal_form or "")}</p></body></html>"""


# --- CPU time of other processes


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        for child in children.get(pid, []):
            found.append(child)
            todo.append(child)
    return found


def _tree_cpu_ms() -> float:
    """This process's CPU time plus that of every live process under it (per thread, in ns)."""
    total_ns = 0
    for pid in _descendants(os.getpid()):
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                total_ns += int(Path(f"/proc/{pid}/task/{task}/schedstat").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                continue
    return total_ns / 1e6 + time.process_time() * 1000


def _children_cpu_ms() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * 1000


# --- the peers: each is a context manager whose `render(doc) -> bytes` makes one PDF


class Peer:
    name = ""
    cpu: Callable[[], float] = staticmethod(lambda: time.process_time() * 1000)

    def __enter__(self) -> Peer:
        return self

    def __exit__(self, *_exc) -> None:
        pass

    def render(self, doc: InvoiceDocument) -> bytes:
        raise NotImplementedError


class WeasyPrint(Peer):
    name = "WeasyPrint"

    def __enter__(self) -> Peer:
        try:
            import weasyprint
        except (ImportError, OSError) as exc:
            raise Unavailable(f"not installed ({type(exc).__name__}: {str(exc)[:80]}; `make bench-peers`)") from exc
        self.version = weasyprint.__version__
        self._html = weasyprint.HTML
        return self

    def render(self, doc: InvoiceDocument) -> bytes:
        return self._html(string=invoice_html(doc)).write_pdf()


def _require_chromium() -> str:
    if not Path(CHROMIUM).is_file():
        raise Unavailable("not installed (Debian's chromium; `make bench-peers`)")
    version = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.split()
    return " ".join(version[1:2])  # "Chromium 150.0.7871.100 built on Debian …" → the number


class ChromiumKeptOpen(Peer):
    """One headless Chromium for the whole run, one tab reused: set the HTML, print (DevTools'
    Page.printToPDF through Playwright connected over CDP), as a PDF service would."""

    name = "Chromium kept open (DevTools)"
    cpu = staticmethod(_tree_cpu_ms)

    def __enter__(self) -> Peer:
        self.version = _require_chromium()
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as exc:
            raise Unavailable("Playwright for Python is not installed (the dev extra)") from exc
        self._profile = tempfile.TemporaryDirectory(prefix="bench-chromium-")
        self._browser_process = subprocess.Popen(
            [CHROMIUM, *CHROMIUM_FLAGS, "--remote-debugging-port=0", f"--user-data-dir={self._profile.name}",
             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        url = None
        deadline = time.monotonic() + 30
        while url is None and time.monotonic() < deadline:
            line = self._browser_process.stderr.readline()
            if not line and self._browser_process.poll() is not None:
                break
            match = re.search(r"DevTools listening on (ws://\S+)", line)
            url = match.group(1) if match else None
        # keep reading its log, or a full pipe would stall the browser
        threading.Thread(target=self._browser_process.stderr.read, daemon=True).start()
        try:
            if url is None:
                raise Unavailable("Chromium started but gave no DevTools address")
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.connect_over_cdp(url)
            context = self._browser.contexts[0] if self._browser.contexts else self._browser.new_context()
            self._page = context.new_page()
        except BaseException:
            self.__exit__()
            raise
        return self

    def render(self, doc: InvoiceDocument) -> bytes:
        self._page.set_content(invoice_html(doc))
        return self._page.pdf(format="A4", print_background=True)

    def __exit__(self, *_exc) -> None:
        for close in ("_browser", "_playwright"):
            thing = getattr(self, close, None)
            if thing is not None:
                (thing.close if close == "_browser" else thing.stop)()
        self._browser_process.terminate()
        try:
            self._browser_process.wait(10)
        except subprocess.TimeoutExpired:
            self._browser_process.kill()
            self._browser_process.wait()
        self._profile.cleanup()


class _OneProcessPerPdf(Peer):
    """Writes the HTML to a file, runs the tool on it, reads the PDF back."""

    cpu = staticmethod(_children_cpu_ms)

    def __enter__(self) -> Peer:
        self._dir = tempfile.TemporaryDirectory(prefix="bench-pdf-")
        return self

    def __exit__(self, *_exc) -> None:
        self._dir.cleanup()

    def command(self, source: Path, target: Path) -> list[str]:
        raise NotImplementedError

    def render(self, doc: InvoiceDocument) -> bytes:
        source, target = Path(self._dir.name) / "invoice.html", Path(self._dir.name) / "invoice.pdf"
        source.write_text(invoice_html(doc), encoding="utf-8")
        target.unlink(missing_ok=True)
        subprocess.run(self.command(source, target), check=True, capture_output=True, timeout=120,
                       env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        return target.read_bytes()


class ChromiumPerPdf(_OneProcessPerPdf):
    name = "Chromium, one process per PDF"

    def __enter__(self) -> Peer:
        self.version = _require_chromium()
        return super().__enter__()

    def command(self, source: Path, target: Path) -> list[str]:
        profile = tempfile.mkdtemp(dir=self._dir.name)  # a fresh profile, as a fresh process has
        return [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
                f"--print-to-pdf={target}", source.as_uri()]


class Wkhtmltopdf(_OneProcessPerPdf):
    name = "wkhtmltopdf"

    def __enter__(self) -> Peer:
        tool = shutil.which("wkhtmltopdf")
        if tool is None:
            raise Unavailable("not installed (Debian's wkhtmltopdf; `make bench-peers`)")
        self.version = " ".join(subprocess.run([tool, "--version"], capture_output=True, text=True).stdout.split()[1:2])
        return super().__enter__()

    def command(self, source: Path, target: Path) -> list[str]:
        return ["wkhtmltopdf", "--quiet", "--page-size", "A4", "--encoding", "utf-8",
                "--enable-local-file-access", str(source), str(target)]


class Fpdf2Straightforward(Peer):
    """fpdf2 as its tutorial uses it: a fresh FPDF, `add_font` of the full TTFs, cells and a table."""

    name = "fpdf2, the straightforward way"

    def __enter__(self) -> Peer:
        import fpdf

        self.version = fpdf.__version__
        if not (DEJAVU / "DejaVuSans.ttf").is_file():
            raise Unavailable("DejaVu Sans is not installed (fonts-dejavu-core; `make install`)")
        return self

    def render(self, doc: InvoiceDocument) -> bytes:
        from fpdf import FPDF

        (labels, formats), inv = _labels_and_formats(doc), doc.invoice
        pdf = FPDF(format="A4")
        pdf.add_font("DejaVu", "", str(DEJAVU / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(DEJAVU / "DejaVuSans-Bold.ttf"))
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 18)
        pdf.cell(0, 10, f"{labels.title} {inv.number}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9)
        pdf.cell(0, 6, f"{labels.issue_date}: {formats.date(inv.issue_date)} · "
                       f"{labels.due_date}: {formats.date(inv.due_date)}", new_x="LMARGIN", new_y="NEXT")
        seller, buyer = doc.business, doc.client
        pdf.multi_cell(90, 5, "\n".join(p for p in (labels.seller, seller.legal_name or seller.name, seller.address,
                                                    seller.email, seller.vat_number) if p), new_x="RIGHT",
                       new_y="TOP")
        pdf.multi_cell(90, 5, "\n".join(p for p in (labels.buyer, buyer.name, buyer.address, buyer.email) if p),
                       new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        with pdf.table(col_widths=(80, 20, 30, 15, 30), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
                       repeat_headings=1) as table:
            table.row([labels.description, labels.quantity, labels.unit_price, labels.vat_rate, labels.amount])
            for line in inv.lines:
                table.row([line.description, formats.quantity(line.quantity), formats.amount(line.unit_price_cents),
                           formats.rate(line.tax_rate), formats.amount(line.amount_cents)])
        with pdf.table(col_widths=(30, 30, 30), width=90, align="RIGHT") as table:
            table.row([labels.vat_breakdown, labels.taxable, labels.vat])
            for group in inv.tax_breakdown:
                table.row([formats.rate(group.tax_rate), formats.amount(group.taxable_cents),
                           formats.amount(group.tax_cents)])
            table.row([labels.subtotal, "", formats.amount(inv.subtotal_cents)])
            table.row([labels.total, "", formats.amount(inv.total_cents)])
        pdf.multi_cell(0, 5, f"{labels.payment}\nIBAN {seller.iban} · BIC {seller.bic}\n{labels.reference}: "
                             f"{inv.number}\n{labels.pay_online}: {inv.public_url or ''}\n\n{inv.notes or ''}")
        return bytes(pdf.output())


PEERS: list[type[Peer]] = [WeasyPrint, ChromiumKeptOpen, ChromiumPerPdf, Wkhtmltopdf, Fpdf2Straightforward]
