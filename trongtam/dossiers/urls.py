"""The dossier pages: the dossiers themselves, imports, apology letters and statistics, each in its own module."""

from trongtam.dossiers import urls_dossiers, urls_imports, urls_letters, urls_stats

app_name = "dossiers"
urlpatterns = [
    *urls_dossiers.urlpatterns,
    *urls_imports.urlpatterns,
    *urls_letters.urlpatterns,
    *urls_stats.urlpatterns,
]
