"""The .xlsx/.xlsm file format, below both the readers and the writer: the
zip container and what a file may cost (``limits``, ``zipcopy``), the
workbook as a run read it once (``snapshot``), the relationships (``opc``),
XML edited by splicing (``xmlspan``), the index parts (``content_types``,
``workbook_part``, ``index``), and the marker that tells the toolkit's own
sheets (``marker``). Nothing here knows budgets or ledgers."""
