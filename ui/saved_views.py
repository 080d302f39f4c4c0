"""The agent's saved views in the window (R-UI-1): save the filter bar as a view, choose one
(its filter goes back into the filter bar), rename, share with the team or keep private, move
(menu or drag) and delete — each through ``desktop.services.saved_views`` on a worker, as
``reglament views`` does.

A view a colleague shares appears at the next periodic pass (the counts name a view the panel
does not list, so the list is read again); one they delete or stop sharing goes the same way.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QPoint
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from desktop.services import saved_views
from desktop.services.saved_views import FIXED_VIEWS, ViewInfo
from desktop.services.workspace import Workspace
from ui.dialogs.form import FormDialog
from ui.errors import show_error
from ui.filter_bar import FilterBar
from ui.views_panel import ViewsPanel, view_title
from ui.workers import Runner

translate = QCoreApplication.translate


class SavedViewsKeeper(QObject):
    """Keeps the views panel's saved views in step with the database and acts on them."""

    def __init__(self, window: QMainWindow, panel: ViewsPanel, filters: FilterBar, runner: Runner,
                 ws: Workspace, menu: QMenu, remembered: str = "") -> None:
        super().__init__(window)
        self.window, self.panel, self.filters, self.runner, self.ws = window, panel, filters, runner, ws
        self.views: dict[str, ViewInfo] = {}  # in the list's order
        self.remembered = remembered  # the view chosen when the window last closed
        self.last_dialog: FormDialog | None = None
        self.last_menu: QMenu | None = None
        self._loading = False
        self.save_action = QAction(window)
        self.save_action.setObjectName("action_save_view")
        self.save_action.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.save_action.triggered.connect(self.ask_save)
        # After the views' own entries (Alt+1 … Alt+6), before the last group (Language).
        separators = [a for a in menu.actions() if a.isSeparator()]
        if separators:
            menu.insertAction(separators[-1], self.save_action)
        else:
            menu.addAction(self.save_action)
        panel.addRequested.connect(self.ask_save)
        #: The saved view whose filter the filter bar holds (cleared when a fixed view is chosen).
        self.applied: str | None = None
        #: A filter value the bar could not show yet (its choices had not arrived).
        self.pending = False
        filters.choicesSet.connect(self._choices_arrived)
        panel.savedChosen.connect(self._chosen)
        panel.viewChosen.connect(self._left)
        panel.menuRequested.connect(self._menu)
        panel.moved.connect(self.move)
        panel.savedStale.connect(self.load)
        self.retranslate()
        self.load()

    def retranslate(self) -> None:
        self.save_action.setText(translate("SavedViews", "Save filter as view…"))
        if self.views:  # the marks and tooltips in the new language
            self.panel.set_saved([(v.key, v.name, self._tooltip(v), self._badge(v)) for v in self.views.values()])
        self.save_action.setToolTip(translate(
            "SavedViews", "Save the search and filters as a view of your own ({0})").format(
            self.save_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)))

    # --- reading -------------------------------------------------------------------------------

    def load(self) -> None:
        if self._loading:
            return
        self._loading = True
        ws = self.ws
        self.runner.read(lambda: saved_views.views(ws), self._listed, self._failed_quietly)

    def _failed_quietly(self, exc: BaseException) -> None:
        self._loading = False
        self.window.statusBar().showMessage(str(exc), 10_000)

    def _listed(self, found: list[ViewInfo]) -> None:
        self._loading = False
        new = set(self.views) != {v.key for v in found}
        self.views = {v.key: v for v in found}
        self.panel.set_saved([(v.key, v.name, self._tooltip(v), self._badge(v)) for v in found])
        if new and any(self.panel.count_of(v.key) is None for v in found):
            self._recount()
        # The view chosen last time, once listed — unless the agent has chosen another since
        # the window opened on All tickets. A view that is gone leaves All tickets chosen.
        if self.remembered in self.views and self.panel.current_view() == "all":
            self.panel.select(self.remembered)
        self.remembered = ""

    @staticmethod
    def _badge(v: ViewInfo) -> str:
        """Beside a shared view: "team" for the agent's own, the colleague's login for theirs."""
        if not v.shared:
            return ""
        return translate("SavedViews", "team") if v.mine else v.owner

    def _tooltip(self, v: ViewInfo) -> str:
        who = (translate("SavedViews", "Shared with the team") if v.shared and v.mine
               else translate("SavedViews", "Shared by {0}").format(v.owner) if v.shared
               else translate("SavedViews", "Private: only you see it"))
        spec = v.spec
        parts = [view_title(spec["view"])]
        parts += [f"{name}: {spec[key]}" for key, name in (
            ("status", translate("SavedViews", "status")), ("department", translate("SavedViews", "department")),
            ("plan", translate("SavedViews", "plan")), ("sla", translate("SavedViews", "SLA")))
            if spec.get(key)]
        if spec.get("assignee") is not None:
            parts.append(translate("SavedViews", "assignee: {0}").format(
                spec["assignee"] or translate("SavedViews", "nobody")))
        if spec.get("search"):
            parts.append(translate("SavedViews", "search: «{0}»").format(spec["search"]))
        return f"{who}\n" + ", ".join(parts)

    # --- choosing ------------------------------------------------------------------------------

    def _chosen(self, key: str) -> None:
        """The view's filter into the filter bar, quietly: the view's own query follows."""
        view = self.views.get(key)
        if view is None:
            return
        self.applied = key
        self._fill_bar(view.spec)

    def _left(self, key: str) -> None:
        """A fixed view after a saved one starts from an empty filter, not the saved view's."""
        if self.applied is not None and not key.startswith(saved_views.PREFIX):
            self.applied = None
            self._fill_bar({})

    def _fill_bar(self, spec: dict[str, Any]) -> None:
        bar = self.filters
        blocked = bar.blockSignals(True)
        self.pending = False
        try:
            bar.search.setText(spec.get("search") or "")
            for name in ("status", "department", "assignee", "plan", "sla"):
                combo = getattr(bar, name)
                found = combo.findData(spec.get(name)) if spec.get(name) is not None else 0
                self.pending = self.pending or (found < 0 and not bar.has_choices)
                combo.setCurrentIndex(max(found, 0))
        finally:
            bar.blockSignals(blocked)
        bar._debounce.stop()  # the text set above is not a search being typed

    def _choices_arrived(self) -> None:
        """The window's first moments: a saved view chosen before the filter bar had its
        departments and plans gets its whole filter now, and the queue follows."""
        if self.pending and self.applied in self.views:
            self._fill_bar(self.views[self.applied].spec)
            self.filters.changed.emit()

    def current_filter(self) -> dict[str, Any]:
        key = self.panel.current_view()
        base = self.views[key].spec["view"] if key in self.views else key
        bar = self.filters
        return {"view": base if base in FIXED_VIEWS else "all", "status": bar.status.currentData(),
                "department": bar.department.currentData(), "assignee": bar.assignee.currentData(),
                "plan": bar.plan.currentData(), "sla": bar.sla.currentData(), "search": bar.search.text()}

    # --- changing ------------------------------------------------------------------------------

    def ask_save(self) -> FormDialog:
        """The name and sharing of a new view; saving over the chosen own view replaces it."""
        current = self.views.get(self.panel.current_view())
        own = current if current is not None and current.mine else None
        dlg = FormDialog(self.window, translate("SavedViews", "Save filter as view"),
                         translate("SavedViews", "The search and filters shown now, on the view “{0}”, are kept "
                                   "under a name in the list of views.").format(
                             view_title(self.current_filter()["view"])),
                         translate("SavedViews", "Save"))
        dlg.setObjectName("save_view_dialog")
        dlg.add_line("name", translate("SavedViews", "Name:"), own.name if own else "")
        dlg.add_check("shared", translate("SavedViews", "Show it to every agent of the team"),
                      own.shared if own else False)
        spec = self.current_filter()
        dlg.accepted.connect(lambda: self._save(dlg.value("name"), spec, dlg.value("shared"), own))
        dlg.open()
        self.last_dialog = dlg
        return dlg

    def _save(self, name: str, spec: dict[str, Any], shared: bool, own: ViewInfo | None) -> None:
        ws = self.ws
        replace = own is not None and " ".join(name.split()) == own.name

        def saved(view: ViewInfo) -> None:
            self.remembered = view.key
            self.window.statusBar().showMessage(translate("SavedViews", "View “{0}” saved").format(view.name), 10_000)
            self.load()
            self._recount()

        self.runner.write(lambda: saved_views.save_view(ws, name, spec, shared=shared, replace=replace),
                          saved, lambda exc: show_error(self.window, exc))

    def _recount(self) -> None:
        """The counts beside the views read again (a view new to the list has none yet)."""
        refresh = getattr(self.window, "refresh", None)
        if refresh is not None:
            refresh(arrivals=False)

    def _write(self, work: Any, message: str) -> None:
        def done(_r: object) -> None:
            if message:
                self.window.statusBar().showMessage(message, 10_000)
            self.load()

        self.runner.write(work, done, lambda exc: show_error(self.window, exc))

    def rename(self, key: str, name: str) -> None:
        ws, vid = self.ws, self.views[key].id
        self._write(lambda: saved_views.rename_view(ws, vid, name),
                    translate("SavedViews", "View renamed to “{0}”").format(name))

    def ask_rename(self, key: str) -> FormDialog:
        dlg = FormDialog(self.window, translate("SavedViews", "Rename view"), "", translate("SavedViews", "Rename"))
        dlg.add_line("name", translate("SavedViews", "Name:"), self.views[key].name)
        dlg.accepted.connect(lambda: self.rename(key, dlg.value("name")))
        dlg.open()
        self.last_dialog = dlg
        return dlg

    def share(self, key: str, shared: bool) -> None:
        ws, vid = self.ws, self.views[key].id
        self._write(lambda: saved_views.share_view(ws, vid, shared),
                    translate("SavedViews", "The view is shown to the whole team") if shared
                    else translate("SavedViews", "The view is private now"))

    def delete(self, key: str) -> None:
        ws, view = self.ws, self.views[key]
        self._write(lambda: saved_views.delete_view(ws, view.id),
                    translate("SavedViews", "View “{0}” deleted").format(view.name))

    def move(self, key: str, delta: int) -> None:
        if key in self.views:
            ws, vid = self.ws, self.views[key].id
            self._write(lambda: saved_views.move_view(ws, vid, delta), "")

    def _menu(self, key: str, at: QPoint) -> QMenu:
        menu = QMenu(self.window)
        menu.setObjectName("saved_view_menu")
        menu.addAction(self.save_action)
        view = self.views.get(key)
        if view is not None:
            menu.addSeparator()
            keys = self.panel.saved_keys()
            place = keys.index(key)
            mine = view.mine
            for text, slot, enabled in (
                (translate("SavedViews", "Rename…"), lambda: self.ask_rename(key), mine),
                (translate("SavedViews", "Move up"), lambda: self.move(key, -1), place > 0),
                (translate("SavedViews", "Move down"), lambda: self.move(key, 1), place < len(keys) - 1),
            ):
                act = menu.addAction(text)
                act.setEnabled(enabled)
                act.triggered.connect(slot)
            shared = menu.addAction(translate("SavedViews", "Shared with the team") if mine
                                    else translate("SavedViews", "Shared by {0}").format(view.owner))
            shared.setCheckable(True)
            shared.setChecked(view.shared)
            shared.setEnabled(mine)
            shared.toggled.connect(lambda on: self.share(key, on))
            menu.addSeparator()
            delete = menu.addAction(translate("SavedViews", "Delete"))
            delete.setEnabled(mine)
            delete.triggered.connect(lambda: self.delete(key))
        self.last_menu = menu
        if at is not None:
            menu.popup(at)
        return menu
