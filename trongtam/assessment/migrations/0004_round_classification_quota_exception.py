import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0003_staff_evaluation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="classification",
            field=models.JSONField(blank=True, default=dict, verbose_name="thiết lập xếp loại"),
        ),
        migrations.CreateModel(
            name="QuotaException",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reason", models.TextField(verbose_name="lý do ngoại lệ")),
                ("basis", models.CharField(max_length=300, verbose_name="căn cứ (văn bản, thành tích)")),
                ("recorded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="quota_exceptions",
                        to="assessment.round",
                    ),
                ),
            ],
            options={
                "verbose_name": "ngoại lệ tỷ lệ hoàn thành xuất sắc",
                "verbose_name_plural": "ngoại lệ tỷ lệ hoàn thành xuất sắc",
                "ordering": ["round", "recorded_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("round", "person"), name="assessment_one_exception_per_person")
                ],
            },
        ),
    ]
