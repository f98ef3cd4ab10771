from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework_nested import routers

from .views import CommentViewSet, NoteViewSet

router = routers.DefaultRouter()
router.register(r"notes", NoteViewSet, basename="note")
notes_router = routers.NestedDefaultRouter(router, r"notes", lookup="note")
notes_router.register(r"comments", CommentViewSet, basename="note-comment")

urlpatterns = [
    path("api/", include(router.urls)),
    path("api/", include(notes_router.urls)),
    path("api/auth/", include("djoser.urls")),
    path("api/auth/", include("djoser.urls.authtoken")),
    path("api/auth/", include("djoser.urls.jwt")),
    path("openapi.json", SpectacularAPIView.as_view(), name="schema"),
]
