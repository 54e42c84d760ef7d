"""The schedule's pure rules: recurring series, double bookings, authorized visits, iCalendar."""
