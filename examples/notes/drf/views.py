from django.db.models import Q
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, permissions, viewsets
from rest_framework.throttling import ScopedRateThrottle

from .models import Note
from .serializers import CommentSerializer, NoteSerializer


class IsOwnerOrReadOnly(permissions.BasePermission):
    """Whoever may see an object reads it; only its owner changes it."""

    owner_field = "owner"

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or getattr(obj, self.owner_field) == request.user


class IsAuthorOrReadOnly(IsOwnerOrReadOnly):
    owner_field = "author"


def visible_notes(user):
    return Note.objects.filter(Q(owner=user) | Q(readers=user)).distinct()


class NoteViewSet(viewsets.ModelViewSet):
    """Your notes and those shared with you; only the owner changes one; creates are limited."""

    serializer_class = NoteSerializer
    permission_classes = [permissions.IsAuthenticated, IsOwnerOrReadOnly]
    throttle_scope = "notes.create"
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    filterset_fields = {"created_at": ["gte", "lte"]}
    search_fields = ["title", "body"]
    ordering_fields = ["id", "title"]

    def get_queryset(self):
        return visible_notes(self.request.user).select_related("owner").prefetch_related("readers")

    def get_throttles(self):
        if self.action == "create":
            return [ScopedRateThrottle()]
        return super().get_throttles()

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)


class CommentViewSet(viewsets.ModelViewSet):
    """Comments under a note its reader may see; only the author changes one."""

    serializer_class = CommentSerializer
    permission_classes = [permissions.IsAuthenticated, IsAuthorOrReadOnly]

    def get_note(self):
        return get_object_or_404(visible_notes(self.request.user), pk=self.kwargs["note_pk"])

    def get_queryset(self):
        return self.get_note().comments.select_related("author")

    def perform_create(self, serializer):
        serializer.save(note=self.get_note(), author=self.request.user)
