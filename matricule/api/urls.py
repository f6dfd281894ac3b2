"""The REST API under /api/v1/ (OpenAPI document at /api/v1/openapi.json)."""

from __future__ import annotations

from ninja import NinjaAPI

from matricule.api.auth import TokenAuth
from matricule.api.reference import router as reference_router

api = NinjaAPI(
    title="Matricule API",
    version="1",
    description="API du système de gestion du personnel Matricule. "
    "Authentification : en-tête `Authorization: Bearer <jeton>`.",
    auth=TokenAuth(),
    urls_namespace="api",
)
api.add_router("/", reference_router)
