"""Backup and restore of the whole database as one portable archive.

Public face:
  archive   the archive format: a zip with manifest.json and one JSON-lines file per
            table, values typed so that SQLite and PostgreSQL read them back alike
  backup    write the archive of the current database
  restore   load an archive into an empty database of either engine

Every stored file (deliberation acts, Report PDFs) lives in LargeBinary columns, so the
tables are the whole state: instance/ holds nothing else than the SQLite file itself.
"""
