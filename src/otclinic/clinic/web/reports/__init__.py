"""The practice's reports: end of day, productivity, notes owed, attendance, plan-of-care
compliance, each a page with its plot and table and a CSV of the same numbers."""
