"""The CSV import dialog over the main window on a 1366×768 screen, for the docs.

    xvfb-run -a -s "-screen 0 1366x768x24" python tests/gui/make_csv_import_screenshot.py

Opens the app on the bundled decks in a temporary folder, chooses File ▸ Import on a
small spreadsheet export, and saves the dialog to docs/screenshots/csv-import.png (and the
whole screen, to judge how it sits on a laptop, to csv-import-screen.png in the temp folder).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots" / "csv-import.png"
sys.path.insert(0, str(ROOT))

from screenshot_kit import settle  # noqa: E402

ROWS = [
    "Term;Definition;Domain;Tags",
    "SageMaker Ground Truth;Labels data with human workers, and with active learning once a"
    " model can;Data Engineering;labelling sagemaker",
    "Kinesis Data Firehose;Loads streams into S3, Redshift or OpenSearch, buffering by size or"
    " time;Data Engineering;streaming kinesis",
    "Random Cut Forest;Unsupervised anomaly detection on numeric data;Modeling;anomaly algorithms",
    "BlazingText;Word2vec embeddings and fast text classification;Modeling;nlp algorithms",
    "Recall;TP / (TP + FN): the share of real positives the model finds;Modeling;metrics",
]


def main() -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QFileDialog

    from flashcards.collection import Collection
    from flashcards.gui import file_actions
    from flashcards.gui.csv_import_dialog import CsvImportDialog
    from flashcards.gui.main_window import WELCOME_KEY, MainWindow
    from flashcards.gui.worker import CollectionWorker

    app = QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        sheet = Path(tmp) / "aws-terms.csv"
        sheet.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        settings.setValue(WELCOME_KEY, True)
        worker = CollectionWorker(lambda: Collection.open(data))
        window = MainWindow(worker, settings=settings)
        window.show()
        window.start()
        while worker.pending:
            settle(app, ms=100)
        pick = staticmethod(lambda *a, **k: ([str(sheet)], ""))
        QFileDialog.getOpenFileNames = pick  # type: ignore[method-assign]
        file_actions.import_files(window)
        while not window.findChildren(CsvImportDialog):
            settle(app, ms=100)
        dialog = window.findChildren(CsvImportDialog)[0]
        settle(app)
        # As a user would: the Domain column is not wanted on the cards.
        dialog.role_boxes[2].setCurrentIndex(dialog.role_boxes[2].findText("Ignore"))
        settle(app)
        screen = app.primaryScreen()
        OUT.parent.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(OUT))
        whole = Path(tempfile.gettempdir()) / "csv-import-screen.png"
        screen.grabWindow(0).save(str(whole))
        size = screen.availableGeometry()
        print(f"saved {OUT} and {whole} (screen {size.width()}×{size.height()})")
        dialog.reject()
        window.close()
        worker.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
