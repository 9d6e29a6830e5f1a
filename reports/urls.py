from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("cijfers.<str:fmt>", views.export, name="export"),
    path("rapport.pdf", views.report_pdf, name="pdf"),
]
