"""The log-in form, with a message an official understands."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa và chữ thường; "
            "nhập sai nhiều lần liên tiếp, tài khoản sẽ bị tạm khoá."
        ),
        "inactive": _("Tài khoản này đã bị khoá. Hãy liên hệ quản trị viên."),
    }
