from django.urls import path
app_name = "promotions"
urlpatterns: list = []
