"""The report a planner can hand on: one self-contained HTML file and an Excel workbook."""
