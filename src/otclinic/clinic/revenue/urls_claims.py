"""The claim pages (charges, claims, scrubber, 837 export); filled in by the claims work."""

urlpatterns: list[object] = []
