from django.urls import path

from opop.milestones import views

app_name = "milestones"

urlpatterns = [
    path("", views.index, name="index"),
    path("pesantren/<int:pk>/", views.checklist, name="checklist"),
    path("pesantren/<int:pk>/items/<int:item_id>/claim/", views.claim, name="claim"),
    path("pesantren/<int:pk>/items/<int:item_id>/evidence/", views.evidence, name="evidence"),
    path("claims/<int:claim_id>/decide/", views.decide, name="decide"),
    path("queue/", views.queue, name="queue"),
    path("progress/", views.progress, name="progress"),
    path("checklist/", views.items, name="items"),
    path("checklist/new/", views.item_edit, name="item_new"),
    path("checklist/<int:item_id>/", views.item_edit, name="item_edit"),
]
