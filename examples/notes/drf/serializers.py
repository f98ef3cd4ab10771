from django.contrib.auth import get_user_model
from rest_framework import serializers

from .models import Comment, Note


class UserSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ("id", "username")


class NoteSerializer(serializers.ModelSerializer):
    owner = UserSummarySerializer(read_only=True)
    readers = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=get_user_model().objects.filter(is_active=True)
    )

    class Meta:
        model = Note
        fields = ("id", "title", "body", "owner", "readers", "created_at")


class CommentSerializer(serializers.ModelSerializer):
    author = UserSummarySerializer(read_only=True)

    class Meta:
        model = Comment
        fields = ("id", "author", "body", "created_at")
