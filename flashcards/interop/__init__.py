"""Import and export: files in other formats <-> core values. No Qt, no storage.

Readers return an `ImportBundle` (deck Markdown by library path, staged media, review
history, per-card memory/flags, a skipped list); the collection applies it
(`flashcards.collection.interop_ops`). Writers take `ExportData` (parsed notes with their
scheduling and history) and write a file.

    anki_package.import_anki_package(path, workdir=tmp)      .apkg / .colpkg, all layouts
    text_import.read_text_file(path, options=None)          Anki CSV / TSV / TXT
    csv_layout.preview(text, …) / CsvOptions                a text file's columns and choices
    detect.markdown_kind(texts)                             our Markdown or Obsidian-SR notes
    obsidian.read_obsidian(files, root=vault)               Obsidian Spaced Repetition
    apkg_export.write_apkg(data, out, now=now)              .apkg (Anki 2.1 legacy layout)
    csv_export.write_csv(data, out, separator=",")          Anki text file with headers
"""
