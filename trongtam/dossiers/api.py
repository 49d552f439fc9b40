"""The dossier API: procedures and dossiers, imports, apology letters and statistics, one router per module."""

from ninja import Router

from trongtam.dossiers import api_dossiers, api_imports, api_letters, api_stats

router = Router()
router.add_router("/", api_dossiers.router)
router.add_router("/", api_imports.router)
router.add_router("/", api_letters.router)
router.add_router("/", api_stats.router)
