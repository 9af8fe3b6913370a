"""Edit > Preferences…: the coder name, the theme (system / light / dark), the text's
font, line and paragraph spacing and line width, snapping to words, the keyboard shortcuts (the
shortcut dialog), and where backups go and how many are kept.

Each value is applied at once when the dialog is accepted and kept in the settings
(the coder name in the project, as ``annotator`` has it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFontComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
)

from annotator.core.errors import AnnotatorError
from annotator.gui.view.view_reading import (
    MAX_LINE_SPACING,
    line_spacing_of,
    set_line_spacing,
    store_line_spacing,
)
from annotator.store.file.backup import KEEP
from annotator.store.file.backup import configure as configure_backups

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow
    from annotator.gui.settings import Settings

THEMES = ("system", "light", "dark")
DEFAULT_BACKUPS = KEEP


def tr(text: str) -> str:
    return QCoreApplication.translate("preferences", text)


def _store(settings: Settings) -> QSettings:
    return settings._s  # the one QSettings of the window's Settings


def theme(settings: Settings) -> str:
    value = _store(settings).value("view/theme", "system")
    return value if value in THEMES else "system"


_SYSTEM_PALETTE: list[QPalette] = []  # the palette before any theme was applied


def dark_palette() -> QPalette:
    """A dark palette with the contrast of the light one (text 13:1 on the base)."""
    palette = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    for r, colour in (
        (role.Window, "#2b2b2b"),
        (role.WindowText, "#e8e8e8"),
        (role.Base, "#1e1e1e"),
        (role.AlternateBase, "#262626"),
        (role.Text, "#e8e8e8"),
        (role.Button, "#353535"),
        (role.ButtonText, "#e8e8e8"),
        (role.BrightText, "#ffffff"),
        (role.Highlight, "#3d6fb4"),
        (role.HighlightedText, "#ffffff"),
        (role.ToolTipBase, "#353535"),
        (role.ToolTipText, "#e8e8e8"),
        (role.PlaceholderText, "#9a9a9a"),
        (role.Link, "#7fb2f0"),
        (role.Mid, "#404040"),
        (role.Dark, "#1a1a1a"),
        (role.Light, "#505050"),
    ):
        palette.setColor(r, QColor(colour))
    for r in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, r, QColor("#7a7a7a"))
    return palette


def apply_theme(name: str) -> None:
    """Light or dark for the whole application (system: the desktop's own). The
    platform is asked too where it can follow (Qt 6.8+), but the palette is set here,
    so the theme holds where the platform has no dark mode of its own."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    if not _SYSTEM_PALETTE:
        _SYSTEM_PALETTE.append(QPalette(app.palette()))
    scheme = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(
        name, Qt.ColorScheme.Unknown
    )
    hints = QGuiApplication.styleHints()
    if hasattr(hints, "setColorScheme"):
        hints.setColorScheme(scheme)
    if name == "dark":
        app.setPalette(dark_palette())
    elif name == "light":
        style = app.style()
        app.setPalette(style.standardPalette() if style else _SYSTEM_PALETTE[0])
    else:
        app.setPalette(_SYSTEM_PALETTE[0])


def backup_folder(settings: Settings) -> str:
    value = _store(settings).value("backup/folder", "")
    return value if isinstance(value, str) else ""


def backup_count(settings: Settings) -> int:
    try:
        return max(1, int(_store(settings).value("backup/count", DEFAULT_BACKUPS)))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return DEFAULT_BACKUPS


class PreferencesDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle(tr("Preferences"))
        self.window_ = window
        settings = window.settings
        project = window.session.project
        self.coder = QLineEdit(project.annotator if project else "", self)
        self.coder.setObjectName("prefCoder")
        self.coder.setEnabled(project is not None and not project.read_only)
        if project is None:
            self.coder.setPlaceholderText(tr("open a project to name its coder"))
        self.theme = QComboBox(self)
        self.theme.setObjectName("prefTheme")
        for name, text in zip(THEMES, (tr("System"), tr("Light"), tr("Dark")), strict=True):
            self.theme.addItem(text, name)
        self.theme.setCurrentIndex(THEMES.index(theme(settings)))
        self.font_family = QFontComboBox(self)
        self.font_family.setObjectName("prefFont")
        self.font_family.setCurrentFont(window.view.font())
        self.font_size = QDoubleSpinBox(self)
        self.font_size.setObjectName("prefFontSize")
        self.font_size.setRange(6, 48)
        self.font_size.setValue(window.font_options.base_point_size)
        self.spacing = QDoubleSpinBox(self)
        self.spacing.setObjectName("prefSpacing")
        self.spacing.setRange(0, 3)
        self.spacing.setSingleStep(0.25)
        self.spacing.setSuffix(tr(" lines"))
        self.spacing.setValue(settings.paragraph_spacing)
        self.line_spacing = QDoubleSpinBox(self)
        self.line_spacing.setObjectName("prefLineSpacing")
        self.line_spacing.setRange(1, MAX_LINE_SPACING)
        self.line_spacing.setSingleStep(0.05)
        self.line_spacing.setSuffix(tr(" × the font's line"))
        self.line_spacing.setValue(line_spacing_of(window.view))
        self.line_width = QSpinBox(self)
        self.line_width.setObjectName("prefLineWidth")
        self.line_width.setRange(0, 400)
        self.line_width.setSpecialValueText(tr("the window's width"))
        self.line_width.setSuffix(tr(" characters"))
        self.line_width.setValue(settings.max_line_chars)
        self.snap = QCheckBox(tr("&Snap selections to whole words"), self)
        self.snap.setObjectName("prefSnap")
        self.snap.setChecked(window.snap_action.isChecked())
        shortcuts = QPushButton(tr("&Keyboard shortcuts…"), self)
        shortcuts.setObjectName("prefShortcuts")
        shortcuts.clicked.connect(window.show_shortcuts)
        self.backups = QLineEdit(backup_folder(settings), self)
        self.backups.setObjectName("prefBackupFolder")
        self.backups.setPlaceholderText(tr("the standard data folder"))
        browse = QPushButton(tr("&Browse…"), self)
        browse.clicked.connect(self._browse)
        self.keep = QSpinBox(self)
        self.keep.setObjectName("prefBackupCount")
        self.keep.setRange(1, 1000)
        self.keep.setValue(backup_count(settings))
        self.problem = QLabel("", self)
        self.problem.setObjectName("prefProblem")
        form = QFormLayout(self)
        form.addRow(tr("&Coder name:"), self.coder)
        form.addRow(tr("&Theme:"), self.theme)
        font_row = QHBoxLayout()
        font_row.addWidget(self.font_family, 1)
        font_row.addWidget(self.font_size)
        form.addRow(tr("&Font:"), font_row)
        form.addRow(tr("L&ine spacing:"), self.line_spacing)
        form.addRow(tr("Paragraph s&pacing:"), self.spacing)
        form.addRow(tr("Longest &line:"), self.line_width)
        form.addRow("", self.snap)
        form.addRow(tr("Shortcuts:"), shortcuts)
        backup_row = QHBoxLayout()
        backup_row.addWidget(self.backups, 1)
        backup_row.addWidget(browse)
        form.addRow(tr("&Backup folder:"), backup_row)
        form.addRow(tr("Backups &kept:"), self.keep)
        form.addRow(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, tr("Backup folder"), self.backups.text())
        if chosen:
            self.backups.setText(chosen)

    def _accept(self) -> None:
        w, settings = self.window_, self.window_.settings
        project = w.session.project
        name = self.coder.text().strip()
        if project is not None and self.coder.isEnabled() and name != project.annotator:
            if not name:
                self.problem.setText(tr("the coder name cannot be empty"))
                return

            def rename() -> None:
                project.annotator = name

            error = w.session.guarded(rename)
            if isinstance(error, AnnotatorError):
                self.problem.setText(str(error))
                return
        store = _store(settings)
        store.setValue("view/theme", self.theme.currentData())
        apply_theme(str(self.theme.currentData()))
        font = QFont(self.font_family.currentFont())
        font.setPointSizeF(self.font_size.value())
        if font.toString() != settings.font or self.font_size.value() != (
            w.font_options.base_point_size
        ):
            settings.font = font.toString()
            w.font_options.base_point_size = self.font_size.value()
            w.font_options.apply()
        settings.paragraph_spacing = self.spacing.value()
        settings.max_line_chars = self.line_width.value()
        w.view.apply_reading_settings(
            paragraph_spacing=self.spacing.value(), max_line_chars=self.line_width.value()
        )
        store_line_spacing(settings, self.line_spacing.value())
        set_line_spacing(w.view, self.line_spacing.value())
        w.snap_action.setChecked(self.snap.isChecked())
        store.setValue("backup/folder", self.backups.text().strip())
        store.setValue("backup/count", self.keep.value())
        configure_backups(self.backups.text().strip(), self.keep.value())
        self.accept()


def open_preferences(window: MainWindow) -> bool:
    return PreferencesDialog(window).exec() == QDialog.DialogCode.Accepted


def apply_saved_theme(window: MainWindow) -> None:
    """The saved preferences that act outside the dialog: the theme, and where backups
    go and how many are kept."""
    if theme(window.settings) != "system":
        apply_theme(theme(window.settings))
    configure_backups(backup_folder(window.settings), backup_count(window.settings))
