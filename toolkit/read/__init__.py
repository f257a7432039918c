"""Reading: workbook sheets and CSV files → typed tables with positions."""
