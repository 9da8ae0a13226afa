"""Files made from figures and frames: tables (CSV, XLSX); consumes figures/, never Dash state."""
