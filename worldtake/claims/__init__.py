"""Claims: attributed statements and pledges (country x kind x polarity) with their evidence."""
