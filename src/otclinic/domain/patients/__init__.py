"""The patient record's pure rules: reading a search box, matching names, numbering charts."""
