"""Acts as editable DOCX (python-docx), for customers whose accountants want to edit a copy.

The PDF is the document of record and comes from the administrator's HTML templates; the DOCX
is built here in code with the same content and wording, because a Word file is edited by
people, not by templates. Word keeps table rows whole (``cantSplit``) and repeats the header
row (``tblHeader``) on every page, which is what the PDF renderer has to do by hand.

Fonts are not embedded (python-docx cannot); Times New Roman is what every Russian office
expects and what LibreOffice substitutes metrically. The page, paragraph and table helpers are
in ``docx_blocks``; this module holds the act's content and wording.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Mm, Pt
from docx.table import Table

from desktop.acts.docx_blocks import (
    BODY_WIDTH_MM,
    add_paragraph,
    new_document,
    remove_borders,
    set_cell_margins,
    set_row_flag,
    set_widths,
    shade_cell,
    write_cell,
)
from desktop.acts.model import ActData, ActRenderError, Language, Party
from desktop.acts.words import (
    amount_in_words,
    format_date_long,
    format_date_short,
    format_hours,
    format_money,
    format_rate,
    ru_plural,
)

GRID_PT = 9


_L: dict[Language, dict[str, str]] = {
    "ru": {
        "acceptance_title": "АКТ № {number}",
        "acceptance_subtitle": "сдачи-приёмки оказанных услуг (выполненных работ)",
        "bilateral_title": "ДВУСТОРОННИЙ АКТ № {number}",
        "bilateral_subtitle": "о необходимых доработках и сроках их выполнения",
        "bilateral_ref": "к акту сдачи-приёмки № {number}{date}",
        "of_date": " от {date}",
        "executor": "Исполнитель",
        "customer": "Заказчик",
        "grounds": "Основание",
        "ticket": "Обращение",
        "tickets": "Обращения",
        "contract": "Договор № {no}{date}",
        "inn": "ИНН", "kpp": "КПП", "ogrn": "ОГРН", "ogrnip": "ОГРНИП",
        "address": "адрес: {address}",
        "bank": "р/с {account} в {bank}, БИК {bik}",
        "corr": "к/с {corr}",
        "intro": "Исполнитель оказал, а Заказчик принял следующие услуги (работы):",
        "col_no": "№", "col_work": "Наименование работ (услуг)", "col_tid": "Обращение",
        "col_hours": "Кол-во часов", "col_amount": "Сумма, руб.",
        "total_hours": "Итого часов:", "subtotal": "Итого:",
        "no_vat": "Без НДС", "vat_incl": "В т.ч. НДС {rate}%:", "vat_top": "НДС {rate}%:",
        "total": "Всего к оплате:",
        "summary_paid": "Всего оказано услуг {count}, на сумму {total} руб.{no_vat}",
        "summary_no_vat": " (без НДС)",
        "summary_free": "Всего оказано услуг {count}. Услуги оказаны без дополнительной оплаты.",
        "wording": "Вышеперечисленные работы выполнены полностью и в срок. Заказчик претензий "
                   "по объему, качеству и срокам оказания услуг не имеет.",
        "approval": "Заказчик утверждает настоящий акт в течение {days} с момента его "
                    "получения или дает мотивированный отказ от приемки работ.",
        "refusal": "1. Заказчик, рассмотрев акт сдачи-приёмки № {number}{date}, заявил "
                   "мотивированный отказ от приёмки работ по следующим причинам:",
        "agreed": "2. Стороны согласовали следующие доработки и сроки их выполнения:",
        "col_rework": "Содержание доработки", "col_deadline": "Срок выполнения",
        "undertake": "3. Исполнитель обязуется выполнить перечисленные доработки в указанные "
                     "сроки. По их завершении Исполнитель предоставляет Заказчику новый акт "
                     "сдачи-приёмки, который Заказчик утверждает в течение {days} с момента его "
                     "получения или дает мотивированный отказ от приемки работ.",
        "copies": "4. Настоящий акт составлен в двух экземплярах, имеющих равную юридическую "
                  "силу, по одному для каждой из сторон.",
        "stamp": "М.П.",
    },
    "en": {
        "acceptance_title": "ACCEPTANCE CERTIFICATE No. {number}",
        "acceptance_subtitle": "for services rendered (works performed)",
        "bilateral_title": "BILATERAL ACT No. {number}",
        "bilateral_subtitle": "on the required rework and its deadlines",
        "bilateral_ref": "to acceptance certificate No. {number}{date}",
        "of_date": " of {date}",
        "executor": "Contractor",
        "customer": "Customer",
        "grounds": "Grounds",
        "ticket": "Ticket",
        "tickets": "Tickets",
        "contract": "Contract No. {no}{date}",
        "inn": "INN", "kpp": "KPP", "ogrn": "OGRN", "ogrnip": "OGRNIP",
        "address": "address: {address}",
        "bank": "account {account} with {bank}, BIC {bik}",
        "corr": "corr. account {corr}",
        "intro": "The Contractor has rendered and the Customer has accepted the following "
                 "services (works):",
        "col_no": "No.", "col_work": "Description of works (services)", "col_tid": "Ticket",
        "col_hours": "Hours", "col_amount": "Amount, RUB",
        "total_hours": "Total hours:", "subtotal": "Subtotal:",
        "no_vat": "VAT not applicable", "vat_incl": "Including VAT {rate}%:",
        "vat_top": "VAT {rate}%:", "total": "Total due:",
        "summary_paid": "Services rendered: {count}, total amount {total} RUB{no_vat}.",
        "summary_no_vat": " (VAT not applicable)",
        "summary_free": "Services rendered: {count}. The services were rendered at no "
                        "additional charge.",
        "wording": "The above works have been performed in full and on time. The Customer has "
                   "no claims regarding the scope, quality or timing of the services.",
        "approval": "The Customer approves this certificate within {days} of its receipt or "
                    "gives a motivated refusal to accept the works.",
        "refusal": "1. Having reviewed acceptance certificate No. {number}{date}, the Customer "
                   "has refused to accept the works for the following reasons:",
        "agreed": "2. The parties have agreed on the following rework and its deadlines:",
        "col_rework": "Rework required", "col_deadline": "Deadline",
        "undertake": "3. The Contractor undertakes to complete the above rework by the stated "
                     "deadlines. On completion the Contractor issues a new acceptance "
                     "certificate, which the Customer approves within {days} of its receipt or "
                     "gives a motivated refusal to accept the works.",
        "copies": "4. This act is made in two copies of equal legal force, one for each party.",
        "stamp": "L.S.",
    },
}  # fmt: skip


def _days(n: int, language: Language) -> str:
    if language == "ru":
        return f"{n} {ru_plural(n, 'дня', 'дней', 'дней')}"
    return f"{n} {'day' if n == 1 else 'days'}"


def requisites_line(party: Party, language: Language) -> str:
    """The party's requisites in one line, in the order Russian acts print them."""
    t = _L[language]
    parts = [party.name]
    if party.inn:
        parts.append(f"{t['inn']} {party.inn}")
    if party.kpp:
        parts.append(f"{t['kpp']} {party.kpp}")
    if party.ogrn:
        parts.append(f"{t['ogrnip'] if len(party.ogrn) == 15 else t['ogrn']} {party.ogrn}")
    if party.address:
        parts.append(t["address"].format(address=party.address))
    if party.bank:
        parts.append(
            t["bank"].format(
                account=party.bank.account, bank=party.bank.bank_name, bik=party.bank.bik
            )
        )
        if party.bank.correspondent_account:
            parts.append(t["corr"].format(corr=party.bank.correspondent_account))
    return ", ".join(parts)


def _header(doc: DocxDocument, act: ActData) -> None:
    t = _L[act.language]
    lang = act.language
    add_paragraph(
        doc,
        t[f"{act.kind}_title"].format(number=act.number),
        bold=True,
        size=14,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=0,
    )
    add_paragraph(doc, t[f"{act.kind}_subtitle"], align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    if act.kind == "bilateral":
        ref_date = (
            t["of_date"].format(date=format_date_long(act.previous_act_date, lang))
            if act.previous_act_date
            else ""
        )
        add_paragraph(
            doc,
            t["bilateral_ref"].format(number=act.previous_act_number, date=ref_date),
            align=WD_ALIGN_PARAGRAPH.CENTER,
            space_after=0,
        )
    line = add_paragraph(doc, space_before=6, space_after=6)
    line.paragraph_format.tab_stops.add_tab_stop(Mm(BODY_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    line.add_run(f"{act.place}\t{format_date_long(act.date, lang)}")

    contract_date = (
        t["of_date"].format(date=format_date_long(act.contract_date, lang))
        if act.contract_date
        else ""
    )
    rows = [
        (t["executor"], requisites_line(act.executor, lang)),
        (t["customer"], requisites_line(act.customer, lang)),
        (t["grounds"], t["contract"].format(no=act.contract_no, date=contract_date)),
    ]
    if act.tids:
        rows.append((t["ticket"] if len(act.tids) == 1 else t["tickets"], ", ".join(act.tids)))
    table = doc.add_table(rows=len(rows), cols=2)
    remove_borders(table)
    for (label, value), row in zip(rows, table.rows, strict=True):
        write_cell(row.cells[0], f"{label}:", bold=True)
        write_cell(row.cells[1], value)
    set_widths(table, (36, BODY_WIDTH_MM - 36))


def _grid(
    doc: DocxDocument,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths_mm: Sequence[float],
    aligns: Sequence[WD_ALIGN_PARAGRAPH],
) -> Table:
    table: Table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_cell_margins(table, 30, 85)
    header = table.rows[0]
    set_row_flag(header, "w:tblHeader")  # repeat on every page
    for cell, text in zip(header.cells, headers, strict=True):
        write_cell(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=GRID_PT)
        shade_cell(cell, "EEEEEE")
    for values, row in zip(rows, table.rows[1:], strict=True):
        set_row_flag(row, "w:cantSplit")  # a work line is never torn across pages
        for cell, text, align in zip(row.cells, values, aligns, strict=True):
            write_cell(cell, text, align=align, size=GRID_PT)
    set_widths(table, widths_mm)
    return table


def _signatures(doc: DocxDocument, act: ActData) -> None:
    t = _L[act.language]
    add_paragraph(doc, space_after=6)
    table = doc.add_table(rows=5, cols=2)
    remove_borders(table)
    parties = (act.executor, act.customer)
    for column, (role, party) in enumerate(
        zip((t["executor"], t["customer"]), parties, strict=True)
    ):
        write_cell(table.cell(0, column), role, bold=True)
        write_cell(table.cell(1, column), party.name)
        write_cell(table.cell(2, column), party.signatory_position)
        sign = write_cell(
            table.cell(3, column), f"_____________________ / {party.signatory_name} /"
        )
        sign.paragraph_format.space_before = Pt(20)
        stamp = write_cell(table.cell(4, column), t["stamp"], size=9)
        stamp.paragraph_format.space_before = Pt(4)
    for row in table.rows[:-1]:
        set_row_flag(row, "w:cantSplit")
        # Keep the signature block on one page: each row holds on to the next one (the last
        # row must not, or the whole block is pushed after whatever follows the table).
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    set_widths(table, (BODY_WIDTH_MM / 2, BODY_WIDTH_MM / 2))


def _acceptance_body(doc: DocxDocument, act: ActData) -> None:
    t = _L[act.language]
    lang = act.language
    add_paragraph(doc, t["intro"], space_before=8)
    headers = [t["col_no"], t["col_work"], t["col_tid"], t["col_hours"]]
    widths = [10.0, 0.0, 28.0, 20.0]
    right, center, left = (
        WD_ALIGN_PARAGRAPH.RIGHT,
        WD_ALIGN_PARAGRAPH.CENTER,
        WD_ALIGN_PARAGRAPH.LEFT,
    )
    aligns = [center, left, center, right]
    if act.paid:
        headers.append(t["col_amount"])
        widths.append(28.0)
        aligns.append(right)
    widths[1] = BODY_WIDTH_MM - sum(widths)
    rows = []
    for index, work in enumerate(act.works, start=1):
        row = [str(index), work.description, work.tid, format_hours(work.hours, lang)]
        if act.paid:
            row.append(format_money(work.amount or Decimal(0), lang))
        rows.append(row)
    _grid(doc, headers, rows, widths, aligns)

    totals = [(t["total_hours"], format_hours(act.total_hours, lang))]
    if act.paid:
        totals.append((t["subtotal"], format_money(act.subtotal, lang)))
        if act.vat is None or act.vat_amount is None:
            totals.append((t["no_vat"], "—"))
        else:
            key = "vat_incl" if act.vat_included else "vat_top"
            totals.append(
                (t[key].format(rate=format_rate(act.vat, lang)), format_money(act.vat_amount, lang))
            )
        totals.append((t["total"], format_money(act.total, lang)))
    table = doc.add_table(rows=len(totals), cols=2)
    remove_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.RIGHT
    for (label, value), row in zip(totals, table.rows, strict=True):
        write_cell(row.cells[0], label, bold=True, align=right)
        write_cell(row.cells[1], value, bold=True, align=right)
    set_widths(table, (55.0, 28.0))

    count = len(act.works)
    if act.paid:
        no_vat = t["summary_no_vat"] if act.vat is None else ""
        summary = t["summary_paid"].format(
            count=count, total=format_money(act.total, lang), no_vat=no_vat
        )
        add_paragraph(doc, summary, space_before=8, space_after=0)
        add_paragraph(doc, amount_in_words(act.total, lang), bold=True)
    else:
        add_paragraph(doc, t["summary_free"].format(count=count), space_before=8)
    add_paragraph(doc, t["wording"], space_before=6).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    add_paragraph(doc, t["approval"].format(days=_days(act.approval_days, lang)))


def _bilateral_body(doc: DocxDocument, act: ActData) -> None:
    t = _L[act.language]
    lang = act.language
    ref_date = (
        t["of_date"].format(date=format_date_long(act.previous_act_date, lang))
        if act.previous_act_date
        else ""
    )
    add_paragraph(
        doc, t["refusal"].format(number=act.previous_act_number, date=ref_date), space_before=8
    )
    for index, reason in enumerate(act.refusal_reasons, start=1):
        paragraph = add_paragraph(doc, f"{index}) {reason}", space_after=1)
        paragraph.paragraph_format.left_indent = Mm(5)
    add_paragraph(doc, t["agreed"], space_before=6)
    center, left = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT
    rows = [
        [str(index), item.description, format_date_short(item.deadline, lang)]
        for index, item in enumerate(act.rework, start=1)
    ]
    _grid(
        doc,
        [t["col_no"], t["col_rework"], t["col_deadline"]],
        rows,
        [10.0, BODY_WIDTH_MM - 42.0, 32.0],
        [center, left, center],
    )
    add_paragraph(doc, t["undertake"].format(days=_days(act.approval_days, lang)), space_before=8)
    add_paragraph(doc, t["copies"])


def build_docx(act: ActData) -> DocxDocument:
    """The act as a python-docx Document, for callers that want to add to it before saving."""
    doc = new_document()
    _header(doc, act)
    if act.kind == "acceptance":
        _acceptance_body(doc, act)
    else:
        _bilateral_body(doc, act)
    _signatures(doc, act)
    core = doc.core_properties
    core.title = _L[act.language][f"{act.kind}_title"].format(number=act.number)
    core.author = act.executor.name
    return doc


def render_docx(act: ActData, path: Path) -> Path:
    """Write ``act`` as an editable DOCX at ``path`` (atomically); returns ``path``."""
    target = Path(path)
    if not target.parent.is_dir():
        raise ActRenderError(
            "Cannot save the act to {target}: the folder {parent} does not exist", target=target, parent=target.parent
        )
    doc = build_docx(act)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".act-", suffix=".docx.part", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise ActRenderError("Cannot save the act to {target}: {reason}", target=target, reason=exc.strerror or exc) from exc
    tmp_path = Path(tmp_name)
    try:
        doc.save(str(tmp_path))
        os.replace(tmp_path, target)
    except OSError as exc:
        raise ActRenderError("Cannot save the act to {target}: {reason}", target=target, reason=exc.strerror or exc) from exc
    finally:
        if tmp_path.exists():
            tmp_path.unlink()
    return target
