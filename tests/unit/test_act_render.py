"""Acts rendered to real files and read back the way a customer's accountant would see them.

The PDFs are rendered by this very file run as a script in a child process (``python -m
tests.unit.test_act_render OUTDIR``): the renderer needs a QGuiApplication, and one created in
the pytest process would stand in the way of pytest-qt's QApplication in the UI tests. The text
is read back with poppler's ``pdftotext``/``pdfinfo``/``pdffonts``; the DOCX with python-docx.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from desktop.acts.model import ActData, BankDetails, Party, ReworkItem, WorkItem
from desktop.acts.templates import ActTemplateError, render_act_html, template_name

D = Decimal
ROOT = Path(__file__).resolve().parents[2]

LONG_CUSTOMER = (
    "Общество с ограниченной ответственностью «Научно-производственное объединение "
    "Уральский завод специального машиностроения и металлоконструкций имени "
    "Героя Социалистического Труда Константина Константиновича Рокоссовского»"
)

EXECUTOR = Party(
    name="ООО «Синтез Веб Разработка»",
    inn="7451234567",
    kpp="745101001",
    ogrn="1027400000001",
    address="454000, г. Челябинск, ул. Кирова, д. 1, офис 305",
    bank=BankDetails(
        bank_name="ПАО «Челябинвестбанк»",
        bik="047501779",
        account="40702810900000001234",
        correspondent_account="30101810400000000779",
    ),
    signatory_name="Петров П. П.",
    signatory_position="Генеральный директор",
)
CUSTOMER = Party(
    name=LONG_CUSTOMER,
    inn="7702070139",
    kpp="770201001",
    address="125009, г. Москва, ул. Тверская, д. 7, стр. 2",
    signatory_name="Сидорова А. В.",
    signatory_position="Заместитель генерального директора по информационным технологиям",
)
FOREIGN_CUSTOMER = Party(
    name="Northwind Trading GmbH",
    inn="",
    address="Hauptstraße 1, 10115 Berlin, Germany",
    signatory_name="J. Schmidt",
    signatory_position="Managing Director",
)


def _works(count: int, paid: bool) -> list[WorkItem]:
    works = []
    for i in range(1, count + 1):
        if i % 3:
            text = (
                f"Исправление ошибки отображения каталога товаров в разделе «Продукция», пункт {i}"
            )
        else:
            text = f"Консультация по настройке почтового ящика, пункт {i}"
        works.append(
            WorkItem(
                description=text,
                tid=f"TID-{100 + i:06d}",
                hours=D("0.5") * (1 + i % 4),
                amount=D(1250) * (1 + i % 3) if paid else None,
            )
        )
    return works


def sample_acts() -> dict[str, ActData]:
    """The acts every test here looks at, by name (also rendered by the child process)."""
    common: dict[str, Any] = {
        "executor": EXECUTOR,
        "contract_no": "12/2025-ТП",
        "contract_date": dt.date(2025, 1, 10),
        "place": "г. Челябинск",
    }
    refusal: dict[str, Any] = {
        "refusal_reasons": [
            "Ошибка отображения каталога воспроизводится в браузере Safari 17",
            "Карта сайта не обновлена после изменения структуры разделов",
        ],
        "rework": [
            ReworkItem(
                description="Исправить вёрстку каталога для Safari 17",
                deadline=dt.date(2026, 3, 25),
            ),
            ReworkItem(
                description="Сформировать sitemap.xml заново", deadline=dt.date(2026, 3, 20)
            ),
        ],
        "previous_act_number": "А-2026-0042",
        "previous_act_date": dt.date(2026, 3, 15),
    }
    return {
        "paid_ru": ActData(
            kind="acceptance", number="А-2026-0042", date=dt.date(2026, 3, 15), customer=CUSTOMER,
            tids=["TID-000101"], works=_works(3, paid=True), paid=True, vat=D(20), **common,
        ),
        "free_ru": ActData(
            kind="acceptance", number="А-2026-0043", date=dt.date(2026, 3, 16), customer=CUSTOMER,
            works=_works(2, paid=False), paid=False, **common,
        ),
        "long_ru": ActData(
            kind="acceptance", number="А-2026-0044", date=dt.date(2026, 3, 17), customer=CUSTOMER,
            works=_works(120, paid=True), paid=True, vat=None, **common,
        ),
        "paid_en": ActData(
            kind="acceptance", number="A-2026-0045", date=dt.date(2026, 3, 18), language="en",
            customer=FOREIGN_CUSTOMER, works=_works(2, paid=True), paid=True, vat=None, **common,
        ),
        "bilateral_ru": ActData(
            kind="bilateral", number="Б-2026-0003", date=dt.date(2026, 3, 18), customer=CUSTOMER,
            tids=["TID-000101"], **refusal, **common,
        ),
        "bilateral_en": ActData(
            kind="bilateral", number="B-2026-0004", date=dt.date(2026, 3, 18), language="en",
            customer=FOREIGN_CUSTOMER, tids=["TID-000101"], **refusal, **common,
        ),
    }  # fmt: skip


def _squash(text: str) -> str:
    """Whitespace-free text: line wraps (and hyphen wraps) must not decide a test."""
    return re.sub(r"\s+", "", text)


# ---- PDF, read back with poppler -----------------------------------------------------------


def _poppler() -> None:
    if shutil.which("pdftotext") and shutil.which("pdfinfo"):
        return
    if os.environ.get("CI"):
        pytest.fail("pdftotext/pdfinfo (poppler-utils) are required in CI")
    pytest.skip("pdftotext/pdfinfo not installed (apt-get install poppler-utils)")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    _poppler()
    out = tmp_path_factory.mktemp("acts")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "tests.unit.test_act_render", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    manifest: dict[str, Any] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["dir"] = out
    return manifest


def _text(path: Path, page: int | None = None) -> str:
    # -raw keeps the content-stream order: each table cell's lines stay together.
    args = ["pdftotext", "-raw", "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run(
        [*args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {
        k.strip(): v.strip()
        for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)
    }


def test_paid_russian_act_reads_back(rendered: dict[str, Any]) -> None:
    pdf = rendered["dir"] / "paid_ru.pdf"
    text = _squash(_text(pdf))
    act = sample_acts()["paid_ru"]
    for expected in [
        "АКТ № А-2026-0042",
        "сдачи-приёмки оказанных услуг",
        "15 марта 2026 г.",
        EXECUTOR.name, LONG_CUSTOMER,
        "ИНН 7451234567", "КПП 745101001", "ОГРН 1027400000001", "ИНН 7702070139",
        "р/с 40702810900000001234", "БИК 047501779",
        "Договор № 12/2025-ТП от 10 января 2025 г.",
        "TID-000101", "TID-000102", "TID-000103",
        "Итого: 7 500,00", "В т.ч. НДС 20%: 1 250,00", "Всего к оплате: 7 500,00",
        "Семь тысяч пятьсот рублей 00 копеек",
        "Вышеперечисленные работы выполнены полностью и в срок. Заказчик претензий по объему, "
        "качеству и срокам оказания услуг не имеет.",
        "Петров П. П.", "Сидорова А. В.", "М.П.",
        "стр. 1 из 1",
    ]:  # fmt: skip
        assert _squash(expected) in text, expected
    assert act.total == D("7500.00") and act.vat_amount == D("1250.00")
    info = _info(pdf)
    assert info["Pages"] == "1"
    assert "A4" in info["Page size"]
    assert "А-2026-0042" in info["Title"]


def test_fonts_are_embedded(rendered: dict[str, Any]) -> None:
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts not installed")
    out = subprocess.run(
        ["pdffonts", str(rendered["dir"] / "paid_ru.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows, out
    assert all("DejaVuSans" in row[0] for row in rows), out
    assert all(row[-5] == "yes" for row in rows), out  # the "emb" column


def test_free_act_has_hours_but_no_money(rendered: dict[str, Any]) -> None:
    text = _squash(_text(rendered["dir"] / "free_ru.pdf"))
    assert _squash("АКТ № А-2026-0043") in text
    assert _squash("Кол-во часов") in text
    assert _squash("Итого часов: 2,50") in text
    assert _squash("без дополнительной оплаты") in text
    assert "Сумма" not in text
    assert "копеек" not in text
    assert "НДС" not in text


def test_long_act_spans_pages_with_header_and_whole_rows(rendered: dict[str, Any]) -> None:
    pdf = rendered["dir"] / "long_ru.pdf"
    pages = int(_info(pdf)["Pages"])
    assert pages > 1
    assert rendered["long_ru"]["pages"] == pages
    assert rendered["long_ru"]["progress"] == list(range(1, pages + 1))
    act = sample_acts()["long_ru"]
    page_texts = [_squash(_text(pdf, page)) for page in range(1, pages + 1)]
    seen: set[str] = set()
    for number, page_text in enumerate(page_texts, start=1):
        assert _squash(f"стр. {number} из {pages}") in page_text
        # Page 1 lists every TID in its header; only the works table counts here.
        table_text = page_text.split(_squash("Заказчик принял следующие услуги"))[-1]
        # The works table header is repeated on every page that continues the table.
        if any(w.tid in table_text for w in act.works):
            assert _squash("Наименование работ (услуг)") in table_text, f"page {number}"
        for work in act.works:
            if work.tid in table_text:
                # A row is never torn across a page break: its whole description is here.
                assert _squash(work.description) in table_text, (number, work.description)
                seen.add(work.tid)
    assert seen == {w.tid for w in act.works}
    last = page_texts[-1]
    assert _squash("Без НДС") in last
    assert _squash(f"Всего к оплате: {act.total:,.2f}".replace(",", " ").replace(".", ",")) in last
    # The signature blocks stay together, after the total in words.
    assert "ПетровП.П." in last and "СидороваА.В." in last
    assert act.total == D("300000.00")
    assert _squash("Триста тысяч рублей 00 копеек") in last


def test_english_act(rendered: dict[str, Any]) -> None:
    text = _squash(_text(rendered["dir"] / "paid_en.pdf"))
    act = sample_acts()["paid_en"]
    for expected in [
        "ACCEPTANCE CERTIFICATE No. A-2026-0045",
        "18 March 2026",
        "Northwind Trading GmbH", EXECUTOR.name, "INN 7451234567",
        "Contract No. 12/2025-ТП of 10 January 2025",
        "VAT not applicable",
        f"Total due: {act.total:,.2f}",
        "Six thousand two hundred and fifty roubles 00 kopecks",
        "The above works have been performed in full and on time.",
        "L.S.", "page 1 of 1",
    ]:  # fmt: skip
        assert _squash(expected) in text, expected
    # A party without an INN prints no empty "INN" label.
    assert "INN" not in _squash(_text(rendered["dir"] / "paid_en.pdf")).split("Northwind")[1][:40]


def test_bilateral_acts(rendered: dict[str, Any]) -> None:
    ru = _squash(_text(rendered["dir"] / "bilateral_ru.pdf"))
    for expected in [
        "ДВУСТОРОННИЙ АКТ № Б-2026-0003",
        "к акту сдачи-приёмки № А-2026-0042 от 15 марта 2026 г.",
        "мотивированный отказ от приёмки работ по следующим причинам",
        "1) Ошибка отображения каталога воспроизводится в браузере Safari 17",
        "2) Карта сайта не обновлена после изменения структуры разделов",
        "Исправить вёрстку каталога для Safari 17", "25.03.2026",
        "Сформировать sitemap.xml заново", "20.03.2026",
        "Исполнитель обязуется выполнить перечисленные доработки в указанные сроки",
        "в течение 3 дней", LONG_CUSTOMER, "ИНН 7702070139", "TID-000101",
        "Петров П. П.", "Сидорова А. В.",
    ]:  # fmt: skip
        assert _squash(expected) in ru, expected
    en = _squash(_text(rendered["dir"] / "bilateral_en.pdf"))
    for expected in [
        "BILATERAL ACT No. B-2026-0004",
        "to acceptance certificate No. А-2026-0042 of 15 March 2026",
        "Rework required", "Deadline", "25 Mar 2026", "Northwind Trading GmbH",
    ]:  # fmt: skip
        assert _squash(expected) in en, expected


def test_unwritable_target_is_a_typed_error(rendered: dict[str, Any]) -> None:
    assert rendered["errors"]["missing_dir"]["type"] == "ActRenderError"
    assert "does not exist" in rendered["errors"]["missing_dir"]["message"]


# ---- DOCX, read back with python-docx ------------------------------------------------------


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.mark.parametrize(
    "name", ["paid_ru", "free_ru", "long_ru", "paid_en", "bilateral_ru", "bilateral_en"]
)
def test_docx_holds_the_same_content(tmp_path: Path, name: str) -> None:
    import docx

    from desktop.acts.render_docx import render_docx
    from desktop.acts.words import amount_in_words

    act = sample_acts()[name]
    path = render_docx(act, tmp_path / f"{name}.docx")
    assert path == tmp_path / f"{name}.docx"
    assert not list(tmp_path.glob(".act-*"))  # no temporary file left behind
    text = _squash(_docx_text(path))
    assert _squash(act.number) in text
    assert _squash(act.executor.name) in text and _squash(act.customer.name) in text
    assert "7451234567" in text
    if act.customer.inn:
        assert act.customer.inn in text
    for tid in act.tids:
        assert tid in text
    if act.kind == "acceptance":
        for work in act.works:
            assert _squash(work.description) in text
        if act.paid:
            assert _squash(amount_in_words(act.total, act.language)) in text
        else:
            assert "копеек" not in text and "kopecks" not in text
    else:
        for item in act.rework:
            assert _squash(item.description) in text
        for reason in act.refusal_reasons:
            assert _squash(reason) in text
    assert act.executor.signatory_name.replace(" ", "") in text
    document = docx.Document(str(path))
    grid = next(t for t in document.tables if t.rows[0].cells[0].text in ("№", "No."))
    if act.kind == "acceptance":
        assert len(grid.rows) == len(act.works) + 1
    header_flags = grid.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert header_flags, "the works table header must repeat on every page"
    section = document.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_docx_to_missing_folder_is_a_typed_error(tmp_path: Path) -> None:
    from desktop.acts.model import ActRenderError
    from desktop.acts.render_docx import render_docx

    with pytest.raises(ActRenderError, match="does not exist"):
        render_docx(sample_acts()["paid_ru"], tmp_path / "nope" / "act.docx")


# ---- templates -----------------------------------------------------------------------------


def test_html_escapes_data(tmp_path: Path) -> None:
    act = sample_acts()["paid_ru"]
    evil = Party(
        name="ООО <b>Ромашка</b> & Co", inn="7701234567", address="<script>x</script>",
        signatory_name="Иванов И. И.", signatory_position="Директор",
    )  # fmt: skip
    html = render_act_html(ActData(**{**_fields(act), "customer": evil}))
    assert "<b>Ромашка</b>" not in html and "&lt;b&gt;Ромашка&lt;/b&gt; &amp; Co" in html
    assert "<script>" not in html


def _fields(act: ActData) -> dict[str, Any]:
    from dataclasses import fields

    return {f.name: getattr(act, f.name) for f in fields(act) if f.init}


@pytest.mark.parametrize(
    ("vat", "included", "line"),
    [(None, True, "Без НДС"), (D(20), True, "В т.ч. НДС 20%:"), (D(20), False, "НДС 20%:"),
     (D("0"), True, "В т.ч. НДС 0%:")],
)  # fmt: skip
def test_vat_line_as_configured(vat: Decimal | None, included: bool, line: str) -> None:
    act = ActData(**{**_fields(sample_acts()["paid_ru"]), "vat": vat, "vat_included": included})
    html = render_act_html(act)
    assert line in html
    if vat is not None and not included:
        assert "В т.ч." not in html


def _admin_dir(tmp_path: Path, name: str, body: str) -> Path:
    target = tmp_path / "admin" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")
    return tmp_path / "admin"


def test_admin_template_overrides_and_falls_back(tmp_path: Path) -> None:
    act = sample_acts()["paid_ru"]
    admin = _admin_dir(
        tmp_path, template_name(act),
        '{% import "ru/_macros.html.j2" as m %}<p>Свой акт № {{ act.number }}</p>{{ m.signatures(act) }}',
    )  # fmt: skip
    html = render_act_html(act, admin)
    assert "Свой акт № А-2026-0042" in html and "Сидорова А. В." in html
    # The bilateral act has no admin copy: the built-in one is used.
    assert "ДВУСТОРОННИЙ АКТ" in render_act_html(sample_acts()["bilateral_ru"], admin)


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    act = sample_acts()["paid_ru"]
    admin = _admin_dir(
        tmp_path,
        template_name(act),
        "<p>1</p>\n<p>2</p>\n{% if act.paid %}\n<p>{{ act.number }</p>\n",
    )
    with pytest.raises(ActTemplateError) as caught:
        render_act_html(act, admin)
    error = caught.value
    assert error.template.endswith("acceptance.html.j2")
    assert str(admin) in error.template
    assert error.line == 4
    assert "acceptance.html.j2, line 4" in str(error)


def test_undefined_variable_names_variable_file_and_line(tmp_path: Path) -> None:
    act = sample_acts()["bilateral_ru"]
    admin = _admin_dir(
        tmp_path, template_name(act), "<p>{{ act.number }}</p>\n\n<p>{{ act.numbr }}</p>\n"
    )
    with pytest.raises(ActTemplateError) as caught:
        render_act_html(act, admin)
    assert caught.value.line == 3
    assert "numbr" in str(caught.value)
    assert "bilateral.html.j2, line 3" in str(caught.value)


def test_undefined_variable_inside_an_included_macro_file(tmp_path: Path) -> None:
    act = sample_acts()["paid_ru"]
    macros = (ROOT / "resources/acts/ru/_macros.html.j2").read_text(encoding="utf-8")
    broken = macros.replace("{{ act.executor.signatory_name }}", "{{ act.executor.boss }}")
    assert broken != macros
    admin = _admin_dir(tmp_path, "ru/_macros.html.j2", broken)
    with pytest.raises(ActTemplateError) as caught:
        render_act_html(act, admin)
    assert caught.value.template.endswith("_macros.html.j2")
    assert "boss" in str(caught.value)
    expected_line = (
        broken.splitlines().index(
            next(line for line in broken.splitlines() if "act.executor.boss" in line)
        )
        + 1
    )
    assert caught.value.line == expected_line


def test_missing_admin_folder_is_an_error_not_a_silent_fallback(tmp_path: Path) -> None:
    with pytest.raises(ActTemplateError, match="folder does not exist"):
        render_act_html(sample_acts()["paid_ru"], tmp_path / "gone")


def test_missing_template_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import desktop.acts.templates as templates

    monkeypatch.setattr(templates, "BUILTIN_TEMPLATE_DIR", tmp_path / "nowhere")
    with pytest.raises(ActTemplateError, match=r"ru/acceptance\.html\.j2.*not found"):
        render_act_html(sample_acts()["paid_ru"])


# ---- the child process: render every sample PDF --------------------------------------------


def _render_all(out: Path) -> None:
    from desktop.acts.model import ActRenderError
    from desktop.acts.render_pdf import render_pdf

    manifest: dict[str, Any] = {"errors": {}}
    for name, act in sample_acts().items():
        progress: list[int] = []

        def note(page: int, pages: int, seen: list[int] = progress) -> None:
            seen.append(page)

        render_pdf(act, out / f"{name}.pdf", progress=note)
        manifest[name] = {"pages": len(progress), "progress": progress}
    try:
        render_pdf(sample_acts()["paid_ru"], out / "missing" / "act.pdf")
    except ActRenderError as exc:
        manifest["errors"]["missing_dir"] = {"type": type(exc).__name__, "message": str(exc)}
    leftovers = [p.name for p in out.iterdir() if p.name.startswith(".act-")]
    if leftovers:
        raise SystemExit(f"temporary files left behind: {leftovers}")
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    _render_all(Path(sys.argv[1]))
